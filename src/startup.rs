//! Building the service from its settings: the database, the routes, the
//! middleware, the server. `main` and the tests both come in through here.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{Compress, Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::articles::{KeptSearches, PublicTotals};
use crate::auth::authenticate_first;
use crate::auth::sessions::SessionPolicy;
use crate::auth::{AccessTokens, SigningKey, SigningKeyError};
use crate::comments::CommentRules;
use crate::config::{CorsOrigins, Settings};
use crate::db::{Database, DatabaseUrl, DbConfig, StoreError};
use crate::demo::{self, DemoError};
use crate::documents::attachments::{AttachmentLimit, AttachmentStore, FileStore};
use crate::feeds::FeedSite;
use crate::http::body_timeout::{BodyTimeout, time_out_slow_bodies};
use crate::http::cache::{InMemoryResponses, ResponseCache, cache_public};
use crate::http::cache_control::{CacheDirectives, cache_control};
use crate::http::etag::conditional_get;
use crate::http::extractors;
use crate::http::fallback::{
    RouteTable, no_route, problem_json, refuse_unknown_parameters, refuse_wrong_method,
};
use crate::http::head::answer_head_as_get;
use crate::http::language::in_the_readers_language;
use crate::http::permalinks::Permalinks;
use crate::http::request_id::{X_REQUEST_ID, assign_request_id};
use crate::legacy::RedirectTargets;
use crate::limits::logins::{InMemoryThrottle, LoginThrottle, SharedThrottle, Unthrottled};
use crate::limits::{ClientLimits, InMemoryLimits, SharedLimits, Unlimited};
use crate::openapi;
use crate::ops::telemetry::RequestSpan;
use crate::ops::{Metrics, metrics::record_request};
use crate::ratings::GuestRatings;
use crate::readers::view_counts::{self, InMemoryViews, ViewCounter};
use crate::routes::{ServedDocument, routes};
use crate::support::allocator;
use crate::support::timestamps::SiteOffset;
use crate::users::{self, AdminBootstrapOutcome, CreateAdminError, RegistrationOpen};
use crate::webhooks;
use crate::webhooks::delivery::DeliveryPolicy;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("demo content: {0}")]
    Demo(#[from] DemoError),
    #[error("admin from BULLETIN_ADMIN_EMAIL: {0}")]
    Admin(#[from] CreateAdminError),
    #[error("signing key: {0}")]
    SigningKey(#[from] SigningKeyError),
    #[error("cannot make a directory to serve attachments from: {0}")]
    Attachments(std::io::Error),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Where attachment bytes are kept.
#[derive(Debug, Clone)]
pub enum AttachmentPlace {
    Files(FileStore),
    Database,
}

/// Where attachment bytes are kept: in the directory configured, else in
/// `attachments/` beside a SQLite file, else (on PostgreSQL) in the
/// database, which every node reads.
pub fn attachment_place(configured: Option<&Path>, database: &DatabaseUrl) -> AttachmentPlace {
    match (configured, database.sqlite_file()) {
        (Some(directory), _) => AttachmentPlace::Files(FileStore::at(directory)),
        (None, Some(file)) => AttachmentPlace::Files(FileStore::beside(file)),
        (None, None) => AttachmentPlace::Database,
    }
}

/// The attachment store of these settings, over `db`.
fn attachment_store(settings: &Settings, db: &Database) -> Result<AttachmentStore, StartupError> {
    match attachment_place(settings.attachments.dir.as_deref(), &settings.database.url) {
        AttachmentPlace::Files(files) => Ok(AttachmentStore::Files(files)),
        AttachmentPlace::Database => {
            AttachmentStore::in_database(db.clone()).map_err(StartupError::Attachments)
        }
    }
}

/// Opens the database and brings it up to date: migrations, then, on a new
/// database, the demo content, then the admin from the environment.
pub async fn prepare_database(settings: &Settings) -> Result<Database, StartupError> {
    let config = settings.database.clone();
    // Opening connects the pools: file I/O, kept off the executor.
    let db = web::block(move || Database::open(&config))
        .await
        .map_err(StoreError::from)??;
    let is_new = db.migrate().await?;
    db.refresh_statistics().await?;
    if is_new
        && settings.demo
        && let Some(slug) = demo::load(&db).await?
    {
        tracing::info!(%slug, "loaded the demo content into the new database");
    }
    if let Some(admin) = &settings.accounts.admin {
        let outcome = users::ensure_admin(&db, admin.email.clone(), admin.password.clone()).await?;
        if let AdminBootstrapOutcome::Created(id) = outcome {
            tracing::info!(id, email = %admin.email, "created the admin from BULLETIN_ADMIN_EMAIL");
        }
    }
    Ok(db)
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    db: Database,
    views: Arc<dyn ViewCounter>,
    view_flush_interval: std::time::Duration,
    webhook_policy: DeliveryPolicy,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        allocator::tune(settings.server.workers);
        let db = prepare_database(&settings).await?;
        let configured = settings.accounts.jwt_secret.clone();
        let signing_key = match settings.database.url.sqlite_file().map(Path::to_owned) {
            Some(file) => web::block(move || SigningKey::resolve(configured.as_ref(), &file))
                .await
                .map_err(StoreError::from)??,
            None => SigningKey::resolve_shared(configured.as_ref(), &db).await?,
        };
        let listen_error = |source| StartupError::Listen {
            address: settings.server.bind,
            source,
        };
        let listener = TcpListener::bind(settings.server.bind).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();

        let views: Arc<dyn ViewCounter> = Arc::new(InMemoryViews::default());
        // The response cache's room grows with the archive it serves.
        let articles = match settings.caching.response_cache {
            true => db.read(crate::articles::queries::count_all).await?,
            false => 0,
        };
        let document = openapi::document();
        let shared = SharedState {
            db: web::Data::new(db.clone()),
            totals: web::Data::new(PublicTotals::default()),
            views: web::Data::from(views.clone()),
            metrics: web::Data::new(Metrics::default()),
            routes: web::Data::new(RouteTable::from_openapi(&document)),
            document: web::Data::new(ServedDocument(openapi::to_pretty_json(&document).into())),
            offset: web::Data::new(SiteOffset(settings.site.utc_offset)),
            tokens: web::Data::new(AccessTokens::new(
                &signing_key,
                settings.accounts.access_token_ttl,
            )),
            session_policy: web::Data::new(settings.accounts.sessions),
            throttle: login_throttle(&settings, &db),
            registration: web::Data::new(RegistrationOpen(settings.accounts.registration)),
            trusted_proxies: web::Data::new(settings.clients.trusted_proxies.clone()),
            files: web::Data::new(attachment_store(&settings, &db)?),
            responses: settings.caching.response_cache.then(|| {
                let store = InMemoryResponses::new(
                    settings.database.url.is_single_node(),
                    settings.caching.view_flush_interval,
                    settings.database.read_pool_size as usize,
                    u64::try_from(articles).unwrap_or(0),
                );
                web::Data::from(Arc::new(store) as Arc<dyn ResponseCache>)
            }),
            kept_searches: (settings.caching.response_cache
                && settings.database.url.is_single_node())
            .then(|| {
                web::Data::new(KeptSearches::for_archive(
                    u64::try_from(articles).unwrap_or(0),
                ))
            }),
            limits: client_limits(&settings, &db),
            guest_ratings: web::Data::new(GuestRatings(settings.guest_ratings)),
            webhook_policy: web::Data::new(settings.webhooks),
            feed_site: web::Data::new(FeedSite {
                name: settings.site.name.clone(),
                public_url: settings.site.public_url.clone(),
                lang: settings.site.permalinks.default_lang.clone(),
            }),
            comment_rules: web::Data::new(settings.comments),
            attachment_limit: web::Data::new(AttachmentLimit(settings.attachments.limit)),
            body_timeout: web::Data::new(BodyTimeout(settings.server.body_timeout)),
            legacy_redirects: web::Data::new(settings.site.legacy_redirects.clone()),
            cache_directives: web::Data::new(settings.caching.shared_caching.directives()),
            permalinks: web::Data::new(settings.site.permalinks.clone()),
        };
        let body_limit = settings.server.body_limit;
        let cors_origins = settings.clients.cors_origins.clone();

        let server = HttpServer::new(move || {
            let cors_enabled = cors_origins != CorsOrigins::Disabled;
            let (app, _) = App::new()
                .into_utoipa_app()
                .configure(|config| shared.register(config))
                .app_data(extractors::json_config(body_limit))
                .app_data(extractors::payload_config(body_limit))
                .app_data(extractors::path_config())
                .configure(routes)
                .split_for_parts();
            // Listed innermost first: the request passes them bottom to top.
            app.service(web::resource("/docs").get(redirect_to_docs))
                .service(
                    SwaggerUi::new("/docs/{_:.*}")
                        .config(SwaggerConfig::new(["/api/v1/openapi.json"])),
                )
                .default_service(web::to(no_route))
                .wrap(from_fn(answer_head_as_get))
                .wrap(from_fn(time_out_slow_bodies))
                .wrap(from_fn(in_the_readers_language))
                .wrap(Compress::default())
                // Decided in this order: the method, the credentials, the
                // query; then a handler's role check, then its body.
                .wrap(from_fn(refuse_unknown_parameters))
                .wrap(from_fn(authenticate_first))
                .wrap(from_fn(refuse_wrong_method))
                // Outside those: a kept answer was made for a GET that
                // passed them, with no credentials, so a hit needs none of
                // them again.
                .wrap(from_fn(cache_public))
                .wrap(from_fn(cache_control))
                .wrap(from_fn(conditional_get))
                .wrap(Condition::new(cors_enabled, cors(&cors_origins)))
                .wrap(from_fn(problem_json))
                .wrap(from_fn(in_the_readers_language))
                .wrap(from_fn(record_request))
                .wrap(TracingLogger::<RequestSpan>::new())
                .wrap(from_fn(assign_request_id))
        })
        .listen(listener)
        .map_err(listen_error)?
        .workers(settings.server.workers)
        .worker_max_blocking_threads(blocking_threads(&settings.database))
        .client_request_timeout(settings.server.client_timeout)
        // actix counts whole seconds: round up so 500ms is not "drop everything".
        .shutdown_timeout(settings.server.shutdown_timeout.as_secs_f64().ceil() as u64)
        .run();
        Ok(Self {
            port,
            server,
            db,
            views,
            view_flush_interval: settings.caching.view_flush_interval,
            webhook_policy: settings.webhooks,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What stops the server from outside (tests; signals do it themselves).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT or SIGTERM, lets requests in flight finish, then
    /// writes the views still counted in memory.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let flusher = actix_web::rt::spawn(flush_views_every(
            self.view_flush_interval,
            self.db.clone(),
            self.views.clone(),
            stopped,
        ));
        let statistics = actix_web::rt::spawn(refresh_statistics_every(
            STATISTICS_INTERVAL,
            self.db.clone(),
        ));
        let trimming = actix_web::rt::spawn(give_memory_back_every(MEMORY_RETURN_INTERVAL));
        let (stop_sending, sending_stopped) = tokio::sync::oneshot::channel();
        let sender = actix_web::rt::spawn(webhooks::delivery::run(
            self.db.clone(),
            self.webhook_policy,
            sending_stopped,
        ));
        let served = self.server.await;
        statistics.abort();
        trimming.abort();
        // Deliveries not yet sent stay in the outbox for the next start.
        let _ = stop_sending.send(());
        let _ = sender.await;
        // Let a flush in progress finish (aborting it could drop drained
        // counts), then write what is left.
        let _ = stop.send(());
        let _ = flusher.await;
        flush_views_at_shutdown(&self.db, self.views.as_ref()).await;
        served
    }
}

/// How often the planner's statistics are brought up to date while serving.
const STATISTICS_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

/// How often the memory the allocator keeps free is handed back.
const MEMORY_RETURN_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Hands freed memory back to the system every `interval`, off the
/// workers: the allocator keeps what a burst of answers freed, and the
/// server's own memory under a newsroom's load stayed at its peak.
async fn give_memory_back_every(interval: std::time::Duration) {
    let first = actix_web::rt::time::Instant::now() + interval;
    let mut ticks = actix_web::rt::time::interval_at(first, interval);
    loop {
        ticks.tick().await;
        // Nothing to report: at worst the memory stays kept until the next.
        let _ = web::block(allocator::give_freed_memory_back).await;
    }
}

/// Threads each worker may run blocking work on: enough for every database
/// connection (the readers and the writer) and a few more for files, images
/// and name lookups. Past them, work queues for a thread instead of one
/// more thread being started to wait for a connection (under 64 clients
/// tokio's default of hundreds grew to 80 threads, each with its own
/// allocator arena and its switches in and out).
fn blocking_threads(database: &DbConfig) -> usize {
    const BESIDE_THE_DATABASE: usize = 3;
    database.read_pool_size as usize + 1 + BESIDE_THE_DATABASE
}

/// Refreshes the planner's statistics every `interval`, as the data grows.
async fn refresh_statistics_every(interval: std::time::Duration, db: Database) {
    let first = actix_web::rt::time::Instant::now() + interval;
    let mut ticks = actix_web::rt::time::interval_at(first, interval);
    loop {
        ticks.tick().await;
        if let Err(error) = db.refresh_statistics().await {
            tracing::warn!(%error, "could not refresh the query planner's statistics");
        }
    }
}

/// Writes counted views every `interval`, so they show in responses soon,
/// until told to stop; a flush once begun always runs to its end.
async fn flush_views_every(
    interval: std::time::Duration,
    db: Database,
    views: Arc<dyn ViewCounter>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    // The first flush comes one interval after start, not at once.
    let first = actix_web::rt::time::Instant::now() + interval;
    let mut ticks = actix_web::rt::time::interval_at(first, interval);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = &mut stop => return,
        }
        if let Err(error) = view_counts::flush(&db, views.as_ref()).await {
            tracing::warn!(%error, "could not flush counted views; they are kept for the next try");
        }
    }
}

/// The last flush, tried a few times: after it, counts in memory are gone
/// with the process, so a failure names every count it could not write.
async fn flush_views_at_shutdown(db: &Database, views: &dyn ViewCounter) {
    const ATTEMPTS: u32 = 5;
    for attempt in 1..=ATTEMPTS {
        match view_counts::flush(db, views).await {
            Ok(written) => {
                tracing::info!(written, "flushed the counted views at shutdown");
                return;
            }
            Err(error) if attempt < ATTEMPTS => {
                tracing::warn!(%error, attempt, "could not flush the counted views at shutdown; retrying");
                actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            Err(error) => {
                let lost = views.drain();
                tracing::error!(%error, ?lost, "could not write these counts (what, how many) at shutdown");
            }
        }
    }
}

/// What every worker's app shares (each `Data` is an `Arc`).
#[derive(Clone)]
struct SharedState {
    db: web::Data<Database>,
    totals: web::Data<PublicTotals>,
    views: web::Data<dyn ViewCounter>,
    metrics: web::Data<Metrics>,
    routes: web::Data<RouteTable>,
    document: web::Data<ServedDocument>,
    offset: web::Data<SiteOffset>,
    tokens: web::Data<AccessTokens>,
    session_policy: web::Data<SessionPolicy>,
    throttle: web::Data<dyn LoginThrottle>,
    registration: web::Data<RegistrationOpen>,
    trusted_proxies: web::Data<crate::http::client_addr::TrustedProxies>,
    files: web::Data<AttachmentStore>,
    /// None with `BULLETIN_RESPONSE_CACHE=off`: every read reaches a handler.
    responses: Option<web::Data<dyn ResponseCache>>,
    /// Searches' pages kept longer than their answers: with the response
    /// cache, on a node that sees every write.
    kept_searches: Option<web::Data<KeptSearches>>,
    attachment_limit: web::Data<AttachmentLimit>,
    body_timeout: web::Data<BodyTimeout>,
    limits: web::Data<dyn ClientLimits>,
    guest_ratings: web::Data<GuestRatings>,
    comment_rules: web::Data<CommentRules>,
    feed_site: web::Data<FeedSite>,
    webhook_policy: web::Data<DeliveryPolicy>,
    legacy_redirects: web::Data<RedirectTargets>,
    cache_directives: web::Data<CacheDirectives>,
    permalinks: web::Data<Permalinks>,
}

impl SharedState {
    fn register(&self, config: &mut ServiceConfig) {
        config
            .app_data(self.db.clone())
            .app_data(self.totals.clone())
            .app_data(self.views.clone())
            .app_data(self.metrics.clone())
            .app_data(self.routes.clone())
            .app_data(self.document.clone())
            .app_data(self.offset.clone())
            .app_data(self.tokens.clone())
            .app_data(self.session_policy.clone())
            .app_data(self.throttle.clone())
            .app_data(self.registration.clone())
            .app_data(self.trusted_proxies.clone())
            .app_data(self.files.clone())
            .app_data(self.attachment_limit.clone())
            .app_data(self.body_timeout.clone())
            .app_data(self.limits.clone())
            .app_data(self.guest_ratings.clone())
            .app_data(self.comment_rules.clone())
            .app_data(self.feed_site.clone())
            .app_data(self.webhook_policy.clone())
            .app_data(self.legacy_redirects.clone())
            .app_data(self.cache_directives.clone())
            .app_data(self.permalinks.clone());
        if let Some(responses) = &self.responses {
            config.app_data(responses.clone());
        }
        if let Some(kept_searches) = &self.kept_searches {
            config.app_data(kept_searches.clone());
        }
    }
}

/// Where the per-client counts of limits and login throttling are kept.
enum CountsKept {
    /// Nowhere: `BULLETIN_RATE_LIMIT=off`.
    Nowhere,
    /// In this process: SQLite, one node.
    InProcess,
    /// In the database, which every PostgreSQL node shares.
    InDatabase,
}

impl CountsKept {
    fn of(settings: &Settings) -> Self {
        match (
            settings.clients.rate_limit,
            settings.database.url.sqlite_file(),
        ) {
            (false, _) => Self::Nowhere,
            (true, Some(_)) => Self::InProcess,
            (true, None) => Self::InDatabase,
        }
    }
}

/// Limits on what readers write.
fn client_limits(settings: &Settings, db: &Database) -> web::Data<dyn ClientLimits> {
    let limits: Arc<dyn ClientLimits> = match CountsKept::of(settings) {
        CountsKept::Nowhere => Arc::new(Unlimited),
        CountsKept::InProcess => Arc::new(InMemoryLimits::default()),
        CountsKept::InDatabase => Arc::new(SharedLimits::new(db.clone())),
    };
    web::Data::from(limits)
}

/// Login throttling.
fn login_throttle(settings: &Settings, db: &Database) -> web::Data<dyn LoginThrottle> {
    let throttle: Arc<dyn LoginThrottle> = match CountsKept::of(settings) {
        CountsKept::Nowhere => Arc::new(Unthrottled),
        CountsKept::InProcess => Arc::new(InMemoryThrottle::new()),
        CountsKept::InDatabase => Arc::new(SharedThrottle::new(db.clone())),
    };
    web::Data::from(throttle)
}

async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

fn cors(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            X_REQUEST_ID,
            header::HeaderName::from_static("x-api-key"),
            header::HeaderName::from_static("x-voter-token"),
            header::HeaderName::from_static("x-csrf-token"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            X_REQUEST_ID,
            header::HeaderName::from_static("x-voter-token"),
        ])
        .max_age(3600);
    match origins {
        CorsOrigins::Any => cors.allow_any_origin().send_wildcard(),
        // A frontend on a listed origin may refresh by its cookie.
        CorsOrigins::List(list) => list
            .iter()
            .fold(cors.supports_credentials(), |cors, origin| {
                cors.allowed_origin(origin)
            }),
        CorsOrigins::Disabled => cors,
    }
}
