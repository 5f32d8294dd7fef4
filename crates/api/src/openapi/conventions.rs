//! What every operation of the document shares, added in one place instead of per handler.

use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref};
use utoipa::Modify;

/// The conventions every operation follows: the bearer scheme, and the problem responses each
/// can give (by whether it has a body, is secured, and its method).
pub struct Conventions;

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
            let ops: [(HttpMethod, &mut Option<Operation>); 5] = [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Put, &mut item.put),
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
                    HttpMethod::Patch | HttpMethod::Put => {
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

/// API clients (OAuth 2.0 client credentials): the `oauth2` scheme with its scopes, and on each
/// operation of the scope table (`auth::scopes::SCOPED_ROUTES`, the same table the extractor
/// enforces) the security `[{bearer: []}, {oauth2: [scope]}]`.
pub struct ClientScopes;

impl Modify for ClientScopes {
    fn modify(&self, api: &mut OpenApi) {
        use crate::auth::scopes::{document_path, Scope, SCOPED_ROUTES};
        use utoipa::openapi::security::{
            ClientCredentials, Flow, OAuth2, Scopes, SecurityRequirement,
        };
        if let Some(components) = api.components.as_mut() {
            let scopes = Scopes::from_iter(Scope::ALL.map(|s| (s.code(), s.description())));
            components.add_security_scheme(
                "oauth2",
                SecurityScheme::OAuth2(OAuth2::with_description(
                    [Flow::ClientCredentials(ClientCredentials::new(
                        "/api/v1/auth/token",
                        scopes,
                    ))],
                    "API clients (API 客户端): a token from POST /api/v1/auth/token with the \
                     client's id and secret; accepted only by the operations that name a scope",
                )),
            );
        }
        for &(method, pattern, scope) in SCOPED_ROUTES {
            let Some(item) = api.paths.paths.get_mut(&document_path(pattern)) else {
                continue;
            };
            let op = match method {
                "GET" => item.get.as_mut(),
                _ => None,
            };
            if let Some(op) = op {
                op.security = Some(vec![
                    SecurityRequirement::new("bearer", Vec::<String>::new()),
                    SecurityRequirement::new("oauth2", [scope.code()]),
                ]);
            }
        }
    }
}
