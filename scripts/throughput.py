#!/usr/bin/env python3
"""Builds N synthetic articles in the sample's text layout (or Markdown), then times
`feedloom build` writing RSS + Atom + JSON from them and prints wall time, throughput and
peak memory (max RSS of the child process). Each timed run starts from scratch: no
outputs, no state.

With --rebuild it times incremental builds instead: a first build (empty state), then
no-change rebuilds, then rebuilds after changing one article's title.

    scripts/throughput.py [--articles 10000] [--kind text|markdown] [--runs 5] [--binary target/release/feedloom]
    scripts/throughput.py --rebuild [--articles 10000] [--runs 5]
"""
import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WORDS = ("中俄 元首 电话 外交 疫情 合作 支持 发展 稳定 国际 秩序 经济 贸易 铜价 铝锭 库存 "
         "冶炼 加工 市场 需求 供给 企业 产能 价格 上涨 下跌 回调 政策 投资 新能源").split()


def sentence(rng, n):
    return "".join(rng.choice(WORDS) for _ in range(n)) + "。"


def paragraph(rng):
    return "".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(2, 4)))


def text_article(rng, i):
    day = 1 + i % 28
    lines = [
        f"第{i}篇 {sentence(rng, 4)[:-1]}",
        "",
        f"2020年07月{day:02d}日 {i % 24}:{i % 60:02d} {rng.randint(1, 9999)}次浏览 来源:新华社 分类: 学习进行时",
        "",
    ]
    for k in range(4):
        lines += [paragraph(rng), ""]
        if k == 2:
            lines += ["守望相助 共同抗击疫情", ""]
        if k == 3:
            lines += ["1", f"2020年4月13日,{sentence(rng, 6)} 新华社记者 于嘉 摄", ""]
    lines += ["——" + sentence(rng, 6), "", "——" + sentence(rng, 6), ""]
    lines += ["记者:孙奕", "", "编辑:李小虎", "", "如需了解更多信息,请登录中国有色网了解更多信息。"]
    return "\n".join(lines) + "\n"


def markdown_article(rng, i):
    day = 1 + i % 28
    body = "\n\n".join(paragraph(rng) for _ in range(6))
    return (f"---\ntitle: \"第{i}篇 {sentence(rng, 4)[:-1]}\"\ndate: 2020-07-{day:02d}T09:52:00+08:00\n"
            f"tags: [铜, 铝]\ncategories: [学习进行时]\nauthor: 孙奕\n---\n\n{paragraph(rng)}\n\n<!--more-->\n\n"
            f"## 小标题\n\n{body}\n\n- 一\n- 二\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--kind", choices=["text", "markdown"], default="text")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default="target/release/feedloom")
    ap.add_argument("--keep", action="store_true", help="keep the generated folder")
    ap.add_argument("--rebuild", action="store_true",
                    help="time a first build, no-change rebuilds and touch-one rebuilds")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: run `cargo build --release` first")
    root = tempfile.mkdtemp(prefix="feedloom-bench-")
    rng = random.Random(42)
    ext = "txt" if args.kind == "text" else "md"
    make = text_article if args.kind == "text" else markdown_article
    os.makedirs(os.path.join(root, "articles"))
    os.makedirs(os.path.join(root, "feeds"))
    size = 0
    for i in range(args.articles):
        data = make(rng, i).encode("utf-8")
        size += len(data)
        with open(os.path.join(root, "articles", f"a{i:06d}.{ext}"), "wb") as f:
            f.write(data)
    with open(os.path.join(root, "feeds", "bench.toml"), "w") as f:
        f.write(f"""title = "bench"
link = "https://www.example.com/"
language = "zh-CN"
timezone = "Asia/Shanghai"
base_url = "https://www.example.com/feeds/"
[[source]]
path = "articles/*.{ext}"
link_template = "https://www.example.com/news/{{slug}}.html"
[output]
rss = "public/bench.xml"
atom = "public/bench.atom"
json = "public/bench.json"
""")
    feeds = os.path.join(root, "feeds")
    if args.rebuild:
        rebuild(args, binary, root, feeds, ext, make)
    else:
        from_scratch(args, binary, root, feeds, size)
    if args.keep:
        print(f"kept: {root}")
    else:
        shutil.rmtree(root)


def run_build(binary, feeds):
    """Runs one build; returns its wall time in seconds."""
    start = time.perf_counter()
    proc = subprocess.run([binary, "--quiet", "build", "--feeds", feeds], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"feedloom exited {proc.returncode}: {proc.stderr[:2000]}")
    return wall


def clear_state(feeds):
    """Removes everything in feeds/ but the definitions: the state file and its lock."""
    for name in os.listdir(feeds):
        if not name.endswith(".toml"):
            os.remove(os.path.join(feeds, name))


def from_scratch(args, binary, root, feeds, size):
    walls = []
    for run in range(args.runs):
        shutil.rmtree(os.path.join(root, "public"), ignore_errors=True)
        # A state file from a previous run would make later runs incremental: remove it.
        clear_state(feeds)
        walls.append(run_build(binary, feeds))
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out_size = sum(os.path.getsize(os.path.join(root, "public", n)) for n in os.listdir(os.path.join(root, "public")))
    best, median = min(walls), statistics.median(walls)
    print(f"{args.articles} {args.kind} articles, {size / 1e6:.1f} MB in, {out_size / 1e6:.1f} MB out (RSS + Atom + JSON)")
    print(f"wall: best {best:.3f} s, median {median:.3f} s over {args.runs} runs")
    print(f"throughput: {args.articles / median:,.0f} articles/s, {size / 1e6 / median:.1f} MB/s")
    print(f"peak memory: {peak_kib / 1024:.0f} MiB")


def rebuild(args, binary, root, feeds, ext, make):
    shutil.rmtree(os.path.join(root, "public"), ignore_errors=True)
    clear_state(feeds)
    # Files modified within two seconds of a run are hashed by the next run rather than
    # trusted by their stamp; let the generated ones age so the figures show the steady state.
    time.sleep(2.1)
    first = run_build(binary, feeds)
    same = [run_build(binary, feeds) for _ in range(args.runs)]
    rng = random.Random(7)
    touched = []
    for run in range(args.runs):
        i = rng.randrange(args.articles)
        path = os.path.join(root, "articles", f"a{i:06d}.{ext}")
        # A real change: the title, so the entry (and every output) changes.
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(f"第{i}篇", f"第{i}篇(修订{run})", 1))
        touched.append(run_build(binary, feeds))
        time.sleep(2.1)
        run_build(binary, feeds)  # settles the touched file's stamp; not timed
    ms = lambda t: f"{t * 1000:.0f} ms"
    print(f"{args.articles} {args.kind} articles, RSS + Atom + JSON")
    print(f"first build (empty state): {ms(first)}")
    print(f"no-change rebuild: best {ms(min(same))}, median {ms(statistics.median(same))} over {len(same)} runs")
    print(f"touch-one rebuild: best {ms(min(touched))}, median {ms(statistics.median(touched))} over {len(touched)} runs")


if __name__ == "__main__":
    main()
