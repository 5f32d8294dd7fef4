//! Configuration from flags and the environment. Secrets are kept out of `Debug`.

use std::path::PathBuf;

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    /// Where local state lives (the generated JWT key).
    pub data_dir: PathBuf,
    pub jwt_secret: Option<String>,
    pub admin_password: Option<String>,
    pub demo_password: Option<String>,
    /// The first department's name on an empty database without `--demo` (default 本部门).
    pub department_name: Option<String>,
    /// The built SPA, served at `/` when present.
    pub static_dir: Option<PathBuf>,
    pub pool_size: u32,
    pub workers: Option<usize>,
    pub limits: crate::limits::Limits,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = zhucun_persistence::DatabaseUrl::parse(&self.database_url)
            .map(|u| format!("{u:?}"))
            .unwrap_or_else(|_| "<invalid>".to_owned());
        f.debug_struct("Config")
            .field("database_url", &url)
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "<set>"))
            .field("static_dir", &self.static_dir)
            .field("pool_size", &self.pool_size)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}
