//! The route a request matched, named by its pattern
//! (`/api/v1/articles/{key}`): the label its metrics and logs carry.

use std::sync::Arc;

use actix_web::{HttpMessage, HttpRequest};

/// A request extension: the pattern of the route that made the answer.
#[derive(Clone)]
pub struct MatchedRoute(pub Arc<str>);

/// The pattern of the route `request` matched, found once per request.
///
/// actix knows it cheaply for a request its router dispatched. An answer
/// served from memory never reaches the router: the cache sets it from the
/// request that made the answer, since otherwise actix matches the path
/// against every route's regular expression again, which took a sixth of a
/// cache hit's time.
pub fn matched_route(request: &HttpRequest) -> Option<Arc<str>> {
    if let Some(known) = request.extensions().get::<MatchedRoute>() {
        return Some(Arc::clone(&known.0));
    }
    let pattern: Arc<str> = request.match_pattern()?.into();
    request
        .extensions_mut()
        .insert(MatchedRoute(Arc::clone(&pattern)));
    Some(pattern)
}
