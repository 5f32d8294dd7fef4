//! What an API client's token may call: ONE table of route patterns and the scope each needs.
//! Default deny: any route not in [`SCOPED_ROUTES`] answers a client token 403
//! `insufficient_scope`, as does a route whose scope the token lacks. The OpenAPI document's
//! `oauth2` security of each operation comes from the same table (`openapi::ClientScopes`).

/// A scope an API client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    ReportsRead,
    ProjectsRead,
    LedgerRead,
    /// Region-wide statistics across departments: only regional clients of the operator.
    StatsRead,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::ReportsRead,
        Scope::ProjectsRead,
        Scope::LedgerRead,
        Scope::StatsRead,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Scope::ReportsRead => "reports:read",
            Scope::ProjectsRead => "projects:read",
            Scope::LedgerRead => "ledger:read",
            Scope::StatsRead => "stats:read",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What the scope grants, for the OpenAPI document.
    pub fn description(self) -> &'static str {
        match self {
            Scope::ReportsRead => "Read the department's annual reports",
            Scope::ProjectsRead => "Read the department's projects",
            Scope::LedgerRead => "Read the department's ledger entries and totals",
            Scope::StatsRead => "Read region-wide statistics (regional clients of the operator)",
        }
    }

    /// Whether only a regional client may hold this scope (a department client may not).
    pub fn regional_only(self) -> bool {
        self == Scope::StatsRead
    }
}

/// `(method, route pattern as actix matches it, scope)`. Only GET: a client never writes, and
/// never reads personal data (households, users, cadres are absent on purpose).
pub const SCOPED_ROUTES: &[(&str, &str, Scope)] = &[
    ("GET", "/api/v1/reports/annual", Scope::ReportsRead),
    ("GET", "/api/v1/reports/annual/compare", Scope::ReportsRead),
    ("GET", "/api/v1/projects", Scope::ProjectsRead),
    ("GET", "/api/v1/projects/{id}", Scope::ProjectsRead),
    ("GET", "/api/v1/ledger", Scope::LedgerRead),
    ("GET", "/api/v1/ledger/{id:[0-9]+}", Scope::LedgerRead),
    ("GET", "/api/v1/ledger/totals", Scope::LedgerRead),
    ("GET", "/api/v1/stats/departments", Scope::StatsRead),
    ("GET", "/api/v1/stats/counties", Scope::StatsRead),
    ("GET", "/api/v1/stats/villages", Scope::StatsRead),
];

/// The scope a client needs for `method` on the route `pattern` (`None`: clients may not).
pub fn required(method: &str, pattern: &str) -> Option<Scope> {
    SCOPED_ROUTES
        .iter()
        .find(|(m, p, _)| *m == method && *p == pattern)
        .map(|&(_, _, s)| s)
}

/// A route pattern as the OpenAPI document writes it (`{id:[0-9]+}` → `{id}`).
pub fn document_path(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_param = false;
    let mut skipping = false;
    for ch in pattern.chars() {
        match ch {
            '{' => {
                in_param = true;
                out.push(ch);
            }
            ':' if in_param => skipping = true,
            '}' if in_param => {
                in_param = false;
                skipping = false;
                out.push(ch);
            }
            _ if skipping => {}
            _ => out.push(ch),
        }
    }
    out
}

/// Parses a space-separated scope list; `Err` names the first unknown scope.
pub fn parse_list(text: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let s = Scope::parse(word).ok_or_else(|| word.to_owned())?;
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    scopes.sort();
    Ok(scopes)
}

/// The canonical text of a scope list (sorted, space-separated).
pub fn join(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lookups() {
        assert_eq!(
            required("GET", "/api/v1/ledger/{id:[0-9]+}"),
            Some(Scope::LedgerRead)
        );
        assert_eq!(required("POST", "/api/v1/ledger"), None);
        assert_eq!(required("GET", "/api/v1/households"), None);
        assert_eq!(
            document_path("/api/v1/ledger/{id:[0-9]+}"),
            "/api/v1/ledger/{id}"
        );
        assert_eq!(
            parse_list("ledger:read  reports:read ledger:read"),
            Ok(vec![Scope::ReportsRead, Scope::LedgerRead])
        );
        assert_eq!(parse_list("x:y"), Err("x:y".to_owned()));
    }
}
