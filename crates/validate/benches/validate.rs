//! Throughput of `validate` on generated 10,000-item RSS 2.0 and Atom feeds.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feedloom_validate::{Options, validate};

#[path = "../examples/feeds/mod.rs"]
mod feeds;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate");
    g.sample_size(10);
    for (name, feed) in [
        ("rss20_10k", feeds::rss(10_000)),
        ("atom_10k", feeds::atom(10_000)),
    ] {
        g.throughput(Throughput::Bytes(feed.len() as u64));
        g.bench_function(name, |b| b.iter(|| validate(&feed, &Options::default())));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
