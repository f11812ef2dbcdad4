//! The client's address: the socket peer, unless the peer is a trusted proxy,
//! in which case `X-Forwarded-For` is read from the right, skipping trusted hops.
//!
//! An IPv4 client reaching a dual-stack socket (`[::]`) arrives as an
//! IPv4-mapped IPv6 address (`::ffff:203.0.113.7`): every address is made
//! canonical (plain IPv4) before it is matched or keyed, or all IPv4
//! clients would share one IPv6 /64 bucket.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::net::{IpAddr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use ipnet::IpNet;

/// The proxies allowed to tell us the client's address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }
}

/// The address rate limits and voter checks are keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The client of `req`; the unspecified address for a request with no
    /// peer (only in-process test requests have none).
    pub fn of_request(req: &HttpRequest) -> Self {
        Self::of(req).unwrap_or(Self(IpAddr::from([0, 0, 0, 0])))
    }

    /// `None` only for requests with no peer (in-process tests).
    pub fn of(req: &HttpRequest) -> Option<Self> {
        let peer = req.peer_addr()?.ip().to_canonical();
        let Some(trusted) = req.app_data::<web::Data<TrustedProxies>>() else {
            return Some(Self(peer));
        };
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect();
        Some(Self(resolve(peer, &forwarded.join(","), trusted)))
    }
}

/// What limits count a client address as: an IPv6 client by its /64, since
/// one subscriber holds a whole one; an IPv4 client by its address.
pub fn subscriber(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        v4 @ IpAddr::V4(_) => v4,
        IpAddr::V6(v6) => IpAddr::V6(ipnet::Ipv6Net::new(v6, 64).map_or(v6, |net| net.network())),
    }
}

/// Walks the chain from the nearest hop outwards and stops at the first
/// address we do not trust: everything left of it could have been forged.
fn resolve(peer: IpAddr, forwarded_for: &str, trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(peer) {
        return client;
    }
    for hop in forwarded_for
        .rsplit(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
    {
        let Some(address) = parse_hop(hop) else {
            // Garbage in the chain: believe no further than the last good hop.
            break;
        };
        client = address;
        if !trusted.contains(address) {
            break;
        }
    }
    client
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|address| address.to_canonical())
}

impl FromRequest for ClientAddr {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of_request(req)))
    }
}

#[cfg(test)]
mod tests {
    use ipnet::IpNet;

    use super::*;

    fn trusted(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            networks
                .iter()
                .map(|n| n.parse::<IpNet>().unwrap())
                .collect(),
        )
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_cannot_claim_another_address() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("198.51.100.9"), "1.2.3.4", &proxies),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn a_trusted_proxy_forwards_the_client() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("10.0.0.2"), "203.0.113.7", &proxies),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn forged_entries_left_of_the_first_untrusted_hop_are_ignored() {
        let proxies = trusted(&["10.0.0.0/8"]);
        let chain = "6.6.6.6, 203.0.113.7, 10.0.0.5";
        assert_eq!(resolve(ip("10.0.0.2"), chain, &proxies), ip("203.0.113.7"));
    }

    #[test]
    fn ports_and_bracketed_ipv6_are_understood() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("10.0.0.2"), "203.0.113.7:4711", &proxies),
            ip("203.0.113.7")
        );
        assert_eq!(
            resolve(ip("10.0.0.2"), "[2001:db8::1]:80", &proxies),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn ipv4_mapped_addresses_count_as_their_ipv4_address() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("10.0.0.2"), "::ffff:203.0.113.7", &proxies),
            ip("203.0.113.7")
        );
        assert_eq!(
            subscriber(ip("::ffff:203.0.113.7")),
            ip("203.0.113.7"),
            "not the /64 every mapped IPv4 address shares"
        );
        assert_ne!(
            subscriber(ip("::ffff:203.0.113.7")),
            subscriber(ip("::ffff:198.51.100.9"))
        );
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_good_hop() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("10.0.0.2"), "unknown, 10.0.0.7", &proxies),
            ip("10.0.0.7")
        );
        assert_eq!(resolve(ip("10.0.0.2"), "", &proxies), ip("10.0.0.2"));
    }
}
