//! Per-article cost of each pipeline stage on the real sample: read (decode + parse), map,
//! and emit (a 100-entry feed in each format, reported per entry).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feedloom::emit::{self, Format};
use feedloom::mapper::{self, ArticleKey, MapOptions};
use feedloom::model::Feed;
use feedloom::source::{self, ReadOptions};

fn sample() -> (std::path::PathBuf, Vec<u8>) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cnmn-2020-07-10-xi-putin-calls.txt");
    let bytes = std::fs::read(&path).expect("the sample is readable");
    (path, bytes)
}

fn options() -> MapOptions {
    MapOptions {
        timezone: chrono_tz::Asia::Shanghai,
        link_template: Some("https://www.example.com/news/{slug}.html".into()),
        id_authority: "www.example.com".into(),
        language: Some("zh-CN".into()),
        ..MapOptions::default()
    }
}

fn stages(c: &mut Criterion) {
    let (path, bytes) = sample();
    let read_options = ReadOptions::default();
    let mut group = c.benchmark_group("article");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("read", |b| {
        b.iter(|| source::read_bytes(&path, black_box(&bytes), None, &read_options))
    });
    let article = source::read_bytes(&path, &bytes, None, &read_options).expect("the sample reads");
    let key = ArticleKey::new(&path, &path);
    let options = options();
    group.bench_function("map", |b| {
        b.iter(|| mapper::map(black_box(&article), &key, &options))
    });
    group.finish();

    let (entry, _) = mapper::map(&article, &key, &options);
    let feed = Feed {
        title: "bench".into(),
        home_page_url: url::Url::parse("https://www.example.com/").ok(),
        entries: (0..100)
            .map(|i| {
                let mut e = entry.clone();
                e.id = format!("{}?n={i}", e.id);
                e
            })
            .collect(),
        ..Feed::default()
    };
    let mut group = c.benchmark_group("emit-100");
    group.throughput(Throughput::Elements(100));
    for format in [Format::Rss, Format::Atom, Format::Json] {
        group.bench_function(format.to_string(), |b| {
            b.iter(|| emit::write(black_box(&feed), format).expect("the feed serialises"))
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
