//! First start. The security-relevant part lives here: an empty database gets its first
//! department and admin, with a password from `ZHUCUN_ADMIN_PASSWORD` or generated and printed
//! once, at the start that created it; none is ever written into the code. With `--demo` the
//! source article's world is loaded instead (`demo`), through the same validation as API writes.

mod demo;
mod demo_activities;
mod demo_cooperatives;
mod demo_decisions;
mod demo_households;
mod demo_ledger;
mod demo_needs;
pub mod demo_pairings;
mod demo_presence;
mod demo_projects;

use crate::auth::password::{generate_password, hash_blocking};
use crate::config::Config;
use crate::routes;
use diesel::Connection;
use zhucun_domain::organisation::DepartmentSettings;
use zhucun_domain::Role;
use zhucun_persistence::{departments, users, DbConnection};

type Error = Box<dyn std::error::Error>;

pub(crate) struct Logins {
    lines: Vec<(String, String, String)>,
}

impl Logins {
    fn print(&self) {
        println!();
        println!("zhucun: accounts created at this first start (passwords are shown only now):");
        for (user, role, password) in &self.lines {
            println!("  {user:<20} {role:<18} {password}");
        }
        println!();
    }
}

/// Passwords for new accounts: one from the environment for all, or a new one each.
pub(crate) struct PasswordSource {
    fixed: Option<(String, String)>,
}

impl PasswordSource {
    fn new(fixed: Option<&str>) -> Result<Self, Error> {
        Ok(Self {
            fixed: match fixed {
                Some(p) => Some((
                    hash_blocking(p).map_err(|e| e.to_string())?,
                    "(from the environment)".to_owned(),
                )),
                None => None,
            },
        })
    }

    /// (hash, what to print)
    fn next(&self) -> Result<(String, String), Error> {
        match &self.fixed {
            Some((hash, shown)) => Ok((hash.clone(), shown.clone())),
            None => {
                let p = generate_password();
                Ok((hash_blocking(&p).map_err(|e| e.to_string())?, p))
            }
        }
    }
}

pub fn bootstrap(conn: &mut DbConnection, config: &Config, demo: bool) -> Result<(), Error> {
    if departments::count(conn)? > 0 {
        if demo {
            tracing::info!(
                "the database is not empty: demo data is only loaded into an empty database"
            );
        }
        return Ok(());
    }
    let admin_pw = PasswordSource::new(config.admin_password.as_deref())?;
    let demo_pw = PasswordSource::new(config.demo_password.as_deref())?;
    let mut logins = Logins { lines: Vec::new() };
    conn.transaction::<_, Error, _>(|conn| {
        if demo {
            demo::load(conn, &admin_pw, &demo_pw, &mut logins)
        } else {
            let name = zhucun_domain::text::name(
                "ZHUCUN_DEPARTMENT_NAME",
                config.department_name.as_deref().unwrap_or("本部门"),
                100,
            )
            .map_err(|e| format!("{}: {}", e.field, e.message))?;
            let d = department(conn, &name, None, true)?;
            user(
                conn,
                &mut logins,
                &admin_pw,
                d,
                "admin",
                "系统管理员",
                Role::Admin,
                None,
                None,
                None,
            )?;
            Ok(())
        }
    })?;
    logins.print();
    Ok(())
}

/// A department with the article's default settings (20 days, 3 days' leave, 3 members).
pub(crate) fn department(
    conn: &mut DbConnection,
    name: &str,
    short: Option<&str>,
    operator: bool,
) -> Result<i64, Error> {
    let v = routes::departments::values(name, short, DepartmentSettings::default(), None)?;
    Ok(departments::insert(conn, &v, operator, zhucun_persistence::now())?.id)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn user(
    conn: &mut DbConnection,
    logins: &mut Logins,
    passwords: &PasswordSource,
    department_id: i64,
    username: &str,
    display: &str,
    role: Role,
    office_id: Option<i64>,
    village_id: Option<i64>,
    cadre_id: Option<i64>,
) -> Result<i64, Error> {
    let username = zhucun_domain::auth::username(username)?;
    let (_, v) = routes::users::values(
        &username,
        display,
        role.as_str(),
        office_id,
        village_id,
        cadre_id,
        None,
    )?;
    let (hash, shown) = passwords.next()?;
    let now = zhucun_persistence::now();
    let id = users::insert(conn, department_id, &username, &hash, &v, now)?.id;
    logins
        .lines
        .push((username.to_owned(), role.as_str().to_owned(), shown));
    Ok(id)
}
