//! `zhucun generate`: a region-scale synthetic world for trials and benchmarks (issue 13).
//!
//! Shaped like the demo (`seed::demo`): departments with offices, villages over the shipped
//! prefectures and counties, one round a year, a team in every village every round (3–5 members,
//! the first leads), households, pairings and assistance, projects at every stage with their
//! ledger entries, activities, needs, presence and disclosures. The same seed gives the same rows
//! (a seeded `fastrand::Rng`; dates and timestamps come from the rounds, never from the clock),
//! except the password hash of the generated accounts (salted).
//!
//! Rows whose columns carry search or sort keys are built by the resources' `values` functions,
//! like API writes; the bulk tables are written as multi-row `INSERT`s with explicit ids in one
//! transaction on both backends (PostgreSQL's identity sequences are moved past them at the end).
//!
//! Presence is daily (one row per member per day, as the API records it) but only for the last
//! month (September) of the last round, to keep the row count manageable; earlier rounds have none.

use crate::routes;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::{Connection, RunQueryDsl};
use std::fmt::Write as _;
use std::time::Instant;
use zhucun_domain::divisions::TIBET;
use zhucun_domain::organisation::DepartmentSettings;
use zhucun_domain::Role;
use zhucun_persistence::{departments, offices, users, DbConnection};

type Error = Box<dyn std::error::Error>;

/// How to generate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also write into a database that already has data.
    pub force: bool,
    /// On PostgreSQL, keep the row-by-row foreign-key checks (by default a superuser's load
    /// skips them, like `pg_restore --disable-triggers`).
    pub check_references: bool,
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    s: String,
}

/// Whether the PostgreSQL session is a superuser's (false on SQLite).
fn superuser(conn: &mut DbConnection) -> Result<bool, Error> {
    if let DbConnection::Pg(_) = conn {
        let v: Setting =
            diesel::sql_query("SELECT current_setting('is_superuser') AS s").get_result(conn)?;
        return Ok(v.s == "on");
    }
    Ok(false)
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub departments: u32,
    pub villages: u32,
    /// One round a year, the last one from October 2025 to September 2026; at most 15 (the
    /// first then starts in October 2011, where the system's years begin).
    pub rounds: u32,
    pub seed: u64,
}

pub const MAX_ROUNDS: u32 = 15;

/// The rows written, table by table, in the order written.
pub struct Summary {
    pub tables: Vec<(&'static str, u64)>,
    pub elapsed: std::time::Duration,
    /// Sums over the whole database, to compare two runs by (same seed → same sums).
    pub totals: Vec<(&'static str, i64)>,
}

const TOTALS: [(&str, &str); 8] = [
    (
        "households.members",
        "SELECT CAST(COALESCE(SUM(members), 0) AS BIGINT) AS m FROM households",
    ),
    (
        "projects.budget_fen",
        "SELECT CAST(COALESCE(SUM(budget_fen), 0) AS BIGINT) AS m FROM projects",
    ),
    (
        "ledger_entries.amount_fen",
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS m FROM ledger_entries",
    ),
    (
        "assistance.amount_fen",
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS m FROM assistance",
    ),
    (
        "activities.participants",
        "SELECT CAST(COALESCE(SUM(participants), 0) AS BIGINT) AS m FROM activities",
    ),
    (
        "needs.resolved",
        "SELECT COUNT(*) AS m FROM needs WHERE status = 'resolved'",
    ),
    (
        "presence_days.in_village",
        "SELECT COUNT(*) AS m FROM presence_days WHERE status = 'in_village'",
    ),
    (
        "team_members.leaders",
        "SELECT COUNT(*) AS m FROM team_members WHERE is_leader = 1",
    ),
];

/// The sums of `TOTALS`.
pub fn totals(conn: &mut DbConnection) -> Result<Vec<(&'static str, i64)>, Error> {
    let mut out = Vec::new();
    for (name, sql) in TOTALS {
        let v: MaxId = diesel::sql_query(sql).get_result(conn)?;
        out.push((name, v.m));
    }
    Ok(out)
}

/// Rows a table collects before they are written (one statement on SQLite, one COPY on
/// PostgreSQL).
const ROWS_PER_STATEMENT: usize = 2000;

/// One row, built value by value; written as SQL literals (SQLite) or a CSV line (PostgreSQL's
/// `COPY`).
struct Row(Vec<Cell>);

enum Cell {
    Null,
    Int(i64),
    Text(String),
    Date(NaiveDate),
    Ts(NaiveDateTime),
}

impl Row {
    fn new() -> Self {
        Row(Vec::with_capacity(24))
    }
    fn i(mut self, v: i64) -> Self {
        self.0.push(Cell::Int(v));
        self
    }
    fn oi(self, v: Option<i64>) -> Self {
        match v {
            Some(v) => self.i(v),
            None => self.null(),
        }
    }
    fn null(mut self) -> Self {
        self.0.push(Cell::Null);
        self
    }
    fn t(mut self, v: &str) -> Self {
        self.0.push(Cell::Text(v.to_owned()));
        self
    }
    fn ot(self, v: Option<&str>) -> Self {
        match v {
            Some(v) => self.t(v),
            None => self.null(),
        }
    }
    fn d(mut self, v: NaiveDate) -> Self {
        self.0.push(Cell::Date(v));
        self
    }
    fn od(self, v: Option<NaiveDate>) -> Self {
        match v {
            Some(v) => self.d(v),
            None => self.null(),
        }
    }
    fn ts(mut self, v: NaiveDateTime) -> Self {
        self.0.push(Cell::Ts(v));
        self
    }

    /// `(1,'text',NULL,…)`
    fn sql(&self, out: &mut String) {
        out.push('(');
        for (k, cell) in self.0.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = match cell {
                Cell::Null => write!(out, "NULL"),
                Cell::Int(v) => write!(out, "{v}"),
                Cell::Text(v) => write!(out, "'{}'", v.replace('\'', "''")),
                Cell::Date(v) => write!(out, "'{}'", v.format("%Y-%m-%d")),
                Cell::Ts(v) => write!(out, "'{}'", v.format("%Y-%m-%d %H:%M:%S")),
            };
        }
        out.push(')');
    }

    /// One CSV line: NULL is an unquoted empty field, every text is quoted.
    fn csv(&self, out: &mut String) {
        for (k, cell) in self.0.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = match cell {
                Cell::Null => Ok(()),
                Cell::Int(v) => write!(out, "{v}"),
                Cell::Text(v) => write!(out, "\"{}\"", v.replace('"', "\"\"")),
                Cell::Date(v) => write!(out, "{}", v.format("%Y-%m-%d")),
                Cell::Ts(v) => write!(out, "{}", v.format("%Y-%m-%d %H:%M:%S")),
            };
        }
        out.push('\n');
    }
}

/// A table being written: rows waiting for the next statement, ids handed out, rows written.
struct Table {
    name: &'static str,
    columns: &'static str,
    pending: Vec<Row>,
    next_id: i64,
    written: u64,
}

/// Every bulk table, in foreign-key order: a flush writes them all in this order, so a row is
/// never written before the rows it references.
struct Sink {
    tables: Vec<Table>,
    started: Instant,
    reported: u64,
}

#[derive(Clone, Copy)]
enum T {
    Villages,
    Rounds,
    Cadres,
    Teams,
    Members,
    Households,
    Donors,
    Pairings,
    Assistance,
    Projects,
    Ledger,
    Activities,
    Needs,
    Presence,
    Disclosures,
}

const TABLES: [(&str, &str); 15] = [
    ("villages", "id,department_id,name,name_bo,prefecture,county,township,code,latitude,longitude,search_text,sort_key,deactivated_at,version,created_at,updated_at"),
    ("rounds", "id,department_id,number,name,starts_on,ends_on,deactivated_at,version,created_at,updated_at"),
    ("cadres", "id,department_id,office_id,name,name_bo,position,phone,search_text,sort_key,deactivated_at,version,created_at,updated_at"),
    ("teams", "id,department_id,round_id,village_id,name,deactivated_at,version,created_at,updated_at"),
    ("team_members", "id,department_id,team_id,cadre_id,is_leader,from_date,to_date,version,created_at,updated_at"),
    ("households", "id,department_id,village_id,head_name,head_name_bo,sort_key,search_text,members,member_names,phone,address,category,monitoring_type,category_since,causes,notes,version,created_at,updated_at"),
    ("donors", "id,department_id,name,sort_key,search_text,kind,contact,notes,version,created_at,updated_at"),
    ("pairings", "id,department_id,village_id,household_id,cadre_id,year,note,version,created_at,updated_at"),
    ("assistance", "id,department_id,village_id,household_id,cadre_id,given_on,kind,amount_fen,description,version,created_at,updated_at"),
    ("projects", "id,department_id,village_id,team_id,year,title,sort_key,search_text,category,office_id,supporting_unit,budget_fen,funding_source,beneficiary_households,beneficiary_people,description,problems,measures,stage,version,created_at,updated_at"),
    ("ledger_entries", "id,department_id,village_id,project_id,entry_date,kind,source,donor_id,item,quantity_milli,unit,amount_fen,evidence,reverses_id,reversal_reason,created_by,created_by_username,created_at"),
    ("activities", "id,department_id,village_id,held_on,kind,title,search_text,organiser,team_id,participants,beneficiaries,value_fen,notes,project_id,skill,people_seen,partner_institution,destination,party_members_developed,organisation_formed,version,created_at,updated_at"),
    ("needs", "id,department_id,village_id,household_id,raised_by,raised_on,category,description,search_text,due_on,project_id,status,queue_key,resolution,satisfaction,decline_reason,closed_on,version,created_at,updated_at"),
    ("presence_days", "id,department_id,village_id,team_id,team_member_id,cadre_id,day,status,reason,log,recorded_by,version,created_at,updated_at"),
    ("disclosures", "id,department_id,village_id,category,title,body,period_from,period_to,status,published_on,published_at,withdrawn_at,withdrawal_reason,decision_id,decision_step,version,created_at,updated_at"),
];

#[derive(diesel::QueryableByName)]
struct MaxId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    m: i64,
}

impl Sink {
    fn new(conn: &mut DbConnection) -> Result<Self, Error> {
        let mut tables = Vec::new();
        for (name, columns) in TABLES {
            let max: MaxId =
                diesel::sql_query(format!("SELECT COALESCE(MAX(id), 0) AS m FROM {name}"))
                    .get_result(conn)?;
            tables.push(Table {
                name,
                columns,
                pending: Vec::new(),
                next_id: max.m + 1,
                written: 0,
            });
        }
        Ok(Sink {
            tables,
            started: Instant::now(),
            reported: 0,
        })
    }

    fn table(&mut self, t: T) -> &mut Table {
        &mut self.tables[t as usize]
    }

    /// The id the next row of `t` gets.
    fn id(&mut self, t: T) -> i64 {
        let table = self.table(t);
        let id = table.next_id;
        table.next_id += 1;
        id
    }

    fn push(&mut self, conn: &mut DbConnection, t: T, row: Row) -> Result<(), Error> {
        let table = self.table(t);
        table.pending.push(row);
        if table.pending.len() >= ROWS_PER_STATEMENT {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &mut DbConnection) -> Result<(), Error> {
        for (index, table) in self.tables.iter_mut().enumerate() {
            if table.pending.is_empty() {
                continue;
            }
            match conn {
                DbConnection::Pg(pg) => {
                    let mut data = String::new();
                    for row in &table.pending {
                        row.csv(&mut data);
                    }
                    copy(pg, index, data.as_bytes())?;
                }
                DbConnection::Sqlite(_) => {
                    let mut sql = format!("INSERT INTO {} ({}) VALUES ", table.name, table.columns);
                    for (k, row) in table.pending.iter().enumerate() {
                        if k > 0 {
                            sql.push(',');
                        }
                        row.sql(&mut sql);
                    }
                    diesel::sql_query(sql).execute(conn)?;
                }
            }
            table.written += table.pending.len() as u64;
            table.pending.clear();
        }
        let total: u64 = self.tables.iter().map(|t| t.written).sum();
        if total >= self.reported + 200_000 {
            self.reported = total;
            self.progress();
        }
        Ok(())
    }

    fn progress(&self) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let total: u64 = self.tables.iter().map(|t| t.written).sum();
        let parts: Vec<String> = self
            .tables
            .iter()
            .filter(|t| t.written > 0)
            .map(|t| format!("{} {}", t.name, t.written))
            .collect();
        eprintln!(
            "generate: {total} rows in {secs:.1} s ({:.0} rows/s): {}",
            total as f64 / secs,
            parts.join(", ")
        );
    }
}

/// `COPY table FROM STDIN (FORMAT csv)` of CSV `data` into the table `TABLES[index]` (every
/// column, in the schema's order: the columns lists of `TABLES` are checked against it by a test).
fn copy(pg: &mut diesel::PgConnection, index: usize, data: &[u8]) -> Result<(), Error> {
    use diesel::pg::CopyFormat;
    use diesel::prelude::ExecuteCopyFromDsl;
    use zhucun_persistence::schema as s;
    let write = |w: &mut dyn std::io::Write| {
        w.write_all(data)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
    };
    macro_rules! copy_into {
        ($t:ident) => {
            diesel::copy_from(s::$t::table)
                .from_raw_data(s::$t::table, write)
                .with_format(CopyFormat::Csv)
                .execute(pg)
        };
    }
    match index {
        0 => copy_into!(villages),
        1 => copy_into!(rounds),
        2 => copy_into!(cadres),
        3 => copy_into!(teams),
        4 => copy_into!(team_members),
        5 => copy_into!(households),
        6 => copy_into!(donors),
        7 => copy_into!(pairings),
        8 => copy_into!(assistance),
        9 => copy_into!(projects),
        10 => copy_into!(ledger_entries),
        11 => copy_into!(activities),
        12 => copy_into!(needs),
        13 => copy_into!(presence_days),
        14 => copy_into!(disclosures),
        _ => return Err(format!("no table {index}").into()),
    }?;
    Ok(())
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("bad date {y}-{m}-{d}").into())
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(9, 0, 0).unwrap_or_default()
}

/// A day of `year` between January and September (the part of a round inside its year).
fn day_in(rng: &mut fastrand::Rng, year: i32) -> Result<NaiveDate, Error> {
    let m = rng.u32(1..=9);
    let d = rng.u32(1..=28);
    date(year, m, d)
}

const SYLLABLES: [&str; 24] = [
    "达", "孜", "扎", "西", "岗", "曲", "那", "热", "嘎", "琼", "多", "雄", "林", "卡", "错", "巴",
    "宗", "白", "朗", "普", "堆", "玛", "吉", "木",
];

const GIVEN: [&str; 24] = [
    "次仁", "扎西", "格桑", "卓玛", "达瓦", "尼玛", "平措", "旦增", "普布", "拉巴", "央金", "边巴",
    "索朗", "德吉", "白玛", "洛桑", "顿珠", "米玛", "仁青", "曲珍", "多吉", "琼达", "罗布", "巴桑",
];

fn person(rng: &mut fastrand::Rng) -> String {
    let a = GIVEN[rng.usize(..GIVEN.len())];
    let b = GIVEN[rng.usize(..GIVEN.len())];
    if a == b {
        a.to_owned()
    } else {
        format!("{a}{b}")
    }
}

const PROJECT_CATEGORIES: [(&str, &str); 8] = [
    ("infrastructure", "道路硬化"),
    ("industry", "牦牛育肥"),
    ("cooperative", "合作社扩建"),
    ("education", "幼儿园改造"),
    ("health", "卫生室改造"),
    ("organisation_building", "村级活动场所"),
    ("culture", "文化广场"),
    ("other", "人居环境整治"),
];

const ACTIVITY_KINDS: [(&str, &str); 6] = [
    ("policy_briefing", "政策宣讲"),
    ("cultural_event", "文体活动"),
    ("relief_visit", "节日慰问"),
    ("environment", "环境整治"),
    ("meeting", "村民大会"),
    ("free_clinic", "义诊"),
];

const NEED_CATEGORIES: [(&str, &str); 8] = [
    ("water", "饮水管道冬季冻裂，需要维修"),
    ("road", "通组道路雨季塌方，需要修复"),
    ("electricity", "牧场用电不稳定"),
    ("housing", "房屋墙体开裂，申请危房改造"),
    ("health", "老人就医不便，希望定期义诊"),
    ("education", "孩子上学路远，希望解决接送"),
    ("income", "希望组织务工技能培训"),
    ("other", "希望增设垃圾收集点"),
];

struct Dept {
    id: i64,
    offices: Vec<i64>,
    admin: i64,
    admin_name: String,
    /// (id, name) of its villages.
    villages: Vec<(i64, String)>,
    cadres: Vec<i64>,
    donors: Vec<i64>,
}

/// Fills an empty database (or, with `force`, one that has data) and answers what it wrote.
/// `password` is the password of every generated account.
pub fn run(
    conn: &mut DbConnection,
    scale: Scale,
    options: Options,
    password_hash: &str,
) -> Result<Summary, Error> {
    if scale.departments == 0 || scale.villages < scale.departments {
        return Err("--villages must be at least --departments, and both at least 1".into());
    }
    if scale.rounds == 0 || scale.rounds > MAX_ROUNDS {
        return Err(format!("--rounds must be between 1 and {MAX_ROUNDS}").into());
    }
    if !options.force && departments::count(conn)? > 0 {
        return Err(
            "the database already has data: generated rows are never mixed with real \
                    ones (use a new database, or --force for a trial database)"
                .into(),
        );
    }
    let started = Instant::now();
    let tables = conn.transaction::<_, Error, _>(|conn| {
        if !options.check_references && superuser(conn)? {
            // A bulk load like pg_restore --disable-triggers: no row-by-row foreign-key checks in
            // this transaction (half the time). Every reference points at a row written before
            // it; the same code runs with the checks on SQLite in the tests.
            diesel::sql_query("SET LOCAL session_replication_role = replica").execute(conn)?;
        }
        let mut sink = Sink::new(conn)?;
        let mut rng = fastrand::Rng::with_seed(scale.seed);
        let depts = organisation(conn, &mut sink, &mut rng, scale, password_hash)?;
        work(conn, &mut sink, &mut rng, scale, &depts)?;
        sink.flush(conn)?;
        sink.progress();
        if let DbConnection::Pg(_) = conn {
            for (name, _) in TABLES {
                diesel::sql_query(format!(
                    "SELECT setval(pg_get_serial_sequence('{name}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                ))
                .execute(conn)?;
            }
        }
        Ok(sink
            .tables
            .iter()
            .map(|t| (t.name, t.written))
            .collect::<Vec<_>>())
    })?;
    if let DbConnection::Pg(_) = conn {
        // Fresh statistics for the planner and a visibility map for index-only scans: the
        // tables just filled (not the whole database).
        eprintln!("generate: VACUUM ANALYZE");
        for (name, _) in TABLES {
            diesel::sql_query(format!("VACUUM ANALYZE {name}")).execute(conn)?;
        }
    }
    let elapsed = started.elapsed();
    Ok(Summary {
        tables,
        elapsed,
        totals: totals(conn)?,
    })
}

/// Departments, offices, accounts, villages, cadres, donors, rounds, teams and members.
fn organisation(
    conn: &mut DbConnection,
    sink: &mut Sink,
    rng: &mut fastrand::Rng,
    scale: Scale,
    password_hash: &str,
) -> Result<Vec<Dept>, Error> {
    let counties: Vec<(&str, &str)> = TIBET
        .iter()
        .flat_map(|p| p.counties.iter().map(move |c| (p.name, c.name)))
        .collect();
    let created = at(date(2011, 9, 1)?);
    let per = scale.villages / scale.departments;
    let extra = scale.villages % scale.departments;
    let mut depts = Vec::new();
    for d in 0..scale.departments {
        let n = d + 1;
        let name = format!("自治区第{n}驻村派出单位（生成）");
        let v = routes::departments::values(
            &name,
            Some(&format!("派出单位{n}")),
            DepartmentSettings::default(),
            None,
        )?;
        let id = departments::insert(conn, &v, d == 0, created)?.id;
        let mut office_ids = Vec::new();
        for office in ["办公室", "财务处", "驻村工作办公室"] {
            let v = routes::offices::values(office, None)?;
            office_ids.push(offices::insert(conn, id, &v, created)?.id);
        }
        let account = |conn: &mut DbConnection,
                       username: &str,
                       display: &str,
                       role: Role,
                       office: Option<i64>|
         -> Result<i64, Error> {
            let username = zhucun_domain::auth::username(username)?;
            let (_, v) =
                routes::users::values(&username, display, role.as_str(), office, None, None, None)?;
            Ok(users::insert(conn, id, &username, password_hash, &v, created)?.id)
        };
        let admin_name = format!("gen_admin_{n:02}");
        let admin = account(conn, &admin_name, "系统管理员", Role::Admin, None)?;
        account(
            conn,
            &format!("gen_office_{n:02}"),
            "驻村办工作人员",
            Role::Department,
            office_ids.last().copied(),
        )?;
        if d == 0 {
            account(conn, "gen_regional", "自治区强基办", Role::Regional, None)?;
        }
        let count = per + u32::from(d < extra);
        let mut villages = Vec::new();
        for _ in 0..count {
            let (prefecture, county) = counties[rng.usize(..counties.len())];
            let name = format!(
                "{}{}村",
                SYLLABLES[rng.usize(..SYLLABLES.len())],
                SYLLABLES[rng.usize(..SYLLABLES.len())]
            );
            let v = routes::villages::values(routes::villages::Fields {
                name: &name,
                name_bo: None,
                prefecture,
                county,
                township: None,
                code: None,
                latitude: None,
                longitude: None,
                deactivated_at: None,
            })?;
            let vid = sink.id(T::Villages);
            let row = Row::new()
                .i(vid)
                .i(id)
                .t(&v.name)
                .ot(v.name_bo.as_deref())
                .t(&v.prefecture)
                .t(&v.county)
                .ot(v.township.as_deref())
                .ot(v.code.as_deref())
                .null()
                .null()
                .t(&v.search_text)
                .t(&v.sort_key)
                .null()
                .i(1)
                .ts(created)
                .ts(created);
            sink.push(conn, T::Villages, row)?;
            villages.push((vid, v.name));
        }
        // Five cadres a village: enough for the largest team in every village of a round.
        let mut cadres = Vec::new();
        for k in 0..count * 5 {
            let name = person(rng);
            let office = office_ids[(k as usize) % office_ids.len()];
            let position = if k % 7 == 0 { "副处长" } else { "科员" };
            let v = routes::cadres::values(&name, None, Some(office), Some(position), None, None)?;
            let cid = sink.id(T::Cadres);
            let row = Row::new()
                .i(cid)
                .i(id)
                .oi(v.office_id)
                .t(&v.name)
                .ot(v.name_bo.as_deref())
                .ot(v.position.as_deref())
                .ot(v.phone.as_deref())
                .t(&v.search_text)
                .t(&v.sort_key)
                .null()
                .i(1)
                .ts(created)
                .ts(created);
            sink.push(conn, T::Cadres, row)?;
            cadres.push(cid);
        }
        let mut donors = Vec::new();
        for (k, kind) in ["enterprise", "ngo", "individual"].iter().enumerate() {
            let name = format!(
                "{}爱心{}",
                ["拉萨", "日喀则", "林芝"][k],
                ["企业", "基金会", "人士"][k]
            );
            let sort_key = zhucun_domain::pinyin::sort_key(&name);
            let search_text = zhucun_domain::text::search_key_with_pinyin(&name, []);
            let did = sink.id(T::Donors);
            let row = Row::new()
                .i(did)
                .i(id)
                .t(&name)
                .t(&sort_key)
                .t(&search_text)
                .t(kind)
                .null()
                .null()
                .i(1)
                .ts(created)
                .ts(created);
            sink.push(conn, T::Donors, row)?;
            donors.push(did);
        }
        depts.push(Dept {
            id,
            offices: office_ids,
            admin,
            admin_name,
            villages,
            cadres,
            donors,
        });
    }
    Ok(depts)
}

/// Everything of the rounds, village by village and year by year.
fn work(
    conn: &mut DbConnection,
    sink: &mut Sink,
    rng: &mut fastrand::Rng,
    scale: Scale,
    depts: &[Dept],
) -> Result<(), Error> {
    let rounds = i32::try_from(scale.rounds)?;
    // Households first: every village's, kept as (id, members) for the years.
    let mut households: Vec<Vec<Vec<(i64, i64)>>> = Vec::new();
    for dept in depts {
        let mut of_dept = Vec::new();
        for (village_id, village_name) in &dept.villages {
            let n = rng.u32(30..=150);
            let mut of_village = Vec::new();
            for k in 0..n {
                let head = person(rng);
                let members = rng.i32(1..=8);
                let r = rng.u32(..100);
                let (category, monitoring, causes): (&str, Option<&str>, Vec<String>) = match r {
                    0..=54 => ("ordinary", None, Vec::new()),
                    55..=84 => ("lifted", None, vec!["illness".to_owned()]),
                    85..=94 => ("marginal", None, vec!["labour".to_owned()]),
                    _ => (
                        "monitored",
                        Some("unstable_lifted"),
                        vec!["disability".to_owned()],
                    ),
                };
                let since = date(2011 + rng.i32(5..=14), rng.u32(1..=12), 1)?;
                let address = format!("{village_name}{}组", k % 6 + 1);
                let v = routes::households::values(routes::households::Fields {
                    village_id: *village_id,
                    head_name: &head,
                    head_name_bo: None,
                    members,
                    member_names: None,
                    phone: None,
                    address: Some(&address),
                    category,
                    monitoring_type: monitoring,
                    category_since: since,
                    causes: &causes,
                    notes: None,
                })?;
                let hid = sink.id(T::Households);
                let row = Row::new()
                    .i(hid)
                    .i(dept.id)
                    .i(v.village_id)
                    .t(&v.head_name)
                    .ot(v.head_name_bo.as_deref())
                    .t(&v.sort_key)
                    .t(&v.search_text)
                    .i(i64::from(v.members))
                    .ot(v.member_names.as_deref())
                    .ot(v.phone.as_deref())
                    .ot(v.address.as_deref())
                    .t(&v.category)
                    .ot(v.monitoring_type.as_deref())
                    .d(v.category_since)
                    .t(&v.causes)
                    .ot(v.notes.as_deref())
                    .i(1)
                    .ts(at(v.category_since))
                    .ts(at(v.category_since));
                sink.push(conn, T::Households, row)?;
                of_village.push((hid, i64::from(v.members)));
            }
            of_dept.push(of_village);
        }
        households.push(of_dept);
    }
    sink.flush(conn)?;

    for (di, dept) in depts.iter().enumerate() {
        let mut round_ids = Vec::new();
        for k in 1..=rounds {
            // Round k runs from October of year-1 to September of year; the last is 2025–2026.
            let year = 2026 - rounds + k;
            let starts = date(year - 1, 10, 1)?;
            let ends = date(year, 9, 30)?;
            let v = routes::rounds::values(k, Some(&format!("第{k}批")), starts, ends, None)?;
            let rid = sink.id(T::Rounds);
            let row = Row::new()
                .i(rid)
                .i(dept.id)
                .i(i64::from(v.number))
                .ot(v.name.as_deref())
                .d(v.starts_on)
                .d(v.ends_on)
                .null()
                .i(1)
                .ts(at(starts))
                .ts(at(starts));
            sink.push(conn, T::Rounds, row)?;
            round_ids.push((rid, year, starts, ends));
        }
        let last_round = round_ids.len().saturating_sub(1);
        for (ri, &(round_id, year, starts, ends)) in round_ids.iter().enumerate() {
            let running = ri == last_round;
            // This round's cadres: the department's pool in a new order, five a village at most.
            let mut pool = dept.cadres.clone();
            rng.shuffle(&mut pool);
            let mut next_cadre = 0usize;
            for (vi, (village_id, village_name)) in dept.villages.iter().enumerate() {
                let village_id = *village_id;
                let v = routes::teams::values(
                    round_id,
                    village_id,
                    Some(&format!("驻{village_name}工作队")),
                    None,
                )?;
                let team_id = sink.id(T::Teams);
                let row = Row::new()
                    .i(team_id)
                    .i(dept.id)
                    .i(v.round_id)
                    .i(v.village_id)
                    .ot(v.name.as_deref())
                    .null()
                    .i(1)
                    .ts(at(starts))
                    .ts(at(starts));
                sink.push(conn, T::Teams, row)?;
                let size = rng.usize(3..=5);
                let mut members = Vec::new();
                for m in 0..size {
                    let cadre = pool[next_cadre % pool.len()];
                    next_cadre += 1;
                    let mid = sink.id(T::Members);
                    let row = Row::new()
                        .i(mid)
                        .i(dept.id)
                        .i(team_id)
                        .i(cadre)
                        .i(i64::from(m == 0))
                        .d(starts)
                        .od(if running { None } else { Some(ends) })
                        .i(1)
                        .ts(at(starts))
                        .ts(at(starts));
                    sink.push(conn, T::Members, row)?;
                    members.push((mid, cadre));
                }
                let homes = &households[di][vi];
                village_year(
                    conn,
                    sink,
                    rng,
                    dept,
                    village_id,
                    village_name,
                    team_id,
                    year,
                    &members,
                    homes,
                )?;
                if running {
                    presence(conn, sink, rng, dept, village_id, team_id, year, &members)?;
                }
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn village_year(
    conn: &mut DbConnection,
    sink: &mut Sink,
    rng: &mut fastrand::Rng,
    dept: &Dept,
    village_id: i64,
    village_name: &str,
    team_id: i64,
    year: i32,
    members: &[(i64, i64)],
    homes: &[(i64, i64)],
) -> Result<(), Error> {
    let current = year == 2026;
    // 结对认亲 and 帮扶: a few households a year, each paired with a member of the team.
    let paired = rng.usize(3..=8).min(homes.len());
    let mut picks: Vec<usize> = (0..homes.len()).collect();
    rng.shuffle(&mut picks);
    for (k, &h) in picks.iter().take(paired).enumerate() {
        let (household_id, _) = homes[h];
        let (_, cadre) = members[k % members.len()];
        let day = day_in(rng, year)?;
        let pid = sink.id(T::Pairings);
        let row = Row::new()
            .i(pid)
            .i(dept.id)
            .i(village_id)
            .i(household_id)
            .i(cadre)
            .i(i64::from(year))
            .null()
            .i(1)
            .ts(at(day))
            .ts(at(day));
        sink.push(conn, T::Pairings, row)?;
        let (kind, amount, what) = match rng.u32(..3) {
            0 => ("cash", i64::from(rng.u32(5..=50)) * 10_000, "节日慰问金"),
            1 => (
                "goods",
                i64::from(rng.u32(2..=30)) * 10_000,
                "酥油、茶叶、大米",
            ),
            _ => ("service", 0, "联系就医、代办低保手续"),
        };
        let aid = sink.id(T::Assistance);
        let row = Row::new()
            .i(aid)
            .i(dept.id)
            .i(village_id)
            .i(household_id)
            .i(cadre)
            .d(day)
            .t(kind)
            .i(amount)
            .t(what)
            .i(1)
            .ts(at(day))
            .ts(at(day));
        sink.push(conn, T::Assistance, row)?;
    }

    // 驻村项目 with their funds.
    let mut project_ids = Vec::new();
    for _ in 0..rng.usize(0..=3) {
        let (category, what) = PROJECT_CATEGORIES[rng.usize(..PROJECT_CATEGORIES.len())];
        let title = format!("{village_name}{what}项目（{year}）");
        let budget = i64::from(rng.u32(5..=300)) * 1_000_000;
        let bh = rng.i64(5..=i64::try_from(homes.len()).unwrap_or(5).max(5));
        let v = routes::projects::values(routes::projects::Fields {
            village_id,
            team_id: Some(team_id),
            year,
            title: &title,
            category,
            office_id: dept.offices.get(1).copied(),
            supporting_unit: None,
            budget_fen: budget,
            funding_source: Some("财政专项资金"),
            beneficiaries: &routes::projects::Beneficiaries {
                households: bh,
                people: bh * 4,
            },
            description: None,
            problems: None,
            measures: None,
        })?;
        let stage = if current {
            [
                "proposed",
                "declared",
                "implementing",
                "completed",
                "accepted",
            ][rng.usize(..5)]
        } else if rng.u32(..20) == 0 {
            "cancelled"
        } else {
            "accepted"
        };
        let day = day_in(rng, year)?;
        let pid = sink.id(T::Projects);
        let row = Row::new()
            .i(pid)
            .i(dept.id)
            .i(v.village_id)
            .oi(v.team_id)
            .i(i64::from(v.year))
            .t(&v.title)
            .t(&v.sort_key)
            .t(&v.search_text)
            .t(&v.category)
            .oi(v.office_id)
            .ot(v.supporting_unit.as_deref())
            .i(v.budget_fen)
            .ot(v.funding_source.as_deref())
            .i(v.beneficiary_households)
            .i(v.beneficiary_people)
            .ot(v.description.as_deref())
            .ot(v.problems.as_deref())
            .ot(v.measures.as_deref())
            .t(stage)
            .i(1)
            .ts(at(day))
            .ts(at(day));
        sink.push(conn, T::Projects, row)?;
        project_ids.push(pid);
        if matches!(stage, "implementing" | "completed" | "accepted") {
            let source = if rng.bool() { "finance" } else { "department" };
            ledger(
                conn,
                sink,
                dept,
                village_id,
                Some(pid),
                day,
                "allocation",
                source,
                None,
                budget,
            )?;
            let spent = if stage == "implementing" {
                budget / 2
            } else {
                budget * i64::from(rng.u32(85..=100)) / 100
            };
            ledger(
                conn,
                sink,
                dept,
                village_id,
                Some(pid),
                day,
                "expenditure",
                source,
                None,
                spent,
            )?;
        }
    }
    // A donation most years.
    if rng.u32(..4) != 0 {
        let day = day_in(rng, year)?;
        let donor = dept.donors[rng.usize(..dept.donors.len())];
        let amount = i64::from(rng.u32(1..=50)) * 100_000;
        ledger(
            conn,
            sink,
            dept,
            village_id,
            None,
            day,
            "cash_donation",
            "donor",
            Some(donor),
            amount,
        )?;
    }

    // 活动.
    for _ in 0..rng.usize(1..=4) {
        let (kind, what) = ACTIVITY_KINDS[rng.usize(..ACTIVITY_KINDS.len())];
        let title = format!("{what}（{village_name}）");
        let organiser = "驻村工作队";
        let search_text = zhucun_domain::text::search_key_with_pinyin(&title, [Some(organiser)]);
        let day = day_in(rng, year)?;
        let people = i64::from(rng.u32(10..=200));
        let aid = sink.id(T::Activities);
        let mut row = Row::new()
            .i(aid)
            .i(dept.id)
            .i(village_id)
            .d(day)
            .t(kind)
            .t(&title)
            .t(&search_text)
            .t(organiser)
            .i(team_id)
            .i(people)
            .i(people / 3)
            .i(if kind == "relief_visit" {
                people * 10_000
            } else {
                0
            })
            .null()
            .null()
            .null();
        row = if kind == "free_clinic" {
            row.i(people)
        } else {
            row.null()
        };
        let row = row.null().null().null().null().i(1).ts(at(day)).ts(at(day));
        sink.push(conn, T::Activities, row)?;
    }

    // 群众诉求: settled in earlier years, at every status in the running one.
    for _ in 0..rng.usize(0..=3) {
        let (category, description) = NEED_CATEGORIES[rng.usize(..NEED_CATEGORIES.len())];
        let household = if rng.bool() {
            Some(homes[rng.usize(..homes.len())].0)
        } else {
            None
        };
        let raised_by = if household.is_none() {
            Some("村民代表")
        } else {
            None
        };
        let raised_on = day_in(rng, year)?;
        let status = match (current, rng.u32(..10)) {
            (true, 0..=2) => zhucun_domain::need::Status::Open,
            (true, 3..=4) => zhucun_domain::need::Status::InProgress,
            (_, 9) => zhucun_domain::need::Status::Declined,
            _ => zhucun_domain::need::Status::Resolved,
        };
        let closed = match status {
            zhucun_domain::need::Status::Resolved | zhucun_domain::need::Status::Declined => {
                Some(raised_on + chrono::Duration::days(i64::from(rng.u32(3..=60))))
            }
            _ => None,
        }
        .map(|d| d.min(date(year, 11, 28).unwrap_or(d)));
        let search_text = zhucun_domain::text::search_key([Some(description), raised_by]);
        let nid = sink.id(T::Needs);
        let row = Row::new()
            .i(nid)
            .i(dept.id)
            .i(village_id)
            .oi(household)
            .ot(raised_by)
            .d(raised_on)
            .t(category)
            .t(description)
            .t(&search_text)
            .null()
            .oi(project_ids.first().copied().filter(|_| category == "road"))
            .t(status.code())
            .t(&zhucun_domain::need::queue_key(status, raised_on))
            .ot((status == zhucun_domain::need::Status::Resolved).then_some("已协调解决"))
            .null()
            .ot((status == zhucun_domain::need::Status::Declined)
                .then_some("不属于村级办理范围，已转交县级部门"))
            .od(closed)
            .i(1)
            .ts(at(raised_on))
            .ts(at(closed.unwrap_or(raised_on)));
        sink.push(conn, T::Needs, row)?;
    }

    // 村务公开: a general disclosure per quarter up to September, a few left as drafts.
    for q in 0..3u32 {
        let from = date(year, q * 3 + 1, 1)?;
        let to = date(year, q * 3 + 4, 1)?.pred_opt().unwrap_or(from);
        let published = rng.u32(..10) != 0;
        let on = to + chrono::Duration::days(i64::from(rng.u32(1..=20)));
        let did = sink.id(T::Disclosures);
        let row = Row::new()
            .i(did)
            .i(dept.id)
            .i(village_id)
            .t("general")
            .t(&format!("{year}年第{}季度村务公开", q + 1))
            .t("本季度村务、项目和资金使用情况公开如下。")
            .d(from)
            .d(to)
            .t(if published { "published" } else { "draft" })
            .od(published.then_some(on));
        // Drafts have no publication time.
        let row = if published {
            row.ts(at(on))
        } else {
            row.null()
        };
        let row = row
            .null()
            .null()
            .null()
            .null()
            .i(1)
            .ts(at(to))
            .ts(at(if published { on } else { to }));
        sink.push(conn, T::Disclosures, row)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn ledger(
    conn: &mut DbConnection,
    sink: &mut Sink,
    dept: &Dept,
    village_id: i64,
    project_id: Option<i64>,
    day: NaiveDate,
    kind: &str,
    source: &str,
    donor: Option<i64>,
    amount: i64,
) -> Result<(), Error> {
    if amount <= 0 {
        return Ok(());
    }
    let id = sink.id(T::Ledger);
    let row = Row::new()
        .i(id)
        .i(dept.id)
        .i(village_id)
        .oi(project_id)
        .d(day)
        .t(kind)
        .t(source)
        .oi(donor)
        .null()
        .null()
        .null()
        .i(amount)
        .null()
        .null()
        .null()
        .i(dept.admin)
        .t(&dept.admin_name)
        .ts(at(day));
    sink.push(conn, T::Ledger, row)
}

/// Daily presence of the running round's members over its last month (September).
#[allow(clippy::too_many_arguments)]
fn presence(
    conn: &mut DbConnection,
    sink: &mut Sink,
    rng: &mut fastrand::Rng,
    dept: &Dept,
    village_id: i64,
    team_id: i64,
    year: i32,
    members: &[(i64, i64)],
) -> Result<(), Error> {
    for &(member_id, cadre) in members {
        // Most members stay 20+ days; about one in eight is away more.
        let away_days = if rng.u32(..8) == 0 {
            rng.u32(11..=16)
        } else {
            rng.u32(0..=6)
        };
        for d in 1..=30u32 {
            let day = date(year, 9, d)?;
            let away = d > 30 - away_days;
            let id = sink.id(T::Presence);
            let row = Row::new()
                .i(id)
                .i(dept.id)
                .i(village_id)
                .i(team_id)
                .i(member_id)
                .i(cadre)
                .d(day)
                .t(if away { "away" } else { "in_village" })
                .ot(away.then_some("公务"))
                .null()
                .null()
                .i(1)
                .ts(at(day))
                .ts(at(day));
            sink.push(conn, T::Presence, row)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::TABLES;

    /// `COPY` writes every column in the schema's order: the column lists must be exactly the
    /// tables' columns as `schema.rs` declares them.
    #[test]
    fn the_column_lists_are_the_schema_columns_in_order() {
        let schema = include_str!("../../persistence/src/schema.rs");
        for (table, columns) in TABLES {
            let start = schema
                .find(&format!("    {table} (id) {{"))
                .unwrap_or_else(|| panic!("{table} not in schema.rs"));
            let body = &schema[start..];
            let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
            let declared: Vec<&str> = body
                .lines()
                .filter_map(|l| l.trim().split_once(" -> ").map(|(c, _)| c))
                .collect();
            let listed: Vec<&str> = columns.split(',').collect();
            assert_eq!(listed, declared, "{table}");
        }
    }
}
