//! The OpenAPI document: handlers registered with `service(...)` add themselves; this adds the
//! description, the bearer scheme and the problem responses every operation can give.

use crate::error::Problem;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref};
use utoipa::{Modify, OpenApi as _};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "zhucun API",
        description = "Village-stationed work teams (驻村工作队): organisation, people and villages of a department.\n\n\
Log in with `POST /api/v1/auth/login`, then send `Authorization: Bearer <access_token>`. \
Errors are RFC 9457 `application/problem+json`. Lists take `limit` (≤ 500) and `cursor`. \
Updates take `If-Match` with the `ETag` you loaded; creates take an optional `Idempotency-Key`.",
        version = "1.0.0",
        license(name = "Apache-2.0")
    ),
    components(schemas(Problem)),
    modifiers(&Conventions),
    tags(
        (name = "auth", description = "Log in, refresh, log out"),
        (name = "me", description = "The logged-in user"),
        (name = "departments", description = "Departments (tenants)"),
        (name = "offices", description = "Offices (处室) of a department"),
        (name = "users", description = "User accounts (admin)"),
        (name = "cadres", description = "Cadres (干部)"),
        (name = "villages", description = "Villages where teams are stationed"),
        (name = "rounds", description = "Yearly rounds (驻村批次)"),
        (name = "teams", description = "Work teams and their members"),
        (name = "audit", description = "The audit trail (admin)"),
        (name = "health", description = "Liveness and readiness")
    )
)]
pub struct ApiDoc;

struct Conventions;

/// The conventions, applied again to paths collected from the services.
pub struct ConventionsPublic;

impl Modify for ConventionsPublic {
    fn modify(&self, api: &mut OpenApi) {
        Conventions.modify(api)
    }
}

fn problem_response(
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::response::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

impl Modify for Conventions {
    fn modify(&self, api: &mut OpenApi) {
        if let Some(components) = api.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .description(Some("Access token from /api/v1/auth/login (15 minutes)"))
                        .build(),
                ),
            );
        }
        for (path, item) in api.paths.paths.iter_mut() {
            let ops: [(HttpMethod, &mut Option<Operation>); 4] = [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Patch, &mut item.patch),
                (HttpMethod::Delete, &mut item.delete),
            ];
            for (method, op) in ops {
                let Some(op) = op.as_mut() else { continue };
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let mut add = |code: &str, text: &str| {
                    op.responses
                        .responses
                        .entry(code.to_owned())
                        .or_insert_with(|| problem_response(text));
                };
                if op.request_body.is_some() {
                    add("413", "The body is larger than the API accepts (64 KiB)");
                    add("415", "The body is not sent as application/json");
                }
                if path.starts_with("/api/") {
                    add("400", "Invalid input: field messages in `errors`");
                    add("500", "Unexpected error (logged; no details are given)");
                    add(
                        "503",
                        "The database is busy or unavailable; retry after `Retry-After` seconds",
                    );
                }
                if secured {
                    add("401", "Missing, expired or revoked access token");
                    add("403", "Your role may not do this");
                    add(
                        "404",
                        "No such row, or it belongs to another department or village",
                    );
                }
                match method {
                    HttpMethod::Patch => {
                        add("409", "Conflicts with another row (e.g. a duplicate)");
                        add(
                            "412",
                            "Stale `If-Match`: someone changed the row since you loaded it",
                        );
                    }
                    HttpMethod::Post if secured => {
                        add("409", "Conflicts with another row (e.g. a duplicate)");
                        add(
                            "422",
                            "The `Idempotency-Key` was used with a different request",
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The document as served and committed.
pub fn document() -> OpenApi {
    crate::app::collect_openapi()
}

pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// Paths and methods of the API, to tell "wrong method" (405) from "no such route" (404).
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_openapi(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let mut methods = Vec::new();
                if item.get.is_some() {
                    methods.push("GET");
                }
                if item.post.is_some() {
                    methods.push("POST");
                }
                if item.put.is_some() {
                    methods.push("PUT");
                }
                if item.patch.is_some() {
                    methods.push("PATCH");
                }
                if item.delete.is_some() {
                    methods.push("DELETE");
                }
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods allowed on `path`, if it is a route of the API.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut allowed: Vec<&str> = Vec::new();
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p);
            if matches {
                allowed.extend(methods.iter().copied());
            }
        }
        if allowed.is_empty() {
            None
        } else {
            allowed.sort_unstable();
            allowed.dedup();
            Some(allowed.join(", "))
        }
    }
}
