use crate::config::Config;
use zhucun_persistence::DbConnection;

pub fn bootstrap(_conn: &mut DbConnection, _config: &Config, _demo: bool) -> Result<(), Box<dyn std::error::Error>> {
    Ok(())
}
