//! The Markdown article reader: front matter (see `front_matter`) plus a CommonMark body
//! rendered with tables, footnotes, strikethrough and task lists.
//!
//! - Title: front matter `title`, else the first level-1 heading (which then leaves the body).
//! - Date: front matter `date`, else a `YYYY-MM-DD-` prefix of the file name (which also
//!   gives the slug, the rest of the name, unless front matter sets `slug`).
//! - Summary: front matter `summary` / `description`, else the text before a `<!--more-->`
//!   marker, else the first paragraph; always plain text.
//! - Drafts carry a [`FieldKey::Draft`] field; see [`Article::is_draft`].

mod front_matter;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Article, Body, Field, FieldKey, Located, ReadOptions, decode};
use crate::error::SourceError;

/// Reads a Markdown file's bytes (UTF-8, or a legacy encoding detected from the bytes).
pub fn read(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Article, SourceError> {
    let text = decode::decode_text(path, bytes)?;
    parse(path, &text, options)
}

/// Parses the text of one Markdown article.
pub fn parse(path: &Path, text: &str, _options: &ReadOptions) -> Result<Article, SourceError> {
    let split = front_matter::split(path, text)?;
    let meta = match &split.front {
        Some(front) => front_matter::read(path, front)?,
        None => front_matter::Meta::default(),
    };
    let mut article = Article {
        path: path.to_path_buf(),
        title: meta.title,
        fields: meta.fields,
        body: Body::Html(String::new()),
        warnings: meta.warnings,
    };
    let rendered = render(split.body, split.body_line, article.title.is_none());
    if article.title.is_none() {
        article.title = rendered.heading;
    }
    if article.title.is_none() {
        return Err(SourceError::invalid(
            path,
            None,
            "no title: add `title` to the front matter or start the text with a `# Heading`",
        ));
    }
    if article.field(FieldKey::Published).is_none()
        && let Some((date, slug)) = file_name_date(path)
    {
        article.fields.push(Field {
            key: FieldKey::Published,
            value: date,
            line: None,
        });
        if article.field(FieldKey::Slug).is_none() && !slug.is_empty() {
            article.fields.push(Field {
                key: FieldKey::Slug,
                value: slug,
                line: None,
            });
        }
    }
    if article.field(FieldKey::Summary).is_none()
        && let Some(summary) = rendered.summary.filter(|s| !s.is_empty())
    {
        article.fields.push(Field {
            key: FieldKey::Summary,
            value: summary,
            line: None,
        });
    }
    article.body = match rendered.plain {
        true => Body::RenderedHtml(rendered.html),
        false => Body::Html(rendered.html),
    };
    Ok(article)
}

/// What rendering the body gave.
struct Rendered {
    html: String,
    /// The first level-1 heading, when it was asked for (it is then left out of `html`).
    heading: Option<Located<String>>,
    /// The text before `<!--more-->`, else the first paragraph.
    summary: Option<String>,
    /// Whether the Markdown brought no markup and no URL of its own (see [`is_plain`]).
    plain: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

fn render(body: &str, body_line: usize, take_heading: bool) -> Rendered {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let line_of = |offset: usize| {
        body_line
            + body
                .as_bytes()
                .iter()
                .take(offset)
                .filter(|&&b| b == b'\n')
                .count()
    };

    let heading_span = take_heading
        .then(|| {
            let start = events.iter().position(|(e, _)| {
                matches!(
                    e,
                    Event::Start(Tag::Heading {
                        level: HeadingLevel::H1,
                        ..
                    })
                )
            })?;
            let len = events[start..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))?;
            Some(start..start + len + 1)
        })
        .flatten();
    let heading = heading_span.as_ref().and_then(|span| {
        let text = plain_text(events[span.clone()].iter().map(|(e, _)| e));
        let line = line_of(events[span.start].1.start);
        (!text.is_empty()).then_some(Located {
            value: text,
            line: Some(line),
        })
    });

    let more = events.iter().position(|(e, _)| is_more_marker(e));
    let summary = match more {
        Some(end) => {
            let before = events[..end]
                .iter()
                .enumerate()
                .filter(|(i, _)| !heading_span.as_ref().is_some_and(|s| s.contains(i)))
                .map(|(_, (e, _))| e);
            Some(plain_text(before))
        }
        None => first_paragraph(&events),
    };

    let kept: Vec<Event<'_>> = events
        .iter()
        .enumerate()
        .filter(|(i, (e, _))| {
            !heading_span.as_ref().is_some_and(|s| s.contains(i)) && !is_more_marker(e)
        })
        .map(|(_, (e, _))| e.clone())
        .collect();
    let plain = kept.iter().all(is_plain);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, kept.into_iter());
    Rendered {
        html,
        heading,
        summary,
        plain,
    }
}

/// Whether an event renders to tags of the renderer's choosing around escaped text, with
/// nothing from the source that a sanitiser would have to look at: no raw HTML, no link or
/// image URL, no footnote anchors, no code block language (a class attribute).
fn is_plain(event: &Event<'_>) -> bool {
    let plain_tag = |tag: &Tag<'_>| match tag {
        Tag::Paragraph
        | Tag::BlockQuote(None)
        | Tag::List(_)
        | Tag::Item
        | Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell => true,
        // The wrapper of raw HTML (its `Html` events are not plain): left empty once the
        // `<!--more-->` marker is taken out.
        Tag::HtmlBlock => true,
        Tag::Heading {
            id: None,
            classes,
            attrs,
            ..
        } => classes.is_empty() && attrs.is_empty(),
        // An aligned column gets a style attribute.
        Tag::Table(columns) => columns.iter().all(|c| *c == Alignment::None),
        Tag::CodeBlock(CodeBlockKind::Indented) => true,
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => info.trim().is_empty(),
        _ => false,
    };
    match event {
        Event::Start(tag) => plain_tag(tag),
        Event::End(_)
        | Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::Rule
        | Event::TaskListMarker(_) => true,
        _ => false,
    }
}

fn is_more_marker(event: &Event<'_>) -> bool {
    match event {
        Event::Html(h) | Event::InlineHtml(h) => {
            let h = h.trim();
            h.strip_prefix("<!--")
                .and_then(|r| r.strip_suffix("-->"))
                .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
        }
        _ => false,
    }
}

fn first_paragraph(events: &[(Event<'_>, Range<usize>)]) -> Option<String> {
    let start = events
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))?;
    let len = events[start..]
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))?;
    Some(plain_text(
        events[start..start + len].iter().map(|(e, _)| e),
    ))
}

/// The visible text of some events: paragraphs and other blocks separated by a blank line,
/// line breaks as spaces, footnote references and HTML left out.
fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => {
                let block = current.split_whitespace().collect::<Vec<_>>().join(" ");
                if !block.is_empty() {
                    blocks.push(block);
                }
                current.clear();
            }
            _ => {}
        }
    }
    let last = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !last.is_empty() {
        blocks.push(last);
    }
    blocks.join("\n\n")
}

/// `2024-05-01-title.md` → (`2024-05-01`, `title`), when the prefix is a real date.
fn file_name_date(path: &Path) -> Option<(String, String)> {
    let stem = path.file_stem()?.to_str()?;
    let date = stem.get(..10)?;
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let rest = stem[10..].trim_start_matches(['-', '_', ' ', '.']);
    Some((date.to_string(), rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(name: &str, text: &str) -> Article {
        parse(Path::new(name), text, &ReadOptions::default()).unwrap()
    }

    fn html(a: &Article) -> &str {
        match &a.body {
            Body::Html(h) | Body::RenderedHtml(h) => h,
            Body::Blocks(_) => panic!("blocks"),
        }
    }

    #[test]
    fn only_markdown_without_markup_or_urls_of_its_own_skips_the_sanitiser() {
        let plain = |text: &str| {
            let a = parse_str("x.md", text);
            matches!(a.body, Body::RenderedHtml(_))
        };
        assert!(plain(
            "# T\n\nOne *two* **three** ~~four~~ `five`.\n\n<!--more-->\n\n- a\n- [x] b\n\n> q\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        ));
        assert!(!plain("# T\n\nA [link](javascript:alert(1)).\n"));
        assert!(!plain("# T\n\n![img](x.png)\n"));
        assert!(!plain("# T\n\nText <b onclick=x>bold</b>.\n"));
        assert!(!plain("# T\n\n<script>alert(1)</script>\n"));
        assert!(!plain("# T\n\nA note[^1].\n\n[^1]: Here.\n"));
        assert!(!plain("# T\n\n```js\nx\n```\n"));
        assert!(!plain("# T\n\n| a |\n|:-:|\n| 1 |\n"));
        // Whichever way the body goes, no script reaches the entry.
        let a = parse_str(
            "x.md",
            "# T\n\n<script>alert(1)</script>\n\n[x](javascript:y)\n",
        );
        let entry = crate::mapper::map(
            &a,
            &crate::mapper::ArticleKey::new(Path::new("."), Path::new("x.md")),
            &crate::mapper::MapOptions::default(),
        )
        .0;
        let content = entry.content_html.unwrap_or_default();
        assert!(
            !content.contains("<script") && !content.contains("javascript:"),
            "{content}"
        );
        assert!(content.contains(">x</a>"), "{content}");
    }

    #[test]
    fn title_from_first_heading_leaves_the_body() {
        let a = parse_str("x.md", "Intro line.\n\n# The *Title*\n\nText.\n");
        assert_eq!(
            a.title,
            Some(Located {
                value: "The Title".into(),
                line: Some(3)
            })
        );
        assert!(!html(&a).contains("<h1>"), "{}", html(&a));
        assert!(html(&a).contains("<p>Text.</p>"));
    }

    #[test]
    fn summary_forms() {
        let rows = [
            (
                "# T\n\nFirst `para`\nline.\n\nSecond.\n",
                "First para line.",
            ),
            (
                "# T\n\nOne.\n\nTwo.\n\n<!--more-->\n\nThree.\n",
                "One.\n\nTwo.",
            ),
            ("# T\n\nOne <!-- more --> tail.\n", "One"),
        ];
        for (text, want) in rows {
            let a = parse_str("x.md", text);
            assert_eq!(a.field(FieldKey::Summary).unwrap().value, want, "{text}");
            assert!(!html(&a).contains("more"), "{}", html(&a));
        }
    }

    #[test]
    fn file_name_dates() {
        let rows = [
            ("2024-05-01-title.md", Some(("2024-05-01", "title"))),
            ("2024-05-01.md", Some(("2024-05-01", ""))),
            ("2024-13-01-x.md", None),
            ("notes.md", None),
            ("日本語.md", None),
        ];
        for (name, want) in rows {
            let got = file_name_date(Path::new(name));
            assert_eq!(
                got.as_ref().map(|(d, s)| (d.as_str(), s.as_str())),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn no_title_is_an_error() {
        let err = parse(Path::new("x.md"), "just text\n", &ReadOptions::default()).unwrap_err();
        assert!(err.reason().contains("no title"), "{err}");
    }
}
