//! One module per resource; `register` puts them all under `/api/v1`.

use actix_web::dev::{HttpServiceFactory, ServiceFactory, ServiceRequest};
use actix_web::guard;
use actix_web::http::Method;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, OpenApiFactory, UtoipaApp};

pub mod activities;
pub mod api_clients;
pub mod assistance;
pub mod audit;
pub mod auth;
pub mod cadres;
pub mod cooperatives;
pub mod decisions;
pub mod departments;
pub mod disclosures;
pub mod divisions;
pub mod donors;
pub mod handovers;
pub mod health;
pub mod households;
pub mod imports;
pub mod ledger;
pub mod me;
pub mod needs;
pub mod offices;
pub mod pairings;
pub mod presence;
pub mod projects;
pub mod report_export;
pub mod reports;
pub mod rounds;
pub mod stats;
pub mod surveys;
pub mod team_members;
pub mod teams;
pub mod users;
pub mod villages;

/// Registers every API route. Only handlers registered with `service(...)` reach the OpenAPI
/// document; the document and the running app both come from here.
///
/// Each module's routes sit in a scope of their own that a request enters only when one of them
/// answers its method and path ([`ModuleRoutes`]): actix tries routes one after another, running a
/// regular expression for every route with a parameter, so without this a request to a module
/// registered late paid for the ~150 routes before it (a 401 from `/audit` took twice as long as
/// one from `/me`).
pub fn register<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(
        scope(API_PREFIX)
            .service(module(auth::configure))
            .service(module(me::configure))
            .service(module(departments::configure))
            .service(module(offices::configure))
            .service(module(users::configure))
            .service(module(cadres::configure))
            .service(module(villages::configure))
            .service(module(divisions::configure))
            .service(module(rounds::configure))
            .service(module(teams::configure))
            .service(module(team_members::configure))
            .service(module(surveys::configure))
            .service(module(households::configure))
            .service(module(reports::configure))
            .service(module(pairings::configure))
            .service(module(assistance::configure))
            .service(module(projects::configure))
            .service(module(ledger::configure))
            .service(module(activities::configure))
            .service(module(needs::configure))
            .service(module(donors::configure))
            .service(module(cooperatives::configure))
            .service(module(decisions::configure))
            .service(module(disclosures::configure))
            .service(module(presence::configure))
            .service(module(handovers::configure))
            .service(module(imports::configure))
            .service(module(stats::configure))
            .service(module(audit::configure))
            .service(module(api_clients::configure)),
    )
    .service(health::healthz)
    .service(health::readyz)
}

/// A module's routes, in a scope of their own entered only by requests they answer.
fn module(configure: fn(&mut ServiceConfig)) -> impl HttpServiceFactory + OpenApiFactory {
    let routes = ModuleRoutes::of(configure);
    scope("")
        .guard(guard::fn_guard(move |ctx| {
            routes.answers(&ctx.head().method, ctx.head().uri.path())
        }))
        .configure(configure)
}

/// The method and path pattern of each of a module's routes, from the OpenAPI paths its
/// `configure` registers (the same list the document is made of), matched segment by segment: a
/// `{parameter}` takes any non-empty segment, any other segment must be equal (after
/// percent-decoding, see [`matches`]). A pattern's own restriction
/// (`{id:[0-9]+}`) is left to actix inside the scope; a path it refuses falls to the app's
/// fallback, as before.
struct ModuleRoutes {
    routes: Vec<(Method, Vec<String>)>,
    /// The first segments of the module's paths (`villages`, …): most requests are turned away
    /// by comparing one segment with these.
    firsts: Vec<String>,
}

impl ModuleRoutes {
    fn of(configure: fn(&mut ServiceConfig)) -> Self {
        // A scope built only to read the paths `configure` registers; never mounted.
        let probe: utoipa_actix_web::scope::Scope<_> = scope("").configure(configure);
        let mut routes = Vec::new();
        for (path, item) in probe.paths().paths {
            let segments: Vec<String> = path.split('/').map(str::to_owned).collect();
            let operations = [
                (Method::GET, item.get.is_some()),
                (Method::PUT, item.put.is_some()),
                (Method::POST, item.post.is_some()),
                (Method::DELETE, item.delete.is_some()),
                (Method::OPTIONS, item.options.is_some()),
                (Method::HEAD, item.head.is_some()),
                (Method::PATCH, item.patch.is_some()),
                (Method::TRACE, item.trace.is_some()),
            ];
            for (method, present) in operations {
                if present {
                    routes.push((method, segments.clone()));
                }
            }
        }
        let mut firsts: Vec<String> = routes
            .iter()
            .filter_map(|(_, segments)| segments.get(1).cloned())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        Self { routes, firsts }
    }

    fn answers(&self, method: &Method, path: &str) -> bool {
        let Some(path) = path.strip_prefix(API_PREFIX) else {
            return false;
        };
        let first = path.split('/').nth(1).unwrap_or_default();
        if !self.firsts.iter().any(|f| matches(f, first)) {
            return false;
        }
        let count = path.split('/').count();
        self.routes.iter().any(|(m, segments)| {
            m == method
                && segments.len() == count
                && segments
                    .iter()
                    .zip(path.split('/'))
                    .all(|(pattern, segment)| matches(pattern, segment))
        })
    }
}

/// One segment of a route pattern against one of a request's path: a `{parameter}` takes any
/// non-empty segment; any other must be equal, percent-decoded within the segment (as actix's
/// router reads it, where an encoded `/` stays inside its segment).
fn matches(pattern: &str, segment: &str) -> bool {
    if pattern.starts_with('{') {
        !segment.is_empty()
    } else if segment.contains('%') {
        percent_encoding::percent_decode_str(segment).decode_utf8_lossy() == pattern
    } else {
        pattern == segment
    }
}

/// Where [`register`] mounts the API.
const API_PREFIX: &str = "/api/v1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_claims_only_what_it_answers() {
        let villages = ModuleRoutes::of(villages::configure);
        assert!(villages.answers(&Method::GET, "/api/v1/villages/12"));
        assert!(villages.answers(&Method::GET, "/api/v1/villages"));
        assert!(villages.answers(&Method::PATCH, "/api/v1/villages/12"));
        assert!(
            villages.answers(&Method::GET, "/api/v1/vill%61ges/12"),
            "as actix decodes it"
        );
        // Another method, another module's path under the same first segment, an empty or an
        // extra segment, another prefix: left to the other modules and the app's fallback.
        assert!(!villages.answers(&Method::DELETE, "/api/v1/villages/12"));
        assert!(!villages.answers(&Method::GET, "/api/v1/villages/12/surveys/compare"));
        assert!(!villages.answers(&Method::GET, "/api/v1/villages/"));
        assert!(!villages.answers(&Method::GET, "/api/v1/villages/12/x"));
        assert!(!villages.answers(&Method::GET, "/villages/12"));
        let surveys = ModuleRoutes::of(surveys::configure);
        assert!(surveys.answers(&Method::GET, "/api/v1/villages/12/surveys/compare"));
        // Patterns with their own restriction claim the segment; actix applies the restriction.
        let pairings = ModuleRoutes::of(pairings::configure);
        assert!(pairings.answers(&Method::GET, "/api/v1/pairings/7"));
    }
}
