//! The address guard: which hosts and addresses a fetch may reach. Only `http` and `https`
//! URLs are fetched, and never an address on this machine or its networks (loopback,
//! private, link-local, CGNAT, multicast, broadcast, unspecified, `0.0.0.0/8`, unique-local
//! and site-local IPv6, and the IPv4-mapped, IPv4-compatible and NAT64 forms of these),
//! unless the allow list or `--allow-private` permits it.
//!
//! The guard decides; it does not connect. The fetcher ([`super::fetch`]) asks it about
//! every URL it is about to request (IP-literal hosts are checked here, since they are never
//! resolved) and about every address a host name resolves to, and connects only to the
//! addresses it permitted.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use url::{Host, Url};

/// Why an address is refused by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressClass {
    /// `127.0.0.0/8`, `::1`: this machine.
    Loopback,
    /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918).
    Private,
    /// `169.254.0.0/16` (where cloud metadata services answer), `fe80::/10`.
    LinkLocal,
    /// `100.64.0.0/10`, the carrier-grade NAT space (RFC 6598).
    SharedCgnat,
    /// `224.0.0.0/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `0.0.0.0`, `::`.
    Unspecified,
    /// `0.0.0.0/8` but `0.0.0.0`: "this network".
    ThisNetwork,
    /// `fc00::/7` (RFC 4193).
    UniqueLocal,
    /// `fec0::/10`, the deprecated site-local space.
    SiteLocal,
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private (RFC 1918)",
            AddressClass::LinkLocal => "link-local",
            AddressClass::SharedCgnat => "in the carrier-grade NAT range (100.64.0.0/10)",
            AddressClass::Multicast => "multicast",
            AddressClass::Broadcast => "broadcast",
            AddressClass::Unspecified => "unspecified",
            AddressClass::ThisNetwork => "in \"this network\" (0.0.0.0/8)",
            AddressClass::UniqueLocal => "unique-local (fc00::/7)",
            AddressClass::SiteLocal => "site-local (fec0::/10)",
        })
    }
}

/// How an IPv6 address carries the IPv4 address it was classified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    /// `::ffff:a.b.c.d`.
    Mapped,
    /// `::a.b.c.d` (deprecated).
    Compatible,
    /// `64:ff9b::a.b.c.d`, translated to IPv4 by a NAT64 gateway.
    Nat64,
}

/// An address the guard refuses by default, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    /// The class that refuses it.
    pub class: AddressClass,
    /// For an IPv6 address classified by the IPv4 address inside it: how, and which.
    pub embedded: Option<(Embedding, Ipv4Addr)>,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.class)?;
        match self.embedded {
            Some((Embedding::Mapped, v4)) => write!(f, " (IPv4-mapped {v4})"),
            Some((Embedding::Compatible, v4)) => write!(f, " (IPv4-compatible {v4})"),
            Some((Embedding::Nat64, v4)) => write!(f, " (NAT64 of {v4})"),
            None => Ok(()),
        }
    }
}

/// The class that refuses `ip` by default, or `None` for an address the guard lets through.
pub fn classify(ip: IpAddr) -> Option<Blocked> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4).map(|class| Blocked {
            class,
            embedded: None,
        }),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<AddressClass> {
    let [a, b, ..] = ip.octets();
    let class = if ip.is_unspecified() {
        AddressClass::Unspecified
    } else if a == 0 {
        AddressClass::ThisNetwork
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() {
        AddressClass::Private
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if a == 100 && (b & 0xc0) == 64 {
        AddressClass::SharedCgnat
    } else if ip.is_multicast() {
        AddressClass::Multicast
    } else if ip.is_broadcast() {
        AddressClass::Broadcast
    } else {
        return None;
    };
    Some(class)
}

fn classify_v6(ip: Ipv6Addr) -> Option<Blocked> {
    let s = ip.segments();
    let own = |class| {
        Some(Blocked {
            class,
            embedded: None,
        })
    };
    let low32 = Ipv4Addr::from(u32::from(s[6]) << 16 | u32::from(s[7]));
    let embedding = match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(Embedding::Mapped),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(Embedding::Nat64),
        _ if ip.is_unspecified() => return own(AddressClass::Unspecified),
        _ if ip.is_loopback() => return own(AddressClass::Loopback),
        [0, 0, 0, 0, 0, 0, _, _] => Some(Embedding::Compatible),
        _ => None,
    };
    if let Some(how) = embedding {
        return classify_v4(low32).map(|class| Blocked {
            class,
            embedded: Some((how, low32)),
        });
    }
    match s[0] {
        x if x & 0xfe00 == 0xfc00 => own(AddressClass::UniqueLocal),
        x if x & 0xffc0 == 0xfe80 => own(AddressClass::LinkLocal),
        x if x & 0xffc0 == 0xfec0 => own(AddressClass::SiteLocal),
        x if x & 0xff00 == 0xff00 => own(AddressClass::Multicast),
        _ => None,
    }
}

/// One entry of `[fetch] allow`: a host name, an address, or a CIDR range that may be
/// fetched even though the guard would refuse it.
///
/// An address or range also covers the IPv4-mapped form of its IPv4 addresses; a host name
/// covers every address it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowRule {
    /// A host name, lower-case, without a trailing dot: `intranet.example`.
    Host(String),
    /// One address: `127.0.0.1`, `::1`.
    Address(IpAddr),
    /// A range: `10.0.0.0/8`, `fd00::/8`.
    Range {
        /// The first address of the range (its host bits are zero).
        network: IpAddr,
        /// The length of the prefix, in bits.
        prefix: u8,
    },
}

/// Why a `[fetch] allow` entry is not a host name, an address or a CIDR range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a host name, an IP address or a CIDR range: {why}")]
pub struct BadAllowRule {
    /// The entry as written.
    pub text: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl FromStr for AllowRule {
    type Err = BadAllowRule;

    fn from_str(text: &str) -> Result<AllowRule, BadAllowRule> {
        let bad = |why| BadAllowRule {
            text: text.to_owned(),
            why,
        };
        let t = text.trim();
        if t.is_empty() {
            return Err(bad("it is empty"));
        }
        if let Some((addr, prefix)) = t.split_once('/') {
            let network: IpAddr = addr
                .parse()
                .map_err(|_| bad("the range's address is not an IP address"))?;
            let bits = if network.is_ipv4() { 32 } else { 128 };
            let prefix: u8 = (prefix.parse().ok()).filter(|p| *p <= bits).ok_or(bad(
                "the prefix length is not a number of bits the address has",
            ))?;
            if masked(network, prefix) != network {
                return Err(bad(
                    "the address has bits set beyond the prefix (write the range's first address)",
                ));
            }
            return Ok(AllowRule::Range { network, prefix });
        }
        let bare = t.strip_prefix('[').and_then(|v| v.strip_suffix(']'));
        if let Ok(address) = bare.unwrap_or(t).parse::<IpAddr>() {
            return Ok(AllowRule::Address(address));
        }
        if t.contains([':', '/', '@', '?', '#']) {
            return Err(bad("give the host alone, without a scheme, port or path"));
        }
        match Host::parse(t) {
            Ok(Host::Domain(name)) => Ok(AllowRule::Host(name.trim_end_matches('.').to_owned())),
            Ok(Host::Ipv4(v4)) => Ok(AllowRule::Address(IpAddr::V4(v4))),
            Ok(Host::Ipv6(v6)) => Ok(AllowRule::Address(IpAddr::V6(v6))),
            Err(_) => Err(bad("it is not a valid host name")),
        }
    }
}

impl AllowRule {
    /// Whether this rule covers `ip` (or, for a host rule, the host `host`).
    fn covers(&self, host: Option<&str>, ip: IpAddr) -> bool {
        let canonical = ip.to_canonical();
        match self {
            AllowRule::Host(name) => host.is_some_and(|h| h.trim_end_matches('.') == name),
            AllowRule::Address(a) => *a == ip || *a == canonical,
            AllowRule::Range { network, prefix } => [ip, canonical]
                .iter()
                .any(|&a| a.is_ipv4() == network.is_ipv4() && masked(a, *prefix) == *network),
        }
    }
}

/// `ip` with every bit after the first `prefix` set to zero.
fn masked(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// What a refusal tells the user to do: the way to permit an address where the fetch was
/// asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Permit {
    /// A feed definition: its `[fetch] allow` list.
    #[default]
    AllowList,
    /// The command line: `--allow-private`.
    Flag,
}

impl fmt::Display for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Permit::AllowList => "add it to [fetch] allow to permit",
            Permit::Flag => "pass --allow-private to permit",
        })
    }
}

/// Why the guard refused a URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The scheme is neither `http` nor `https` (a redirect to `file:`, say).
    #[error("refused: {}only http and https URLs are fetched, not `{scheme}`", redirect_part(.redirect))]
    Scheme {
        /// The scheme.
        scheme: String,
        /// The redirect target, when a redirect led there.
        redirect: Option<String>,
    },
    /// The URL has no host.
    #[error("refused: {}the URL has no host", redirect_part(.redirect))]
    NoHost {
        /// The redirect target, when a redirect led there.
        redirect: Option<String>,
    },
    /// The host is, or resolves only to, addresses the guard refuses.
    #[error("refused: {}{} is {blocked}; {permit}", redirect_part(.redirect), subject(.host, .address))]
    Address {
        /// The host name, when the address is one it resolved to.
        host: Option<String>,
        /// The refused address (the first, when the host has several).
        address: IpAddr,
        /// Why it is refused.
        blocked: Blocked,
        /// How to permit it.
        permit: Permit,
        /// The redirect target, when a redirect led there.
        redirect: Option<String>,
    },
}

fn redirect_part(redirect: &Option<String>) -> String {
    redirect
        .as_ref()
        .map(|to| format!("redirected to {to}: "))
        .unwrap_or_default()
}

/// `127.0.0.1`, or `localhost resolves to 127.0.0.1, which`.
fn subject(host: &Option<String>, address: &IpAddr) -> String {
    match host {
        Some(h) => format!("{h} resolves to {address}, which"),
        None => address.to_string(),
    }
}

impl Refusal {
    /// The same refusal, said of a redirect to `target`.
    pub fn at_redirect(mut self, target: &Url) -> Refusal {
        let to = Some(target.to_string());
        match &mut self {
            Refusal::Scheme { redirect, .. }
            | Refusal::NoHost { redirect }
            | Refusal::Address { redirect, .. } => *redirect = to,
        }
        self
    }
}

/// The rules one run fetches under: the allow list, `--allow-private`, and how a refusal
/// says to permit an address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guard {
    allow: Vec<AllowRule>,
    allow_private: bool,
    permit: Permit,
}

impl Guard {
    /// A guard permitting what `allow` lists (or, with `allow_private`, every address);
    /// refusals say to permit an address as `permit` does.
    pub fn new(allow: Vec<AllowRule>, allow_private: bool, permit: Permit) -> Guard {
        Guard {
            allow,
            allow_private,
            permit,
        }
    }

    /// Checks what can be checked of `url` before any resolution: the scheme, and the
    /// address of an IP-literal host (decimal and short IPv4 forms such as `2130706433`
    /// and `127.1` are addresses once the URL is parsed). A host name is checked by
    /// [`Guard::permitted`] once resolved.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme {
                scheme: url.scheme().to_owned(),
                redirect: None,
            });
        }
        match url.host() {
            None => Err(Refusal::NoHost { redirect: None }),
            Some(Host::Domain(_)) => Ok(()),
            Some(Host::Ipv4(v4)) => self.check(None, IpAddr::V4(v4)),
            Some(Host::Ipv6(v6)) => self.check(None, IpAddr::V6(v6)),
        }
    }

    /// The addresses `host` resolved to that may be connected to, in their order; a refusal
    /// naming the first refused address when none may.
    pub fn permitted(&self, host: &str, addresses: &[IpAddr]) -> Result<Vec<IpAddr>, Refusal> {
        let mut first_refusal = None;
        let mut permitted = Vec::new();
        for &address in addresses {
            match self.check(Some(host), address) {
                Ok(()) => permitted.push(address),
                Err(refusal) => {
                    first_refusal.get_or_insert(refusal);
                }
            }
        }
        match (permitted.is_empty(), first_refusal) {
            (true, Some(refusal)) => Err(refusal),
            _ => Ok(permitted),
        }
    }

    fn check(&self, host: Option<&str>, address: IpAddr) -> Result<(), Refusal> {
        let Some(blocked) = classify(address) else {
            return Ok(());
        };
        if self.allow_private || self.allow.iter().any(|r| r.covers(host, address)) {
            return Ok(());
        }
        Err(Refusal::Address {
            host: host.map(str::to_owned),
            address,
            blocked,
            permit: self.permit,
            redirect: None,
        })
    }
}

#[cfg(test)]
mod tests;
