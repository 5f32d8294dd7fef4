//! Guarded reads and writes of versioned records: the shape every resource's handlers share.
//!
//! A resource implements [`Record`] (its row, stored values and API view; its access resource and
//! audit name; where a row sits for the access policy) and its handlers become one call each:
//! [`read`], [`create`], [`update`] (and [`delete`] where rows may be removed). Those own the order of checks (load → access → `If-Match` →
//! validate → compare → write → audit → `ETag`), so no handler can forget one. Saving a form
//! without changes compares the new values with the stored ones and writes nothing: no new
//! version (which would give other editors a needless 412) and no audit entry.

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::error::ApiError;
use crate::http::{create_once, json_with_etag, Idempotency, IfMatch};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::Serialize;
use zhucun_domain::{Action, Resource, Target};
use zhucun_persistence::{now, Creatable, DbConnection, Deletable, Versioned};

/// A versioned row of one table, as the API reads, shows and writes it.
pub trait Record: 'static {
    /// The table: loading, comparing and writing rows (see `zhucun_persistence::versioned`).
    type Table: Versioned;
    /// What the API answers.
    type View: Serialize + From<Row<Self>> + Send + 'static;
    /// The access policy's name for these rows.
    const RESOURCE: Resource;
    /// The audit trail's name for these rows.
    const ENTITY: &'static str;

    /// Where the row sits for the access policy (its department and, if any, its village).
    fn target(row: &Row<Self>) -> Target;
    /// Whether the row may be linked from new or changed rows (see [`own`]).
    fn active(row: &Row<Self>) -> bool;

    /// What the audit trail keeps of a change: the views before and after (`None` for a create's
    /// before). A resource with personal data the trail must not copy (a household's phone)
    /// overrides this to record that such a field changed rather than its value.
    fn audited(
        before: Option<&Self::View>,
        after: Option<&Self::View>,
    ) -> Result<(Option<serde_json::Value>, Option<serde_json::Value>), ApiError> {
        let json = |v: Option<&Self::View>| {
            v.map(serde_json::to_value)
                .transpose()
                .map_err(ApiError::internal)
        };
        Ok((json(before)?, json(after)?))
    }
}

/// The row type of a record.
pub type Row<R> = <<R as Record>::Table as Versioned>::Row;
/// The values type of a record.
pub type Values<R> = <<R as Record>::Table as Versioned>::Values;

/// A JSON answer of a row's view with its version as `ETag`.
pub fn respond<R: Record>(status: StatusCode, row: Row<R>) -> Result<HttpResponse, ApiError> {
    let version = R::Table::version(&row);
    json_with_etag(status, &R::View::from(row), version)
}

/// Loads a row the caller may read (else 404, or 403 for an action the role may not take).
pub fn load<R: Record>(
    conn: &mut DbConnection,
    auth: &Auth,
    action: Action,
    id: i64,
) -> Result<Row<R>, ApiError> {
    let row = R::Table::get(conn, id)?;
    auth.require(action, R::RESOURCE, R::target(&row))?;
    Ok(row)
}

/// `GET /things/{id}`: one trip, the row with its `ETag`.
pub async fn read<R: Record>(
    state: &AppState,
    bearer: Bearer,
    id: i64,
) -> Result<HttpResponse, ApiError> {
    let row = state
        .read_as(bearer, move |conn, auth| {
            load::<R>(conn, auth, Action::Read, id)
        })
        .await?;
    respond::<R>(StatusCode::OK, row)
}

/// What a create or an update resolved to, before it is written.
pub struct Planned<V> {
    pub values: V,
    /// The village the new row belongs to, for the access policy (`None` for department rows).
    pub village_id: Option<i64>,
}

/// `POST /things`: checks the role may create at all, builds the values (validation and link
/// checks, inside the transaction), checks the village, inserts, audits, and honours
/// `Idempotency-Key`. `request` is what identifies the request for idempotency (the body, less
/// any secret in it).
pub async fn create<R, Q, F>(
    state: &AppState,
    bearer: Bearer,
    idem: Idempotency,
    request: Q,
    plan: F,
) -> Result<HttpResponse, ApiError>
where
    R: Record,
    R::Table: Creatable,
    Q: Serialize + Send + 'static,
    F: FnOnce(&mut DbConnection, &Auth) -> Result<Planned<Values<R>>, ApiError> + Send + 'static,
{
    let created = state
        .write_as(bearer, move |conn, auth| {
            // The role first: a role that may never create these is told so before its input
            // is judged.
            auth.require_own(Action::Create, R::RESOURCE, None)?;
            create_once(conn, auth.user.id, &idem, &request, |conn| {
                let planned = plan(conn, auth)?;
                auth.require_own(Action::Create, R::RESOURCE, planned.village_id)?;
                let row = R::Table::insert(conn, auth.department_id(), &planned.values, now())?;
                created::<R>(conn, auth, row)
            })
        })
        .await?;
    Ok(created.into_response())
}

/// `POST /parents/{id}/things`: like [`create`] for rows that belong to a parent row (members of
/// a team). The parent is loaded first, so a parent of another department or village is a 404
/// whatever the role; then the role; then `plan` builds the values with the parent at hand.
pub async fn create_under<R, P, Q, F>(
    state: &AppState,
    bearer: Bearer,
    idem: Idempotency,
    parent_id: i64,
    request: Q,
    plan: F,
) -> Result<HttpResponse, ApiError>
where
    R: Record,
    R::Table: Creatable,
    P: Record,
    Q: Serialize + Send + 'static,
    F: FnOnce(&mut DbConnection, &Auth, Row<P>) -> Result<Planned<Values<R>>, ApiError>
        + Send
        + 'static,
{
    let created = state
        .write_as(bearer, move |conn, auth| {
            let parent = load::<P>(conn, auth, Action::Read, parent_id)?;
            auth.require(Action::Create, R::RESOURCE, P::target(&parent))?;
            create_once(conn, auth.user.id, &idem, &request, |conn| {
                let planned = plan(conn, auth, parent)?;
                auth.require_own(Action::Create, R::RESOURCE, planned.village_id)?;
                let row = R::Table::insert(conn, auth.department_id(), &planned.values, now())?;
                created::<R>(conn, auth, row)
            })
        })
        .await?;
    Ok(created.into_response())
}

/// Audits a new row and gives its view and version (for creates that insert their own way).
pub fn created<R: Record>(
    conn: &mut DbConnection,
    auth: &Auth,
    row: Row<R>,
) -> Result<(R::View, i32), ApiError> {
    let ctx = auth.audit();
    let (view, version, entry) = created_entry::<R>(&ctx, row)?;
    zhucun_persistence::audit::append(conn, &entry)?;
    Ok((view, version))
}

/// A create's view, version and audit entry (written by the caller, with others by the import).
pub fn created_entry<'a, R: Record>(
    ctx: &'a audit::AuditCtx,
    row: Row<R>,
) -> Result<(R::View, i32, zhucun_persistence::audit::NewAuditEntry<'a>), ApiError> {
    let version = R::Table::version(&row);
    let id = R::Table::id(&row);
    let view = R::View::from(row);
    let (_, after) = R::audited(None, Some(&view))?;
    let entry = audit::entry(ctx, "create", R::ENTITY, id, audit::NONE, after.as_ref())?;
    Ok((view, version, entry))
}

/// An update's outcome: the row before and after (the same when nothing changed).
pub struct Updated<R: Record> {
    pub before: Row<R>,
    pub after: Row<R>,
    pub changed: bool,
}

/// The guarded update inside a transaction: load → may update → `If-Match` → new values from the
/// row → unchanged? done : write with the version → audit before and after.
pub fn update_in<R, F>(
    conn: &mut DbConnection,
    auth: &Auth,
    if_match: &IfMatch,
    id: i64,
    plan: F,
) -> Result<Updated<R>, ApiError>
where
    R: Record,
    F: FnOnce(&mut DbConnection, &Row<R>) -> Result<Planned<Values<R>>, ApiError>,
{
    let row = load::<R>(conn, auth, Action::Update, id)?;
    if_match.check(R::Table::version(&row))?;
    let planned = plan(conn, &row)?;
    // Moving a row to another village needs the right there too.
    if planned.village_id != R::target(&row).village_id {
        auth.require(
            Action::Update,
            R::RESOURCE,
            Target {
                village_id: planned.village_id,
                ..R::target(&row)
            },
        )?;
    }
    if R::Table::stored(conn, id)? == planned.values {
        return Ok(Updated {
            after: row.clone(),
            before: row,
            changed: false,
        });
    }
    let after = R::Table::update(conn, id, R::Table::version(&row), &planned.values, now())?
        .ok_or(ApiError::PreconditionFailed)?;
    let (before_view, after_view) = (R::View::from(row.clone()), R::View::from(after.clone()));
    let (before_json, after_json) = R::audited(Some(&before_view), Some(&after_view))?;
    audit::record(
        conn,
        &auth.audit(),
        "update",
        R::ENTITY,
        id,
        before_json.as_ref(),
        after_json.as_ref(),
    )?;
    Ok(Updated {
        before: row,
        after,
        changed: true,
    })
}

/// `PATCH /things/{id}`: [`update_in`] in one write trip, answered with the row and its `ETag`.
pub async fn update<R, F>(
    state: &AppState,
    bearer: Bearer,
    if_match: IfMatch,
    id: i64,
    plan: F,
) -> Result<HttpResponse, ApiError>
where
    R: Record,
    F: FnOnce(&mut DbConnection, &Row<R>) -> Result<Planned<Values<R>>, ApiError> + Send + 'static,
{
    let updated = state
        .write_as(bearer, move |conn, auth| {
            update_in::<R, F>(conn, auth, &if_match, id, plan)
        })
        .await?;
    respond::<R>(StatusCode::OK, updated.after)
}

/// `DELETE /things/{id}` for a row entered by mistake: load → may update (removing is a
/// correction) → `If-Match` required and current → delete with the version → audit the row as it
/// was. Answers 204.
pub async fn delete<R>(
    state: &AppState,
    bearer: Bearer,
    if_match: IfMatch,
    id: i64,
) -> Result<HttpResponse, ApiError>
where
    R: Record,
    R::Table: Deletable,
{
    state
        .write_as(bearer, move |conn, auth| {
            let row = load::<R>(conn, auth, Action::Update, id)?;
            if matches!(if_match, IfMatch::Absent) {
                return Err(crate::error::coded(
                    "If-Match",
                    "required",
                    "a delete must name the version it removes: send the ETag you loaded",
                ));
            }
            let version = R::Table::version(&row);
            if_match.check(version)?;
            if !R::Table::delete(conn, id, version)? {
                return Err(ApiError::PreconditionFailed);
            }
            audit::record(
                conn,
                &auth.audit(),
                "delete",
                R::ENTITY,
                id,
                Some(&R::View::from(row)),
                audit::NONE,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Whether a deactivated row may still be referenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linkable {
    /// Only active rows (new links to an office, village or cadre).
    ActiveOnly,
    /// Any row of the department (rounds: a closed round stays a round; history points to it).
    Any,
}

/// A row referenced by `field` of a request: it must exist in the caller's department (and be
/// active when `linkable` says so). Another department's row is answered exactly like a missing
/// one, so ids of other tenants cannot be probed through references.
pub fn own<R: Record>(
    conn: &mut DbConnection,
    department_id: i64,
    id: i64,
    field: &str,
    linkable: Linkable,
) -> Result<Row<R>, ApiError> {
    match R::Table::get(conn, id) {
        Ok(row)
            if R::target(&row).department_id == department_id
                && (linkable == Linkable::Any || R::active(&row)) =>
        {
            Ok(row)
        }
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(zhucun_domain::validation::no_such(
            field,
            R::ENTITY,
            linkable == Linkable::ActiveOnly,
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// [`own`] for an optional reference.
pub fn own_opt<R: Record>(
    conn: &mut DbConnection,
    department_id: i64,
    id: Option<i64>,
    field: &str,
    linkable: Linkable,
) -> Result<Option<Row<R>>, ApiError> {
    id.map(|id| own::<R>(conn, department_id, id, field, linkable))
        .transpose()
}
