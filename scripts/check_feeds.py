#!/usr/bin/env python3
"""Checks every feed that the definitions in a folder name as outputs, the way subscribers'
software will read them:

- Python feedparser reads each RSS and Atom file with no complaint (bozo 0), and every entry
  has a title, a link or id, and a date;
- the RSS, Atom and JSON outputs of one definition agree entry by entry (ids, titles, dates);
- the real sample article carries its real date (2020-07-10 09:52 in Asia/Shanghai);
- Atom files validate against RFC 4287's RelaxNG schema with jing;
- every file passes the W3C Feed Validation Service's rules twice over: the Python service's
  own code (../shared/tools/feedvalidate --strict) and feedloom's native port of it
  (`feedloom --strict validate`), and newsboat reads what feedparser reads
  (../shared/tools/readerview).

    scripts/check_feeds.py [FEEDS_DIR]
"""
import calendar
import json
import os
import subprocess
import sys
import tomllib

import feedparser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")
SCHEMA = os.path.join(SHARED, "schemas", "atom.rnc")
VALIDATE = os.path.join(SHARED, "tools", "feedvalidate")
READERVIEW = os.path.join(SHARED, "tools", "readerview")
FEEDLOOM = os.path.join(ROOT, "target", "release", "feedloom")
FEED_FORMATS = ("rss", "atom", "json")
REAL_SAMPLE_SLUG = "cnmn-2020-07-10-xi-putin-calls"
REAL_SAMPLE_UTC = (2020, 7, 10, 1, 52, 0)

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def outputs(feeds_dir):
    root = os.path.dirname(os.path.abspath(feeds_dir))
    for name in sorted(os.listdir(feeds_dir)):
        if name.endswith(".toml"):
            with open(os.path.join(feeds_dir, name), "rb") as f:
                out = tomllib.load(f).get("output", {})
            # The feed formats only: `html` is the companion page, no feed.
            yield name, {k: os.path.join(root, v) for k, v in out.items() if k in FEED_FORMATS}


def check_xml(path):
    parsed = feedparser.parse(path)
    if parsed.bozo:
        fail(f"{path}: feedparser complains: {parsed.bozo_exception!r}")
    if not parsed.entries:
        fail(f"{path}: feedparser finds no entries")
    rows = []
    for i, e in enumerate(parsed.entries):
        date = e.get("published_parsed") or e.get("updated_parsed")
        if not e.get("title") or not (e.get("link") or e.get("id")) or not date:
            fail(f"{path}: entry {i} lacks a title, link/id or date: {dict(e)!r:.300}")
            continue
        rows.append((e.get("id"), e.get("title"), calendar.timegm(date)))
    return rows


def check_json(path):
    with open(path, encoding="utf-8") as f:
        feed = json.load(f)
    from datetime import datetime
    return [(i["id"], i.get("title"), int(datetime.fromisoformat(i["date_published"]).timestamp()))
            for i in feed["items"] if "date_published" in i]


def run(cmd, what):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-12:]
    if proc.returncode != 0:
        fail(f"{what} failed:\n  " + "\n  ".join(tail))
    else:
        print(f"ok: {what}: {tail[-1] if tail else ''}")


def main():
    feeds_dir = sys.argv[1] if len(sys.argv) > 1 else "feeds"
    all_files = []
    for name, out in outputs(feeds_dir):
        views = {}
        for fmt, path in out.items():
            if not os.path.isfile(path):
                fail(f"{name}: output {path} was not written")
                continue
            all_files.append(path)
            views[fmt] = check_json(path) if fmt == "json" else check_xml(path)
            print(f"ok: {path}: {len(views[fmt])} entries read")
            if fmt == "atom" and os.path.isfile(SCHEMA):
                run(["jing", "-c", SCHEMA, path], f"jing {os.path.basename(path)}")
        ref_fmt = next(iter(views), None)
        for fmt, rows in views.items():
            if [(r[0], r[2]) for r in rows] != [(r[0], r[2]) for r in views[ref_fmt]]:
                fail(f"{name}: {fmt} and {ref_fmt} disagree on ids or dates")
        for rows in views.values():
            for entry_id, _, ts in rows:
                if REAL_SAMPLE_SLUG in (entry_id or "") and tuple(__import__("time").gmtime(ts))[:6] != REAL_SAMPLE_UTC:
                    fail(f"{name}: the real sample's date reads as {ts}, not 2020-07-10T01:52:00Z")
    if all_files and os.path.isfile(FEEDLOOM):
        run([FEEDLOOM, "--strict", "validate", *all_files], "feedloom --strict validate")
    elif all_files:
        fail(f"{FEEDLOOM} not found: build it with `cargo build --release` first")
    if not all_files:
        fail("no feed files to check")
    elif os.path.isfile(VALIDATE):
        run([sys.executable, VALIDATE, "--strict", *all_files], "feedvalidate --strict")
        xml = [f for f in all_files if not f.endswith(".json")]
        run([sys.executable, READERVIEW, *xml], "readerview (feedparser and newsboat agree)")
    else:
        fail(f"{VALIDATE} not found: the shared tools are needed beside this repository")
    print(f"{len(all_files)} feed files checked, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
