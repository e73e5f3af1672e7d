//! Meta lines: `key: value` pairs as news pages print them, in Chinese or English, with `:` or
//! `:`, normal or non-breaking spaces, in any order, plus an unkeyed leading date and a view
//! count such as `1357次浏览`.

use std::sync::OnceLock;

use regex::Regex;

use super::{Field, FieldKey, Role};
use crate::dates;

/// Every key the reader recognises, with the fact it gives. Longer keys come first so that
/// `责任编辑` wins over `编辑` and `发布时间` over `时间`.
const KEYS: &[(&str, FieldKey)] = &[
    ("发布时间", FieldKey::Published),
    ("发布日期", FieldKey::Published),
    ("更新时间", FieldKey::Updated),
    ("责任编辑", FieldKey::Person(Role::ChiefEditor)),
    ("原文链接", FieldKey::Link),
    ("原文地址", FieldKey::Link),
    ("关键词", FieldKey::Tag),
    ("关键字", FieldKey::Tag),
    ("通讯员", FieldKey::Person(Role::Correspondent)),
    ("时间", FieldKey::Published),
    ("日期", FieldKey::Published),
    ("来源", FieldKey::Source),
    ("出处", FieldKey::Source),
    ("作者", FieldKey::Person(Role::Author)),
    ("记者", FieldKey::Person(Role::Reporter)),
    ("编辑", FieldKey::Person(Role::Editor)),
    ("策划", FieldKey::Person(Role::Planner)),
    ("摄影", FieldKey::Person(Role::Photographer)),
    ("分类", FieldKey::Category),
    ("栏目", FieldKey::Category),
    ("频道", FieldKey::Category),
    ("标签", FieldKey::Tag),
    ("浏览", FieldKey::Views),
    ("阅读", FieldKey::Views),
    ("点击", FieldKey::Views),
    // Traditional characters, as Hong Kong and Taiwan sites print them.
    ("發布時間", FieldKey::Published),
    ("發佈時間", FieldKey::Published),
    ("發布日期", FieldKey::Published),
    ("更新時間", FieldKey::Updated),
    ("責任編輯", FieldKey::Person(Role::ChiefEditor)),
    ("原文鏈接", FieldKey::Link),
    ("原文連結", FieldKey::Link),
    ("關鍵詞", FieldKey::Tag),
    ("關鍵字", FieldKey::Tag),
    ("通訊員", FieldKey::Person(Role::Correspondent)),
    ("時間", FieldKey::Published),
    ("來源", FieldKey::Source),
    ("記者", FieldKey::Person(Role::Reporter)),
    ("編輯", FieldKey::Person(Role::Editor)),
    ("攝影", FieldKey::Person(Role::Photographer)),
    ("分類", FieldKey::Category),
    ("欄目", FieldKey::Category),
    ("頻道", FieldKey::Category),
    ("標籤", FieldKey::Tag),
    ("瀏覽", FieldKey::Views),
    ("閱讀", FieldKey::Views),
    ("點擊", FieldKey::Views),
    ("published", FieldKey::Published),
    ("updated", FieldKey::Updated),
    ("date", FieldKey::Published),
    ("source", FieldKey::Source),
    ("author", FieldKey::Person(Role::Author)),
    ("authors", FieldKey::Person(Role::Author)),
    ("by", FieldKey::Person(Role::Author)),
    ("editor", FieldKey::Person(Role::Editor)),
    ("category", FieldKey::Category),
    ("categories", FieldKey::Category),
    ("section", FieldKey::Category),
    ("tags", FieldKey::Tag),
    ("keywords", FieldKey::Tag),
    ("views", FieldKey::Views),
    ("url", FieldKey::Link),
    ("link", FieldKey::Link),
];

fn key_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let mut keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
        let alternation = keys
            .iter()
            .map(|k| regex::escape(k))
            .collect::<Vec<_>>()
            .join("|");
        // A key starts the line or follows a space or separator, and ends with a colon.
        Regex::new(&format!(
            r"(?i)(?:^|[\s|丨｜/()（）【】\[\]])(?P<key>{alternation})[ \t\u{{a0}}\u{{3000}}]*[:：]"
        ))
        .expect("the key pattern is valid")
    })
}

/// Matches a line that starts with a key (after an optional opening bracket).
fn key_start_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alternation = KEYS
            .iter()
            .map(|(k, _)| regex::escape(k))
            .collect::<Vec<_>>()
            .join("|");
        Regex::new(&format!(
            r"(?i)^[(（【\[]?\s*(?:{alternation})[ \t\u{{a0}}\u{{3000}}]*[:：]"
        ))
        .expect("the key pattern is valid")
    })
}

fn views_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?P<n>\d+)\s*(?:次)?\s*(?:浏览|阅读|点击|瀏覽|閱讀|點擊|views)|(?:阅读|浏览|点击|閱讀|瀏覽|點擊)\s*(?P<m>\d+)",
        )
        .expect("the views pattern is valid")
    })
}

fn key_fact(key: &str) -> Option<FieldKey> {
    KEYS.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, fact)| *fact)
}

/// Reads the facts of one meta line. `line_no` is attached to every field.
pub fn meta_fields(line: &str, line_no: Option<usize>) -> Vec<Field> {
    let mut fields = Vec::new();
    let keys: Vec<_> = key_re()
        .captures_iter(line)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let key = c.name("key")?;
            Some((key.start(), whole.end(), key_fact(key.as_str())?))
        })
        .collect();
    let lead_end = keys.first().map_or(line.len(), |k| k.0);
    unkeyed_facts(&line[..lead_end], line_no, &mut fields);
    for (i, &(_, value_start, fact)) in keys.iter().enumerate() {
        let value_end = keys.get(i + 1).map_or(line.len(), |next| next.0);
        let value = &line[value_start..value_end];
        keyed_facts(fact, value, line_no, &mut fields);
    }
    fields
}

/// Whether a line is a meta line: it starts with a date or with a recognised key and colon,
/// or is an English byline (`By Jane Doe`).
pub fn is_meta_line(line: &str) -> bool {
    if line.chars().count() > 300 {
        return false;
    }
    let starts_with_date = line.starts_with(|c: char| c.is_ascii_digit())
        && dates::find(line).is_some_and(|f| f.start == 0);
    starts_with_date || starts_with_key(line) || byline(line).is_some()
}

/// Whether a line starts with a recognised key and a colon (after an optional bracket).
fn starts_with_key(line: &str) -> bool {
    key_start_re().is_match(line)
}

/// Whether a body line holds only meta facts: credits (`记者:孙奕`, `(责任编辑:孟庆科)`),
/// tags, a source or an original link, as sites print them under the text.
pub fn is_credit_line(line: &str) -> bool {
    if line.len() > 480 || !starts_with_key(line) {
        return false;
    }
    let inner = strip_brackets(line);
    let fields = meta_fields(inner, None);
    inner.chars().count() <= 120
        && !fields.is_empty()
        && fields.iter().all(|f| {
            matches!(
                f.key,
                FieldKey::Person(_)
                    | FieldKey::Tag
                    | FieldKey::Category
                    | FieldKey::Source
                    | FieldKey::Link
            )
        })
}

/// The people named on a credit line.
pub fn credit_fields(line: &str, line_no: Option<usize>) -> Vec<Field> {
    meta_fields(strip_brackets(line), line_no)
}

fn strip_brackets(line: &str) -> &str {
    let open = ['(', '（', '[', '【'];
    let close = [')', '）', ']', '】'];
    match line.strip_prefix(open).and_then(|l| l.strip_suffix(close)) {
        Some(inner) => inner.trim(),
        None => line,
    }
}

fn byline(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("by "))?;
    (rest.chars().count() < 80 && !rest.contains(['.', '!', '?'])).then_some(rest.trim())
}

/// Facts without a key: a leading date, a view count, an English byline.
fn unkeyed_facts(text: &str, line_no: Option<usize>, out: &mut Vec<Field>) {
    let mut rest = text;
    if let Some(found) = dates::find(rest) {
        push(
            out,
            FieldKey::Published,
            &rest[found.start..found.end],
            line_no,
        );
        rest = &rest[found.end..];
    }
    if let Some(c) = views_re().captures(rest) {
        if let Some(n) = c.name("n").or(c.name("m")) {
            push(out, FieldKey::Views, n.as_str(), line_no);
        }
    } else if let Some(names) = byline(rest.trim()) {
        push_people(out, Role::Author, names, line_no);
    }
}

fn keyed_facts(fact: FieldKey, value: &str, line_no: Option<usize>, out: &mut Vec<Field>) {
    let value = trim_value(value);
    match fact {
        FieldKey::Published | FieldKey::Updated => {
            // Keep only the date itself; text after it (a view count, say) is read on.
            match dates::find(value) {
                Some(found) => {
                    push(out, fact, &value[found.start..found.end], line_no);
                    unkeyed_facts(&value[found.end..], line_no, out);
                }
                None => push(out, fact, value, line_no),
            }
        }
        FieldKey::Views => {
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            push(out, fact, &digits, line_no);
        }
        FieldKey::Tag | FieldKey::Category => {
            for part in value.split([',', '\u{ff0c}', '、', ';', '\u{ff1b}', '|', '/']) {
                let part = trim_value(part);
                if fact == FieldKey::Tag && !part.contains(char::is_alphanumeric) {
                    continue;
                }
                if fact == FieldKey::Tag && !part.is_ascii() {
                    // Chinese tags are often separated by spaces alone.
                    for tag in part.split_whitespace() {
                        push(out, fact, tag, line_no);
                    }
                } else {
                    push(out, fact, part, line_no);
                }
            }
        }
        FieldKey::Person(role) => push_people(out, role, value, line_no),
        FieldKey::Source | FieldKey::Link => {
            // A source is one name; anything after a run of spaces is another fact.
            let first = value.split("  ").next().unwrap_or(value);
            push(out, fact, first, line_no);
        }
        _ => push(out, fact, value, line_no),
    }
}

fn push_people(out: &mut Vec<Field>, role: Role, names: &str, line_no: Option<usize>) {
    let names = names.replace(" and ", ",").replace(" & ", ",");
    for part in names.split([',', '\u{ff0c}', '、', ';', '\u{ff1b}', '/']) {
        let part = trim_value(part);
        if part.is_ascii() {
            push(out, FieldKey::Person(role), part, line_no);
        } else {
            for name in part.split_whitespace() {
                push(out, FieldKey::Person(role), name, line_no);
            }
        }
    }
}

fn push(out: &mut Vec<Field>, key: FieldKey, value: &str, line: Option<usize>) {
    let value = trim_value(value);
    if !value.is_empty() {
        out.push(Field {
            key,
            value: value.to_owned(),
            line,
        });
    }
}

fn trim_value(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '丨' | '｜' | '·'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(line: &str) -> Vec<(FieldKey, String)> {
        meta_fields(line, Some(1))
            .into_iter()
            .map(|f| (f.key, f.value))
            .collect()
    }

    fn row(key: FieldKey, value: &str) -> (FieldKey, String) {
        (key, value.to_owned())
    }

    #[test]
    fn the_sample_meta_line() {
        let line = "2020年07月10日 9:52 1357次浏览 来源:\u{a0}\u{a0} 分类: 学习进行时";
        assert_eq!(
            facts(line),
            [
                row(FieldKey::Published, "2020年07月10日 9:52"),
                row(FieldKey::Views, "1357"),
                row(FieldKey::Category, "学习进行时"),
            ]
        );
    }

    #[test]
    fn keyed_lines_in_any_order_and_either_colon() {
        let rows: &[(&str, &[(FieldKey, &str)])] = &[
            (
                "来源:新华社 发布时间:2021-03-05 14:30:00 作者:张三、李四",
                &[
                    (FieldKey::Source, "新华社"),
                    (FieldKey::Published, "2021-03-05 14:30:00"),
                    (FieldKey::Person(Role::Author), "张三"),
                    (FieldKey::Person(Role::Author), "李四"),
                ],
            ),
            (
                "时间:2021/3/5 栏目:财经 阅读:88",
                &[
                    (FieldKey::Published, "2021/3/5"),
                    (FieldKey::Category, "财经"),
                    (FieldKey::Views, "88"),
                ],
            ),
            (
                "标签:铜 铝,锌 关键词:有色金属",
                &[
                    (FieldKey::Tag, "铜"),
                    (FieldKey::Tag, "铝"),
                    (FieldKey::Tag, "锌"),
                    (FieldKey::Tag, "有色金属"),
                ],
            ),
            (
                "Published: 2021-03-05 09:00 | By: Jane Doe and John Roe | Category: Markets",
                &[
                    (FieldKey::Published, "2021-03-05 09:00"),
                    (FieldKey::Person(Role::Author), "Jane Doe"),
                    (FieldKey::Person(Role::Author), "John Roe"),
                    (FieldKey::Category, "Markets"),
                ],
            ),
            (
                "原文链接:https://news.example.cn/a/1.html",
                &[(FieldKey::Link, "https://news.example.cn/a/1.html")],
            ),
            (
                "By Jane Doe",
                &[(FieldKey::Person(Role::Author), "Jane Doe")],
            ),
            ("新华社记者:不算", &[]),
        ];
        for (line, want) in rows {
            let want: Vec<_> = want.iter().map(|(k, v)| row(*k, v)).collect();
            assert_eq!(facts(line), want, "line {line:?}");
        }
    }

    #[test]
    fn meta_and_credit_lines_are_told_from_body_text() {
        assert!(is_meta_line("2020年07月10日 9:52 1357次浏览"));
        assert!(is_meta_line("来源:新华社"));
        assert!(!is_meta_line("7月8日,习近平主席同俄罗斯总统普京再通电话。"));
        assert!(is_credit_line("责任编辑:孟庆科"));
        assert!(is_credit_line("(责任编辑:王丽)"));
        assert!(is_credit_line("标签:铜 期货"));
        assert!(!is_credit_line("发布时间:2020-01-01 浏览:3"));
        assert!(!is_credit_line("2020年4月13日,新华社记者 于嘉 摄"));
    }
}
