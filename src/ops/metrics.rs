//! Prometheus metrics: requests by route, method and status, their latency,
//! the response cache's hits and misses, search time, database pool usage
//! and waits, the SQL statements run and the writes that changed rows.
//! `ops/grafana-dashboard.json` (a Grafana dashboard) shows them.

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, web};
use prometheus_client::encoding::EncodeLabelSet;
pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
use prometheus_client::encoding::prometheus_text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::DatabaseUsage;
use crate::http::route::matched_route;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route template (`/api/v1/articles/{key}`), never the raw path, so
    /// the number of series stays bounded.
    route: Arc<str>,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    outcome: &'static str,
}

/// What the response cache did: answered a public read, or had one made.
#[derive(Debug, Clone, Copy)]
pub enum CacheOutcome {
    /// Answered from memory.
    Hit,
    /// Made by a handler, and kept.
    Miss,
    /// Made anew by a handler while the aged answer answered the request
    /// (`http::cache::Renewable`): no request waited for it.
    Renewed,
    /// Answered from memory with the views written since it was made
    /// spliced in (an article's page), and kept so.
    Refreshed,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SearchPageLabels {
    found: &'static str,
}

/// How a page of a full-text search was found.
#[derive(Debug, Clone, Copy)]
pub enum SearchPage {
    /// Ranked, counted and read anew, in this many seconds.
    Ranked { seconds: f64 },
    /// Served from what a search found before, without ranking
    /// (`articles::kept_searches`).
    Kept,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

type LatencyFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    pool: Family<PoolLabels, Gauge>,
    statements: Counter,
    changing_writes: Counter,
    pool_wait: Counter<f64, std::sync::atomic::AtomicU64>,
    cache: Family<CacheLabels, Counter>,
    search: Histogram,
    search_pages: Family<SearchPageLabels, Counter>,
    unflushed_views: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = LatencyFamily::new_with_constructor(|| {
            // 0.25 ms to about 4 s.
            Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
        });
        let pool = Family::<PoolLabels, Gauge>::default();
        let statements = Counter::default();
        let changing_writes = Counter::default();
        let pool_wait = Counter::<f64, std::sync::atomic::AtomicU64>::default();
        let cache = Family::<CacheLabels, Counter>::default();
        // 0.5 ms to about 8 s.
        let search = Histogram::new(exponential_buckets(0.000_5, 2.0, 15));
        let search_pages = Family::<SearchPageLabels, Counter>::default();
        let unflushed_views = Gauge::default();
        let mut registry = Registry::with_prefix("bulletin");
        registry.register(
            "db_statements",
            "SQL statements run on all database connections",
            statements.clone(),
        );
        registry.register(
            "db_changing_writes",
            "Committed write transactions that changed rows: each one drops the response cache's answers",
            changing_writes.clone(),
        );
        registry.register(
            "db_pool_wait_seconds",
            "Time spent waiting for a pooled database connection",
            pool_wait.clone(),
        );
        registry.register(
            "cache_answers",
            "Anonymous public reads by what the response cache did (hit: from memory; refreshed: from memory with the views written since spliced in; miss: made and kept), and aged answers made anew behind a hit (renewed)",
            cache.clone(),
        );
        registry.register(
            "search_duration_seconds",
            "Time to rank, count and read one page of a full-text search and cut its snippets",
            search.clone(),
        );
        registry.register(
            "search_pages",
            "Pages of full-text searches by how they were found (ranked: anew, and timed in search_duration_seconds; kept: from what a guest's same search found before, on a single node, without ranking)",
            search_pages.clone(),
        );
        registry.register(
            "views_unflushed",
            "Views and downloads counted in memory and not yet written",
            unflushed_views.clone(),
        );
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            latency.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections by pool and state",
            pool.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            pool,
            statements,
            changing_writes,
            pool_wait,
            cache,
            search,
            search_pages,
            unflushed_views,
        }
    }
}

impl Metrics {
    fn observe(&self, labels: RequestLabels, seconds: f64) {
        self.latency.get_or_create(&labels).observe(seconds);
        self.requests.get_or_create(&labels).inc();
    }

    pub fn cache(&self, outcome: CacheOutcome) {
        let outcome = match outcome {
            CacheOutcome::Hit => "hit",
            CacheOutcome::Miss => "miss",
            CacheOutcome::Renewed => "renewed",
            CacheOutcome::Refreshed => "refreshed",
        };
        self.cache.get_or_create(&CacheLabels { outcome }).inc();
    }

    /// Counts a page of a search by how it was found, and times the
    /// ranked ones: timed with them, kept pages would hide their cost.
    pub fn search_page(&self, page: SearchPage) {
        let found = match page {
            SearchPage::Ranked { seconds } => {
                self.search.observe(seconds);
                "ranked"
            }
            SearchPage::Kept => "kept",
        };
        self.search_pages
            .get_or_create(&SearchPageLabels { found })
            .inc();
    }

    /// The text exposition format, with the database's figures and the
    /// views not yet written read now.
    pub fn render(&self, usage: DatabaseUsage, unflushed_views: i64) -> String {
        self.unflushed_views.set(unflushed_views);
        // The database keeps the count; the counter shows it as it is now.
        self.statements
            .inner()
            .store(usage.statements, std::sync::atomic::Ordering::Relaxed);
        self.changing_writes
            .inner()
            .store(usage.writes, std::sync::atomic::Ordering::Relaxed);
        let waited = usage.waited_seconds - self.pool_wait.get();
        if waited > 0.0 {
            self.pool_wait.inc_by(waited);
        }
        for (pool, state) in [("read", usage.readers), ("write", usage.writer)] {
            let idle = i64::from(state.idle);
            let open = i64::from(state.open);
            self.pool
                .get_or_create(&PoolLabels {
                    pool,
                    state: "idle",
                })
                .set(idle);
            self.pool
                .get_or_create(&PoolLabels {
                    pool,
                    state: "in_use",
                })
                .set(open - idle);
        }
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub async fn record_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = method_label(req.method());
    let result = next.call(req).await;
    if let Some(metrics) = metrics {
        let (route, status) = match &result {
            Ok(response) => (matched_route(response.request()), response.status()),
            Err(error) => (None, error.as_response_error().status_code()),
        };
        let labels = RequestLabels {
            method,
            route: route.unwrap_or_else(|| "unmatched".into()),
            status: status.as_u16(),
        };
        metrics.observe(labels, started.elapsed().as_secs_f64());
    }
    result
}
