// One schema for both backends: only types the multi-backend connection supports
// (BigInt, Integer, Double, Text, Date, Timestamp). Flags are Integer 0/1.

diesel::table! {
    departments (id) {
        id -> BigInt,
        name -> Text,
        short_name -> Nullable<Text>,
        is_operator -> Integer,
        min_days_in_village -> Integer,
        local_leave_max_days -> Integer,
        min_team_size -> Integer,
        villagers_quorum_percent -> Integer,
        major_disclosure_days -> Integer,
        deactivated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    offices (id) {
        id -> BigInt,
        department_id -> BigInt,
        name -> Text,
        search_text -> Text,
        sort_key -> Text,
        deactivated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cadres (id) {
        id -> BigInt,
        department_id -> BigInt,
        office_id -> Nullable<BigInt>,
        name -> Text,
        name_bo -> Nullable<Text>,
        position -> Nullable<Text>,
        phone -> Nullable<Text>,
        search_text -> Text,
        sort_key -> Text,
        deactivated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    villages (id) {
        id -> BigInt,
        department_id -> BigInt,
        name -> Text,
        name_bo -> Nullable<Text>,
        prefecture -> Text,
        county -> Text,
        township -> Nullable<Text>,
        code -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        search_text -> Text,
        sort_key -> Text,
        deactivated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rounds (id) {
        id -> BigInt,
        department_id -> BigInt,
        number -> Integer,
        name -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        deactivated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> BigInt,
        department_id -> BigInt,
        round_id -> BigInt,
        village_id -> BigInt,
        name -> Nullable<Text>,
        deactivated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_members (id) {
        id -> BigInt,
        department_id -> BigInt,
        team_id -> BigInt,
        cadre_id -> BigInt,
        is_leader -> Integer,
        from_date -> Date,
        to_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        department_id -> BigInt,
        username -> Text,
        display_name -> Text,
        role -> Text,
        office_id -> Nullable<BigInt>,
        village_id -> Nullable<BigInt>,
        cadre_id -> Nullable<BigInt>,
        password_hash -> Text,
        search_text -> Text,
        disabled_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

// SQLite only: the count of login-relevant changes its triggers keep (migration 000150).
diesel::table! {
    login_epoch (id) {
        id -> BigInt,
        epoch -> BigInt,
    }
}

diesel::table! {
    login_throttle (username) {
        username -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (user_id, idem_key) {
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        status -> Integer,
        body -> Text,
        etag -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_entries (id) {
        id -> BigInt,
        department_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        actor_username -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        at -> Timestamp,
        request_id -> Text,
    }
}

diesel::table! {
    village_surveys (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        year -> Integer,
        population -> BigInt,
        households -> BigInt,
        poor_households -> BigInt,
        marginal_households -> BigInt,
        pasture_mu_tenths -> BigInt,
        cultivated_mu_tenths -> BigInt,
        yaks -> BigInt,
        sheep -> BigInt,
        goats -> BigInt,
        horses -> BigInt,
        other_livestock -> BigInt,
        per_capita_income_fen -> BigInt,
        collective_income_fen -> BigInt,
        main_industries -> Nullable<Text>,
        report -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    households (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        head_name -> Text,
        head_name_bo -> Nullable<Text>,
        sort_key -> Text,
        search_text -> Text,
        members -> Integer,
        member_names -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        category -> Text,
        monitoring_type -> Nullable<Text>,
        category_since -> Date,
        causes -> Text,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    household_categories (id) {
        id -> BigInt,
        department_id -> BigInt,
        household_id -> BigInt,
        category -> Text,
        monitoring_type -> Nullable<Text>,
        since -> Date,
        note -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    household_checks (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        household_id -> BigInt,
        year -> Integer,
        food -> Integer,
        food_note -> Nullable<Text>,
        clothing -> Integer,
        clothing_note -> Nullable<Text>,
        education -> Integer,
        education_note -> Nullable<Text>,
        medical -> Integer,
        medical_note -> Nullable<Text>,
        housing -> Integer,
        housing_note -> Nullable<Text>,
        water -> Integer,
        water_note -> Nullable<Text>,
        unmet -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pairings (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        household_id -> BigInt,
        cadre_id -> BigInt,
        year -> Integer,
        note -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assistance (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        household_id -> BigInt,
        cadre_id -> BigInt,
        given_on -> Date,
        kind -> Text,
        amount_fen -> BigInt,
        description -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(offices -> departments (department_id));
diesel::joinable!(cadres -> offices (office_id));
diesel::joinable!(villages -> departments (department_id));
diesel::joinable!(rounds -> departments (department_id));
diesel::table! {
    projects (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        team_id -> Nullable<BigInt>,
        year -> Integer,
        title -> Text,
        sort_key -> Text,
        search_text -> Text,
        category -> Text,
        office_id -> Nullable<BigInt>,
        supporting_unit -> Nullable<Text>,
        budget_fen -> BigInt,
        funding_source -> Nullable<Text>,
        beneficiary_households -> BigInt,
        beneficiary_people -> BigInt,
        description -> Nullable<Text>,
        problems -> Nullable<Text>,
        measures -> Nullable<Text>,
        stage -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    project_events (id) {
        id -> BigInt,
        department_id -> BigInt,
        project_id -> BigInt,
        from_stage -> Text,
        to_stage -> Text,
        comment -> Nullable<Text>,
        actor_id -> BigInt,
        actor_username -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    donors (id) {
        id -> BigInt,
        department_id -> BigInt,
        name -> Text,
        sort_key -> Text,
        search_text -> Text,
        kind -> Text,
        contact -> Nullable<Text>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        project_id -> Nullable<BigInt>,
        entry_date -> Date,
        kind -> Text,
        source -> Text,
        donor_id -> Nullable<BigInt>,
        item -> Nullable<Text>,
        quantity_milli -> Nullable<BigInt>,
        unit -> Nullable<Text>,
        amount_fen -> BigInt,
        evidence -> Nullable<Text>,
        reverses_id -> Nullable<BigInt>,
        reversal_reason -> Nullable<Text>,
        created_by -> BigInt,
        created_by_username -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_confirmations (id) {
        id -> BigInt,
        department_id -> BigInt,
        entry_id -> BigInt,
        user_id -> BigInt,
        username -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    cooperatives (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        name -> Text,
        sort_key -> Text,
        search_text -> Text,
        kind -> Text,
        founded_on -> Date,
        registration_number -> Nullable<Text>,
        rule_investment_on -> Nullable<Date>,
        rule_finance_on -> Nullable<Date>,
        rule_safety_on -> Nullable<Date>,
        rule_members_on -> Nullable<Date>,
        rule_wages_on -> Nullable<Date>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cooperative_members (id) {
        id -> BigInt,
        department_id -> BigInt,
        cooperative_id -> BigInt,
        village_id -> BigInt,
        name -> Text,
        household_id -> Nullable<BigInt>,
        joined_on -> Date,
        left_on -> Nullable<Date>,
        cash_fen -> BigInt,
        land_fen -> BigInt,
        livestock_fen -> BigInt,
        note -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cooperative_years (id) {
        id -> BigInt,
        department_id -> BigInt,
        cooperative_id -> BigInt,
        village_id -> BigInt,
        year -> Integer,
        revenue_fen -> BigInt,
        costs_fen -> BigInt,
        losses_made_good_fen -> BigInt,
        reserves_fen -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cooperative_distributions (id) {
        id -> BigInt,
        department_id -> BigInt,
        cooperative_id -> BigInt,
        village_id -> BigInt,
        year -> Integer,
        distributable_fen -> BigInt,
        by_trade_fen -> BigInt,
        by_capital_fen -> BigInt,
        created_by_username -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    distribution_shares (id) {
        id -> BigInt,
        distribution_id -> BigInt,
        member_id -> BigInt,
        trade_fen -> BigInt,
        capital_fen -> BigInt,
        by_trade_fen -> BigInt,
        by_capital_fen -> BigInt,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        held_on -> Date,
        kind -> Text,
        title -> Text,
        search_text -> Text,
        organiser -> Text,
        team_id -> Nullable<BigInt>,
        participants -> BigInt,
        beneficiaries -> BigInt,
        value_fen -> BigInt,
        notes -> Nullable<Text>,
        project_id -> Nullable<BigInt>,
        skill -> Nullable<Text>,
        people_seen -> Nullable<BigInt>,
        partner_institution -> Nullable<Text>,
        destination -> Nullable<Text>,
        party_members_developed -> Nullable<BigInt>,
        organisation_formed -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activity_households (id) {
        id -> BigInt,
        department_id -> BigInt,
        activity_id -> BigInt,
        household_id -> BigInt,
    }
}

diesel::table! {
    needs (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        household_id -> Nullable<BigInt>,
        raised_by -> Nullable<Text>,
        raised_on -> Date,
        category -> Text,
        description -> Text,
        search_text -> Text,
        due_on -> Nullable<Date>,
        project_id -> Nullable<BigInt>,
        status -> Text,
        queue_key -> Text,
        resolution -> Nullable<Text>,
        satisfaction -> Nullable<Text>,
        decline_reason -> Nullable<Text>,
        closed_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    decisions (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        project_id -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        estimated_amount_fen -> Nullable<BigInt>,
        raised_on -> Date,
        status -> Text,
        last_step -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    disclosures (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        category -> Text,
        title -> Text,
        body -> Text,
        period_from -> Date,
        period_to -> Date,
        status -> Text,
        published_on -> Nullable<Date>,
        published_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawal_reason -> Nullable<Text>,
        decision_id -> Nullable<BigInt>,
        decision_step -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    decision_steps (id) {
        id -> BigInt,
        department_id -> BigInt,
        decision_id -> BigInt,
        step -> Integer,
        held_on -> Date,
        entitled -> Nullable<BigInt>,
        present -> Nullable<BigInt>,
        in_favour -> Nullable<BigInt>,
        against -> Nullable<BigInt>,
        quorate -> Nullable<Integer>,
        passed -> Nullable<Integer>,
        notes -> Nullable<Text>,
        disclosure_id -> Nullable<BigInt>,
        recorded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(teams -> rounds (round_id));
diesel::joinable!(teams -> villages (village_id));
diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(team_members -> cadres (cadre_id));
diesel::joinable!(village_surveys -> villages (village_id));
diesel::joinable!(households -> villages (village_id));
diesel::joinable!(household_categories -> households (household_id));
diesel::joinable!(household_checks -> households (household_id));
diesel::joinable!(pairings -> households (household_id));
diesel::joinable!(pairings -> cadres (cadre_id));
diesel::joinable!(assistance -> households (household_id));
diesel::joinable!(assistance -> cadres (cadre_id));
diesel::joinable!(projects -> villages (village_id));
diesel::joinable!(projects -> teams (team_id));
diesel::joinable!(projects -> offices (office_id));
diesel::joinable!(project_events -> projects (project_id));
diesel::joinable!(ledger_entries -> villages (village_id));
diesel::joinable!(ledger_entries -> projects (project_id));
diesel::joinable!(ledger_entries -> donors (donor_id));
diesel::joinable!(ledger_confirmations -> ledger_entries (entry_id));
diesel::joinable!(cooperatives -> villages (village_id));
diesel::joinable!(cooperative_members -> cooperatives (cooperative_id));
diesel::joinable!(cooperative_years -> cooperatives (cooperative_id));
diesel::joinable!(cooperative_distributions -> cooperatives (cooperative_id));
diesel::joinable!(distribution_shares -> cooperative_distributions (distribution_id));
diesel::joinable!(distribution_shares -> cooperative_members (member_id));
diesel::joinable!(users -> departments (department_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(audit_entries -> departments (department_id));

diesel::allow_tables_to_appear_in_same_query!(
    departments,
    offices,
    cadres,
    villages,
    rounds,
    teams,
    team_members,
    users,
    sessions,
    refresh_tokens,
    login_throttle,
    idempotency_keys,
    audit_entries,
    village_surveys,
    households,
    household_categories,
    household_checks,
    pairings,
    assistance,
    projects,
    project_events,
    donors,
    ledger_entries,
    ledger_confirmations,
    cooperatives,
    cooperative_members,
    cooperative_years,
    cooperative_distributions,
    distribution_shares,
    activities,
    activity_households,
    needs,
    decisions,
    disclosures,
    decision_steps,
);

// Days in the village, leave and the round handover (驻村考勤, 请假, 交接).
diesel::table! {
    presence_days (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        team_id -> BigInt,
        team_member_id -> BigInt,
        cadre_id -> BigInt,
        day -> Date,
        status -> Text,
        reason -> Nullable<Text>,
        log -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    leave_requests (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        team_id -> BigInt,
        team_member_id -> BigInt,
        cadre_id -> BigInt,
        from_date -> Date,
        to_date -> Date,
        days -> Integer,
        reason -> Text,
        note -> Nullable<Text>,
        status -> Text,
        requested_by -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        decided_by_name -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    handovers (id) {
        id -> BigInt,
        department_id -> BigInt,
        village_id -> BigInt,
        outgoing_team_id -> BigInt,
        incoming_team_id -> BigInt,
        status -> Text,
        content -> Text,
        documents -> Text,
        drafted_at -> Timestamp,
        drafted_by -> Nullable<BigInt>,
        signed_by -> Nullable<BigInt>,
        signed_by_name -> Nullable<Text>,
        signed_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(presence_days -> cadres (cadre_id));
diesel::joinable!(leave_requests -> cadres (cadre_id));
// Pairwise (a list would repeat pairs the main list already declares).
diesel::allow_tables_to_appear_in_same_query!(presence_days, cadres);
diesel::allow_tables_to_appear_in_same_query!(presence_days, team_members);
diesel::allow_tables_to_appear_in_same_query!(presence_days, teams);
diesel::allow_tables_to_appear_in_same_query!(presence_days, villages);
diesel::allow_tables_to_appear_in_same_query!(presence_days, users);
diesel::allow_tables_to_appear_in_same_query!(leave_requests, cadres);
diesel::allow_tables_to_appear_in_same_query!(leave_requests, team_members);
diesel::allow_tables_to_appear_in_same_query!(leave_requests, teams);
diesel::allow_tables_to_appear_in_same_query!(leave_requests, villages);
diesel::allow_tables_to_appear_in_same_query!(leave_requests, users);
diesel::allow_tables_to_appear_in_same_query!(presence_days, leave_requests);
diesel::allow_tables_to_appear_in_same_query!(handovers, teams);
diesel::allow_tables_to_appear_in_same_query!(handovers, villages);
diesel::allow_tables_to_appear_in_same_query!(handovers, users);

// API clients (OAuth 2.0 client credentials).
diesel::table! {
    api_clients (id) {
        id -> BigInt,
        department_id -> BigInt,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        scopes -> Text,
        regional -> Integer,
        created_by -> Nullable<BigInt>,
        created_by_name -> Text,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        rotated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(api_clients -> departments (department_id));
diesel::allow_tables_to_appear_in_same_query!(api_clients, departments);

// Region-wide statistics summary (see migration 000140).
diesel::table! {
    stats_summary (level, year, parent, place) {
        level -> Text,
        year -> Integer,
        parent -> Text,
        place -> Text,
        figures -> Text,
    }
}

diesel::table! {
    stats_summary_state (id) {
        id -> Integer,
        as_of -> Timestamp,
        watermark -> BigInt,
        layout -> Integer,
    }
}
