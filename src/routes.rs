//! Every documented route, registered once: the router (`startup`) and the
//! OpenAPI document (`openapi`) are both built from [`routes`], so the two
//! cannot drift. The document itself is served from here too.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::scope::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    api_keys, areas, articles, audit, auth, categories, collections, comments, documents, feeds,
    legacy, media, ops, previews, ratings, sitemaps, static_pages, users, webhooks,
};

/// Every documented route.
pub fn routes(config: &mut ServiceConfig) {
    config
        .configure(ops::configure)
        .configure(feeds::configure)
        .configure(sitemaps::configure)
        .configure(legacy::configure)
        .service(
            scope("/api/v1")
                .configure(auth::configure)
                .configure(users::configure)
                .configure(api_keys::configure)
                .configure(audit::configure)
                .configure(categories::configure)
                .configure(collections::configure)
                .configure(articles::configure)
                .configure(previews::configure)
                .configure(documents::configure)
                .configure(areas::configure)
                .configure(static_pages::configure)
                .configure(media::configure)
                .configure(ratings::configure)
                .configure(comments::configure)
                .configure(webhooks::configure)
                .service(get_openapi_document),
        );
}

/// The serialised document, shared by every worker.
#[derive(Clone)]
pub struct ServedDocument(pub web::Bytes);

/// This OpenAPI 3.1 document.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API",
        content_type = "application/json", body = Object,
        example = json!({"openapi": "3.1.0", "info": {"title": "bulletin-api"}})))
)]
#[get("/openapi.json")]
pub async fn get_openapi_document(document: web::Data<ServedDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.clone())
}
