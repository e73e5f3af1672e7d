//! Atom 1.0 output read back with `atom_syndication`, field for field.

mod emit_common;

use atom_syndication::{
    Category, Content, Entry, Feed, Generator, Link, Person, Source, Text, TextType,
};
use emit_common::*;
use feedloom::emit::Format;

fn person(name: &str) -> Person {
    Person {
        name: name.into(),
        ..Person::default()
    }
}

fn link(href: &str, rel: &str, mime_type: Option<&str>, length: Option<&str>) -> Link {
    Link {
        href: href.into(),
        rel: rel.into(),
        mime_type: mime_type.map(Into::into),
        length: length.map(Into::into),
        ..Link::default()
    }
}

fn category(term: &str) -> Category {
    Category {
        term: term.into(),
        ..Category::default()
    }
}

fn html(value: &str, lang: Option<&str>) -> Option<Content> {
    Some(Content {
        value: Some(value.into()),
        content_type: Some("html".into()),
        lang: lang.map(Into::into),
        ..Content::default()
    })
}

/// The first entry of [`rich_feed`], as it must read.
fn first_entry() -> Entry {
    Entry {
        title: Text::plain("中国有色网 · 铜价走势"),
        id: FIRST_LINK.into(),
        updated: at("2020-07-11T08:00:00+08:00"),
        authors: vec![
            Person {
                email: Some("zhangsan@example.com".into()),
                uri: Some("https://www.example.com/people/zhangsan".into()),
                ..person("张三")
            },
            person("赵六"),
        ],
        categories: vec![
            category("学习进行时"),
            category("铜"),
            Category {
                scheme: Some("https://www.example.com/categories/".into()),
                label: Some("Metals".into()),
                ..category("金属")
            },
        ],
        // Roles have no Atom element.
        contributors: vec![person("李四"), person("王五")],
        links: vec![
            link(FIRST_LINK, "alternate", None, None),
            link(
                "https://www.example.com/media/copper.jpg",
                "enclosure",
                Some("image/jpeg"),
                Some("12345"),
            ),
            link(
                "https://www.example.com/media/copper.mp3",
                "enclosure",
                Some("audio/mpeg"),
                None,
            ),
        ],
        published: Some(at("2020-07-10T09:52:00+08:00")),
        // Plain `<` and `&` do not make text look like markup: it stays text.
        summary: Some(Text::plain("铜价上涨 a < b & c > d")),
        content: html(TRICKY_HTML_CLEAN, None),
        ..Entry::default()
    }
}

/// What [`rich_feed`] must read as: every feed and entry field.
fn rich_atom() -> Feed {
    let second = Entry {
        title: Text::plain("政策解读"),
        id: SECOND_ID.into(),
        // No `updated`: `published` stands in.
        updated: at("2020-07-09T18:30:00+08:00"),
        authors: vec![person("记者")],
        categories: vec![category("政策")],
        published: Some(at("2020-07-09T18:30:00+08:00")),
        content: html("<p>没有链接的文章。</p>", None),
        ..Entry::default()
    };
    let third = Entry {
        title: Text::plain("没有日期"),
        id: THIRD_ID.into(),
        // No date at all: the feed's updated, made unique (the first entry has it).
        updated: at("2020-07-11T07:59:59+08:00"),
        summary: Some(Text::plain("只有摘要。")),
        // No content and no link: the summary becomes text content.
        content: Some(Content {
            value: Some("只有摘要。".into()),
            ..Content::default()
        }),
        ..Entry::default()
    };
    let origin = "https://other.example.org/feed.xml?x=1&y=2";
    let merged = Entry {
        title: Text {
            lang: Some("en".into()),
            ..Text::plain("Copper rallies")
        },
        id: MERGED_LINK.into(),
        updated: at("2020-07-08T07:15:30-05:00"),
        links: vec![link(MERGED_LINK, "alternate", None, None)],
        published: Some(at("2020-07-08T07:15:30-05:00")),
        source: Some(Source {
            title: Text::plain("Other & Co"),
            id: origin.into(),
            updated: at("2020-07-08T07:15:30-05:00"),
            links: vec![
                link("https://other.example.org/", "alternate", None, None),
                link(origin, "self", None, None),
            ],
            ..Source::default()
        }),
        content: html("<p>From elsewhere.</p>", Some("en")),
        ..Entry::default()
    };
    let self_url = feed_url(Format::Atom);
    Feed {
        title: Text::plain("中国有色网 · 学习进行时"),
        id: self_url.to_string(),
        updated: at("2020-07-11T08:00:00+08:00"),
        // The third entry has no author, so the feed gets one: its title.
        authors: vec![person("中国有色网 · 学习进行时")],
        generator: Some(Generator {
            value: "feedloom".into(),
            ..Generator::default()
        }),
        links: vec![
            link(HOME, "alternate", None, None),
            link(
                self_url.as_str(),
                "self",
                Some("application/atom+xml"),
                None,
            ),
        ],
        subtitle: Some(Text::plain("Articles converted from samples/")),
        lang: Some("zh-CN".into()),
        entries: vec![first_entry(), second, third, merged],
        ..Feed::default()
    }
}

#[test]
fn atom_reads_back_field_for_field() {
    assert_eq!(read_atom(&rich_feed(Format::Atom)), rich_atom());
}

#[test]
fn atom_dates_keep_their_offset() {
    let feed = read_atom(&rich_feed(Format::Atom));
    assert_eq!(feed.updated.offset().local_minus_utc(), 8 * 3600);
    let merged = feed.entries[3].published.expect("published");
    assert_eq!(merged.offset().local_minus_utc(), -5 * 3600);
}

#[test]
fn atom_feed_without_dates_or_urls_is_still_complete() {
    let feed = read_atom(&bare_feed());
    assert_eq!(feed.id, "tag:feedloom.invalid,2000:%E7%A9%BA%E7%9A%84");
    assert_eq!(feed.updated, at("2000-01-01T00:00:00Z"));
    assert_eq!(feed.authors, [person("空的")]);
    assert!(feed.links.is_empty() && feed.entries.is_empty());
    let again = read_atom(&bare_feed());
    assert_eq!(feed, again);
}

#[test]
fn atom_feed_authors_are_left_to_entries_that_all_have_them() {
    let mut source = rich_feed(Format::Atom);
    source.entries.retain(|e| !e.authors.is_empty());
    let feed = read_atom(&source);
    assert!(feed.authors.is_empty(), "{:?}", feed.authors);
    assert!(feed.entries.iter().all(|e| !e.authors.is_empty()));
    source.authors = vec![feedloom::model::Person::named("编辑部")];
    assert_eq!(read_atom(&source).authors, [person("编辑部")]);
}

#[test]
fn atom_text_that_looks_like_markup_is_escaped_html() {
    // Plain `<` and `&` stay text; an end tag or an entity makes the text escaped HTML, so
    // that no reader or validator takes it for markup.
    let atom = read_atom(&edge_feed(Format::Atom));
    assert_eq!(atom.title, Text::plain("Edge & co <edge>"));
    let entry = &atom.entries[0];
    assert_eq!(entry.title, Text::plain("a < b & c, AT&T <3"));
    let summary = entry.summary.as_ref().expect("summary");
    assert_eq!(summary.r#type, TextType::Html);
    assert_eq!(
        summary.value,
        "Plain &lt;i&gt;text&lt;/i&gt; &amp;amp; more"
    );
    // No content and no link: the summary stands in, HTML too.
    let content = entry.content.as_ref().expect("content");
    assert_eq!(content.content_type.as_deref(), Some("html"));
    assert_eq!(content.value.as_deref(), Some(summary.value.as_str()));
    let edge = &atom.entries[1];
    let summary = edge.summary.as_ref().expect("summary");
    assert_eq!(
        summary.value,
        "Use &lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt; here"
    );
    assert_eq!(summary.lang.as_deref(), Some("en-US"));
}

#[test]
fn atom_awkward_values_get_their_fallbacks() {
    let atom = read_atom(&edge_feed(Format::Atom));
    let entry = &atom.entries[1];
    // Written to the second, in the original offset.
    assert_eq!(entry.published, Some(at("2021-01-01T12:30:45+05:45")));
    assert_eq!(entry.title.value, "tag:example.com,2021-01-01:edge");
    assert_eq!(entry.authors, [person("Ann")], "invalid e-mail kept");
    assert!(entry.contributors.is_empty(), "blank contributor kept");
    assert_eq!(entry.categories, [category("x")], "non-URI scheme kept");
    // An enclosure without type or length has neither attribute.
    let enclosure = link("https://www.example.com/a.pdf", "enclosure", None, None);
    assert_eq!(entry.links.get(1), Some(&enclosure));
    assert_eq!(atom.id, "tag:example.com,2021:edge-feed");
}
