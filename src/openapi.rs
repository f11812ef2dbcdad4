//! The OpenAPI document: its root here, its paths from the same registration
//! that builds the router (see [`crate::routes::routes`]), so the two
//! cannot drift.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder, Schema};
use utoipa_actix_web::AppExt;

use crate::error::{ApiError, AuthFailure, FieldError, PROBLEM_JSON, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "bulletin-api",
        description = "Headless JSON REST API for the news portal of a public body: news bulletins, \
the official documents they cite, ratings, moderated comments and staff accounts.\n\n\
Every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail`, \
and for validation errors (422) `errors: [{field, message}]` (also for a 404 naming a missing \
reference and a 409 naming fields at odds). Send `Accept-Language: vi` for the `title`, `detail` \
and `errors[].message` in Vietnamese (`Content-Language` says which was given; `type` and \
`field` never change). Lists answer `{items, total, total_is_exact, \
next_cursor}` and take `limit` (1 to 100, default 20) with `page` or `cursor` (a cursor wins). \
Times are RFC 3339 at the site's offset, to the second. \
Successful GETs carry a strong `ETag`; send it back in `If-None-Match` to get 304. \
Every response has an `X-Request-Id` (yours, when you send one).\n\n\
A query parameter an operation does not take is refused with 422 naming it (`errors[].field`), \
rather than ignored: a misspelt filter never passes unnoticed. A request body that stops coming \
for `BULLETIN_BODY_TIMEOUT` (10 s by default, between two reads) is answered 408 and its \
connection closed. Problems are decided in this order: the method (405), the credentials (401), \
the names of the query parameters (422), the role (403), then the body (400, 413, 415, 422) and \
the values.\n\n\
Authentication: `POST /api/v1/auth/login` gives an access token, sent as `Authorization: Bearer …`, \
and a refresh token for `POST /api/v1/auth/refresh`. Integrators send an API key as `X-Api-Key`; \
a key acts as an editor (a `read` key for GET only) and never as an admin. \
Roles include the ones below them: admin > editor > author > member. \
Each secured operation says in its description the least role it needs; without credentials it \
answers 401, short of the role 403. Operations without `security` are open to anyone.",
    ),
    tags(
        (name = "articles", description = "News bulletins"),
        (name = "categories", description = "The tree of sections articles are filed under"),
        (name = "collections", description = "The home page's blocks: ordered lists of articles editors choose"),
        (name = "ratings", description = "Readers' stars: one vote per account or guest voter token"),
        (name = "comments", description = "Readers' comments on articles and consulted drafts, their moderation, likes"),
        (name = "feeds", description = "RSS, Atom and JSON Feed of the latest articles"),
        (name = "sitemaps", description = "Sitemaps for search engines: the index, pages of articles and documents, Google News"),
        (name = "webhooks", description = "Subscriptions to events, signed deliveries from an outbox, the delivery log"),
        (name = "documents", description = "The registry of official documents (plans, decisions, …), their areas, and the references found in text"),
        (name = "auth", description = "Log in, refresh, log out: access and refresh tokens, the idle timeout"),
        (name = "users", description = "Accounts: admin management and reader registration"),
        (name = "api_keys", description = "Keys for integrators, sent as `X-Api-Key`"),
        (name = "audit", description = "Who changed what, when"),
        (name = "media", description = "The media library: images for articles, kept without their metadata (EXIF, GPS), with narrower variants in their type and WebP; their bytes served as immutable"),
        (name = "pages", description = "Static pages (Giới thiệu, Liên hệ, Sơ đồ tổ chức): published ones for everyone, in menu order; one slug per language"),
        (name = "legacy", description = "The old NukeViet portal's URLs, redirected (301) to what was imported from it"),
        (name = "operations", description = "Liveness, readiness, metrics and this document"),
    ),
    // Query parameter types are referenced, not collected with their operations.
    components(schemas(
        Problem,
        FieldError,
        crate::articles::ArticleSort,
        crate::comments::CommentSort,
        crate::comments::CommentStatus,
        crate::documents::DocumentKind,
        crate::documents::DocumentStatus
    ))
)]
struct ApiDoc;

/// The tag of liveness, metrics and this document: no database behind them
/// but `/readyz`, which documents its own 503.
const OPERATIONS_TAG: &str = "operations";

/// The complete document, as served and as committed in `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::routes)
        .split_for_parts();
    SecuritySchemes.modify(&mut document);
    CommonErrors.modify(&mut document);
    ResponseHeaders.modify(&mut document);
    AlwaysPresent.modify(&mut document);
    document
}

/// The ways to authenticate: a bearer access token, or an API key.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from POST /api/v1/auth/login or /auth/refresh",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "An API key created by an admin; acts as an editor, never as an admin",
            ))),
        );
    }
}

/// The document as committed: pretty JSON with a final newline.
pub fn to_pretty_json(document: &utoipa::openapi::OpenApi) -> String {
    let mut json = document
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}

/// Adds the errors any operation can answer with, so each one lists them
/// without every handler repeating them.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            // See `http::fallback::refuse_unknown_parameters`.
            let refuses_unknown_parameters = crate::http::is_public_path(path);
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                add_common_errors(operation, refuses_unknown_parameters);
            }
        }
    }
}

fn add_common_errors(operation: &mut Operation, refuses_unknown_parameters: bool) {
    // Path parameters that do not parse name no resource (404, listed by the
    // operation itself); query parameters that do not parse are a 422 naming
    // them; headers and bodies can be malformed (400).
    let takes_query = operation.parameters.iter().flatten().any(|p| {
        use utoipa::openapi::path::ParameterIn::{Header, Query};
        matches!(p.parameter_in, Query | Header)
    });
    let takes_body = operation.request_body.is_some();
    let requirements = operation.security.as_deref().unwrap_or_default();
    // An empty requirement (`{}`) makes credentials optional: sent ones are
    // checked (401), but no role is needed (no 403).
    let optional = !crate::http::fallback::OperationRules::of(operation).needs_credentials;
    let mut errors = vec![(
        "500",
        "An unexpected error; the cause is logged, never sent",
    )];
    if !requirements.is_empty() {
        errors.push((
            "401",
            "No credentials, or ones that do not hold; `type` says which: \
             `/problems/unauthorized` (none sent), `/problems/invalid-token` (a token or key not \
             issued here, or revoked), `/problems/expired-token` (refresh it), \
             `/problems/idle-session` and `/problems/revoked-session` (log in again), \
             `/problems/reused-refresh-token` (a spent refresh token came back: the session is \
             ended), `/problems/bad-credentials` (a wrong email or password)",
        ));
    }
    if !requirements.is_empty() && !optional {
        errors.push((
            "403",
            "The credentials are valid but short of the role this needs",
        ));
    }
    if takes_query || takes_body {
        errors.push(("400", "Malformed input: an unparsable header or JSON body"));
    }
    // Resource operations read or write the database, which can be saturated.
    let touches_database = !operation
        .tags
        .iter()
        .flatten()
        .any(|tag| tag == OPERATIONS_TAG);
    if touches_database {
        errors.push((
            "503",
            "The database is saturated; retry after Retry-After seconds",
        ));
    }
    if takes_body {
        errors.push((
            "408",
            "The request body stopped coming for BULLETIN_BODY_TIMEOUT (10 s by default)",
        ));
        errors.push(("413", "The request body is over the size limit"));
        errors.push(("415", "The request body is not JSON"));
        errors.push((
            "422",
            "The request body has invalid fields, or the query string names a parameter this \
             operation does not take (each named in `errors[].field`)",
        ));
    } else if refuses_unknown_parameters || takes_query {
        errors.push((
            "422",
            "The query string names a parameter this operation does not take, or a parameter \
             is invalid (each named in `errors[].field`)",
        ));
    }
    let pages_by_cursor = operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| parameter.name == "cursor");
    if pages_by_cursor {
        errors.push((
            "404",
            "No page at `cursor`: this list did not issue it (start from the first page)",
        ));
    }
    let responses = &mut operation.responses.responses;
    for (status, description) in errors {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description));
    }
}

fn string_header(description: &str) -> utoipa::openapi::header::Header {
    utoipa::openapi::header::HeaderBuilder::new()
        .schema(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String))
        .description(Some(description))
        .build()
}

fn problem_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

/// Declares what the middleware adds to answers, so generated clients type
/// it: `X-Request-Id` on every answer, `ETag` and the 304 on GETs that
/// answer 200 (see `http::etag`), `Retry-After` on 429 and 503, `Location`
/// on 201.
struct ResponseHeaders;

impl Modify for ResponseHeaders {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            if let Some(get) = &mut item.get {
                add_not_modified(get);
                declare_headers(get, true);
                declare_last_modified(get);
            }
            let writes = [
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in writes.into_iter().flatten() {
                declare_headers(operation, false);
                declare_voter_token(operation);
            }
        }
    }
}

/// A guest's vote answers the voter token it was counted under (a new one
/// when none came), as the writes that take `X-Voter-Token` say.
fn declare_voter_token(operation: &mut Operation) {
    let takes_token = operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| parameter.name == crate::readers::voters::VOTER_HEADER);
    if !takes_token {
        return;
    }
    declare_on_success(
        operation,
        crate::readers::voters::VOTER_HEADER,
        "A guest's voter token (also set as the `bulletin_voter` cookie): send it with the next \
         vote to be the same voter. Absent for a signed-in reader",
    );
}

/// The reads that send `Last-Modified` (an article, a list of them).
fn declare_last_modified(operation: &mut Operation) {
    if !matches!(
        operation.operation_id.as_deref(),
        Some("get_article" | "list_articles")
    ) {
        return;
    }
    declare_on_success(
        operation,
        "Last-Modified",
        "When the article (or the most recently changed one listed) last changed; absent for \
         an empty list. The `ETag` is the validator to send back",
    );
}

/// Declares the header `name` on `operation`'s 200.
fn declare_on_success(operation: &mut Operation, name: &str, description: &str) {
    if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
        ok.headers
            .insert(name.to_owned(), string_header(description));
    }
}

fn add_not_modified(operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    if responses.contains_key("200") {
        responses.entry("304".to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description("Not modified: the `ETag` sent in `If-None-Match` is still current")
                .into()
        });
    }
}

fn declare_headers(operation: &mut Operation, is_get: bool) {
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_problem = response.content.contains_key(PROBLEM_JSON);
        if let Some(content) = response.content.get_mut(PROBLEM_JSON)
            && let Some(problem) = status.parse().ok().and_then(example_problem)
        {
            content.example = Some(serde_json::to_value(problem).expect("problems serialise"));
        }
        let mut declare = |name: &str, description: &str| {
            response
                .headers
                .entry(name.to_owned())
                .or_insert_with(|| string_header(description));
        };
        declare(
            "X-Request-Id",
            "This request's id, as sent in `X-Request-Id` or made up; the log names it",
        );
        match status.as_str() {
            "200" | "206" | "304" if is_get => declare(
                "ETag",
                "A strong tag of this answer: send it in `If-None-Match` to get a 304 while it holds",
            ),
            "201" => declare("Location", "The address of what was created"),
            "429" | "503" => declare("Retry-After", "Seconds to wait before trying again"),
            _ => {}
        }
        if is_problem {
            declare(
                "Content-Language",
                "The language of the problem's words: `vi` when `Accept-Language` prefers \
                 Vietnamese, else `en`",
            );
        }
    }
}

/// A problem as the service answers with `status`: each error response of
/// the document shows its own (a 404 is not shown as a 422).
fn example_problem(status: u16) -> Option<Problem> {
    let error = match status {
        400 => ApiError::BadRequest(
            "the request body is not valid JSON: EOF while parsing an object".into(),
        ),
        401 => ApiError::refused(
            AuthFailure::ExpiredToken,
            "the access token has expired; refresh it, or log in again",
        ),
        403 => ApiError::Forbidden("only editors publish; authors submit for review".into()),
        404 => ApiError::NotFound("no article has the id or slug `tin-khong-co`".into()),
        408 => ApiError::RequestTimeout("the request body stopped coming".into()),
        409 => ApiError::Conflict("another article has the slug `ket-qua-cai-cach-2022`".into()),
        412 => ApiError::PreconditionFailed("it is at version 4, not 3; read it again".into()),
        413 => ApiError::PayloadTooLarge(
            "the request body is larger than the limit of 1048576 bytes".into(),
        ),
        415 => ApiError::UnsupportedMediaType(
            "the request body must be JSON, sent with Content-Type: application/json".into(),
        ),
        416 => ApiError::Framework {
            status: actix_web::http::StatusCode::RANGE_NOT_SATISFIABLE,
            detail: Some("the range starts past the end of the file".into()),
        },
        422 => ApiError::validation("limit", "must be from 1 to 100"),
        429 => ApiError::TooManyRequests {
            retry_after_seconds: 30,
        },
        500 => ApiError::Internal("logged, never sent".into()),
        503 => ApiError::Unavailable("logged, never sent".into()),
        507 => ApiError::InsufficientStorage("logged, never sent".into()),
        _ => return None,
    };
    Some(error.problem())
}

/// Response fields an answer leaves out where they do not apply (serde's
/// `skip_serializing_if`); CI's response validation catches one missing.
const SOMETIMES_ABSENT: [(&str, &str); 5] = [
    ("ArticleSummaryResponse", "snippet"),
    ("ArticleListItem", "documents"),
    ("ArticleListItem", "breadcrumbs"),
    ("CommentResponse", "moderation"),
    ("Problem", "errors"),
];

/// Marks every other field of a response schema required: answers send
/// them always, `null` when empty, so a generated client need not test for
/// absence. (utoipa leaves `Option` fields out of `required`.) An article
/// cut by `fields` has a schema of its own, where none is required.
struct AlwaysPresent;

impl Modify for AlwaysPresent {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let answered = schemas_answered(openapi);
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, schema) in components.schemas.iter_mut() {
            if !answered.contains(name) || name == "ArticleFields" {
                continue;
            }
            let RefOr::T(schema) = schema else { continue };
            let objects: Vec<&mut utoipa::openapi::Object> = match schema {
                Schema::Object(object) => vec![object],
                Schema::AllOf(all) => all
                    .items
                    .iter_mut()
                    .filter_map(|item| match item {
                        RefOr::T(Schema::Object(object)) => Some(object),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for object in objects {
                let sent: Vec<String> = object
                    .properties
                    .keys()
                    .filter(|property| {
                        !SOMETIMES_ABSENT.contains(&(name.as_str(), property.as_str()))
                    })
                    .cloned()
                    .collect();
                object.required = sent;
            }
        }
    }
}

/// The names of the component schemas a response body uses, directly or
/// through others.
fn schemas_answered(openapi: &utoipa::openapi::OpenApi) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    for item in openapi.paths.paths.values() {
        let operations = [&item.get, &item.put, &item.post, &item.patch, &item.delete];
        for operation in operations.into_iter().flatten() {
            let responses = serde_json::to_value(&operation.responses).expect("serialises");
            todo.extend(references_in(&responses));
        }
    }
    let schemas = openapi
        .components
        .as_ref()
        .map(|components| &components.schemas);
    while let Some(name) = todo.pop() {
        if !found.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.and_then(|schemas| schemas.get(&name)) {
            todo.extend(references_in(
                &serde_json::to_value(schema).expect("serialises"),
            ));
        }
    }
    found
}

/// The component names `$ref`s in `value` point at.
fn references_in(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(members) => members
            .iter()
            .flat_map(|(key, member)| match (key.as_str(), member) {
                ("$ref", serde_json::Value::String(target)) => target
                    .strip_prefix("#/components/schemas/")
                    .map(|name| vec![name.to_owned()])
                    .unwrap_or_default(),
                _ => references_in(member),
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(references_in).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_of_a_401_is_named_where_a_401_is_documented() {
        let document = document();
        let me = document.paths.paths["/api/v1/auth/me"]
            .get
            .as_ref()
            .unwrap();
        let RefOr::T(unauthorized) = &me.responses.responses["401"] else {
            panic!("the 401 is inline");
        };
        for cause in AuthFailure::ALL {
            assert!(
                unauthorized.description.contains(cause.problem_type()),
                "{}",
                cause.problem_type()
            );
        }
    }
}
