#!/usr/bin/env python3
"""Compares what feedloom's external feed reader finds in a folder of feeds with what
Python feedparser (the reference most aggregators are measured against) finds.

For every feed file under FOLDER (*.xml, *.rss, *.rdf, *.atom, *.cdf), both read it as if
fetched from http://127.0.0.1:8097/<path> by a static file server: with the `Content-type`
of a `Header: Content-type: ...` line in a leading comment, as in feedparser's own test
files, or else the one its suffix maps to (`application/xml` for `.xml`), sent to both.
feedparser reads with chardet installed (scripts/requirements.txt), as its own test suite
does for the files that need it. Then, entry by entry
in document order, for each field feedparser finds (title, link, published, updated), it
counts how many of those values feedloom finds equal, and prints the per-field figures
and the disagreements.

Values are compared after normalising: white space collapsed; HTML titles as text; links
with scheme and host lowercased, an empty path as `/`, percent-escapes decoded; dates to
the second in UTC.

    scripts/compare_feedparser.py [--bin PATH] [--quiet] [--limit N] FOLDER...

`--bin` names a built `read_feed` example (default: built with cargo first).
"""
import argparse
import calendar
import html
import json
import mimetypes
import os
import re
import subprocess
import sys
import urllib.parse
import warnings
from datetime import datetime, timezone

import feedparser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASE = "http://127.0.0.1:8097/"
SUFFIXES = (".xml", ".rss", ".rdf", ".atom", ".cdf")
FIELDS = ("title", "link", "published", "updated")

warnings.simplefilter("ignore")


def feed_files(folder):
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            if name.lower().endswith(SUFFIXES):
                path = os.path.join(root, name)
                found.append((os.path.relpath(path, folder), path))
    return sorted(found)


def header_content_type(data):
    head = data[:2048].decode("latin-1")
    m = re.search(r"^\s*Header:\s*Content-type:\s*(.+?)\s*$", head, re.I | re.M)
    return m.group(1) if m else None


def served_content_type(data, path):
    """The Content-type a static file server sends for the file: its own `Header:` line,
    else what the suffix maps to."""
    return header_content_type(data) or mimetypes.guess_type(path)[0]


def collapse(text):
    return " ".join((text or "").split())


def as_text(value, kind):
    if kind and "html" in kind:
        value = re.sub(r"(?s)<!--.*?-->|<[^>]*>", " ", value)
        value = html.unescape(value)
    return collapse(value)


def norm_link(link):
    link = (link or "").strip()
    if not link:
        return ""
    try:
        parts = urllib.parse.urlsplit(link)
    except ValueError:
        return link
    host = parts.netloc.lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    path = parts.path or ("/" if parts.scheme in ("http", "https") else "")
    out = urllib.parse.urlunsplit((parts.scheme.lower(), host, path, parts.query, parts.fragment))
    return urllib.parse.unquote(out)


def fp_date(entry, key):
    parsed = dict.get(entry, key + "_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def our_date(text):
    if not text:
        return None
    return datetime.fromisoformat(text).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def feedparser_entries(data, url, content_type):
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(data, response_headers=headers)
    out = []
    for e in parsed.entries:
        detail = dict.get(e, "title_detail") or {}
        title = dict.get(e, "title")
        out.append({
            # A title that is only markup (`<img onload=...>`) is no title: none.
            "title": (as_text(title, detail.get("type")) if title else None) or None,
            "link": norm_link(dict.get(e, "link")) or None,
            "published": fp_date(e, "published"),
            "updated": fp_date(e, "updated"),
        })
    return out


def feedloom_entries(binary, folder, rel, content_type):
    cmd = [binary, "--base", BASE]
    if content_type:
        cmd += ["--content-type", content_type]
    run = subprocess.run(cmd + [rel], cwd=folder, capture_output=True, text=True)
    if run.returncode != 0 or not run.stdout.strip():
        return None, run.stderr.strip() or "no output"
    got = json.loads(run.stdout.splitlines()[0])
    if "error" in got:
        return None, got["error"]
    return [{
        "title": collapse(e["title"]) or None,
        "link": norm_link(e["link"]) or None,
        "published": our_date(e["published"]),
        "updated": our_date(e["updated"]),
    } for e in got["entries"]], None


def build_binary():
    subprocess.run(["cargo", "build", "-q", "--example", "read_feed"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "debug", "examples", "read_feed")


def compare(folder, binary, totals, disagreements):
    for rel, path in feed_files(folder):
        with open(path, "rb") as f:
            data = f.read()
        content_type = served_content_type(data, path)
        theirs = feedparser_entries(data, BASE + rel, content_type)
        ours, error = feedloom_entries(binary, folder, rel, content_type)
        for i, want in enumerate(theirs):
            got = (ours or [])[i] if ours and i < len(ours) else None
            for field in FIELDS:
                if want[field] is None:
                    continue
                totals[field][1] += 1
                value = got[field] if got else None
                if value == want[field]:
                    totals[field][0] += 1
                else:
                    why = error if error else ("no such entry" if got is None else repr(value))
                    disagreements.append(f"{rel} [{i}] {field}: feedparser {want[field]!r}, feedloom {why}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--bin")
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    parser.add_argument("--limit", type=int, default=200, help="disagreements to print")
    args = parser.parse_args()
    binary = args.bin or build_binary()
    totals = {f: [0, 0] for f in FIELDS}
    disagreements = []
    for folder in args.folders:
        compare(os.path.abspath(folder), os.path.abspath(binary), totals, disagreements)
    if not args.quiet:
        for line in disagreements[: args.limit]:
            print(line)
        if len(disagreements) > args.limit:
            print(f"... and {len(disagreements) - args.limit} more")
    agree = sum(t[0] for t in totals.values())
    found = sum(t[1] for t in totals.values())
    for field in FIELDS:
        a, n = totals[field]
        print(f"{field:10} {a:5} of {n:5} feedparser values found equal ({100 * a / max(n, 1):.1f}%)")
    print(f"{'all':10} {agree:5} of {found:5} ({100 * agree / max(found, 1):.1f}%)")


if __name__ == "__main__":
    sys.exit(main())
