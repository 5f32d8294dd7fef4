//! Activities (活动): the policy briefings, skills trainings, free clinics, cultural events, study
//! visits, donation drives, relief visits, clean-ups, meetings and party building a work team
//! holds in its village, with who took part, who benefited (optionally the households) and the
//! value of goods or medicine given, in fen. Kind-specific fields (a training's skill, a clinic's
//! people seen and partner institution, a study visit's destination, party building's new party
//! members and the organisation formed) belong to their kind only (`zhucun_domain::activity`).
//!
//! The team of the village records them and the department may correct them; the committee reads
//! its village's. `GET /activities/summary` and the annual report sum them in the database.

use crate::auth::Bearer;
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::export;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own_opt, Linkable, Planned, Record};
use crate::routes::projects::Projects;
use crate::routes::teams::Teams;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::activity::{self as rules, Kind, Organisation};
use zhucun_domain::validation::{field_error, no_such};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::activities::{
    self as q, ActivityColumns, ActivityFilter, ActivitySort, ActivityValues, ActivityView, Summary,
};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    // The literal paths before `{id}`.
    cfg.service(summary)
        .service(skills)
        .service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    #[schema(example = 12)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "下地村")]
    pub village_name: String,
    /// The day it was held.
    #[schema(example = "2019-07-16")]
    pub date: NaiveDate,
    /// policy_briefing, skills_training, free_clinic, cultural_event, study_visit, donation_drive,
    /// relief_visit, environment, meeting, party_building.
    #[schema(example = "free_clinic")]
    pub kind: String,
    #[schema(example = "自治区第三人民医院专家义诊")]
    pub title: String,
    /// Who organised it (the team, a partner).
    #[schema(example = "驻下地村工作队、自治区第三人民医院")]
    pub organiser: String,
    /// The work team that organised it, if it was one.
    pub team_id: Option<i64>,
    #[schema(example = 146)]
    pub participants: i64,
    #[schema(example = 650)]
    pub beneficiaries: i64,
    /// Goods or medicine given, in fen.
    #[schema(example = 1280000)]
    pub value_fen: i64,
    pub notes: Option<String>,
    pub project_id: Option<i64>,
    #[schema(example = json!(null))]
    pub project_title: Option<String>,
    /// Households of the village that benefited.
    #[schema(example = json!([101, 102]))]
    pub household_ids: Vec<i64>,
    /// skills_training: the skill taught.
    #[schema(example = json!(null))]
    pub skill: Option<String>,
    /// free_clinic: people the doctors saw.
    #[schema(example = 146)]
    pub people_seen: Option<i64>,
    /// free_clinic: the partner institution.
    #[schema(example = "自治区第三人民医院")]
    pub partner_institution: Option<String>,
    /// study_visit: where the visit went.
    #[schema(example = json!(null))]
    pub destination: Option<String>,
    /// party_building: new party members developed.
    #[schema(example = json!(null))]
    pub party_members_developed: Option<i64>,
    /// party_building: youth_league_branch (团支部), trade_union (工会) or other.
    #[schema(example = json!(null))]
    pub organisation_formed: Option<String>,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<ActivityView> for Activity {
    fn from(v: ActivityView) -> Self {
        let r = v.activity;
        let c = r.columns;
        Self {
            id: r.id,
            village_id: c.village_id,
            village_name: v.village_name,
            date: c.held_on,
            kind: c.kind,
            title: c.title,
            organiser: c.organiser,
            team_id: c.team_id,
            participants: c.participants,
            beneficiaries: c.beneficiaries,
            value_fen: c.value_fen,
            notes: c.notes,
            project_id: c.project_id,
            project_title: v.project_title,
            household_ids: v.household_ids,
            skill: c.skill,
            people_seen: c.people_seen,
            partner_institution: c.partner_institution,
            destination: c.destination,
            party_members_developed: c.party_members_developed,
            organisation_formed: c.organisation_formed,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(ActivityList, Activity);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"village_id": 3, "date": "2019-07-16", "kind": "free_clinic",
    "title": "自治区第三人民医院专家义诊", "organiser": "驻下地村工作队、自治区第三人民医院",
    "participants": 146, "beneficiaries": 650, "value_fen": 1280000,
    "people_seen": 146, "partner_institution": "自治区第三人民医院"}))]
pub struct ActivityCreate {
    pub village_id: i64,
    /// The day it was held (not before 2011-10-01, not in the future).
    pub date: NaiveDate,
    pub kind: String,
    pub title: String,
    pub organiser: String,
    /// A team of the same village.
    pub team_id: Option<i64>,
    #[serde(default)]
    pub participants: i64,
    #[serde(default)]
    pub beneficiaries: i64,
    #[serde(default)]
    pub value_fen: i64,
    pub notes: Option<String>,
    /// A project of the same village.
    pub project_id: Option<i64>,
    /// Households of the same village (at most 1000, no repeats).
    #[serde(default)]
    pub household_ids: Vec<i64>,
    /// skills_training only (required there): free text; `GET /activities/skills` suggests.
    pub skill: Option<String>,
    /// free_clinic only (required there).
    pub people_seen: Option<i64>,
    /// free_clinic only.
    pub partner_institution: Option<String>,
    /// study_visit only (required there).
    pub destination: Option<String>,
    /// party_building only.
    pub party_members_developed: Option<i64>,
    /// party_building only: youth_league_branch, trade_union or other.
    pub organisation_formed: Option<String>,
}

/// Only the fields sent change; `null` clears an optional one. The village is fixed. A new kind
/// must come with its own fields and without the old kind's (clear them with `null`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"beneficiaries": 680}))]
pub struct ActivityPatch {
    pub date: Option<NaiveDate>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub organiser: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub team_id: Option<Option<i64>>,
    pub participants: Option<i64>,
    pub beneficiaries: Option<i64>,
    pub value_fen: Option<i64>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub project_id: Option<Option<i64>>,
    /// Replaces the households.
    pub household_ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub skill: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub people_seen: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub partner_institution: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub destination: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub party_members_developed: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub organisation_formed: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `date`; prefix `-` for descending. Default `-date` (newest first).
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    /// A kind code.
    pub kind: Option<String>,
    /// Trainings of this skill (exactly).
    pub skill: Option<String>,
    /// Held on or after this day.
    pub from: Option<NaiveDate>,
    /// Held on or before this day.
    pub to: Option<NaiveDate>,
    /// Held in this year.
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// Text in the title, organiser, skill, destination or partner (or the title's pinyin).
    pub q: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// Activities as versioned records (see [`crate::record`]).
pub struct Activities;

impl Record for Activities {
    type Table = q::Activities;
    type View = Activity;
    const RESOURCE: Resource = Resource::Activity;
    const ENTITY: &'static str = "activity";

    fn target(v: &ActivityView) -> Target {
        Target {
            department_id: v.activity.department_id,
            village_id: Some(v.activity.columns.village_id),
        }
    }
    fn active(_: &ActivityView) -> bool {
        true
    }
}

/// An activity's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub village_id: i64,
    pub date: NaiveDate,
    pub kind: &'a str,
    pub title: &'a str,
    pub organiser: &'a str,
    pub team_id: Option<i64>,
    pub participants: i64,
    pub beneficiaries: i64,
    pub value_fen: i64,
    pub notes: Option<&'a str>,
    pub project_id: Option<i64>,
    pub household_ids: &'a [i64],
    pub skill: Option<&'a str>,
    pub people_seen: Option<i64>,
    pub partner_institution: Option<&'a str>,
    pub destination: Option<&'a str>,
    pub party_members_developed: Option<i64>,
    pub organisation_formed: Option<&'a str>,
}

/// The most households one activity names.
pub const MAX_HOUSEHOLDS: usize = 1000;

fn given_text(v: Option<&str>) -> bool {
    v.is_some_and(|s| !s.trim().is_empty())
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
/// The references (village, team, project, households) are checked by [`check_links`].
pub fn values(f: Fields<'_>) -> Result<ActivityValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let date = inv.check(zhucun_domain::household::assistance_date(
        "date", f.date, today,
    ));
    let kind = inv.check(Kind::parse("kind", f.kind));
    let title = inv.check(text::name("title", f.title, 200));
    let organiser = inv.check(text::name("organiser", f.organiser, 200));
    let participants = inv.check(rules::count("participants", f.participants));
    let beneficiaries = inv.check(rules::count("beneficiaries", f.beneficiaries));
    let value_fen = inv.check(rules::value_fen("value_fen", f.value_fen));
    let notes = inv.check(text::optional_text("notes", f.notes, 20_000));
    let skill = inv.check(text::optional_line("skill", f.skill, 50));
    let people_seen = match f.people_seen {
        Some(n) => inv.check(rules::count("people_seen", n)).map(Some),
        None => Some(None),
    };
    let partner = inv.check(text::optional_line(
        "partner_institution",
        f.partner_institution,
        200,
    ));
    let destination = inv.check(text::optional_line("destination", f.destination, 200));
    let party_members = match f.party_members_developed {
        Some(n) if !(0..=rules::MAX_PARTY_MEMBERS).contains(&n) => {
            inv.push(zhucun_domain::validation::between(
                "party_members_developed",
                0,
                rules::MAX_PARTY_MEMBERS,
            ));
            None
        }
        n => Some(n),
    };
    let organisation = match f
        .organisation_formed
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => inv
            .check(Organisation::parse("organisation_formed", raw))
            .map(|o| Some(o.code().to_owned())),
        None => Some(None),
    };
    let mut household_ids = f.household_ids.to_vec();
    household_ids.sort_unstable();
    if household_ids.len() > MAX_HOUSEHOLDS {
        inv.push(
            field_error(
                "household_ids",
                format!("at most {MAX_HOUSEHOLDS} households"),
            )
            .coded(
                "between",
                vec![("min", "0".to_owned()), ("max", MAX_HOUSEHOLDS.to_string())],
            ),
        );
    } else if let Some(w) = household_ids.windows(2).find(|w| w[0] == w[1]) {
        inv.push(
            field_error("household_ids", format!("{} is named twice", w[0]))
                .coded("repeated", vec![("value", w[0].to_string())]),
        );
    }
    if let Some(kind) = kind {
        let given = |field: &str| match field {
            "skill" => given_text(f.skill),
            "people_seen" => f.people_seen.is_some(),
            "partner_institution" => given_text(f.partner_institution),
            "destination" => given_text(f.destination),
            "party_members_developed" => f.party_members_developed.is_some(),
            "organisation_formed" => given_text(f.organisation_formed),
            _ => false,
        };
        for e in rules::check_specifics(kind, given) {
            // One message per field: a value that does not parse is not also "not for the kind".
            if !inv.errors.iter().any(|x| x.field == e.field) {
                inv.push(e);
            }
        }
    }
    let (
        Some(date),
        Some(kind),
        Some(title),
        Some(organiser),
        Some(participants),
        Some(beneficiaries),
        Some(value_fen),
        Some(notes),
        Some(skill),
        Some(people_seen),
        Some(partner),
        Some(destination),
        Some(party_members),
        Some(organisation),
    ) = (
        date,
        kind,
        title,
        organiser,
        participants,
        beneficiaries,
        value_fen,
        notes,
        skill,
        people_seen,
        partner,
        destination,
        party_members,
        organisation,
    )
    else {
        return Err(inv);
    };
    inv.into_result()?;
    let search_text = text::search_key_with_pinyin(
        &title,
        [
            Some(organiser.as_str()),
            skill.as_deref(),
            destination.as_deref(),
            partner.as_deref(),
        ],
    );
    Ok(ActivityValues {
        columns: ActivityColumns {
            village_id: f.village_id,
            held_on: date,
            kind: kind.code().to_owned(),
            title,
            search_text,
            organiser,
            team_id: f.team_id,
            participants,
            beneficiaries,
            value_fen,
            notes,
            project_id: f.project_id,
            skill,
            people_seen,
            partner_institution: partner,
            destination,
            party_members_developed: party_members,
            organisation_formed: organisation,
        },
        household_ids,
    })
}

/// The team, project and households an activity names must be the department's and of the
/// activity's village.
pub fn check_links(
    conn: &mut DbConnection,
    department_id: i64,
    values: &ActivityValues,
) -> Result<(), ApiError> {
    let c = &values.columns;
    let team = own_opt::<Teams>(conn, department_id, c.team_id, "team_id", Linkable::Any)?;
    if team.is_some_and(|t| t.team.village_id != c.village_id) {
        return Err(no_such("team_id", "team", false).into());
    }
    let project = own_opt::<Projects>(
        conn,
        department_id,
        c.project_id,
        "project_id",
        Linkable::Any,
    )?;
    if project.is_some_and(|p| p.project.values.village_id != c.village_id) {
        return Err(crate::error::coded(
            "project_id",
            "project_other_village",
            "the project must be one of the activity's village",
        ));
    }
    let places = q::household_places(conn, &values.household_ids)?;
    for id in &values.household_ids {
        match places.iter().find(|(h, _, _)| h == id) {
            Some((_, d, v)) if *d == department_id => {
                if *v != c.village_id {
                    return Err(crate::error::coded(
                        "household_ids",
                        "household_other_village",
                        format!("household {id} is not of the activity's village"),
                    ));
                }
            }
            _ => return Err(no_such("household_ids", "household", false).into()),
        }
    }
    Ok(())
}

/// The later of two optional lower bounds / the earlier of two upper bounds.
fn tighter(a: Option<NaiveDate>, b: Option<NaiveDate>, later: bool) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if later { a.max(b) } else { a.min(b) }),
        (a, b) => a.or(b),
    }
}

/// A year as a checked range of days.
fn year_range(inv: &mut Invalid, year: Option<i32>) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let Some(y) = year else {
        return (None, None);
    };
    if !(2011..=2100).contains(&y) {
        inv.push(zhucun_domain::validation::between("year", 2011, 2100));
        return (None, None);
    }
    (
        NaiveDate::from_ymd_opt(y, 1, 1),
        NaiveDate::from_ymd_opt(y, 12, 31),
    )
}

/// List the activities of the villages the caller may see.
#[utoipa::path(tag = "activities", operation_id = "list_activities", params(ActivityQuery),
    responses((status = 200, description = "One page of activities, or (format=csv|xlsx) the whole list as a download",
        content((ActivityList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))), security(("bearer" = [])))]
#[get("/activities")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<ActivityQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<ActivitySort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let mut inv = Invalid::new();
    let kind = query
        .kind
        .as_deref()
        .and_then(|k| inv.check(Kind::parse("kind", k)))
        .map(|k| k.code().to_owned());
    let (first, last) = year_range(&mut inv, query.year);
    let skill = inv
        .check(text::optional_line("skill", query.skill.as_deref(), 50))
        .flatten();
    inv.into_result()?;
    let filter = ActivityFilter {
        department_id: 0,
        only_villages: None,
        village_id: query.village_id,
        kind,
        skill,
        from: tighter(first, query.from, true),
        to: tighter(last, query.to, false),
        search: query
            .q
            .as_deref()
            .and_then(text::search_query)
            .map(|s| text::like_contains(&s)),
    };
    let fetch = move |conn: &mut DbConnection, auth: &crate::auth::Auth, page: &_| {
        let scope = list_scope(&auth.actor, Resource::Activity).map_err(ApiError::from)?;
        let filter = ActivityFilter {
            department_id: scope.department_id,
            only_villages: scope.villages,
            ..filter.clone()
        };
        Ok(q::list(conn, &filter, page)?)
    };
    export::list::<_, ActivityList, _>(state, bearer, form, req, fetch, EXPORT).await
}

/// Record an activity in a village (a team member of the village, or the department).
#[utoipa::path(tag = "activities", operation_id = "create_activity", request_body = ActivityCreate,
    params(Idempotency),
    responses((status = 201, description = "Recorded", body = Activity)), security(("bearer" = [])))]
#[post("/activities")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<ActivityCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        date: b.date,
        kind: &b.kind,
        title: &b.title,
        organiser: &b.organiser,
        team_id: b.team_id,
        participants: b.participants,
        beneficiaries: b.beneficiaries,
        value_fen: b.value_fen,
        notes: b.notes.as_deref(),
        project_id: b.project_id,
        household_ids: &b.household_ids,
        skill: b.skill.as_deref(),
        people_seen: b.people_seen,
        partner_institution: b.partner_institution.as_deref(),
        destination: b.destination.as_deref(),
        party_members_developed: b.party_members_developed,
        organisation_formed: b.organisation_formed.as_deref(),
    });
    record::create::<Activities, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let values = values?;
        let dept = auth.department_id();
        record::own::<Villages>(
            conn,
            dept,
            values.columns.village_id,
            "village_id",
            Linkable::ActiveOnly,
        )?;
        check_links(conn, dept, &values)?;
        Ok(Planned {
            village_id: Some(values.columns.village_id),
            values,
        })
    })
    .await
}

/// One activity.
#[utoipa::path(tag = "activities", operation_id = "get_activity", params(("id" = i64, Path, description = "Activity id")),
    responses((status = 200, description = "The activity", body = Activity)), security(("bearer" = [])))]
#[get("/activities/{id:[0-9]+}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Activities>(&state, bearer, id.into_inner()).await
}

/// Correct an activity (the team of the village, or the department).
#[utoipa::path(tag = "activities", operation_id = "update_activity",
    params(("id" = i64, Path, description = "Activity id"), IfMatch),
    request_body = ActivityPatch, responses((status = 200, description = "The changed activity", body = Activity)), security(("bearer" = [])))]
#[patch("/activities/{id:[0-9]+}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<ActivityPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Activities, _>(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        move |conn, view| {
            let c = &view.activity.columns;
            let households = p
                .household_ids
                .clone()
                .unwrap_or_else(|| view.household_ids.clone());
            let values = values(Fields {
                village_id: c.village_id,
                date: p.date.unwrap_or(c.held_on),
                kind: p.kind.as_deref().unwrap_or(&c.kind),
                title: p.title.as_deref().unwrap_or(&c.title),
                organiser: p.organiser.as_deref().unwrap_or(&c.organiser),
                team_id: patch(&p.team_id, &c.team_id),
                participants: p.participants.unwrap_or(c.participants),
                beneficiaries: p.beneficiaries.unwrap_or(c.beneficiaries),
                value_fen: p.value_fen.unwrap_or(c.value_fen),
                notes: patch(&p.notes, &c.notes).as_deref(),
                project_id: patch(&p.project_id, &c.project_id),
                household_ids: &households,
                skill: patch(&p.skill, &c.skill).as_deref(),
                people_seen: patch(&p.people_seen, &c.people_seen),
                partner_institution: patch(&p.partner_institution, &c.partner_institution)
                    .as_deref(),
                destination: patch(&p.destination, &c.destination).as_deref(),
                party_members_developed: patch(
                    &p.party_members_developed,
                    &c.party_members_developed,
                ),
                organisation_formed: patch(&p.organisation_formed, &c.organisation_formed)
                    .as_deref(),
            })?;
            check_links(conn, view.activity.department_id, &values)?;
            Ok(Planned {
                village_id: Some(c.village_id),
                values,
            })
        },
    )
    .await
}

/// Activities of one kind, summed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindFigures {
    #[schema(example = 3)]
    pub count: i64,
    #[schema(example = 75)]
    pub participants: i64,
    #[schema(example = 75)]
    pub beneficiaries: i64,
    /// Goods or medicine given, in fen.
    #[schema(example = 0)]
    pub value_fen: i64,
}

/// Skills trainings of one skill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillFigures {
    #[schema(example = 1)]
    pub count: i64,
    #[schema(example = 20)]
    pub participants: i64,
}

/// Free clinics together.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClinicFigures {
    #[schema(example = 1)]
    pub count: i64,
    /// People the doctors saw.
    #[schema(example = 146)]
    pub seen: i64,
    #[schema(example = 650)]
    pub beneficiaries: i64,
    /// Medicine given, in fen.
    #[schema(example = 1280000)]
    pub medicine_fen: i64,
}

/// Activities summed by kind, trainings by skill, clinics and party building (the annual
/// report's `activities` section and `GET /activities/summary`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityFigures {
    /// Every activity together.
    pub total: KindFigures,
    /// By kind code; kinds without activities are absent.
    #[schema(example = json!({"free_clinic": {"count": 1, "participants": 146, "beneficiaries": 650, "value_fen": 1280000}}))]
    pub by_kind: BTreeMap<String, KindFigures>,
    /// Skills trainings by skill.
    #[schema(example = json!({"电焊": {"count": 1, "participants": 20}, "驾驶": {"count": 1, "participants": 15}}))]
    pub trainings_by_skill: BTreeMap<String, SkillFigures>,
    pub clinics: ClinicFigures,
    /// New party members developed (party building).
    #[schema(example = 2)]
    pub party_members_developed: i64,
    /// Organisations formed by party building, by code (youth_league_branch, trade_union, other).
    #[schema(example = json!({"trade_union": 1, "youth_league_branch": 1}))]
    pub organisations_formed: BTreeMap<String, i64>,
}

impl From<Summary> for ActivityFigures {
    fn from(s: Summary) -> Self {
        let kind = |k: &q::KindFigures| KindFigures {
            count: k.count,
            participants: k.participants,
            beneficiaries: k.beneficiaries,
            value_fen: k.value_fen,
        };
        let mut total = KindFigures {
            count: 0,
            participants: 0,
            beneficiaries: 0,
            value_fen: 0,
        };
        for (_, k) in &s.by_kind {
            total.count += k.count;
            total.participants += k.participants;
            total.beneficiaries += k.beneficiaries;
            total.value_fen += k.value_fen;
        }
        Self {
            total,
            by_kind: s
                .by_kind
                .iter()
                .map(|(c, k)| (c.clone(), kind(k)))
                .collect(),
            trainings_by_skill: s
                .by_skill
                .into_iter()
                .map(|(skill, f)| {
                    (
                        skill,
                        SkillFigures {
                            count: f.count,
                            participants: f.participants,
                        },
                    )
                })
                .collect(),
            clinics: ClinicFigures {
                count: s.clinics.count,
                seen: s.clinics.seen,
                beneficiaries: s.clinics.beneficiaries,
                medicine_fen: s.clinics.medicine_fen,
            },
            party_members_developed: s.party_members_developed,
            organisations_formed: s.organisations_formed.into_iter().collect(),
        }
    }
}

/// The summed activities of a year (or of all years) and a village (or every village one sees).
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivitySummary {
    #[schema(example = 2019)]
    pub year: Option<i32>,
    #[schema(example = json!(null))]
    pub village_id: Option<i64>,
    pub figures: ActivityFigures,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// The calendar year (without it: every year).
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// One village (team and committee users: one of theirs); without it every village the user
    /// sees.
    pub village_id: Option<i64>,
}

/// The activities of the department's villages (or one village) in `(first, last)`, summed by
/// the database: the annual report's section too.
pub fn figures(
    conn: &mut DbConnection,
    department_id: i64,
    villages: Option<Vec<i64>>,
    (first, last): (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<ActivityFigures, ApiError> {
    let filter = ActivityFilter {
        department_id,
        only_villages: villages,
        from: first,
        to: last,
        ..ActivityFilter::default()
    };
    Ok(q::summary(conn, &filter)?.into())
}

/// Counts, participants, beneficiaries and value by kind, trainings by skill, clinics (seen,
/// beneficiaries, medicine) and party building, summed from the activities by the database.
#[utoipa::path(tag = "activities", operation_id = "activity_summary", params(SummaryQuery),
    responses((status = 200, description = "The summed activities", body = ActivitySummary)), security(("bearer" = [])))]
#[get("/activities/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<SummaryQuery>,
) -> Result<web::Json<ActivitySummary>, ApiError> {
    let SummaryQuery { year, village_id } = query.into_inner();
    let mut inv = Invalid::new();
    let range = year_range(&mut inv, year);
    inv.into_result()?;
    let figures = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Activity).map_err(ApiError::from)?;
            let villages = match village_id {
                Some(id) => {
                    // 404 for a village of another department or outside the user's villages.
                    record::load::<Villages>(conn, auth, Action::Read, id)?;
                    Some(vec![id])
                }
                None => scope.villages,
            };
            figures(conn, scope.department_id, villages, range)
        })
        .await?;
    Ok(web::Json(ActivitySummary {
        year,
        village_id,
        figures,
    }))
}

/// A skill a training form offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillOption {
    #[schema(example = "电焊")]
    pub skill: String,
    /// The department's trainings of this skill so far.
    #[schema(example = 2)]
    pub trainings: i64,
    /// One of the default suggestions (电焊, 驾驶, 厨师, 缝纫, 唐卡绘画 …).
    pub default: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillOptions {
    pub items: Vec<SkillOption>,
}

/// The skills a training form suggests: the defaults (电焊, 驾驶, 厨师, 缝纫, 唐卡绘画 …) and every
/// other skill the department's trainings named so far, most used first. Skills are free text:
/// these are suggestions.
#[utoipa::path(tag = "activities", operation_id = "list_activity_skills",
    responses((status = 200, description = "Suggested skills", body = SkillOptions)), security(("bearer" = [])))]
#[get("/activities/skills")]
pub async fn skills(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<SkillOptions>, ApiError> {
    let used = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Activity).map_err(ApiError::from)?;
            Ok(q::skills(conn, scope.department_id)?)
        })
        .await?;
    let count = |s: &str| used.iter().find(|(u, _)| u == s).map_or(0, |(_, n)| *n);
    let mut items: Vec<SkillOption> = rules::DEFAULT_SKILLS
        .iter()
        .map(|s| SkillOption {
            skill: (*s).to_owned(),
            trainings: count(s),
            default: true,
        })
        .collect();
    let mut others: Vec<&(String, i64)> = used
        .iter()
        .filter(|(s, _)| !rules::DEFAULT_SKILLS.contains(&s.as_str()))
        .collect();
    others.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items.extend(others.into_iter().map(|(s, n)| SkillOption {
        skill: s.clone(),
        trainings: *n,
        default: false,
    }));
    Ok(web::Json(SkillOptions { items }))
}

/// The activities as a spreadsheet: one row per activity, value in yuan.
const EXPORT: export::Table<Activity> = export::Table {
    name: "驻村活动",
    ascii_name: "activities",
    columns: &[
        "编号",
        "日期",
        "村",
        "类别",
        "名称",
        "组织方",
        "参加人数",
        "受益人数",
        "物资/药品价值（元）",
        "技能",
        "义诊人数",
        "合作机构",
        "考察地点",
        "发展党员",
        "成立组织",
        "关联项目",
        "受益户数",
        "备注",
    ],
    cells: |a| {
        use export::{label, Cell};
        use zhucun_domain::activity::{Kind, Organisation};
        vec![
            Cell::from(a.id),
            Cell::from(a.date),
            Cell::from(a.village_name.clone()),
            Cell::from(label(&a.kind, Kind::from_code, Kind::label)),
            Cell::from(a.title.clone()),
            Cell::from(a.organiser.clone()),
            Cell::from(a.participants),
            Cell::from(a.beneficiaries),
            Cell::Fen(a.value_fen),
            Cell::from(a.skill.clone()),
            Cell::from(a.people_seen),
            Cell::from(a.partner_institution.clone()),
            Cell::from(a.destination.clone()),
            Cell::from(a.party_members_developed),
            Cell::from(
                a.organisation_formed
                    .as_deref()
                    .map(|o| label(o, Organisation::from_code, Organisation::label)),
            ),
            Cell::from(a.project_title.clone()),
            Cell::from(i64::try_from(a.household_ids.len()).unwrap_or(i64::MAX)),
            Cell::from(a.notes.clone()),
        ]
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(kind: &'static str) -> Fields<'static> {
        Fields {
            village_id: 1,
            date: NaiveDate::from_ymd_opt(2019, 7, 16).unwrap_or_default(),
            kind,
            title: "义诊",
            organiser: "驻下地村工作队",
            team_id: None,
            participants: 146,
            beneficiaries: 650,
            value_fen: 1_280_000,
            notes: None,
            project_id: None,
            household_ids: &[],
            skill: None,
            people_seen: None,
            partner_institution: None,
            destination: None,
            party_members_developed: None,
            organisation_formed: None,
        }
    }

    fn bad(r: Result<ActivityValues, Invalid>) -> Vec<(String, &'static str)> {
        r.err()
            .map(|i| i.errors.into_iter().map(|e| (e.field, e.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn kind_specific_fields_only_for_their_kind() {
        let mut f = fields("free_clinic");
        f.people_seen = Some(146);
        f.partner_institution = Some("自治区第三人民医院");
        let v = values(f).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.columns.people_seen, Some(146));
        let mut f = fields("meeting");
        f.skill = Some("电焊");
        f.people_seen = Some(3);
        assert_eq!(
            bad(values(f)),
            [
                ("skill".to_owned(), "not_for_kind"),
                ("people_seen".to_owned(), "not_for_kind")
            ]
        );
        assert_eq!(
            bad(values(fields("skills_training"))),
            [("skill".to_owned(), "required")]
        );
    }

    #[test]
    fn every_bad_field_at_once() {
        let mut f = fields("party_building");
        f.date = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default();
        f.title = " ";
        f.participants = -1;
        f.value_fen = -5;
        f.party_members_developed = Some(-1);
        f.organisation_formed = Some("choir");
        f.household_ids = &[3, 3];
        let got: Vec<String> = bad(values(f)).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            got,
            [
                "date",
                "title",
                "participants",
                "value_fen",
                "party_members_developed",
                "organisation_formed",
                "household_ids"
            ]
        );
    }
}
