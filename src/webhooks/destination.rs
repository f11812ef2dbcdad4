//! Where deliveries may go. A webhook makes this server send requests to an
//! address an admin typed: aimed at loopback, the cloud's metadata service
//! (`169.254.169.254`) or the intranet, it would reach what the internet
//! cannot (SSRF). Destinations are checked when a webhook is written and
//! again at every send, on the addresses the name resolves to then (a name
//! may later resolve elsewhere), and the request goes to the address checked.
//! `BULLETIN_WEBHOOK_ALLOW_PRIVATE=on` lets an operator deliver to private
//! networks and this host (provincial intranets are real); link-local,
//! multicast and other special addresses stay refused.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use url::{Host, Url};

/// Whether deliveries may go to private networks and this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrivateNetworks(pub bool);

/// Why a destination is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DestinationError {
    #[error("is not an absolute http(s) URL such as https://cong.binhdinh.gov.vn/hooks")]
    NotHttp,
    #[error("must not carry a user name or password (put the secret in `secret`)")]
    Credentials,
    #[error(
        "points at {0}, which deliveries may not reach (an operator may allow private networks with BULLETIN_WEBHOOK_ALLOW_PRIVATE=on)"
    )]
    Forbidden(IpAddr),
    #[error("names this host (localhost), which deliveries may not reach")]
    Localhost,
    #[error("has a host name that does not resolve")]
    Unresolved,
}

/// A destination URL that passed the checks that need no name resolution.
#[derive(Debug, Clone)]
pub struct Destination(Url);

/// The JSON Schema of what [`Destination::parse`] takes: an http(s) URL
/// whose host is a name (its last label starting with a letter, so that it
/// never reads as an IPv4 number), with a port of at most four digits.
/// The parser also takes address literals and other ports; a destination
/// the operator keeps deliveries from is refused after parsing (403).
pub struct WebhookUrl;

crate::schema_of!(
    WebhookUrl,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(Destination::MAX_CHARS))
        .pattern(Some(format!(
            "^https?://([A-Za-z0-9-]+\\.)*[A-Za-z][A-Za-z0-9-]*(:[1-9][0-9]{{0,3}})?([/?#][^{}]*)?$",
            crate::text::BLANK_OR_CONTROL
        )))
        .build(),
    "https://cong.binhdinh.gov.vn/hooks/bulletin"
);

impl Destination {
    pub const MAX_CHARS: usize = 2000;

    /// Parses `input` as browsers do (so `http://2130706433/` is
    /// `127.0.0.1`) and checks what it names without resolving it.
    pub fn parse(input: &str, private: PrivateNetworks) -> Result<Self, DestinationError> {
        if input.chars().count() > Self::MAX_CHARS {
            return Err(DestinationError::NotHttp);
        }
        let url = Url::parse(input.trim()).map_err(|_| DestinationError::NotHttp)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(DestinationError::NotHttp);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(DestinationError::Credentials);
        }
        match url.host() {
            None => return Err(DestinationError::NotHttp),
            Some(Host::Ipv4(v4)) => check(IpAddr::V4(v4), private)?,
            Some(Host::Ipv6(v6)) => check(IpAddr::V6(v6), private)?,
            Some(Host::Domain(name)) => {
                let name = name.trim_end_matches('.');
                if !private.0 && (name == "localhost" || name.ends_with(".localhost")) {
                    return Err(DestinationError::Localhost);
                }
            }
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the host is an IP address (no name to resolve).
    pub fn is_address(&self) -> bool {
        matches!(self.0.host(), Some(Host::Ipv4(_) | Host::Ipv6(_)))
    }

    /// The address to connect to: the first the host resolves to now, when
    /// every address it resolves to may be reached. Blocking (DNS).
    pub fn resolve(&self, private: PrivateNetworks) -> Result<SocketAddr, DestinationError> {
        let port = self
            .0
            .port_or_known_default()
            .ok_or(DestinationError::NotHttp)?;
        let addresses: Vec<SocketAddr> = match self.0.host() {
            Some(Host::Ipv4(v4)) => vec![SocketAddr::new(IpAddr::V4(v4), port)],
            Some(Host::Ipv6(v6)) => vec![SocketAddr::new(IpAddr::V6(v6), port)],
            Some(Host::Domain(name)) => (name, port)
                .to_socket_addrs()
                .map_err(|_| DestinationError::Unresolved)?
                .collect(),
            None => return Err(DestinationError::NotHttp),
        };
        for address in &addresses {
            check(address.ip(), private)?;
        }
        addresses
            .first()
            .copied()
            .ok_or(DestinationError::Unresolved)
    }
}

/// Whether deliveries may reach `address`.
fn check(address: IpAddr, private: PrivateNetworks) -> Result<(), DestinationError> {
    let address = address.to_canonical();
    let allowed = match reach_of(address) {
        Reach::Public => true,
        Reach::Private => private.0,
        Reach::Never => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(DestinationError::Forbidden(address))
    }
}

enum Reach {
    Public,
    /// Private networks and this host: an operator may allow them.
    Private,
    /// Link-local (cloud metadata), multicast, unspecified, reserved.
    Never,
}

fn reach_of(address: IpAddr) -> Reach {
    match address {
        IpAddr::V4(v4) => reach_of_v4(v4),
        IpAddr::V6(v6) => reach_of_v6(v6),
    }
}

fn reach_of_v4(v4: Ipv4Addr) -> Reach {
    let [a, b, ..] = v4.octets();
    if v4.is_loopback() || v4.is_private() || (a == 100 && (64..128).contains(&b)) {
        // 100.64.0.0/10 is carrier-grade NAT: someone's private network.
        Reach::Private
    } else if v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_multicast()
        || v4.is_broadcast()
        || a == 0
        || a >= 240
        || v4.is_documentation()
        || (a == 198 && (b == 18 || b == 19))
    {
        Reach::Never
    } else {
        Reach::Public
    }
}

fn reach_of_v6(v6: Ipv6Addr) -> Reach {
    let segments = v6.segments();
    let octets = v6.octets();
    if v6.is_loopback() {
        return Reach::Private;
    }
    if v6.is_unspecified() {
        return Reach::Never;
    }
    // Forms that carry an IPv4 address are judged by it: NAT64
    // (64:ff9b::/96) and the deprecated IPv4-compatible ::a.b.c.d (::/96)
    // in their last four bytes, 6to4 (2002::/16) in bytes 2 to 5.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] || segments[..6] == [0; 6] {
        return reach_of_v4(Ipv4Addr::new(
            octets[12], octets[13], octets[14], octets[15],
        ));
    }
    if segments[0] == 0x2002 {
        return reach_of_v4(Ipv4Addr::new(octets[2], octets[3], octets[4], octets[5]));
    }
    let first = segments[0];
    if (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfec0 {
        // Unique local (fc00::/7) and the old site-local (fec0::/10).
        Reach::Private
    } else if v6.is_multicast()
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && segments[1] == 0x0db8)
        // Local-use NAT64 (64:ff9b:1::/48) translates to anything.
        || (first == 0x64 && segments[1] == 0xff9b)
    {
        Reach::Never
    } else {
        Reach::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: PrivateNetworks = PrivateNetworks(false);
    const INTRANET: PrivateNetworks = PrivateNetworks(true);

    fn refused(url: &str, private: PrivateNetworks) -> bool {
        Destination::parse(url, private).is_err()
    }

    #[test]
    fn public_destinations_are_taken() {
        for url in [
            "https://cong.binhdinh.gov.vn/hooks/bulletin",
            "http://203.0.114.5:8080/x",
            "https://[2606:4700::1111]/",
        ] {
            assert!(!refused(url, DEFAULT), "{url}");
        }
    }

    #[test]
    fn this_host_metadata_and_private_networks_are_refused_by_default() {
        for url in [
            "http://127.0.0.1/",
            "http://localhost:8080/",
            "http://api.localhost/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/",
            "http://192.168.1.10/",
            "http://172.20.0.1/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[::127.0.0.1]/",
            "http://[2002:7f00:1::]/",
            "http://[64:ff9b:1::1]/",
            "http://[fec0::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
        ] {
            assert!(refused(url, DEFAULT), "{url}");
        }
    }

    #[test]
    fn an_operator_may_allow_private_networks_but_never_link_local() {
        for url in [
            "http://10.1.2.3/",
            "http://127.0.0.1:9000/",
            "http://localhost/",
        ] {
            assert!(!refused(url, INTRANET), "{url}");
        }
        for url in [
            "http://169.254.169.254/",
            "http://[fe80::1]/",
            "http://0.0.0.0/",
        ] {
            assert!(refused(url, INTRANET), "{url}");
        }
    }

    #[test]
    fn what_is_no_http_destination_is_refused() {
        for url in [
            "ftp://example.vn/",
            "not a url",
            "http://",
            "https://user:pass@example.vn/",
            "javascript:alert(1)",
        ] {
            assert!(refused(url, DEFAULT), "{url}");
        }
    }

    #[test]
    fn a_resolved_literal_is_checked_again() {
        let destination = Destination::parse("http://127.0.0.1:9/", INTRANET).unwrap();
        assert_eq!(
            destination.resolve(DEFAULT),
            Err(DestinationError::Forbidden("127.0.0.1".parse().unwrap()))
        );
        assert_eq!(
            destination.resolve(INTRANET),
            Ok("127.0.0.1:9".parse().unwrap())
        );
    }
}
