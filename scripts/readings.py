#!/usr/bin/env python3
"""How Python feedparser reads feed files, as stable JSON.

Usage: scripts/readings.py FEED...

Prints one JSON object: file name -> reading. A reading holds the feed-level fields
(title, link, links, subtitle, language, id, updated, authors) and, per entry, every field
a reader shows: id, title, link, links, published, updated, summary, content, authors,
contributors, tags, enclosures and source. Dates are given in UTC as feedparser parsed
them. feedparser does not read JSON Feed: a JSON Feed's reading is its parsed document. The tests compare these readings with stored ones, so that a change in how feedloom
writes a feed can never change what readers see without a test noticing.
"""
import json
import os
import sys
import time

import feedparser


def date(parsed):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def links(obj):
    return [
        {k: link.get(k) for k in ("rel", "type", "href", "title", "length") if link.get(k)}
        for link in obj.get("links", [])
    ]


def people(items):
    return [{k: p.get(k) for k in ("name", "email", "href") if p.get(k)} for p in items or []]


def entry(e):
    return {
        "id": e.get("id"),
        "title": e.get("title"),
        "title_type": e.get("title_detail", {}).get("type"),
        "link": e.get("link"),
        "links": links(e),
        "published": date(e.get("published_parsed")),
        "updated": date(e.get("updated_parsed")),
        "summary": e.get("summary"),
        "content": [
            {k: c.get(k) for k in ("type", "language", "value")} for c in e.get("content", [])
        ],
        "authors": people(e.get("authors")),
        "contributors": people(e.get("contributors")),
        "tags": [{k: t.get(k) for k in ("term", "scheme", "label") if t.get(k)} for t in e.get("tags", [])],
        "enclosures": [dict(x) for x in e.get("enclosures", [])],
        "source": {k: v for k, v in e.get("source", {}).items() if k in ("title", "href", "link")},
    }


def reading(path):
    with open(path, "rb") as f:
        head = f.read(64).lstrip()
    if head.startswith(b"{"):
        # feedparser does not read JSON Feed: the document's own values are its reading.
        with open(path, encoding="utf-8") as f:
            return {"json": json.load(f)}
    d = feedparser.parse(path)
    f = d.feed
    return {
        "bozo": bool(d.bozo),
        "version": d.version,
        "feed": {
            "title": f.get("title"),
            "link": f.get("link"),
            "links": links(f),
            "subtitle": f.get("subtitle"),
            "language": f.get("language"),
            "id": f.get("id"),
            "updated": date(f.get("updated_parsed")),
            "authors": people(f.get("authors")),
        },
        "entries": [entry(e) for e in d.entries],
    }


def main():
    out = {os.path.basename(p): reading(p) for p in sys.argv[1:]}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
