//! Which addresses `public-only` refuses: every range of IANA's IPv4 and
//! IPv6 special-purpose address registries that is not globally reachable,
//! and multicast. `192.0.0.0/24` and `2001::/23` are refused whole, the few
//! globally reachable blocks inside them (192.0.0.9, 2001:3::/32,
//! ORCHIDv2, ...) included: no webhook receiver lives there. Addresses that
//! carry an IPv4 inside (mapped, NAT64, 6to4) are judged by that IPv4.

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr},
    sync::LazyLock,
};

/// Refused IPv4 ranges, each with its registry name.
const V4: [(&str, &str); 15] = [
    ("0.0.0.0/8", "this network (unspecified included)"),
    ("10.0.0.0/8", "private use"),
    ("100.64.0.0/10", "shared address space (CGNAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link local (cloud metadata)"),
    ("172.16.0.0/12", "private use"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
    ("192.168.0.0/16", "private use"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved (limited broadcast included)"),
];

/// Refused IPv6 ranges. `::ffff:0:0/96`, `64:ff9b::/96` and `2002::/16`
/// are not here: they are judged by the IPv4 inside.
const V6: [(&str, &str); 15] = [
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::/96", "IPv4-compatible (deprecated)"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
    ("100::/64", "discard-only"),
    ("100:0:0:1::/64", "dummy prefix"),
    ("2001::/23", "IETF protocol assignments (Teredo included)"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing (SRv6) SIDs"),
    ("fc00::/7", "unique local (AWS metadata fd00:ec2::254)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (deprecated)"),
    ("ff00::/8", "multicast"),
    ("::ffff:0:0.0.0.0/96", "IPv4-translated (SIIT, RFC 2765)"),
];

static TABLE: LazyLock<Vec<(IpNet, &'static str)>> = LazyLock::new(|| {
    let v4 = V4.iter().map(|(net, why)| {
        let net: Ipv4Net = net.parse().expect("the IPv4 table parses");
        (IpNet::V4(net), *why)
    });
    let v6 = V6.iter().map(|(net, why)| {
        let net: Ipv6Net = net.parse().expect("the IPv6 table parses");
        (IpNet::V6(net), *why)
    });
    v4.chain(v6).collect()
});

/// Why `ip` is refused (the registry's name of its range), or `None` for a
/// public unicast address.
pub fn forbidden_range(ip: IpAddr) -> Option<&'static str> {
    let ip = match ip {
        IpAddr::V6(v6) => embedded_v4(v6).map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    TABLE
        .iter()
        .find(|(net, _)| net.contains(&ip))
        .map(|(_, why)| *why)
}

/// The IPv4 address an IPv6 one reaches: IPv4-mapped, NAT64 (RFC 6052's
/// well-known prefix) and 6to4.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let v4 = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(v4(s[6], s[7]));
    }
    (s[0] == 0x2002).then(|| v4(s[1], s[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> bool {
        forbidden_range(text.parse().unwrap()).is_some()
    }

    /// The first and last address of every range of the table are refused,
    /// and the addresses just outside it (when public) pass.
    #[test]
    fn every_range_of_the_table_is_refused_edge_to_edge() {
        for (net, why) in TABLE.iter() {
            for edge in [net.network(), net.broadcast()] {
                assert!(
                    forbidden_range(edge).is_some(),
                    "{edge} ({why}) must be refused"
                );
            }
        }
        for outside in [
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.88.98.255",
            "192.88.100.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
        ] {
            assert!(!refused(outside), "{outside} is public");
        }
    }

    #[test]
    fn the_ranges_a_review_found_missing_are_refused() {
        for ip in [
            "64:ff9b:1::1",
            "64:ff9b:1:ffff::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:1ff:ffff::1",
            "100::1",
            "3fff::1",
            "3fff:fff:ffff::1",
            "192.88.99.1",
        ] {
            assert!(refused(ip), "{ip} must be refused");
        }
    }

    #[test]
    fn addresses_carrying_an_ipv4_are_judged_by_it() {
        for ip in [
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "::127.0.0.1",
        ] {
            assert!(refused(ip), "{ip} must be refused");
        }
        for ip in ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"] {
            assert!(!refused(ip), "{ip} reaches a public IPv4");
        }
    }

    /// Known addresses of each kind, written out rather than taken from the
    /// table, so a wrong prefix in it shows.
    #[test]
    fn known_non_public_addresses_are_refused() {
        for ip in [
            "0.1.2.3",
            "10.0.0.1",
            "10.255.255.255",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.255.255",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "fc00::1",
            "fd00:ec2::254",
            "fdff:ffff::1",
            "ff02::1",
            "2001:db8::1",
            "5f00::1",
            "::ffff:0:7f00:1",
        ] {
            assert!(refused(ip), "{ip} must be refused");
        }
        for ip in ["fe00::1", "fbff::1", "2001:db9::1", "5f01::1", "4000::1"] {
            assert!(!refused(ip), "{ip} is outside every range");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "2606:4700:4700::1111",
            "2a00:1450:4001::1",
            "2001:200::1",
            "2620:4f:8000::1",
        ] {
            assert!(!refused(ip), "{ip} is public");
        }
    }
}
