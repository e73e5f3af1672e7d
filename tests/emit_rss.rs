//! RSS 2.0 output read back with the `rss` crate, field for field.

mod emit_common;

use std::collections::BTreeMap;

use chrono::DateTime;
use emit_common::*;
use feedloom::emit::Format;
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Enclosure, Guid, Item, Source};

fn strings<const N: usize>(values: [&str; N]) -> Vec<String> {
    values.map(str::to_string).to_vec()
}

fn category(name: &str, domain: Option<&str>) -> Category {
    Category {
        name: name.into(),
        domain: domain.map(Into::into),
    }
}

fn guid(value: &str, permalink: bool) -> Option<Guid> {
    Some(Guid {
        value: value.into(),
        permalink,
    })
}

fn dublin_core<const C: usize, const D: usize>(
    creators: [&str; C],
    contributors: [&str; D],
) -> Option<DublinCoreExtension> {
    Some(DublinCoreExtension {
        creators: strings(creators),
        contributors: strings(contributors),
        ..DublinCoreExtension::default()
    })
}

/// `<atom:link href="…" rel="self" type="application/rss+xml"/>`, as the crate reads it.
fn self_link(href: &str) -> ExtensionMap {
    let attrs = [
        ("href", href),
        ("rel", "self"),
        ("type", "application/rss+xml"),
    ];
    let link = Extension {
        name: "atom:link".into(),
        attrs: (attrs.into_iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Extension::default()
    };
    let links = BTreeMap::from([("link".to_string(), vec![link])]);
    BTreeMap::from([("atom".to_string(), links)])
}

/// What [`rich_feed`] must read as: every channel and item field.
fn rich_channel() -> Channel {
    let first = Item {
        title: Some("中国有色网 · 铜价走势".into()),
        link: Some(FIRST_LINK.into()),
        description: Some("铜价上涨 a &lt; b &amp; c &gt; d".into()),
        categories: vec![
            category("学习进行时", None),
            category("铜", None),
            category("金属", Some("https://www.example.com/categories/")),
        ],
        // RSS allows one enclosure: the first.
        enclosure: Some(Enclosure {
            url: "https://www.example.com/media/copper.jpg".into(),
            length: "12345".into(),
            mime_type: "image/jpeg".into(),
        }),
        guid: guid(FIRST_LINK, true),
        pub_date: Some("Fri, 10 Jul 2020 09:52:00 +0800".into()),
        content: Some(TRICKY_HTML_CLEAN.into()),
        dublin_core_ext: dublin_core(["张三", "赵六"], ["李四", "王五"]),
        ..Item::default()
    };
    let second = Item {
        title: Some("政策解读".into()),
        // No summary: the content stands in as the description.
        description: Some("<p>没有链接的文章。</p>".into()),
        categories: vec![category("政策", None)],
        guid: guid(SECOND_ID, false),
        pub_date: Some("Thu, 9 Jul 2020 18:30:00 +0800".into()),
        content: Some("<p>没有链接的文章。</p>".into()),
        dublin_core_ext: dublin_core(["记者"], []),
        ..Item::default()
    };
    let third = Item {
        title: Some("没有日期".into()),
        description: Some("只有摘要。".into()),
        guid: guid(THIRD_ID, false),
        ..Item::default()
    };
    let merged = Item {
        title: Some("Copper rallies".into()),
        link: Some(MERGED_LINK.into()),
        description: Some("<p>From elsewhere.</p>".into()),
        guid: guid(MERGED_LINK, true),
        pub_date: Some("Wed, 8 Jul 2020 07:15:30 -0500".into()),
        source: Some(Source {
            url: "https://other.example.org/feed.xml?x=1&y=2".into(),
            title: Some("Other & Co".into()),
        }),
        content: Some("<p>From elsewhere.</p>".into()),
        ..Item::default()
    };
    let namespaces = [
        ("atom", "http://www.w3.org/2005/Atom"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("dc", "http://purl.org/dc/elements/1.1/"),
    ];
    Channel {
        title: "中国有色网 · 学习进行时".into(),
        link: HOME.into(),
        description: "Articles converted from samples/".into(),
        language: Some("zh-CN".into()),
        last_build_date: Some("Sat, 11 Jul 2020 08:00:00 +0800".into()),
        generator: Some("feedloom".into()),
        extensions: self_link(feed_url(Format::Rss).as_str()),
        namespaces: (namespaces.into_iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        items: vec![first, second, third, merged],
        ..Channel::default()
    }
}

#[test]
fn rss_reads_back_field_for_field() {
    assert_eq!(read_rss(&rich_feed(Format::Rss)), rich_channel());
}

#[test]
fn rss_dates_keep_their_offset() {
    let channel = read_rss(&rich_feed(Format::Rss));
    let parsed = (channel.items[0].pub_date.as_deref())
        .map(DateTime::parse_from_rfc2822)
        .and_then(Result::ok);
    assert_eq!(parsed.map(|d| d.offset().local_minus_utc()), Some(8 * 3600));
}

#[test]
fn rss_guid_is_a_permalink_only_when_it_is_the_link() {
    let mut feed = rich_feed(Format::Rss);
    // An id that is a URL but not the entry's link is not a permalink.
    feed.entries[3].id = "https://other.example.org/id/42".into();
    let channel = read_rss(&feed);
    let guids: Vec<_> = (channel.items.iter())
        .map(|i| i.guid.as_ref().map(|g| (g.value.as_str(), g.permalink)))
        .collect();
    assert_eq!(
        guids,
        [
            Some((FIRST_LINK, true)),
            Some((SECOND_ID, false)),
            Some((THIRD_ID, false)),
            Some(("https://other.example.org/id/42", false)),
        ]
    );
    let xml = String::from_utf8(write(&feed, Format::Rss)).expect("UTF-8");
    assert!(xml.contains(&format!("<guid>{FIRST_LINK}</guid>")), "{xml}");
    assert!(xml.contains(&format!("<guid isPermaLink=\"false\">{SECOND_ID}</guid>")));
}

#[test]
fn rss_plain_text_is_written_with_hexadecimal_references() {
    let rss = read_rss(&edge_feed(Format::Rss));
    assert_eq!(rss.items[0].title.as_deref(), Some("a < b & c, AT&T <3"));
    assert_eq!(rss.title, "Edge & co <edge>");
    assert_eq!(rss.description, "About a<b & corners");
    let xml = String::from_utf8(write(&edge_feed(Format::Rss), Format::Rss)).expect("UTF-8");
    assert!(
        xml.contains("<title>Edge &#x26; co &#x3C;edge&#x3E;</title>"),
        "{xml}"
    );
    // The summary is made HTML, so the markup in it is shown, not applied.
    assert_eq!(
        rss.items[1].description.as_deref(),
        Some("Use &lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt; here")
    );
}

#[test]
fn rss_awkward_values_get_their_fallbacks() {
    let rss = read_rss(&edge_feed(Format::Rss));
    let item = &rss.items[1];
    // An empty title falls back to the id; an unknown length to 0; a missing type to
    // application/octet-stream; a +05:45 date is written in UTC.
    assert_eq!(
        item.title.as_deref(),
        Some("tag:example.com,2021-01-01:edge")
    );
    let enclosure = item.enclosure.as_ref().expect("enclosure");
    assert_eq!(enclosure.length, "0");
    assert_eq!(enclosure.mime_type, "application/octet-stream");
    assert_eq!(
        item.pub_date.as_deref(),
        Some("Fri, 1 Jan 2021 06:45:45 +0000")
    );
    // Blank contributors are dropped, so there is no dc:contributor.
    let dc = item.dublin_core_ext.as_ref().expect("dc");
    assert!(dc.contributors.is_empty());
    // A scheme that is no URI is still an RSS domain.
    assert_eq!(item.categories[0].domain.as_deref(), Some("not a uri"));
}

#[test]
fn rss_channel_without_urls_has_no_link() {
    let channel = read_rss(&bare_feed());
    assert_eq!(
        channel.link, "",
        "a channel <link> is a web address or absent"
    );
    assert_eq!(channel.description, "空的");
    assert_eq!(channel.last_build_date, None);
    assert!(channel.extensions.is_empty(), "no self link without a URL");
    assert!(channel.items.is_empty());
}

#[test]
fn rss_source_without_a_title_keeps_its_url() {
    let mut feed = rich_feed(Format::Rss);
    if let Some(origin) = feed.entries[3].origin.as_mut() {
        origin.title = " ".into();
    }
    let source = read_rss(&feed).items[3].source.clone().expect("source");
    assert_eq!(source.url, "https://other.example.org/feed.xml?x=1&y=2");
    assert_eq!(source.title, None);
}
