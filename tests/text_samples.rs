//! The text reader and mapper on the real sample articles in `samples/`.

use std::path::{Path, PathBuf};

use feedloom::mapper::{self, ArticleKey, MapOptions};
use feedloom::model::{Entry, Person};
use feedloom::pipeline::{self, FeedSettings, SourceSpec};
use feedloom::source::{self, BlockKind, Body, FieldKey, ReadOptions, Role};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn shanghai_options() -> MapOptions {
    MapOptions {
        timezone: chrono_tz::Asia::Shanghai,
        link_template: Some("https://www.example.com/news/{slug}.html".into()),
        id_authority: "www.example.com".into(),
        language: Some("zh-CN".into()),
        ..MapOptions::default()
    }
}

fn map_sample(name: &str, options: &MapOptions) -> (Entry, Vec<feedloom::diagnostic::Diagnostic>) {
    let path = sample(name);
    let article = source::read_file(&path, None, &ReadOptions::default()).unwrap();
    mapper::map(&article, &ArticleKey::new(&path, &path), options)
}

const REAL: &str = "cnmn-2020-07-10-xi-putin-calls.txt";

#[test]
fn the_real_sample_article_is_read_field_by_field() {
    let article = source::read_file(&sample(REAL), None, &ReadOptions::default()).unwrap();
    let title = article.title.as_ref().unwrap();
    assert_eq!(title.value, "4个月内4次通话,习近平再同普京强调“相互支持”");
    assert_eq!(title.line, Some(1));

    let published = article.field(FieldKey::Published).unwrap();
    assert_eq!(
        (published.value.as_str(), published.line),
        ("2020年07月10日 9:52", Some(3))
    );
    assert_eq!(article.field(FieldKey::Views).unwrap().value, "1357");
    assert_eq!(
        article.field(FieldKey::Category).unwrap().value,
        "学习进行时"
    );
    // `来源:` holds only non-breaking spaces: absent, not an empty source.
    assert!(article.field(FieldKey::Source).is_none());

    let people: Vec<(Role, &str)> = article
        .fields
        .iter()
        .filter_map(|f| match f.key {
            FieldKey::Person(role) => Some((role, f.value.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        people,
        [
            (Role::Planner, "刘华"),
            (Role::Reporter, "孙奕"),
            (Role::Editor, "李小虎"),
            (Role::ChiefEditor, "孟庆科"),
        ]
    );

    let Body::Blocks(blocks) = &article.body else {
        panic!("a text article has blocks")
    };
    let headings: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        [
            "守望相助 共同抗击疫情",
            "相互支持 反对外部干涉",
            "携手并肩 捍卫公平正义"
        ]
    );
    let figures: Vec<(&str, &str)> = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Figure { number, caption } => Some((number.as_str(), caption.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(figures.len(), 4);
    assert_eq!(figures[0].0, "1");
    assert!(figures[0].1.starts_with("2020年4月13日,在俄罗斯首都莫斯科"));
    assert!(figures[3].1.ends_with("新华社记者 庞兴雷 摄"));
    let lists: Vec<&Vec<String>> = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::List(items) => Some(items),
            _ => None,
        })
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].len(), 4);
    assert_eq!(lists[0][0], "俄罗斯是第一个派遣防疫专家代表团来华的国家;");
    let first = &blocks[0];
    assert_eq!(first.line, 5);
    // The site boilerplate is gone; the last block is the last paragraph of the article.
    let BlockKind::Paragraph(last) = &blocks.last().unwrap().kind else {
        panic!("the article ends with a paragraph")
    };
    assert!(last.ends_with("普京总统积极回应。"), "{last}");
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
}

#[test]
fn the_real_sample_maps_to_a_complete_entry() {
    let (entry, warnings) = map_sample(REAL, &shanghai_options());
    assert!(warnings.is_empty(), "{warnings:?}");
    // Pinned: changing this id would duplicate the article in every subscriber's reader.
    assert_eq!(
        entry.id,
        "https://www.example.com/news/cnmn-2020-07-10-xi-putin-calls.html"
    );
    assert_eq!(
        entry.link.as_ref().map(|l| l.as_str()),
        Some(entry.id.as_str())
    );
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "2020-07-10T09:52:00+08:00"
    );
    assert_eq!(entry.updated, None);
    assert_eq!(
        entry.authors,
        [Person::named("孙奕")],
        "reporters are authors"
    );
    let contributors: Vec<(&str, Option<&str>)> = entry
        .contributors
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_deref()))
        .collect();
    assert_eq!(
        contributors,
        [
            ("刘华", Some("planner")),
            ("李小虎", Some("editor")),
            ("孟庆科", Some("chief editor"))
        ]
    );
    let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(categories, ["学习进行时"]);
    assert_eq!(
        entry.summary.as_deref(),
        Some(
            "7月8日,习近平主席同俄罗斯总统普京再通电话。两国领导人强调“坚定相互支持”,表达双方进一步加强全面战略协作的共同意愿。"
        )
    );
    let html = entry.content_html.unwrap();
    assert!(html.starts_with("<p>7月8日,习近平主席"), "{html}");
    assert!(html.contains("<h2>守望相助 共同抗击疫情</h2>"));
    assert!(html.contains("<figure><figcaption>2020年4月13日,在俄罗斯首都莫斯科"));
    assert!(html.contains("<ul><li>俄罗斯是第一个派遣防疫专家代表团来华的国家;</li>"));
    assert!(!html.contains("如需了解更多信息"));
    assert!(!html.contains("声明"));
    assert!(!html.contains("孟庆科"), "credits are people, not content");
    assert_eq!(entry.language, None, "same language as the feed");
}

#[test]
fn without_a_link_the_id_is_a_pinned_tag_uri() {
    let options = MapOptions {
        link_template: None,
        ..shanghai_options()
    };
    let (entry, _) = map_sample(REAL, &options);
    assert_eq!(
        entry.id,
        "tag:www.example.com,2000:cnmn-2020-07-10-xi-putin-calls"
    );
    assert_eq!(entry.link, None);
}

#[test]
fn the_time_zone_decides_dates_without_offset() {
    let utc = MapOptions {
        timezone: chrono_tz::UTC,
        ..shanghai_options()
    };
    let (entry, _) = map_sample(REAL, &utc);
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "2020-07-10T09:52:00+00:00"
    );
    let (english, _) = map_sample("mining-weekly-2023-01-09-lithium.txt", &utc);
    assert_eq!(
        english.published.unwrap().to_rfc3339(),
        "2023-01-09T08:00:00+08:00",
        "an explicit offset wins"
    );
}

/// One row per sample: the facts that sample is there to show.
#[test]
fn every_bundled_sample_gives_its_facts() {
    struct Row {
        file: &'static str,
        title: &'static str,
        published: &'static str,
        authors: &'static [&'static str],
        categories: &'static [&'static str],
        language: Option<&'static str>,
    }
    let rows = [
        Row {
            file: "xinhua-2021-03-05-copper-prices.txt",
            title: "铜价创近十年新高 产业链企业加紧备货",
            published: "2021-03-05T14:30:00+08:00",
            authors: &["张三", "李四"],
            categories: &["铜", "期货", "有色金属"],
            language: None,
        },
        Row {
            file: "smm-2022-11-18-aluminium-stocks.txt",
            title: "电解铝社会库存连续三周下降",
            published: "2022-11-18T08:05:00+08:00",
            authors: &[],
            categories: &["铝", "铝价", "库存", "电解铝"],
            language: None,
        },
        Row {
            file: "mining-weekly-2023-01-09-lithium.txt",
            title: "Lithium prices cool as new supply comes online",
            published: "2023-01-09T08:00:00+08:00",
            authors: &["Jane Doe", "John Roe"],
            categories: &["Markets", "lithium", "EV batteries"],
            language: Some("en"),
        },
        Row {
            file: "cnmn-2019-12-31-year-review.txt",
            title: "2019年有色金属行业运行回顾",
            published: "2019-12-31T00:00:00+08:00",
            authors: &[],
            categories: &[],
            language: None,
        },
        Row {
            file: "nickel-2021-06-15-own-link.txt",
            title: "印尼镍铁产能持续扩张",
            published: "2021-06-15T00:00:00+08:00",
            authors: &["赵六"],
            categories: &["镍"],
            language: None,
        },
        Row {
            file: "gbk-2020-05-20-zinc-smelter.txt",
            title: "锌冶炼企业加工费下调",
            published: "2020-05-20T16:45:00+08:00",
            authors: &[],
            categories: &[],
            language: None,
        },
        Row {
            file: "utf16-2020-08-01-tin-market.txt",
            title: "锡价震荡走高 下游采购谨慎",
            published: "2020-08-01T10:20:00+08:00",
            authors: &["钱八", "孙九"],
            categories: &["锡"],
            language: None,
        },
        Row {
            file: "bom-2024-04-02-rare-earth.txt",
            title: "稀土价格企稳回升",
            published: "2024-04-02T08:30:00+08:00",
            authors: &["吴十", "冯二"],
            categories: &["稀土"],
            language: None,
        },
        Row {
            file: "gold-2025-02-14-date-only.txt",
            title: "金价再创历史新高",
            published: "2025-02-14T00:00:00+08:00",
            authors: &[],
            categories: &[],
            language: None,
        },
    ];
    for row in rows {
        let (entry, warnings) = map_sample(row.file, &shanghai_options());
        assert!(warnings.is_empty(), "{}: {warnings:?}", row.file);
        assert_eq!(entry.title, row.title, "{}", row.file);
        assert_eq!(
            entry.published.map(|d| d.to_rfc3339()).as_deref(),
            Some(row.published),
            "{}",
            row.file
        );
        let authors: Vec<&str> = entry.authors.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(authors, row.authors, "{}", row.file);
        let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(categories, row.categories, "{}", row.file);
        assert_eq!(entry.language.as_deref(), row.language, "{}", row.file);
        assert!(
            entry
                .content_html
                .as_deref()
                .is_some_and(|c| c.starts_with("<p>")),
            "{}",
            row.file
        );
    }
    let (nickel, _) = map_sample("nickel-2021-06-15-own-link.txt", &shanghai_options());
    assert_eq!(
        nickel.id, "https://news.example.cn/2021/06/15/nickel.html",
        "the article's own link wins"
    );
    let (zinc, _) = map_sample("gbk-2020-05-20-zinc-smelter.txt", &shanghai_options());
    assert!(
        zinc.content_html
            .unwrap()
            .ends_with("<p>来源:中国有色网</p>")
    );
}

#[test]
fn the_samples_folder_builds_into_one_sorted_feed_without_warnings() {
    let settings = FeedSettings {
        title: "samples".into(),
        timezone: Some(chrono_tz::Asia::Shanghai),
        ..FeedSettings::default()
    };
    let spec = SourceSpec {
        pattern: sample(""),
        ..SourceSpec::default()
    };
    let (entries, mut diagnostics) = pipeline::read_sources(&[spec], &settings);
    let feed = pipeline::assemble(&settings, entries, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(feed.entries.len() >= 10);
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(feed.updated, Some(dates[0]));
}
