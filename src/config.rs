//! Settings: read once from the `BULLETIN_*` environment variables, validated,
//! and handed around as one typed value.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use chrono::FixedOffset;
use ipnet::IpNet;

use crate::auth::sessions::SessionPolicy;
use crate::auth::signing_key::Secret;
use crate::comments::{CommentRules, Moderation};
use crate::db::{DatabaseUrl, DbConfig};
use crate::http::cache_control::SharedCaching;
use crate::http::client_addr::TrustedProxies;
use crate::http::permalinks::{Permalinks, parse_url_pattern};
use crate::identity::{Email, Password};
use crate::legacy::RedirectTargets;
use crate::text::lang::Lang;
use crate::webhooks::delivery::DeliveryPolicy;
use crate::webhooks::destination::PrivateNetworks;

/// Everything the service can be told from outside, grouped by concern.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How the process listens, what it accepts and how it logs.
    pub server: ServerSettings,
    /// `BULLETIN_DATABASE_URL`: the SQLite file (a path or `sqlite://…`),
    /// or a PostgreSQL database (`postgres://…`); `BULLETIN_DB_POOL_SIZE`:
    /// pooled read connections; `BULLETIN_DB_TIMEOUT`: how long a query
    /// waits for a connection or a lock.
    pub database: DbConfig,
    /// The portal as readers, feeds and links see it.
    pub site: SiteSettings,
    /// Staff and reader accounts, their tokens and sessions.
    pub accounts: AccountSettings,
    /// Which clients may call, how often, and whose word on their address counts.
    pub clients: ClientSettings,
    /// Answers kept in memory or by a CDN, and counted views.
    pub caching: CachingSettings,
    /// Where attachments are kept and how large they may be.
    pub attachments: AttachmentSettings,
    /// Comments: `BULLETIN_COMMENT_MODERATION` (whose comments wait for an
    /// editor) and `BULLETIN_COMMENT_EDIT_WINDOW` (how long a member may edit
    /// or delete an own comment after writing it).
    pub comments: CommentRules,
    /// `BULLETIN_GUEST_RATINGS`: guests (no account) may rate articles.
    pub guest_ratings: bool,
    /// How webhooks are delivered: `BULLETIN_WEBHOOK_TIMEOUT` (how long a
    /// receiver may take to answer), `BULLETIN_WEBHOOK_RETRY` (the wait
    /// after a first failed delivery; each next one doubles, up to an hour),
    /// `BULLETIN_WEBHOOK_ATTEMPTS` (attempts before a delivery is given up),
    /// `BULLETIN_WEBHOOK_POLL` (how often the outbox is looked at) and
    /// `BULLETIN_WEBHOOK_ALLOW_PRIVATE` (whether deliveries may reach private
    /// networks and this host; off by default).
    pub webhooks: DeliveryPolicy,
    /// `BULLETIN_DEMO`: load the demo content into a new database.
    pub demo: bool,
}

/// The HTTP server and the process around it.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// `BULLETIN_BIND`: the address to listen on.
    pub bind: SocketAddr,
    /// `BULLETIN_WORKERS`: HTTP worker threads.
    pub workers: usize,
    /// `BULLETIN_BODY_LIMIT`: the largest request body accepted, in bytes.
    pub body_limit: usize,
    /// `BULLETIN_CLIENT_TIMEOUT`: how long a client may take to send its request head.
    pub client_timeout: Duration,
    /// `BULLETIN_BODY_TIMEOUT`: how long a request body may stop coming
    /// (between two reads) before the request is answered 408.
    pub body_timeout: Duration,
    /// `BULLETIN_SHUTDOWN_TIMEOUT`: how long requests in flight may finish at shutdown.
    pub shutdown_timeout: Duration,
    /// `BULLETIN_LOG_FORMAT`: `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
}

/// The portal as the outside sees it.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// `BULLETIN_PUBLIC_URL`: where clients reach the service, for the
    /// absolute links of feeds and webhooks (no trailing slash).
    pub public_url: String,
    /// `BULLETIN_SITE_NAME`: the portal's name, as feeds show it.
    pub name: String,
    /// `BULLETIN_UTC_OFFSET`: the offset timestamps are shown with (stored UTC).
    pub utc_offset: FixedOffset,
    /// `BULLETIN_ARTICLE_URL`, `BULLETIN_CATEGORY_URL`,
    /// `BULLETIN_DOCUMENT_URL`: the frontend page of each resource (a
    /// pattern with `{slug}` or `{id}`, and `{lang}` if it likes), answered
    /// as its `url`; the API resource when unset. With them,
    /// `BULLETIN_DEFAULT_LANG`: the language content is in unless it says
    /// otherwise (`vi`).
    pub permalinks: Permalinks,
    /// `BULLETIN_LEGACY_ARTICLE_URL`, `BULLETIN_LEGACY_CATEGORY_URL`,
    /// `BULLETIN_LEGACY_DOCUMENT_URL`: where the old portal's URLs redirect,
    /// when not to the permalinks above.
    pub legacy_redirects: RedirectTargets,
}

/// Accounts, tokens and sessions.
#[derive(Debug, Clone)]
pub struct AccountSettings {
    /// `BULLETIN_ADMIN_EMAIL` + `BULLETIN_ADMIN_PASSWORD`: an admin created at
    /// start when the database has none.
    pub admin: Option<AdminBootstrap>,
    /// `BULLETIN_REGISTRATION`: readers may create their own (member) accounts.
    pub registration: bool,
    /// `BULLETIN_JWT_SECRET`: signs access tokens. When unset, one is generated
    /// once and kept next to the database (see [`crate::auth::SigningKey`]).
    pub jwt_secret: Option<Secret>,
    /// `BULLETIN_ACCESS_TOKEN_TTL`: how long an access token is valid.
    pub access_token_ttl: Duration,
    /// How long sessions last: `BULLETIN_IDLE_TIMEOUT` (with no refresh for
    /// this long, a session ends), `BULLETIN_SESSION_LIFETIME` (however
    /// active, it ends this long after its login) and
    /// `BULLETIN_REFRESH_GRACE` (for this long after a refresh token is
    /// exchanged, presenting it again, as a second tab refreshing at the
    /// same moment does, answers the same new pair instead of ending the
    /// session; zero turns the grace off).
    pub sessions: SessionPolicy,
}

/// Who may call, and how often.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// `BULLETIN_CORS_ORIGINS`: browser origins allowed to call the API.
    pub cors_origins: CorsOrigins,
    /// `BULLETIN_RATE_LIMIT`: `off` disables every per-client limit and the
    /// login throttle (benchmarks, deployments behind a limiting gateway).
    pub rate_limit: bool,
    /// `BULLETIN_TRUSTED_PROXIES`: peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
}

/// What is kept, and for how long, instead of asking the database again.
#[derive(Debug, Clone)]
pub struct CachingSettings {
    /// `BULLETIN_RESPONSE_CACHE`: anonymous public reads answered from memory
    /// (see `http::cache`).
    pub response_cache: bool,
    /// `BULLETIN_CACHE_MAX_AGE` and `BULLETIN_CACHE_STALE`: how long a CDN
    /// keeps an anonymous public read, and serves it stale while fetching a
    /// fresh one (`Cache-Control`).
    pub shared_caching: SharedCaching,
    /// `BULLETIN_VIEW_FLUSH_INTERVAL`: how often counted views are written
    /// (they show in responses after the next flush).
    pub view_flush_interval: Duration,
}

/// Attachment files.
#[derive(Debug, Clone)]
pub struct AttachmentSettings {
    /// `BULLETIN_ATTACHMENTS_DIR`: a directory to keep attachment files in
    /// (on PostgreSQL, one every node mounts). Unset, they are files in
    /// `attachments/` beside a SQLite file, or rows of a PostgreSQL database.
    pub dir: Option<PathBuf>,
    /// `BULLETIN_ATTACHMENT_LIMIT`: the largest attachment accepted, in bytes.
    pub limit: usize,
}

/// The admin account to create at start.
#[derive(Debug, Clone)]
pub struct AdminBootstrap {
    pub email: Email,
    pub password: Password,
}

/// Which browser origins may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// No CORS headers at all: only same-origin pages and non-browser clients.
    Disabled,
    /// Any origin (`*`), without credentials.
    Any,
    /// These origins, each `scheme://host[:port]`, lower-cased.
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A variable that could not be used, and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

const MIB: usize = 1024 * 1024;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can pass their own values.
    /// Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(lookup);
        Ok(Self {
            server: ServerSettings::from_env(&env)?,
            database: DbConfig {
                url: env.parse_or(
                    "BULLETIN_DATABASE_URL",
                    "data/bulletin.db",
                    DatabaseUrl::parse,
                )?,
                read_pool_size: env
                    .parse_or("BULLETIN_DB_POOL_SIZE", "8", |v| parse_in_range(v, 1, 256))?,
                timeout: env.parse_or("BULLETIN_DB_TIMEOUT", "5s", parse_duration)?,
                memory_map: true,
            },
            site: SiteSettings::from_env(&env)?,
            accounts: AccountSettings::from_env(&env)?,
            clients: ClientSettings {
                cors_origins: env.parse_or("BULLETIN_CORS_ORIGINS", "", parse_cors_origins)?,
                rate_limit: env.parse_or("BULLETIN_RATE_LIMIT", "on", parse_switch)?,
                trusted_proxies: env.parse_or("BULLETIN_TRUSTED_PROXIES", "", parse_proxies)?,
            },
            caching: CachingSettings {
                response_cache: env.parse_or("BULLETIN_RESPONSE_CACHE", "on", parse_switch)?,
                shared_caching: SharedCaching {
                    max_age: env.parse_or("BULLETIN_CACHE_MAX_AGE", "10s", parse_duration)?,
                    stale_while_revalidate: env.parse_or(
                        "BULLETIN_CACHE_STALE",
                        "30s",
                        parse_duration,
                    )?,
                },
                view_flush_interval: env.parse_or(
                    "BULLETIN_VIEW_FLUSH_INTERVAL",
                    "2s",
                    parse_flush_interval,
                )?,
            },
            attachments: AttachmentSettings {
                dir: env.parse("BULLETIN_ATTACHMENTS_DIR", |v| {
                    Ok::<_, String>(PathBuf::from(v))
                })?,
                limit: env.parse_or("BULLETIN_ATTACHMENT_LIMIT", "20971520", |v| {
                    parse_in_range(v, 1024, 1024 * MIB)
                })?,
            },
            comments: CommentRules {
                moderation: env.parse_or(
                    "BULLETIN_COMMENT_MODERATION",
                    "guests",
                    parse_moderation,
                )?,
                edit_window: env.parse_or("BULLETIN_COMMENT_EDIT_WINDOW", "15m", parse_duration)?,
            },
            guest_ratings: env.parse_or("BULLETIN_GUEST_RATINGS", "on", parse_switch)?,
            webhooks: delivery_policy(&env)?,
            demo: env.parse_or("BULLETIN_DEMO", "1", parse_switch)?,
        })
    }
}

impl ServerSettings {
    fn from_env<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Self, ConfigError> {
        Ok(Self {
            bind: env.parse_or("BULLETIN_BIND", "127.0.0.1:8080", parse_socket_addr)?,
            workers: env.parse_or("BULLETIN_WORKERS", &default_workers(), |v| {
                parse_in_range(v, 1, 512)
            })?,
            body_limit: env.parse_or("BULLETIN_BODY_LIMIT", "1048576", |v| {
                parse_in_range(v, 1024, 64 * MIB)
            })?,
            client_timeout: env.parse_or("BULLETIN_CLIENT_TIMEOUT", "5s", parse_duration)?,
            body_timeout: env.parse_or("BULLETIN_BODY_TIMEOUT", "10s", parse_duration)?,
            shutdown_timeout: env.parse_or("BULLETIN_SHUTDOWN_TIMEOUT", "30s", parse_duration)?,
            log_format: env.parse_or("BULLETIN_LOG_FORMAT", "text", parse_log_format)?,
        })
    }
}

impl SiteSettings {
    fn from_env<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Self, ConfigError> {
        let permalinks = Permalinks {
            article: env.parse("BULLETIN_ARTICLE_URL", parse_url_pattern)?,
            category: env.parse("BULLETIN_CATEGORY_URL", parse_url_pattern)?,
            document: env.parse("BULLETIN_DOCUMENT_URL", parse_url_pattern)?,
            default_lang: env.parse_or("BULLETIN_DEFAULT_LANG", Lang::DEFAULT, |v| {
                Lang::parse(v).map_err(|e| e.to_string())
            })?,
        };
        Ok(Self {
            public_url: env.parse_or(
                "BULLETIN_PUBLIC_URL",
                "http://127.0.0.1:8080",
                parse_base_url,
            )?,
            name: env.parse_or("BULLETIN_SITE_NAME", "Bản tin", |v| {
                crate::text::bounded_line(v, 1, 200)
            })?,
            utc_offset: env.parse_or("BULLETIN_UTC_OFFSET", "+07:00", parse_utc_offset)?,
            legacy_redirects: RedirectTargets(permalinks.overridden_by(Permalinks {
                article: env.parse("BULLETIN_LEGACY_ARTICLE_URL", parse_url_pattern)?,
                category: env.parse("BULLETIN_LEGACY_CATEGORY_URL", parse_url_pattern)?,
                document: env.parse("BULLETIN_LEGACY_DOCUMENT_URL", parse_url_pattern)?,
                ..Permalinks::default()
            })),
            permalinks,
        })
    }
}

impl AccountSettings {
    fn from_env<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Self, ConfigError> {
        Ok(Self {
            admin: admin_bootstrap(env)?,
            registration: env.parse_or("BULLETIN_REGISTRATION", "off", parse_switch)?,
            jwt_secret: env.parse("BULLETIN_JWT_SECRET", parse_jwt_secret)?,
            access_token_ttl: env.parse_or("BULLETIN_ACCESS_TOKEN_TTL", "15m", parse_duration)?,
            sessions: SessionPolicy {
                idle_timeout: env.parse_or("BULLETIN_IDLE_TIMEOUT", "30m", parse_duration)?,
                lifetime: env.parse_or("BULLETIN_SESSION_LIFETIME", "30days", parse_duration)?,
                refresh_grace: env.parse_or("BULLETIN_REFRESH_GRACE", "5", parse_refresh_grace)?,
            },
        })
    }
}

fn delivery_policy<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<DeliveryPolicy, ConfigError> {
    Ok(DeliveryPolicy {
        timeout: env.parse_or("BULLETIN_WEBHOOK_TIMEOUT", "10s", parse_duration)?,
        first_retry: env.parse_or("BULLETIN_WEBHOOK_RETRY", "10s", parse_duration)?,
        max_attempts: env.parse_or("BULLETIN_WEBHOOK_ATTEMPTS", "8", |v| {
            parse_in_range(v, 1, 50)
        })?,
        poll: env.parse_or("BULLETIN_WEBHOOK_POLL", "1s", parse_duration)?,
        private_networks: PrivateNetworks(env.parse_or(
            "BULLETIN_WEBHOOK_ALLOW_PRIVATE",
            "off",
            parse_switch,
        )?),
        ..DeliveryPolicy::default()
    })
}

fn default_workers() -> String {
    cores().to_string()
}

/// The cores this process may run on (two when the system cannot tell):
/// what the default worker count and the search slots follow.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// The environment seen through a lookup function.
struct Env<F>(F);

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn get(&self, variable: &str) -> Option<String> {
        (self.0)(variable).filter(|value| !value.trim().is_empty())
    }

    fn parse<T>(
        &self,
        variable: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        self.get(variable)
            .map(|value| parse(value.trim()).map_err(|reason| ConfigError { variable, reason }))
            .transpose()
    }

    fn parse_or<T>(
        &self,
        variable: &'static str,
        default: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        match self.parse(variable, &parse)? {
            Some(value) => Ok(value),
            None => parse(default).map_err(|reason| ConfigError { variable, reason }),
        }
    }
}

fn admin_bootstrap<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<Option<AdminBootstrap>, ConfigError> {
    let email = env.parse("BULLETIN_ADMIN_EMAIL", |v| {
        Email::parse(v).map_err(|e| e.to_string())
    })?;
    // The password is taken as given (not trimmed): spaces may be part of it.
    let password = (env.0)("BULLETIN_ADMIN_PASSWORD")
        .filter(|value| !value.is_empty())
        .map(|value| Password::parse(value).map_err(|e| e.to_string()))
        .transpose()
        .map_err(|reason| ConfigError {
            variable: "BULLETIN_ADMIN_PASSWORD",
            reason,
        })?;
    match (email, password) {
        (Some(email), Some(password)) => Ok(Some(AdminBootstrap { email, password })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(ConfigError {
            variable: "BULLETIN_ADMIN_PASSWORD",
            reason: "must be set together with BULLETIN_ADMIN_EMAIL".into(),
        }),
        (None, Some(_)) => Err(ConfigError {
            variable: "BULLETIN_ADMIN_EMAIL",
            reason: "must be set together with BULLETIN_ADMIN_PASSWORD".into(),
        }),
    }
}

fn parse_socket_addr(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|_| {
        format!("`{value}` is not an address and port such as 127.0.0.1:8080 or [::1]:8080")
    })
}

fn parse_jwt_secret(value: &str) -> Result<Secret, String> {
    const MIN_LEN: usize = 32;
    if value.len() < MIN_LEN {
        return Err(format!(
            "must be at least {MIN_LEN} bytes long (it is {}); leave it unset to have one generated",
            value.len()
        ));
    }
    Ok(Secret::new(value.to_owned()))
}

fn parse_switch(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "on" | "true" | "yes" => Ok(true),
        "0" | "off" | "false" | "no" => Ok(false),
        _ => Err(format!(
            "`{value}` is neither on (1, on, true, yes) nor off (0, off, false, no)"
        )),
    }
}

fn parse_cors_origins(value: &str) -> Result<CorsOrigins, String> {
    if value.is_empty() {
        return Ok(CorsOrigins::Disabled);
    }
    if value == "*" {
        return Ok(CorsOrigins::Any);
    }
    value
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(parse_origin)
        .collect::<Result<Vec<_>, _>>()
        .map(CorsOrigins::List)
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing after.
fn parse_origin(origin: &str) -> Result<String, String> {
    let invalid = || {
        format!(
            "`{origin}` is not an origin such as https://portal.example.gov.vn (scheme and host, no path)"
        )
    };
    let (scheme, rest) = origin.split_once("://").ok_or_else(invalid)?;
    let scheme_ok = matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https");
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if scheme_ok && host_ok {
        Ok(origin.to_ascii_lowercase())
    } else {
        Err(invalid())
    }
}

fn parse_proxies(value: &str) -> Result<TrustedProxies, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("`{entry}` is neither an IP address nor a network such as 10.0.0.0/8")
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(TrustedProxies::new)
}

/// Seconds (`90`) or a duration with units (`30m`, `1h 30m`, `500ms`).
fn parse_duration(value: &str) -> Result<Duration, String> {
    let duration = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => humantime::parse_duration(value)
            .map_err(|_| format!("`{value}` is not a duration such as 30, 30s, 5m or 1h"))?,
    };
    const TEN_YEARS: Duration = Duration::from_secs(10 * 366 * 86_400);
    if duration.is_zero() {
        return Err("must be longer than zero".into());
    }
    if duration > TEN_YEARS {
        return Err("must be at most 10 years".into());
    }
    Ok(duration)
}

/// A refresh token's reuse grace: `0` turns it off; a minute at most, since
/// a stolen token presented within it passes unnoticed.
fn parse_refresh_grace(value: &str) -> Result<Duration, String> {
    if value.trim() == "0" {
        return Ok(Duration::ZERO);
    }
    let grace = parse_duration(value)?;
    if grace > Duration::from_secs(60) {
        return Err("must be at most 60 seconds: a reused token passes unnoticed within it".into());
    }
    Ok(grace)
}

/// Views must show within 5 seconds (the spec), so flushes come at least that often.
fn parse_flush_interval(value: &str) -> Result<Duration, String> {
    let interval = parse_duration(value)?;
    if interval > crate::readers::view_counts::VIEWS_SHOW_WITHIN {
        return Err("must be at most 5 seconds: views must show within that".into());
    }
    Ok(interval)
}

fn parse_in_range<T>(value: &str, min: T, max: T) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    match value.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(format!(
            "`{value}` is not a whole number from {min} to {max}"
        )),
    }
}

fn parse_utc_offset(value: &str) -> Result<FixedOffset, String> {
    if value.eq_ignore_ascii_case("z") || value.eq_ignore_ascii_case("utc") {
        return Ok(FixedOffset::east_opt(0).expect("zero is a valid offset"));
    }
    value
        .parse::<FixedOffset>()
        .map_err(|_| format!("`{value}` is not a UTC offset such as +07:00 or Z"))
}

/// An absolute http(s) URL, kept without its trailing slash.
fn parse_base_url(value: &str) -> Result<String, String> {
    crate::text::parse_http_url(value.trim().trim_end_matches('/')).map(str::to_owned)
}

fn parse_moderation(value: &str) -> Result<Moderation, String> {
    match value.to_ascii_lowercase().as_str() {
        "all" => Ok(Moderation::All),
        "none" => Ok(Moderation::None),
        "guests" => Ok(Moderation::Guests),
        _ => Err(format!("`{value}` is none of all, none, guests")),
    }
}

fn parse_log_format(value: &str) -> Result<LogFormat, String> {
    match value.to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("`{value}` is neither text nor json")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_serve_the_demo_on_localhost() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(
            s.database.url,
            DatabaseUrl::Sqlite(PathBuf::from("data/bulletin.db"))
        );
        assert!(s.demo);
        assert!(s.clients.rate_limit);
        assert_eq!(s.clients.cors_origins, CorsOrigins::Disabled);
        assert_eq!(s.accounts.sessions.idle_timeout, Duration::from_secs(1800));
        assert_eq!(s.accounts.access_token_ttl, Duration::from_secs(900));
        assert_eq!(
            s.accounts.sessions.lifetime,
            Duration::from_secs(30 * 86400)
        );
        assert_eq!(s.accounts.sessions.refresh_grace, Duration::from_secs(5));
        assert!(
            !s.accounts.registration,
            "readers register only when enabled"
        );
        assert_eq!(s.site.utc_offset, FixedOffset::east_opt(7 * 3600).unwrap());
        assert!(s.accounts.admin.is_none() && s.accounts.jwt_secret.is_none());
    }

    #[test]
    fn a_bad_value_names_the_variable_and_the_expected_form() {
        let err = settings(&[("BULLETIN_BIND", "localhost")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_BIND");
        assert!(err.reason.contains("127.0.0.1:8080"), "{err}");

        let err = settings(&[("BULLETIN_DEMO", "maybe")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_DEMO");

        let err = settings(&[("BULLETIN_IDLE_TIMEOUT", "0")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_IDLE_TIMEOUT");

        let err = settings(&[("BULLETIN_VIEW_FLUSH_INTERVAL", "10s")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_VIEW_FLUSH_INTERVAL");

        let err = settings(&[("BULLETIN_SESSION_LIFETIME", "1000000years")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_SESSION_LIFETIME");

        let err = settings(&[("BULLETIN_DB_POOL_SIZE", "0")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_DB_POOL_SIZE");

        let err = settings(&[("BULLETIN_REFRESH_GRACE", "2m")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_REFRESH_GRACE");
    }

    #[test]
    fn durations_take_seconds_or_units() {
        let s = settings(&[
            ("BULLETIN_IDLE_TIMEOUT", "90"),
            ("BULLETIN_DB_TIMEOUT", "1h 30m"),
        ])
        .unwrap();
        assert_eq!(s.accounts.sessions.idle_timeout, Duration::from_secs(90));
        assert_eq!(s.database.timeout, Duration::from_secs(5400));
        let off = settings(&[("BULLETIN_REFRESH_GRACE", "0")]).unwrap();
        assert_eq!(
            off.accounts.sessions.refresh_grace,
            Duration::ZERO,
            "zero turns the grace off"
        );
    }

    #[test]
    fn switches_accept_the_usual_spellings() {
        for off in ["0", "off", "FALSE", "no"] {
            assert!(
                !settings(&[("BULLETIN_RATE_LIMIT", off)])
                    .unwrap()
                    .clients
                    .rate_limit
            );
        }
        for on in ["1", "On", "true", "yes"] {
            assert!(settings(&[("BULLETIN_DEMO", on)]).unwrap().demo);
        }
    }

    #[test]
    fn cors_origins_are_a_list_a_star_or_nothing() {
        let s = settings(&[(
            "BULLETIN_CORS_ORIGINS",
            "https://Portal.example.gov.vn, http://localhost:3000",
        )])
        .unwrap();
        assert_eq!(
            s.clients.cors_origins,
            CorsOrigins::List(vec![
                "https://portal.example.gov.vn".into(),
                "http://localhost:3000".into()
            ])
        );
        assert_eq!(
            settings(&[("BULLETIN_CORS_ORIGINS", "*")])
                .unwrap()
                .clients
                .cors_origins,
            CorsOrigins::Any
        );
        let err = settings(&[("BULLETIN_CORS_ORIGINS", "https://a.vn/path")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_CORS_ORIGINS");
    }

    #[test]
    fn trusted_proxies_take_addresses_and_networks() {
        let s = settings(&[("BULLETIN_TRUSTED_PROXIES", "10.0.0.0/8, ::1")]).unwrap();
        assert!(
            s.clients
                .trusted_proxies
                .contains("10.1.2.3".parse().unwrap())
        );
        assert!(s.clients.trusted_proxies.contains("::1".parse().unwrap()));
        assert!(
            !s.clients
                .trusted_proxies
                .contains("192.168.1.1".parse().unwrap())
        );
        assert!(settings(&[("BULLETIN_TRUSTED_PROXIES", "proxy.local")]).is_err());
    }

    #[test]
    fn the_admin_needs_both_email_and_password() {
        let err = settings(&[("BULLETIN_ADMIN_EMAIL", "admin@example.vn")]).unwrap_err();
        assert_eq!(err.variable, "BULLETIN_ADMIN_PASSWORD");
        let s = settings(&[
            ("BULLETIN_ADMIN_EMAIL", "Admin@Example.vn"),
            ("BULLETIN_ADMIN_PASSWORD", "a long enough passphrase"),
        ])
        .unwrap();
        assert_eq!(s.accounts.admin.unwrap().email.as_str(), "admin@example.vn");
    }

    #[test]
    fn a_weak_admin_password_is_refused_without_echoing_it() {
        let err = settings(&[
            ("BULLETIN_ADMIN_EMAIL", "admin@example.vn"),
            ("BULLETIN_ADMIN_PASSWORD", "hunter2"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "BULLETIN_ADMIN_PASSWORD");
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn a_short_jwt_secret_is_refused_and_a_long_one_does_not_print() {
        assert!(settings(&[("BULLETIN_JWT_SECRET", "short")]).is_err());
        let secret = "x".repeat(40);
        let s = settings(&[("BULLETIN_JWT_SECRET", &secret)]).unwrap();
        assert!(!format!("{s:?}").contains(&secret));
    }

    #[test]
    fn the_database_url_may_carry_a_sqlite_scheme_but_not_memory() {
        let s = settings(&[("BULLETIN_DATABASE_URL", "sqlite:///var/lib/bulletin.db")]).unwrap();
        assert_eq!(
            s.database.url,
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/bulletin.db"))
        );
        assert!(settings(&[("BULLETIN_DATABASE_URL", ":memory:")]).is_err());
    }

    #[test]
    fn a_postgres_url_selects_postgresql_and_is_logged_without_its_password() {
        for url in [
            "postgres://bulletin:s3cret@db:5432/news",
            "postgresql://bulletin:s3cret@db/news",
        ] {
            let s = settings(&[("BULLETIN_DATABASE_URL", url)]).unwrap();
            assert_eq!(s.database.url, DatabaseUrl::Postgres(url.into()));
            assert!(s.database.url.sqlite_file().is_none());
            assert!(!format!("{s:?}").contains("s3cret"), "{s:?}");
        }
    }
}
