//! What answers when no handler did, and the net that keeps every error in
//! our format.
//!
//! actix answers an unknown route and a known path with an unregistered
//! method alike, with an empty 404. `refuse_wrong_method` tells them apart
//! before routing, using the route table of the OpenAPI document (the same
//! registration that builds the router), so a wrong method gets 405 with
//! `Allow`; what reaches the default service is a path no route has.

use actix_web::body::{BoxBody, MessageBody, to_bytes_limited};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::ParameterIn;

use crate::auth::Authenticated;
use crate::error::{ApiError, PROBLEM_JSON};

/// The order `Allow` lists methods in.
const METHOD_ORDER: [Method; 7] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::OPTIONS,
];

/// Every documented path template, the methods it answers, and the query
/// parameters each method's operation takes.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

#[derive(Debug, Clone)]
struct Route {
    template: Vec<Segment>,
    methods: Vec<Method>,
    operations: Vec<(Method, OperationRules)>,
}

/// What the document says an operation takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRules {
    /// The names of its query parameters.
    pub query: Vec<String>,
    /// Whether it needs credentials (a security requirement, none empty).
    pub needs_credentials: bool,
}

impl OperationRules {
    pub fn of(operation: &utoipa::openapi::path::Operation) -> Self {
        let requirements = operation.security.as_deref().unwrap_or_default();
        // An empty requirement (`{}`) makes credentials optional.
        let optional = requirements.iter().any(|requirement| {
            serde_json::to_value(requirement)
                .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
        });
        Self {
            query: operation
                .parameters
                .iter()
                .flatten()
                .filter(|parameter| parameter.parameter_in == ParameterIn::Query)
                .map(|parameter| parameter.name.clone())
                .collect(),
            needs_credentials: !requirements.is_empty() && !optional,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
    /// A parameter between fixed text within one segment
    /// (`articles-{page}.xml`): the text around it must match.
    Affixed {
        prefix: String,
        suffix: String,
    },
}

impl RouteTable {
    pub fn from_openapi(document: &OpenApi) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let operations = [
                    (Method::GET, item.get.as_ref()),
                    // See `http::head`: HEAD is answered wherever GET is, as GET.
                    (Method::HEAD, item.get.as_ref().or(item.head.as_ref())),
                    (Method::POST, item.post.as_ref()),
                    (Method::PUT, item.put.as_ref()),
                    (Method::PATCH, item.patch.as_ref()),
                    (Method::DELETE, item.delete.as_ref()),
                    (Method::OPTIONS, item.options.as_ref()),
                ];
                let present = || {
                    operations
                        .iter()
                        .filter_map(|(method, operation)| Some((method.clone(), (*operation)?)))
                };
                Route {
                    template: parse_template(template),
                    methods: present().map(|(method, _)| method).collect(),
                    operations: present()
                        .map(|(method, operation)| (method, OperationRules::of(operation)))
                        .collect(),
                }
            })
            .collect();
        Self { routes }
    }

    /// What the operation at `method` `path` takes, or `None` when no
    /// documented operation is there.
    pub fn operation(&self, method: &Method, path: &str) -> Option<&OperationRules> {
        self.most_literal(path)
            .find_map(|route| route.operations.iter().find(|(m, _)| m == method))
            .map(|(_, rules)| rules)
    }

    /// The routes whose template matches `path`, keeping only the most
    /// literal ones: `/documents/extract` is not `/documents/{id}`.
    fn most_literal(&self, path: &str) -> impl Iterator<Item = &Route> {
        // Like the router: `/healthz/` is not `/healthz`.
        let segments: Vec<&str> = path.split('/').collect();
        let matching: Vec<&Route> = self
            .routes
            .iter()
            .filter(|route| matches_template(&route.template, &segments))
            .collect();
        let most = matching
            .iter()
            .map(|route| literal_count(&route.template))
            .max();
        matching
            .into_iter()
            .filter(move |route| Some(literal_count(&route.template)) == most)
    }

    /// The methods `path` answers, or `None` when no route has this path.
    /// Where a literal template and a parameter one both match
    /// (`/documents/extract`, `/documents/{id}`), the literal one names the
    /// resource: `extract` is no document id.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<Method>> {
        let mut routes = self.most_literal(path).peekable();
        routes.peek()?;
        let mut allowed: Vec<Method> = Vec::new();
        for method in routes.flat_map(|route| route.methods.iter()) {
            if !allowed.contains(method) {
                allowed.push(method.clone());
            }
        }
        // One order whatever order the templates came in.
        allowed.sort_by_key(|method| METHOD_ORDER.iter().position(|m| m == method));
        Some(allowed)
    }
}

/// Answers 405 (with `Allow`) for a documented path asked with a method it
/// does not answer, before anything else is decided of the request: what
/// the path offers is the same for everyone.
pub async fn refuse_wrong_method(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(routes) = req.app_data::<web::Data<RouteTable>>()
        && let Some(allow) = routes.allowed_methods(req.path())
        && !allow.contains(req.method())
    {
        return Ok(req.error_response(ApiError::MethodNotAllowed { allow }));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Refuses a request to the API or the feeds whose query string names a
/// parameter its operation does not take (422, naming it): a misspelt
/// filter would otherwise be ignored without a word, and made-up ones
/// (`&bust=1`) would make a response cache keep a new answer each time.
/// A caller whose credentials the operation needs and does not have hears
/// that first (401, from the handler).
pub async fn refuse_unknown_parameters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let checked = super::is_public_path(req.path());
    let credentials_first = |rules: &OperationRules| match req.extensions().get::<Authenticated>() {
        Some(caller) => caller.is_refused() || (rules.needs_credentials && !caller.is_someone()),
        None => rules.needs_credentials,
    };
    if checked
        && !req.query_string().is_empty()
        && let Some(routes) = req.app_data::<web::Data<RouteTable>>()
        && let Some(rules) = routes.operation(req.method(), req.path())
        && !credentials_first(rules)
        && let Some(unknown) = form_urlencoded::parse(req.query_string().as_bytes())
            .map(|(name, _)| name)
            .find(|name| !rules.query.iter().any(|known| known == name))
    {
        let known = rules.query.as_slice();
        let message = match known {
            [] => "is not a parameter of this operation, which takes none".to_owned(),
            _ => format!(
                "is not a parameter of this operation; it takes {}",
                known.join(", ")
            ),
        };
        let error = ApiError::validation(unknown.into_owned(), message);
        return Ok(req.error_response(error));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

fn parse_template(template: &str) -> Vec<Segment> {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                Segment::Parameter
            } else if let (Some(open), Some(close)) = (segment.find('{'), segment.rfind('}'))
                && open < close
            {
                Segment::Affixed {
                    prefix: segment[..open].to_owned(),
                    suffix: segment[close + 1..].to_owned(),
                }
            } else {
                Segment::Literal(segment.to_owned())
            }
        })
        .collect()
}

fn literal_count(template: &[Segment]) -> usize {
    template
        .iter()
        .filter(|segment| matches!(segment, Segment::Literal(_) | Segment::Affixed { .. }))
        .count()
}

fn matches_template(template: &[Segment], segments: &[&str]) -> bool {
    template.len() == segments.len()
        && template
            .iter()
            .zip(segments)
            .all(|(expected, actual)| match expected {
                Segment::Literal(literal) => literal == actual,
                Segment::Parameter => !actual.is_empty(),
                Segment::Affixed { prefix, suffix } => {
                    actual.len() > prefix.len() + suffix.len()
                        && actual.starts_with(prefix.as_str())
                        && actual.ends_with(suffix.as_str())
                }
            })
}

/// The default service: a path no route has (a wrong method on a known path
/// was answered 405 by `refuse_wrong_method`).
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    ApiError::NotFound(format!("there is no resource at {}", req.path())).error_response()
}

/// Rewrites any error that is not already problem+json (from the framework,
/// a middleware, or a static file service) into one, keeping its status and
/// headers such as `Allow` or `WWW-Authenticate`.
pub async fn problem_json(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // No clone of the request may live across `call`: routing needs it unshared.
    match next.call(req).await {
        Ok(response) if needs_rewrite(response.status(), response.headers()) => {
            let (request, original) = response.into_parts();
            let (head, body) = original.into_parts();
            let detail = short_text(&head, body).await;
            Ok(ServiceResponse::new(request, rewrite(head, detail)))
        }
        Ok(response) => Ok(response.map_into_boxed_body()),
        Err(error) => {
            let original = error.error_response();
            if !needs_rewrite(original.status(), original.headers()) {
                return Err(error);
            }
            // An error that renders as our response, for the layers outside.
            let rewritten = rewrite(original, Some(error.to_string()));
            Err(InternalError::from_response(error, rewritten).into())
        }
    }
}

/// A foreign error's explanation, when its body is a short plain text
/// (framework errors often send theirs with no content type at all).
async fn short_text(head: &HttpResponse<()>, body: impl MessageBody) -> Option<String> {
    const MAX_DETAIL: usize = 512;
    let is_text = head
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"));
    if !is_text {
        return None;
    }
    let bytes = to_bytes_limited(body, MAX_DETAIL).await.ok()?.ok()?;
    let text = String::from_utf8(bytes.to_vec()).ok()?;
    Some(text.trim().to_owned()).filter(|text| !text.is_empty())
}

fn needs_rewrite(status: StatusCode, headers: &HeaderMap) -> bool {
    (status.is_client_error() || status.is_server_error()) && !is_problem(headers)
}

fn rewrite<B>(original: HttpResponse<B>, detail: Option<String>) -> HttpResponse {
    let status = original.status();
    if status.is_server_error() {
        tracing::error!(%status, cause = detail.as_deref().unwrap_or(""), "a server error escaped the error model");
    }
    let mut replacement = ApiError::Framework { status, detail }.error_response();
    for (name, value) in original.headers() {
        let ours = matches!(
            *name,
            header::CONTENT_TYPE | header::CONTENT_LENGTH | header::CONTENT_ENCODING
        );
        if !ours {
            replacement
                .headers_mut()
                .append(name.clone(), value.clone());
        }
    }
    replacement
}

/// Whether `headers` are those of a problem+json answer.
pub(crate) fn is_problem(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(routes: &[(&str, &[Method])]) -> RouteTable {
        RouteTable {
            routes: routes
                .iter()
                .map(|(template, methods)| Route {
                    template: parse_template(template),
                    methods: methods.to_vec(),
                    operations: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_parameter_within_a_segment_matches_between_its_fixed_text() {
        let routes = table(&[
            ("/sitemaps/articles-{page}.xml", &[Method::GET]),
            ("/sitemaps/news.xml", &[Method::GET]),
        ]);
        assert_eq!(
            routes.allowed_methods("/sitemaps/articles-2.xml"),
            Some(vec![Method::GET])
        );
        assert_eq!(
            routes.allowed_methods("/sitemaps/news.xml"),
            Some(vec![Method::GET])
        );
        assert_eq!(routes.allowed_methods("/sitemaps/articles-.xml"), None);
        assert_eq!(routes.allowed_methods("/sitemaps/articles-2.json"), None);
    }

    #[test]
    fn a_known_path_lists_its_methods_and_an_unknown_one_is_none() {
        let routes = table(&[
            ("/api/v1/articles", &[Method::GET, Method::POST]),
            ("/api/v1/articles/{key}", &[Method::GET]),
        ]);
        assert_eq!(
            routes.allowed_methods("/api/v1/articles/5"),
            Some(vec![Method::GET])
        );
        assert_eq!(
            routes.allowed_methods("/api/v1/articles"),
            Some(vec![Method::GET, Method::POST])
        );
        assert_eq!(
            routes.allowed_methods("/api/v1/articles/"),
            None,
            "a trailing slash is another path, as for the router"
        );
        assert_eq!(routes.allowed_methods("/api/v1/nothing"), None);
        assert_eq!(routes.allowed_methods("/api/v1/articles/5/extra"), None);
    }

    #[test]
    fn a_literal_template_outranks_a_parameter_one_on_its_path() {
        let routes = table(&[
            ("/documents/{id}", &[Method::GET, Method::PATCH]),
            ("/documents/extract", &[Method::POST]),
        ]);
        assert_eq!(
            routes.allowed_methods("/documents/extract"),
            Some(vec![Method::POST])
        );
        assert_eq!(
            routes.allowed_methods("/documents/7"),
            Some(vec![Method::GET, Method::PATCH])
        );
    }
}
