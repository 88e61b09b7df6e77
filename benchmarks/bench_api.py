"""Speed of ``eventwire serve`` with 100,000 events stored: filtered pages and streamed exports.

    python benchmarks/bench_api.py [--events 100000] [--requests 300] [--db PATH] [--out FILE]

A store of synthetic events (varied countries, types, dates, actors, places, tolls and evidence
sentences; 5 events an article) is built with ``Store.add`` (or reused with ``--db``), then served
by ``eventwire serve`` in its own process on 127.0.0.1, and measured over HTTP with keep-alive:

- ``GET /api/events`` with two filters (country + type, type + dates, country + minimum
  fatalities, evidence words + country, actor + type, bounding box + type), rotating, one
  request at a time; latency percentiles over all of them after a warm-up. Target: p95 < 100 ms.
- ``GET /api/export`` of every event as CSV, JSON lines and GeoJSON, read to the end; events per
  second. Target: at least 20,000 events/s.

Figures are printed and written as JSON (default ``benchmarks/results/bench_api.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "bench_api.json"
P95_TARGET_MS = 100.0
EXPORT_TARGET = 20_000.0
EVENTS_PER_ARTICLE = 5

COUNTRIES = {
    "IQ": (33.3, 44.4),
    "SY": (35.0, 38.5),
    "YE": (15.5, 48.0),
    "SD": (15.6, 32.5),
    "UA": (49.0, 32.0),
    "ML": (17.0, -4.0),
    "NG": (9.1, 7.5),
    "SO": (5.2, 46.2),
    "AF": (34.5, 69.2),
    "MM": (21.9, 95.9),
    "CD": (-4.0, 21.7),
    "ET": (9.1, 40.5),
    "LY": (27.0, 17.0),
    "BF": (12.2, -1.5),
    "PK": (30.4, 69.3),
    "MX": (23.6, -102.5),
    "CO": (4.6, -74.1),
    "PS": (31.9, 35.2),
    "LB": (33.9, 35.5),
    "HT": (18.9, -72.3),
}
SUB_TYPES = {
    "Battles": [
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ],
    "Explosions/Remote violence": [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
    ],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance", "Sexual violence"],
    "Protests": [
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Arrests", "Looting/property destruction", "Agreement", "Other"],
}
ACTORS = [
    "Military Forces of {c}",
    "Police Forces of {c}",
    "Rebel Movement of {c}",
    "Civilians ({c})",
    "Protesters ({c})",
    "Rioters ({c})",
    "Unidentified Armed Group ({c})",
    "Islamic State",
    "Wagner Group",
    "Communal Militia ({c})",
]
WORDS = [
    "attack",
    "strike",
    "convoy",
    "village",
    "market",
    "checkpoint",
    "militants",
    "soldiers",
    "drone",
    "shell",
    "killed",
    "wounded",
    "fighters",
    "police",
    "protesters",
    "gathered",
    "capital",
    "province",
    "district",
    "border",
    "camp",
    "base",
    "airstrike",
    "clashes",
    "residents",
    "witnesses",
    "officials",
    "reported",
    "security",
    "forces",
    "gunmen",
    "abducted",
    "journalist",
    "hospital",
    "mortar",
    "rocket",
    "explosion",
    "roadside",
    "bomb",
    "patrol",
    "town",
    "outskirts",
    "night",
    "morning",
]


def build_store(path: Path, n_events: int, seed: int = 7) -> float:
    """Fill a new store with ``n_events`` synthetic events; returns the seconds it took."""
    from eventwire.records import (
        Actor,
        Article,
        ArticleResult,
        Count,
        DateInfo,
        Event,
        Place,
        Span,
    )
    from eventwire.store import Store

    rng = random.Random(seed)
    first = date(2021, 1, 1)
    started = time.perf_counter()
    with Store(path) as store:
        for a in range(n_events // EVENTS_PER_ARTICLE):
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
                for _ in range(EVENTS_PER_ARTICLE)
            ]
            text = "\n".join(sentences) + f"\n(report {a})"
            published = first + timedelta(days=rng.randrange(3 * 365))
            article = Article(text=text, id=f"bench-{a}", published=published, source="Bench Wire")
            events = []
            offset = 0
            for i, sentence in enumerate(sentences):
                code = rng.choice(list(COUNTRIES))
                lat, lon = COUNTRIES[code]
                event_type = rng.choice(list(SUB_TYPES))
                day = published - timedelta(days=rng.randrange(4))
                killed = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 20, 45])
                events.append(
                    Event(
                        id=f"b{a}-{i}",
                        event_type=event_type,
                        sub_event_type=rng.choice(SUB_TYPES[event_type]),
                        date=DateInfo(start=day, end=day, precision="day"),
                        actor1=Actor(name=rng.choice(ACTORS).format(c=code)),
                        actor2=Actor(name=rng.choice(ACTORS).format(c=code))
                        if rng.random() < 0.6
                        else None,
                        location=Place(
                            name=f"Place {rng.randrange(500)}",
                            latitude=lat + rng.uniform(-2, 2),
                            longitude=lon + rng.uniform(-2, 2),
                            country_code=code,
                        ),
                        fatalities=Count(count=killed) if killed is not None else None,
                        evidence=[Span(text=sentence, start=offset, end=offset + len(sentence))],
                        notes=f"Synthetic event {a}-{i}.",
                    )
                )
                offset += len(sentence) + 1
            store.add(article, ArticleResult(article=article.info(), events=events))
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import logging; from eventwire.server import serve; "
        f"serve({str(db)!r}, host='127.0.0.1', port={port})"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"the server did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/meta", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not answer within 60 s")


QUERIES = [
    {"country": "IQ", "event_type": "Battles"},
    {"event_type": "Air/drone strike", "since": "2022-03-01", "until": "2022-06-30"},
    {"country": "SY", "min_fatalities": 10},
    {"q": "convoy", "country": "YE"},
    {"actor": "wagner", "event_type": "Violence against civilians"},
    {"bbox": "30,25,50,40", "event_type": "Protests"},
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure_queries(base: str, n: int) -> dict[str, Any]:
    import httpx

    by_query: dict[str, list[float]] = {json.dumps(q): [] for q in QUERIES}
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in range(20):  # warm-up: the OS cache and SQLite's page cache
            client.get("/api/events", params=QUERIES[i % len(QUERIES)]).raise_for_status()
        returned = 0
        for i in range(n):
            params = QUERIES[i % len(QUERIES)]
            t0 = time.perf_counter()
            response = client.get("/api/events", params=params)
            elapsed = (time.perf_counter() - t0) * 1000
            response.raise_for_status()
            returned += len(response.json()["events"])
            by_query[json.dumps(params)].append(elapsed)
    every = [t for ts in by_query.values() for t in ts]
    return {
        "requests": n,
        "page_size": 100,
        "events_returned": returned,
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "max_ms": round(max(every), 2),
        "by_query": {
            q: {"p50_ms": round(statistics.median(ts), 2), "p95_ms": round(percentile(ts, 0.95), 2)}
            for q, ts in by_query.items()
        },
    }


def measure_export(base: str, fmt: str, expected: int) -> dict[str, Any]:
    import httpx

    size = 0
    t0 = time.perf_counter()
    with (
        httpx.Client(base_url=base, timeout=600) as client,
        client.stream("GET", "/api/export", params={"format": fmt}) as response,
    ):
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
    seconds = time.perf_counter() - t0
    return {
        "format": fmt,
        "events": expected,
        "seconds": round(seconds, 3),
        "events_per_s": round(expected / seconds),
        "megabytes": round(size / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", type=Path, help="reuse (or build once) this store")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    from eventwire import __version__
    from eventwire.store import Store

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "bench.db"
    build_seconds = None
    if not db.exists():
        print(f"building a store of {args.events:,} events in {db} ...", flush=True)
        build_seconds = round(build_store(db, args.events), 1)
        print(f"  built in {build_seconds} s", flush=True)
    with Store(db) as store:
        stored = store.count()["events"]
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        queries = measure_queries(base, args.requests)
        exports = [measure_export(base, fmt, stored) for fmt in ("csv", "jsonl", "geojson")]
    finally:
        server.terminate()
        server.wait(timeout=30)
        if tmp is not None:
            tmp.cleanup()
    slowest_export = min(e["events_per_s"] for e in exports)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "eventwire": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "events_stored": stored,
        "build_seconds": build_seconds,
        "events_query": queries,
        "exports": exports,
        "targets": {
            "events_query_p95_ms": P95_TARGET_MS,
            "export_events_per_s": EXPORT_TARGET,
            "events_query_p95_met": queries["p95_ms"] < P95_TARGET_MS,
            "export_met": slowest_export >= EXPORT_TARGET,
        },
    }
    print(f"GET /api/events, two filters, {stored:,} events stored, {args.requests} requests:")
    print(
        f"  p50 {queries['p50_ms']} ms, p95 {queries['p95_ms']} ms, max {queries['max_ms']} ms"
        f" (target p95 < {P95_TARGET_MS:g} ms: {'met' if report['targets']['events_query_p95_met'] else 'NOT met'})"
    )
    for q, t in queries["by_query"].items():
        print(f"    {q}: p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms")
    print(f"GET /api/export, all {stored:,} events:")
    for e in exports:
        print(
            f"  {e['format']:>8}: {e['events_per_s']:,} events/s ({e['seconds']} s, {e['megabytes']} MB)"
        )
    print(
        f"  target >= {EXPORT_TARGET:,.0f} events/s: "
        f"{'met' if report['targets']['export_met'] else 'NOT met'}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if all(v for k, v in report["targets"].items() if k.endswith("_met")) else 1


if __name__ == "__main__":
    sys.exit(main())
