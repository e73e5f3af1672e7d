//! The guard's rules as tables: address classes, URL forms, allow rules, messages.

use super::*;

/// Every form the guard must refuse by default, with its class, and forms it lets
/// through (`None`).
const ADDRESSES: &[(&str, Option<AddressClass>)] = &[
    ("127.0.0.1", Some(AddressClass::Loopback)),
    ("127.255.255.254", Some(AddressClass::Loopback)),
    ("::1", Some(AddressClass::Loopback)),
    ("10.0.0.1", Some(AddressClass::Private)),
    ("172.16.0.1", Some(AddressClass::Private)),
    ("172.31.255.255", Some(AddressClass::Private)),
    ("192.168.1.1", Some(AddressClass::Private)),
    ("169.254.169.254", Some(AddressClass::LinkLocal)),
    ("fe80::1", Some(AddressClass::LinkLocal)),
    ("febf::1", Some(AddressClass::LinkLocal)),
    ("100.64.0.1", Some(AddressClass::SharedCgnat)),
    ("100.127.255.255", Some(AddressClass::SharedCgnat)),
    ("224.0.0.1", Some(AddressClass::Multicast)),
    ("239.255.255.250", Some(AddressClass::Multicast)),
    ("ff02::1", Some(AddressClass::Multicast)),
    ("255.255.255.255", Some(AddressClass::Broadcast)),
    ("0.0.0.0", Some(AddressClass::Unspecified)),
    ("::", Some(AddressClass::Unspecified)),
    ("0.1.2.3", Some(AddressClass::ThisNetwork)),
    ("fc00::1", Some(AddressClass::UniqueLocal)),
    ("fd12:3456::1", Some(AddressClass::UniqueLocal)),
    ("fec0::1", Some(AddressClass::SiteLocal)),
    ("::ffff:127.0.0.1", Some(AddressClass::Loopback)),
    ("::ffff:169.254.169.254", Some(AddressClass::LinkLocal)),
    ("::ffff:10.1.2.3", Some(AddressClass::Private)),
    ("::ffff:0.0.0.0", Some(AddressClass::Unspecified)),
    ("64:ff9b::127.0.0.1", Some(AddressClass::Loopback)),
    ("64:ff9b::a9fe:a9fe", Some(AddressClass::LinkLocal)),
    ("64:ff9b::192.168.0.1", Some(AddressClass::Private)),
    ("::127.0.0.1", Some(AddressClass::Loopback)),
    ("::10.0.0.1", Some(AddressClass::Private)),
    ("93.184.215.14", None),
    ("8.8.8.8", None),
    ("172.32.0.1", None),
    ("172.15.255.255", None),
    ("100.63.255.255", None),
    ("100.128.0.0", None),
    ("169.253.255.255", None),
    ("1.0.0.1", None),
    ("2606:4700::1111", None),
    ("::ffff:8.8.8.8", None),
    ("64:ff9b::8.8.8.8", None),
    ("fe00::1", None),
    ("2001:db8::1", None),
];

#[test]
fn classifies_every_address_form() {
    for (text, want) in ADDRESSES {
        let ip: IpAddr = text.parse().expect("a test address");
        assert_eq!(classify(ip).map(|b| b.class), *want, "{text}");
    }
}

#[test]
fn embedded_ipv4_addresses_are_named() {
    let ip: IpAddr = "::ffff:127.0.0.1".parse().expect("address");
    let blocked = classify(ip).expect("refused");
    assert_eq!(blocked.to_string(), "loopback (IPv4-mapped 127.0.0.1)");
    let ip: IpAddr = "64:ff9b::a9fe:a9fe".parse().expect("address");
    let blocked = classify(ip).expect("refused");
    assert_eq!(blocked.to_string(), "link-local (NAT64 of 169.254.169.254)");
}

fn url(text: &str) -> Url {
    Url::parse(text).expect("a test URL")
}

#[test]
fn ip_literal_hosts_are_checked_in_every_form_the_url_parser_accepts() {
    let guard = Guard::default();
    let refused = [
        "http://127.0.0.1/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        "http://0177.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "https://169.254.169.254/latest/meta-data/",
        "http://0/",
        "http://[64:ff9b::7f00:1]/",
    ];
    for text in refused {
        assert!(
            matches!(guard.check_url(&url(text)), Err(Refusal::Address { .. })),
            "{text} was not refused"
        );
    }
    for text in [
        "http://93.184.215.14/",
        "https://example.org/",
        "http://localhost/",
    ] {
        assert_eq!(guard.check_url(&url(text)), Ok(()), "{text}");
    }
    for text in [
        "file:///etc/passwd",
        "ftp://example.org/",
        "gopher://127.0.0.1/",
    ] {
        assert!(
            matches!(guard.check_url(&url(text)), Err(Refusal::Scheme { .. })),
            "{text}"
        );
    }
}

#[test]
fn refusals_name_the_address_the_rule_and_the_way_to_permit() {
    let guard = Guard::default();
    let refusal = guard
        .check_url(&url("http://169.254.169.254/"))
        .expect_err("refused");
    assert_eq!(
        refusal.to_string(),
        "refused: 169.254.169.254 is link-local; add it to [fetch] allow to permit"
    );
    let flag = Guard::new(Vec::new(), false, Permit::Flag);
    let localhost = [IpAddr::V4(Ipv4Addr::LOCALHOST)];
    let refusal = flag
        .permitted("localhost", &localhost)
        .expect_err("refused");
    assert_eq!(
        refusal
            .at_redirect(&url("http://localhost:8080/x"))
            .to_string(),
        "refused: redirected to http://localhost:8080/x: localhost resolves to 127.0.0.1, \
         which is loopback; pass --allow-private to permit"
    );
}

#[test]
fn a_host_is_refused_only_when_none_of_its_addresses_may_be_reached() {
    let guard = Guard::default();
    let public: IpAddr = "93.184.215.14".parse().expect("address");
    let private: IpAddr = "10.0.0.1".parse().expect("address");
    assert_eq!(
        guard.permitted("mixed.example", &[private, public]),
        Ok(vec![public])
    );
    assert!(guard.permitted("inside.example", &[private]).is_err());
}

#[test]
fn allow_rules_parse_and_cover() {
    let rule = |t: &str| t.parse::<AllowRule>().expect(t);
    let ip = |t: &str| t.parse::<IpAddr>().expect(t);
    let rows: &[(&str, Option<&str>, &str, bool)] = &[
        ("127.0.0.1", None, "127.0.0.1", true),
        ("127.0.0.1", None, "::ffff:127.0.0.1", true),
        ("127.0.0.1", None, "127.0.0.2", false),
        ("127.1", None, "127.0.0.1", true),
        ("::1", None, "::1", true),
        ("[::1]", None, "::1", true),
        ("10.0.0.0/8", None, "10.200.3.4", true),
        ("10.0.0.0/8", None, "::ffff:10.200.3.4", true),
        ("10.0.0.0/8", None, "11.0.0.1", false),
        ("fd00::/8", None, "fd12::1", true),
        ("fd00::/8", None, "fc12::1", false),
        ("0.0.0.0/0", None, "169.254.169.254", true),
        (
            "Intranet.Example.",
            Some("intranet.example"),
            "10.1.1.1",
            true,
        ),
        (
            "intranet.example",
            Some("intranet.example."),
            "10.1.1.1",
            true,
        ),
        ("intranet.example", Some("other.example"), "10.1.1.1", false),
        ("intranet.example", None, "10.1.1.1", false),
    ];
    for (text, host, address, want) in rows {
        assert_eq!(
            rule(text).covers(*host, ip(address)),
            *want,
            "{text} {address}"
        );
    }
    for bad in [
        "",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.1/8",
        "http://intranet.example",
        "a b",
        "host:80",
        "10.0.0.0/x",
    ] {
        assert!(bad.parse::<AllowRule>().is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn allow_list_and_flag_permit_refused_addresses() {
    let loopback = "http://127.0.0.1:8080/";
    let listed = Guard::new(
        vec![AllowRule::Address(IpAddr::V4(Ipv4Addr::LOCALHOST))],
        false,
        Permit::AllowList,
    );
    assert_eq!(listed.check_url(&url(loopback)), Ok(()));
    assert!(listed.check_url(&url("http://10.0.0.1/")).is_err());
    let flag = Guard::new(Vec::new(), true, Permit::Flag);
    assert_eq!(flag.check_url(&url("http://[::ffff:127.0.0.1]/")), Ok(()));
    assert!(
        flag.check_url(&url("file:///etc/passwd")).is_err(),
        "the flag permits addresses, not schemes"
    );
}
