//! One module per resource; `register` puts them all under `/api/v1`.

use actix_web::dev::{ServiceFactory, ServiceRequest};
use utoipa_actix_web::{scope, UtoipaApp};

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
pub fn register<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(
        scope("/api/v1")
            .configure(auth::configure)
            .configure(me::configure)
            .configure(departments::configure)
            .configure(offices::configure)
            .configure(users::configure)
            .configure(cadres::configure)
            .configure(villages::configure)
            .configure(divisions::configure)
            .configure(rounds::configure)
            .configure(teams::configure)
            .configure(team_members::configure)
            .configure(surveys::configure)
            .configure(households::configure)
            .configure(reports::configure)
            .configure(pairings::configure)
            .configure(assistance::configure)
            .configure(projects::configure)
            .configure(ledger::configure)
            .configure(activities::configure)
            .configure(needs::configure)
            .configure(donors::configure)
            .configure(cooperatives::configure)
            .configure(decisions::configure)
            .configure(disclosures::configure)
            .configure(presence::configure)
            .configure(handovers::configure)
            .configure(imports::configure)
            .configure(stats::configure)
            .configure(audit::configure)
            .configure(api_clients::configure),
    )
    .service(health::healthz)
    .service(health::readyz)
}
