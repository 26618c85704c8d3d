//! `HERALD_EGRESS=public-only`: deliveries reach public addresses only. The
//! check runs on the addresses actually connected to (a resolver of our
//! own hands reqwest only the addresses that passed), so a name that
//! resolves to a public address once and a private one later (DNS
//! rebinding) cannot slip through.

mod ranges;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};

/// Why an attempt was not sent.
#[derive(Debug, thiserror::Error)]
#[error("Egress refused: {host} resolves to no public address ({addresses})")]
pub struct EgressRefused {
    /// The URL's host, as given.
    pub host: String,
    /// What it resolved to, comma-separated.
    pub addresses: String,
}

/// Whether `ip` is anything but a public unicast address (the table is in `ranges.rs`).
pub fn is_forbidden(ip: IpAddr) -> bool {
    ranges::forbidden_range(ip).is_some()
}

/// Refuses an IP-literal host at once (reqwest resolves no names for those).
pub fn check_literal(url: &str) -> Result<(), EgressRefused> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Ok(());
    };
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if is_forbidden(ip) {
        return Err(EgressRefused {
            host: ip.to_string(),
            addresses: ip.to_string(),
        });
    }
    Ok(())
}

/// For an attempt that goes through a proxy, which resolves the host
/// itself: the host must resolve, and to public addresses only. The proxy
/// resolves it again, so a name that changes its answer in between (DNS
/// rebinding) is checked here but not there.
pub async fn check_before_proxy(url: &str) -> Result<(), EgressRefused> {
    check_literal(url)?;
    let Ok(parsed) = url::Url::parse(url) else {
        return Ok(());
    };
    let Some(url::Host::Domain(host)) = parsed.host() else {
        return Ok(());
    };
    let port = parsed.port_or_known_default().unwrap_or(443);
    let found: Vec<IpAddr> = tokio::net::lookup_host((host, port))
        .await
        .map(|addrs| addrs.map(|addr| addr.ip()).collect())
        .unwrap_or_default();
    if found.is_empty() || found.iter().any(|ip| is_forbidden(*ip)) {
        let addresses = found
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(EgressRefused {
            host: host.to_owned(),
            addresses,
        });
    }
    Ok(())
}

/// A resolver that passes on only public addresses.
#[derive(Debug, Default)]
pub struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|addr| !is_forbidden(addr.ip()))
                .collect();
            if public.is_empty() {
                let addresses = found
                    .iter()
                    .map(|addr| addr.ip().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let refused: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(EgressRefused { host, addresses });
                return Err(refused);
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literal_urls_are_checked_before_connecting() {
        assert!(check_literal("http://127.0.0.1:8080/h").is_err());
        assert!(check_literal("http://[::1]:8080/h").is_err());
        assert!(check_literal("https://[::ffff:10.0.0.1]/h").is_err());
        assert!(check_literal("https://8.8.8.8/h").is_ok());
        assert!(
            check_literal("https://example.com/h").is_ok(),
            "names go through the resolver"
        );
    }
}
