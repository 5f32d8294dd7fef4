//! API clients (API 客户端): programs of a department that read its reports, projects and ledger
//! with an OAuth 2.0 client-credentials token (RFC 6749 §4.4), and the token endpoint itself.
//!
//! The secret is shown once (on create and on rotate) and stored only as its SHA-256. A plain
//! (unkeyed, fast) hash is enough here, unlike passwords: the secret is 32 random bytes (256
//! bits), so no dictionary or brute-force search over hashes can find it, and a slow hash
//! (argon2) would only make every token request cost CPU — a lever for flooding the token
//! endpoint — without adding any protection for a secret of that entropy.
//!
//! Which endpoints a client token may call is the table in [`crate::auth::scopes`]; the
//! extractor refuses every other one (default deny) and re-checks the client row on each
//! request, so a revocation or a rotation takes effect at once.

use crate::auth::extractor::rotation_stamp;
use crate::auth::password::random_bytes;
use crate::auth::scopes::{self, Scope};
use crate::auth::Bearer;
use crate::dto::utc;
use crate::error::ApiError;
use crate::http::IfMatch;
use crate::paging::ListRequest;
use crate::record::{self, Planned, Record};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, text, Action, Resource, Target};
use zhucun_persistence::api_clients::{
    self as q, ApiClientFilter, ApiClientRow, ApiClientSort, ApiClientValues,
};
use zhucun_persistence::sessions;
use zhucun_persistence::throttle::{self, Attempt};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(token)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(rotate)
        .service(revoke);
}

/// Client tokens live 15 minutes; a client asks for a new one with its secret.
pub const CLIENT_TOKEN_TTL_SECS: i64 = 15 * 60;

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClient {
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = "统计报送程序")]
    pub name: String,
    /// The public client id (send with the secret to `/auth/token`).
    #[schema(example = "zc_3f9a1c0b7d2e4a6f8b10")]
    pub client_id: String,
    #[schema(example = json!(["ledger:read", "reports:read"]))]
    pub scopes: Vec<String>,
    /// A regional client (operator department only) reads as the regional role.
    pub regional: bool,
    /// `active` or `revoked`.
    #[schema(example = "active")]
    pub state: String,
    #[schema(example = "admin")]
    pub created_by: String,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub rotated_at: Option<DateTime<Utc>>,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<ApiClientRow> for ApiClient {
    fn from(r: ApiClientRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            client_id: r.client_id,
            scopes: r
                .scopes
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            regional: r.regional == 1,
            state: if r.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            }
            .to_owned(),
            created_by: r.created_by_name,
            last_used_at: r.last_used_at.map(utc),
            revoked_at: r.revoked_at.map(utc),
            rotated_at: r.rotated_at.map(utc),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(ApiClientList, ApiClient);

/// A client with its secret: the only answers that carry the secret (create and rotate).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientWithSecret {
    pub client: ApiClient,
    /// Shown this once; store it now. Only its hash is kept.
    #[schema(example = "zcs_Xr4c9…")]
    pub client_secret: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientCreate {
    #[schema(example = "统计报送程序")]
    pub name: String,
    /// Among `reports:read`, `projects:read`, `ledger:read`; `stats:read` for regional
    /// clients only.
    #[schema(example = json!(["reports:read", "ledger:read"]))]
    pub scopes: Vec<String>,
    /// Regional (region-wide statistics): only the operator department's admins.
    #[serde(default)]
    pub regional: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientPatch {
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiClientQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `-id` (newest first, the default) or `id`.
    pub sort: Option<String>,
    /// `true`: only revoked clients; `false`: only active ones.
    pub revoked: Option<bool>,
}

/// API clients as versioned records (see [`crate::record`]).
pub struct ApiClients;

impl Record for ApiClients {
    type Table = q::ApiClients;
    type View = ApiClient;
    const RESOURCE: Resource = Resource::ApiClient;
    const ENTITY: &'static str = "api_client";

    fn target(row: &ApiClientRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: None,
        }
    }
    fn active(row: &ApiClientRow) -> bool {
        row.revoked_at.is_none()
    }
}

/// The SHA-256 of a secret, lowercase hex (see the module doc for why not argon2).
pub fn hash_secret(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

fn new_client_id() -> String {
    let bytes = random_bytes::<10>();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("zc_{hex}")
}

fn new_secret() -> String {
    format!(
        "zcs_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
    )
}

/// Validates a name and a scope list for a client (regional or not).
fn checked(name: &str, scopes: &[String], regional: bool) -> Result<(String, String), ApiError> {
    let mut inv = zhucun_domain::Invalid::new();
    let name = inv.check(text::name("name", name, 100));
    let mut parsed = Vec::new();
    if scopes.is_empty() {
        inv.push(zhucun_domain::validation::required("scopes"));
    }
    for s in scopes {
        match Scope::parse(s) {
            None => {
                inv.push(zhucun_domain::validation::one_of(
                    "scopes",
                    &Scope::ALL.map(Scope::code),
                ));
                break;
            }
            Some(scope) if scope.regional_only() && !regional => {
                inv.push(
                    zhucun_domain::validation::field_error(
                        "scopes",
                        format!("{} is for regional clients only", scope.code()),
                    )
                    .coded(
                        "scope_regional_only",
                        vec![("scope", scope.code().to_owned())],
                    ),
                );
                break;
            }
            Some(scope) => {
                if !parsed.contains(&scope) {
                    parsed.push(scope);
                }
            }
        }
    }
    inv.into_result()?;
    parsed.sort();
    Ok((name.unwrap_or_default(), scopes::join(&parsed)))
}

fn with_secret(
    status: StatusCode,
    row: ApiClientRow,
    secret: String,
) -> Result<HttpResponse, ApiError> {
    let version = row.version;
    let body = ApiClientWithSecret {
        client: ApiClient::from(row),
        client_secret: secret,
    };
    let mut resp = crate::http::json_with_etag(status, &body, version)?;
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

/// List the department's API clients (admin).
#[utoipa::path(tag = "api_clients", operation_id = "list_api_clients", params(ApiClientQuery),
    responses((status = 200, description = "One page of API clients (never their secrets)", body = ApiClientList)),
    security(("bearer" = [])))]
#[get("/api-clients")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<ApiClientQuery>,
) -> Result<web::Json<ApiClientList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<ApiClientSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::ApiClient).map_err(ApiError::from)?;
            let filter = ApiClientFilter {
                department_id: scope.department_id,
                revoked: query.revoked,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(ApiClientList {
        items,
        next_cursor,
        total,
    }))
}

/// Create an API client (admin); the answer carries its secret, shown this once.
///
/// No `Idempotency-Key`: a replayed answer would have to store the secret.
#[utoipa::path(tag = "api_clients", operation_id = "create_api_client", request_body = ApiClientCreate,
    responses(
        (status = 201, description = "Created; `client_secret` is shown only now", body = ApiClientWithSecret),
        (status = 403, description = "Not an admin, or a regional client by an admin outside the operator department (`regional_operator_only`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api-clients")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: web::Json<ApiClientCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let (row, secret) = state
        .write_as(bearer, move |conn, auth| {
            auth.require_own(Action::Create, Resource::ApiClient, None)?;
            if b.regional && !auth.actor.operator {
                return Err(ApiError::ForbiddenBecause {
                    code: "regional_operator_only",
                    message: "only the operator department's admins create regional clients"
                        .to_owned(),
                });
            }
            let (name, scopes) = checked(&b.name, &b.scopes, b.regional)?;
            let secret = new_secret();
            let values = ApiClientValues {
                name,
                client_id: new_client_id(),
                secret_hash: hash_secret(&secret),
                scopes,
                regional: i32::from(b.regional),
                created_by: Some(auth.user.id),
                created_by_name: auth.user.username.clone(),
                revoked_at: None,
                rotated_at: None,
            };
            let row = q::insert(
                conn,
                auth.department_id(),
                &values,
                zhucun_persistence::now(),
            )?;
            record::created::<ApiClients>(conn, auth, row.clone())?;
            Ok((row, secret))
        })
        .await?;
    with_secret(StatusCode::CREATED, row, secret)
}

/// One API client (admin), without its secret.
#[utoipa::path(tag = "api_clients", operation_id = "get_api_client",
    params(("id" = i64, Path, description = "API client id")),
    responses((status = 200, description = "The API client", body = ApiClient)), security(("bearer" = [])))]
#[get("/api-clients/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<ApiClients>(&state, bearer, id.into_inner()).await
}

fn values_of(row: &ApiClientRow) -> ApiClientValues {
    ApiClientValues {
        name: row.name.clone(),
        client_id: row.client_id.clone(),
        secret_hash: row.secret_hash.clone(),
        scopes: row.scopes.clone(),
        regional: row.regional,
        created_by: row.created_by,
        created_by_name: row.created_by_name.clone(),
        revoked_at: row.revoked_at,
        rotated_at: row.rotated_at,
    }
}

fn refuse_revoked(row: &ApiClientRow) -> Result<(), ApiError> {
    if row.revoked_at.is_some() {
        return Err(ApiError::Refused {
            code: "client_revoked",
            message: "this API client is revoked".to_owned(),
        });
    }
    Ok(())
}

/// Rename an API client or change its scopes (admin). Tokens issued before lose a removed
/// scope at once (each request re-checks the client's scopes).
#[utoipa::path(tag = "api_clients", operation_id = "update_api_client",
    params(("id" = i64, Path, description = "API client id"), IfMatch),
    request_body = ApiClientPatch,
    responses((status = 200, description = "The changed API client", body = ApiClient)), security(("bearer" = [])))]
#[patch("/api-clients/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<ApiClientPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<ApiClients, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        refuse_revoked(row)?;
        let current: Vec<String> = row.scopes.split(' ').map(str::to_owned).collect();
        let (name, scopes) = checked(
            p.name.as_deref().unwrap_or(&row.name),
            p.scopes.as_deref().unwrap_or(current.as_slice()),
            row.regional == 1,
        )?;
        Ok(Planned {
            values: ApiClientValues {
                name,
                scopes,
                ..values_of(row)
            },
            village_id: None,
        })
    })
    .await
}

/// Give an API client a new secret (admin), shown this once; the old secret and every token
/// issued with it stop working at once.
#[utoipa::path(tag = "api_clients", operation_id = "rotate_api_client",
    params(("id" = i64, Path, description = "API client id"), IfMatch),
    responses(
        (status = 200, description = "The new secret, shown only now", body = ApiClientWithSecret),
        (status = 412, description = "Stale `If-Match`: the client changed since you loaded it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The client is revoked (`client_revoked`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api-clients/{id}/rotate")]
pub async fn rotate(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let secret = new_secret();
    let hash = hash_secret(&secret);
    let updated = state
        .write_as(bearer, move |conn, auth| {
            record::update_in::<ApiClients, _>(conn, auth, &if_match, id, move |_, row| {
                refuse_revoked(row)?;
                Ok(Planned {
                    values: ApiClientValues {
                        secret_hash: hash,
                        rotated_at: Some(zhucun_persistence::now()),
                        ..values_of(row)
                    },
                    village_id: None,
                })
            })
        })
        .await?;
    with_secret(StatusCode::OK, updated.after, secret)
}

/// Revoke an API client (admin): its secret and tokens stop working at once; it stays listed.
#[utoipa::path(tag = "api_clients", operation_id = "revoke_api_client",
    params(("id" = i64, Path, description = "API client id"), IfMatch),
    responses(
        (status = 200, description = "The revoked API client (also when it was already revoked)", body = ApiClient),
        (status = 412, description = "Stale `If-Match`: the client changed since you loaded it", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/api-clients/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    record::update::<ApiClients, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        Ok(Planned {
            values: ApiClientValues {
                revoked_at: row.revoked_at.or_else(|| Some(zhucun_persistence::now())),
                ..values_of(row)
            },
            village_id: None,
        })
    })
    .await
}

// ---- The token endpoint (RFC 6749 §4.4) ----

/// The token request's form (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "client_credentials", "scope": "reports:read"}))]
pub struct TokenForm {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: String,
    /// Space-separated subset of the client's scopes; all of them when absent.
    #[schema(example = "reports:read ledger:read")]
    pub scope: Option<String>,
    /// With `client_secret`, instead of HTTP Basic authentication.
    #[schema(example = "zc_3f9a1c0b7d2e4a6f8b10")]
    pub client_id: Option<String>,
    #[schema(example = "zcs_Xr4c9…")]
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer", "expires_in": 900, "scope": "reports:read"}))]
pub struct ClientTokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the token lives.
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    pub scope: String,
}

/// An error in RFC 6749 §5.2's format.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "invalid_client", "error_description": "unknown client or wrong secret"}))]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `invalid_scope`,
    /// `unsupported_grant_type`.
    pub error: &'static str,
    pub error_description: String,
}

fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::CACHE_CONTROL, "no-store"));
    if status == StatusCode::UNAUTHORIZED {
        b.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"zhucun\""));
    }
    b.json(OAuthError {
        error,
        error_description: description.to_owned(),
    })
}

fn invalid_request(description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1: each part form-encoded).
/// `Ok(None)`: no Basic header; `Err`: a Basic header that cannot be read.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, ()> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let mut parts = value.splitn(2, ' ');
    let (Some(scheme), Some(encoded)) = (parts.next(), parts.next()) else {
        return Err(());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ())?;
    let text = String::from_utf8(decoded).map_err(|_| ())?;
    let (id, secret) = text.split_once(':').ok_or(())?;
    let unform = |s: &str| -> Result<String, ()> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
            .map_err(|_| ())?
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .ok_or(())
    };
    Ok(Some((unform(id)?, unform(secret)?)))
}

enum Issue {
    Token(ClientTokenResponse),
    Locked(u64),
    BadClient,
    BadScope(String),
}

/// Get an access token for an API client (OAuth 2.0 client credentials, RFC 6749 §4.4).
///
/// Authenticate the client with HTTP Basic (`client_id:client_secret`) **or** with
/// `client_id` and `client_secret` in the form, not both. Errors follow RFC 6749 §5.2:
/// `invalid_client` is a 401 with `WWW-Authenticate: Basic` when Basic was used (else 400).
/// Repeated failures for one client id are answered 429 with `Retry-After`, as for logins.
/// The token is accepted only by the endpoints its scopes name (see the `oauth2` security of
/// each operation).
#[utoipa::path(tag = "auth", operation_id = "client_token",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded",
        description = "`grant_type=client_credentials&scope=reports%3Aread` (with HTTP Basic), or `grant_type=client_credentials&client_id=zc_…&client_secret=zcs_…`"),
    responses(
        (status = 200, description = "A token; `Cache-Control: no-store`", body = ClientTokenResponse),
        (status = 400, description = "`invalid_request`, `invalid_client` (form authentication), `invalid_scope`, `unsupported_grant_type`", body = OAuthError),
        (status = 401, description = "`invalid_client` with HTTP Basic", body = OAuthError),
        (status = 429, description = "Too many failed attempts for this client, or too many requests from this address", body = crate::error::Problem, content_type = "application/problem+json")
    ))]
#[post("/auth/token")]
pub async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form_type {
        return Ok(invalid_request(
            "send the request as application/x-www-form-urlencoded",
        ));
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return Ok(invalid_request("the form cannot be read"));
    };
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        if seen.contains(&k.as_str()) {
            return Ok(invalid_request(&format!("{k} is given more than once")));
        }
        if v.contains('\0') || v.len() > 1024 {
            return Ok(invalid_request(&format!("{k} is not valid")));
        }
        seen.push(k);
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    match get("grant_type").as_deref() {
        None | Some("") => return Ok(invalid_request("grant_type is required")),
        Some("client_credentials") => {}
        Some(_) => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            ))
        }
    }
    let basic = match basic_credentials(&req) {
        Ok(b) => b,
        Err(()) => {
            return Ok(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "the Authorization header is not valid HTTP Basic",
            ))
        }
    };
    let used_basic = basic.is_some();
    let in_body = get("client_id").is_some() || get("client_secret").is_some();
    let (client_id, secret) = match (basic, in_body) {
        (Some(_), true) => {
            return Ok(invalid_request(
                "authenticate the client one way: HTTP Basic or the form, not both",
            ))
        }
        (Some(b), false) => b,
        (None, true) => (
            get("client_id").unwrap_or_default(),
            get("client_secret").unwrap_or_default(),
        ),
        (None, false) => {
            return Ok(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "authenticate the client with HTTP Basic or client_id and client_secret",
            ))
        }
    };
    let bad_client_status = if used_basic {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    let bad_client = || {
        oauth_error(
            bad_client_status,
            "invalid_client",
            "unknown client, wrong secret, or revoked client",
        )
    };
    if client_id.is_empty() || client_id.len() > 64 || secret.len() > 256 {
        return Ok(bad_client());
    }
    let requested = get("scope");
    let st = state.clone();
    let throttle_key = format!("client:{client_id}");
    // Refusals must commit the counted attempt, so they are values here, not errors.
    let outcome = state
        .write(move |conn| {
            let now = zhucun_persistence::now();
            if let Attempt::Locked(secs) = throttle::claim(conn, &throttle_key, now)? {
                return Ok(Issue::Locked(secs));
            }
            let row = q::by_client_id(conn, &client_id)?;
            let given = hash_secret(&secret);
            let stored = row
                .as_ref()
                .map_or_else(|| hash_secret(""), |r| r.secret_hash.clone());
            let matches: bool = given.as_bytes().ct_eq(stored.as_bytes()).into();
            let Some(row) = row.filter(|r| matches && r.revoked_at.is_none()) else {
                return Ok(Issue::BadClient);
            };
            sessions::clear_throttle(conn, &throttle_key)?;
            let own = scopes::parse_list(&row.scopes).unwrap_or_default();
            let granted = match requested.as_deref().map(str::trim) {
                None | Some("") => own,
                Some(text) => match scopes::parse_list(text) {
                    Ok(asked) if asked.iter().all(|s| own.contains(s)) => asked,
                    Ok(_) | Err(_) => {
                        return Ok(Issue::BadScope(format!(
                            "the client may ask only for: {}",
                            scopes::join(&own)
                        )))
                    }
                },
            };
            if granted.is_empty() {
                return Ok(Issue::BadScope("the client has no scopes".to_owned()));
            }
            let scope = scopes::join(&granted);
            q::mark_used(conn, row.id, now)?;
            let access_token = st.jwt.issue_client(
                row.id,
                &scope,
                rotation_stamp(row.rotated_at),
                chrono::Utc::now().timestamp(),
                CLIENT_TOKEN_TTL_SECS,
            )?;
            Ok(Issue::Token(ClientTokenResponse {
                access_token,
                token_type: "Bearer",
                expires_in: CLIENT_TOKEN_TTL_SECS,
                scope,
            }))
        })
        .await?;
    Ok(match outcome {
        Issue::Token(t) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(t),
        Issue::Locked(secs) => return Err(ApiError::TooManyRequests(secs)),
        Issue::BadClient => bad_client(),
        Issue::BadScope(why) => oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", &why),
    })
}
