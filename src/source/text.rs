//! The text article reader: news pages as Chinese (and English) news sites print them.
//!
//! Layout: the title on the first non-empty line; then one or more meta lines (a date, views,
//! `来源:`, `分类:`…); then body blocks separated by blank lines (paragraphs, short headings,
//! a number line plus caption for a picture, `——` list items); credit lines (`记者:`,
//! `编辑:`…); and site boilerplate, which is cut at the first line matching a marker.

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::meta::{self, is_meta_line};
use super::{Article, Block, BlockKind, Body, Field, Located, ReadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::SourceError;

pub use super::meta::meta_fields;

/// Lines matching one of these (and everything after them) are site boilerplate.
pub const DEFAULT_STRIP_MARKERS: &[&str] = &[
    r"^如需了解更多信息",
    "声明[:\u{ff1a}]\\s*本网",
    r"^(?:版权|免责)声明",
    r"^(?:本文|本网|本站)?(?:未经授权)?(?:禁止|谢绝)?转载",
    r"^如需转载",
    r"^(?:Copyright|©)",
    r"(?i)^all rights reserved",
];

/// Parses the text of one article read from `path`.
pub fn parse(path: &Path, text: &str, options: &ReadOptions) -> Result<Article, SourceError> {
    let lines: Vec<&str> = text.lines().map(clean_line).collect();
    let Some(title_idx) = lines.iter().position(|l| !l.is_empty()) else {
        return Err(SourceError::invalid(path, None, "the file has no text"));
    };
    let title = lines[title_idx];
    if is_meta_line(title) {
        return Err(SourceError::invalid(
            path,
            Some(title_idx + 1),
            "no title: the first line is a meta line; put the title on the first line",
        ));
    }
    let mut article = Article {
        path: path.to_path_buf(),
        title: Some(Located {
            value: title.to_owned(),
            line: Some(title_idx + 1),
        }),
        ..Article::default()
    };

    // Meta lines: directly after the title, blank lines allowed between them.
    let mut idx = title_idx + 1;
    while idx < lines.len() {
        let line = lines[idx];
        if line.is_empty() {
            idx += 1;
            continue;
        }
        if !is_meta_line(line) {
            break;
        }
        article.fields.extend(meta_fields(line, Some(idx + 1)));
        idx += 1;
    }

    let end = boilerplate_start(&lines, idx, options).unwrap_or(lines.len());
    let (blocks, credits) = body_blocks(&lines, idx, end);
    article.fields.extend(credits);
    if blocks.is_empty() {
        article.warnings.push(Diagnostic::warning(
            path.display(),
            Some(title_idx + 1),
            "the article has a title but no body text",
        ));
    }
    article.body = Body::Blocks(blocks);
    Ok(article)
}

/// Trims a line of spaces, non-breaking and ideographic spaces, and zero-width characters.
fn clean_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'))
}

fn boilerplate_start(lines: &[&str], from: usize, options: &ReadOptions) -> Option<usize> {
    static DEFAULTS: OnceLock<Regex> = OnceLock::new();
    let defaults = DEFAULTS.get_or_init(|| {
        let any = DEFAULT_STRIP_MARKERS
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        Regex::new(&any).expect("default strip markers are valid")
    });
    (from..lines.len()).find(|&i| {
        let line = lines[i];
        !line.is_empty()
            && (defaults.is_match(line) || options.strip.iter().any(|re| re.is_match(line)))
    })
}

/// Splits `lines[from..end]` into blank-line separated groups and classifies them. Credit
/// lines (`记者:孙奕`) become fields instead of blocks.
fn body_blocks(lines: &[&str], from: usize, end: usize) -> (Vec<Block>, Vec<Field>) {
    let mut body = BodyBuilder::default();
    for (line_no, group) in groups(lines, from, end) {
        body.add(line_no, &group);
    }
    body.finish()
}

/// The blank-line separated groups of `lines[from..end]`, each with its 1-based first line.
fn groups<'a>(lines: &[&'a str], from: usize, end: usize) -> Vec<(usize, Vec<&'a str>)> {
    let mut groups: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut current: Option<(usize, Vec<&str>)> = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(from) {
        if line.is_empty() {
            groups.extend(current.take());
        } else {
            current
                .get_or_insert_with(|| (i + 1, Vec::new()))
                .1
                .push(line);
        }
    }
    groups.extend(current);
    groups
}

/// The body as its groups are classified, one after the other.
#[derive(Default)]
struct BodyBuilder {
    blocks: Vec<Block>,
    credits: Vec<Field>,
    /// A figure number alone in its group, waiting for its caption in the next one.
    pending_figure: Option<(usize, String)>,
}

impl BodyBuilder {
    /// Classifies one group: a figure's caption, credits, a figure, list items, a heading or
    /// a paragraph.
    fn add(&mut self, line_no: usize, group: &[&str]) {
        if let Some((line, number)) = self.pending_figure.take() {
            let caption = join_lines(group);
            return self.push(line, BlockKind::Figure { number, caption });
        }
        // Credit lines may share a group with each other.
        if group.iter().all(|l| meta::is_credit_line(l)) {
            for (k, l) in group.iter().enumerate() {
                self.credits
                    .extend(meta::credit_fields(l, Some(line_no + k)));
            }
            return;
        }
        if is_figure_number(group[0]) {
            let number = group[0].to_owned();
            return match group.len() {
                1 => self.pending_figure = Some((line_no, number)),
                _ => {
                    let caption = join_lines(&group[1..]);
                    self.push(line_no, BlockKind::Figure { number, caption })
                }
            };
        }
        if let Some(items) = list_items(group) {
            return match self.blocks.last_mut() {
                Some(Block {
                    kind: BlockKind::List(existing),
                    ..
                }) => existing.extend(items),
                _ => self.push(line_no, BlockKind::List(items)),
            };
        }
        let kind = match heading_level(group) {
            Some(level) => BlockKind::Heading {
                level,
                text: group[0].to_owned(),
            },
            None => BlockKind::Paragraph(join_lines(group)),
        };
        self.push(line_no, kind);
    }

    fn push(&mut self, line: usize, kind: BlockKind) {
        self.blocks.push(Block { kind, line });
    }

    /// The blocks and credits; a figure number that never got its caption is a paragraph.
    fn finish(mut self) -> (Vec<Block>, Vec<Field>) {
        if let Some((line, number)) = self.pending_figure.take() {
            self.push(line, BlockKind::Paragraph(number));
        }
        (self.blocks, self.credits)
    }
}

fn is_figure_number(line: &str) -> bool {
    (1..=3).contains(&line.len()) && line.bytes().all(|b| b.is_ascii_digit())
}

fn list_items(group: &[&str]) -> Option<Vec<String>> {
    const DASHES: [&str; 3] = ["——", "—", "--"];
    fn strip(l: &str) -> Option<&str> {
        DASHES.iter().find_map(|d| l.strip_prefix(d)).map(str::trim)
    }
    if !group
        .iter()
        .all(|l| strip(l).is_some_and(|rest| !rest.is_empty()))
    {
        return None;
    }
    Some(
        group
            .iter()
            .filter_map(|l| strip(l))
            .map(str::to_owned)
            .collect(),
    )
}

/// A single short line with no closing punctuation is a heading: level 3 when it starts with
/// a sub-enumerator such as `(一)` or `1.`, level 2 otherwise.
fn heading_level(group: &[&str]) -> Option<u8> {
    const CLOSING: &[char] = &[
        '。', '!', '?', ';', ':', ',', '、', '…', '.', '”', '"', '’', ')', '」', '』', '\u{ff01}',
        '\u{ff1f}', '\u{ff1b}', '\u{ff1a}', '\u{ff0c}', '\u{ff09}',
    ];
    let [line] = group else { return None };
    let chars = line.chars().count();
    let limit = if line.is_ascii() { 80 } else { 30 };
    if chars > limit || line.ends_with(CLOSING) || line.contains('。') {
        return None;
    }
    static SUB: OnceLock<Regex> = OnceLock::new();
    let sub = SUB.get_or_init(|| {
        Regex::new(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])").expect("valid")
    });
    Some(if sub.is_match(line) { 3 } else { 2 })
}

/// Joins the lines of one paragraph: no space between two CJK characters, one otherwise.
pub(crate) fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        let needs_space = match (out.chars().last(), line.chars().next()) {
            (Some(a), Some(b)) => !(is_cjk(a) || is_cjk(b)),
            _ => false,
        };
        if needs_space {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FieldKey, Role};

    fn read(text: &str) -> Article {
        parse(Path::new("t.txt"), text, &ReadOptions::default()).unwrap()
    }

    #[test]
    fn classifies_body_blocks() {
        let a = read(
            "标题\n\n2021-03-05 来源:新华社\n\n第一段文字,\n接着写。\n\n小标题\n\n1\n图片说明。\n\n——甲;\n\n——乙。\n\n(一)分节标题\n\n记者:张三 李四\n编辑:王五\n\n如需了解更多信息,请登录。\n版权所有",
        );
        let Body::Blocks(blocks) = &a.body else {
            panic!("text gives blocks")
        };
        let kinds: Vec<_> = blocks.iter().map(|b| (&b.kind, b.line)).collect();
        assert_eq!(
            kinds,
            [
                (&BlockKind::Paragraph("第一段文字,接着写。".into()), 5),
                (
                    &BlockKind::Heading {
                        level: 2,
                        text: "小标题".into()
                    },
                    8
                ),
                (
                    &BlockKind::Figure {
                        number: "1".into(),
                        caption: "图片说明。".into()
                    },
                    10
                ),
                (&BlockKind::List(vec!["甲;".into(), "乙。".into()]), 13),
                (
                    &BlockKind::Heading {
                        level: 3,
                        text: "(一)分节标题".into()
                    },
                    17
                ),
            ]
        );
        let people: Vec<_> = a
            .fields
            .iter()
            .filter_map(|f| match f.key {
                FieldKey::Person(role) => Some((role, f.value.as_str(), f.line)),
                _ => None,
            })
            .collect();
        assert_eq!(
            people,
            [
                (Role::Reporter, "张三", Some(19)),
                (Role::Reporter, "李四", Some(19)),
                (Role::Editor, "王五", Some(20)),
            ]
        );
    }

    #[test]
    fn english_paragraph_lines_join_with_spaces() {
        let a = read("Title\nPublished: 2021-03-05\n\nOne line\nand the next.");
        let Body::Blocks(blocks) = &a.body else {
            panic!()
        };
        assert_eq!(
            blocks[0].kind,
            BlockKind::Paragraph("One line and the next.".into())
        );
    }

    #[test]
    fn a_meta_line_first_is_no_title() {
        let err = parse(
            Path::new("x.txt"),
            "\n2020年07月10日 来源:新华社\n正文",
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert!(err.to_string().contains("no title"), "{err}");
    }

    #[test]
    fn custom_strip_patterns_cut_the_rest() {
        let options = ReadOptions {
            strip: vec![Regex::new("^相关阅读").unwrap()],
            ..ReadOptions::default()
        };
        let a = parse(
            Path::new("x.txt"),
            "标题\n2020-01-01\n\n正文。\n\n相关阅读\n\n别的文章。",
            &options,
        )
        .unwrap();
        let Body::Blocks(blocks) = &a.body else {
            panic!()
        };
        assert_eq!(blocks.len(), 1);
    }
}
