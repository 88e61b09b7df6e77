"""Throughput and memory of eventwire against bare spaCy, on the 200 GeoWebNews articles.

    python benchmarks/bench.py [--out benchmarks/results/bench.json] [--limit N] [--gwn PATH]

Three measurements over the same texts, in one run:

(a) ``spacy``: bare ``nlp.pipe`` with the configured model (loaded through
    ``eventwire.nlp.load_model``, so it is exactly the model the parse stage runs), same batch size;
(b) ``pipeline``: the whole eventwire ``Pipeline`` in one process (``workers=1``);
(c) ``pipeline_all_cores``: the whole pipeline with ``workers=0`` (one worker process per core).

Each measurement runs in a fresh Python subprocess, so that the peak resident memory
(``ru_maxrss``) of one does not hide in another's. Inside it the model or pipeline is loaded and
warmed up on a few articles first (loading is reported apart, not counted as throughput). For (c)
the warm-up loads the model in the parent, which the forked workers inherit; starting the worker
pool is part of the timed run, as it is of every ``workers=0`` call. (c) reports the parent's peak
and the largest worker's peak (``RUSAGE_CHILDREN``); parent + workers x largest worker is an upper
bound on the total, since forked workers share the parent's pages until they write to them.

Targets the project must meet: (b) at least 0.6 of (a)'s articles/s, and peak memory under 1 GiB
(the single-process run, and every process of the all-cores run). ``--in-process`` measures all
three in this process instead (for debugging; peaks then accumulate and only (a)'s is separable).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GWN = ROOT.parent / "shared" / "data" / "geoparsing" / "GWN.xml"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "bench.json"
MEASUREMENTS = ("spacy", "pipeline", "pipeline_all_cores")
THROUGHPUT_TARGET = 0.6
MEMORY_TARGET_MIB = 1024.0
WARMUP_ARTICLES = 8


def load_gwn(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The articles of GeoWebNews as ``{"id", "title", "url", "text"}``."""
    root = ET.parse(path).getroot()
    articles: list[dict[str, Any]] = []
    for node in root.iter("article"):
        text = node.findtext("text") or ""
        if not text.strip():
            continue
        articles.append(
            {
                "id": f"gwn-{node.get('file', len(articles))}",
                "title": node.findtext("title"),
                "url": node.findtext("link"),
                "text": text,
            }
        )
        if limit is not None and len(articles) >= limit:
            break
    return articles


def _rss_mib(who: int) -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(kind: str, items: list[dict[str, Any]], stages: list[str] | None) -> dict[str, Any]:
    """One measurement in this process: load, warm up, then time the whole list once."""
    from eventwire.config import load_settings

    settings = load_settings()
    texts = [it["text"] for it in items]
    warm = items[:WARMUP_ARTICLES]
    t0 = time.perf_counter()
    run: Callable[[list[dict[str, Any]]], int]
    workers: int | None = None
    if kind == "spacy":
        from eventwire.nlp import load_model

        nlp = load_model(settings.nlp.model, settings.input.max_bytes)

        def run(batch: list[dict[str, Any]]) -> int:
            n = 0
            for _ in nlp.pipe((it["text"] for it in batch), batch_size=settings.nlp.batch_size):
                n += 1
            return n

    else:
        from eventwire.pipeline import Pipeline
        from eventwire.records import Article

        pipeline = Pipeline(settings, stages=stages)
        workers = 1 if kind == "pipeline" else 0

        def articles(batch: list[dict[str, Any]]) -> list[Article]:
            return [
                Article(text=it["text"], id=it["id"], title=it["title"], url=it["url"])
                for it in batch
            ]

        def run(batch: list[dict[str, Any]]) -> int:
            n = 0
            for _ in pipeline.pipe(articles(batch), workers=workers):
                n += 1
            return n

        if kind == "pipeline_all_cores":
            # Warm the stages in this process: forked workers inherit the loaded models.
            for _ in pipeline.pipe(articles(warm), workers=1):
                pass

    run(warm)
    load_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    done = run(items)
    seconds = time.perf_counter() - t1
    if done != len(items):
        raise RuntimeError(f"{kind}: {done} results for {len(items)} articles")
    words = sum(len(t.split()) for t in texts)
    out: dict[str, Any] = {
        "articles": len(items),
        "words": words,
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(items) / seconds, 2),
        "words_per_s": round(words / seconds, 1),
        "load_and_warmup_seconds": round(load_seconds, 2),
        "warmup_articles": len(warm),
        "peak_rss_mib": round(_rss_mib(resource.RUSAGE_SELF), 1),
    }
    if kind != "spacy":
        out["workers"] = (os.cpu_count() or 1) if workers == 0 else workers
        out["stages"] = pipeline.stage_names
    if kind == "pipeline_all_cores":
        out["peak_worker_rss_mib"] = round(_rss_mib(resource.RUSAGE_CHILDREN), 1)
        out["total_rss_upper_bound_mib"] = round(
            out["peak_rss_mib"] + out["workers"] * out["peak_worker_rss_mib"], 1
        )
    return out


def _child(kind: str, input_path: Path, stages: list[str] | None) -> int:
    items = json.loads(input_path.read_text(encoding="utf-8"))
    try:
        result = measure(kind, items, stages)
    except Exception as exc:  # report it to the parent, which carries on with the rest
        result = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result))
    return 0


def _in_subprocess(kind: str, input_path: Path, stages: list[str] | None) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        kind,
        "--input",
        str(input_path),
    ]
    if stages is not None:
        cmd += ["--stages", ",".join(stages)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        return {"error": f"measurement process exited with {proc.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _git(*args: str) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=ROOT, check=False, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        import spacy

        from eventwire.config import load_settings

        info["spacy"] = spacy.__version__
        info["model"] = load_settings().nlp.model
    except Exception:  # the summary is still worth having without these
        pass
    return info


def summarize(measurements: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Ratios to bare spaCy and whether the targets are met (None where a figure is missing)."""
    base = measurements.get("spacy", {}).get("articles_per_s")
    ratios: dict[str, float | None] = {}
    for kind in ("pipeline", "pipeline_all_cores"):
        value = measurements.get(kind, {}).get("articles_per_s")
        ratios[f"{kind}_vs_spacy"] = round(value / base, 3) if value and base else None
    single = measurements.get("pipeline", {})
    parallel = measurements.get("pipeline_all_cores", {})
    peaks = [
        single.get("peak_rss_mib"),
        parallel.get("peak_rss_mib"),
        parallel.get("peak_worker_rss_mib"),
    ]
    known = [p for p in peaks if p is not None]
    ratio = ratios["pipeline_vs_spacy"]
    return {
        "ratios": ratios,
        "targets": {
            "throughput_ratio_min": THROUGHPUT_TARGET,
            "memory_max_mib": MEMORY_TARGET_MIB,
            "throughput_met": None if ratio is None else ratio >= THROUGHPUT_TARGET,
            "memory_met": None if len(known) < len(peaks) else max(known) < MEMORY_TARGET_MIB,
        },
    }


def _print_summary(report: dict[str, Any]) -> None:
    corpus = report["corpus"]
    print(
        f"{corpus['articles']} articles, {corpus['words']} words from {corpus['path']} "
        f"on {report['machine']['cores']} cores ({report['machine'].get('model', '?')})"
    )
    print(f"{'':22}{'articles/s':>12}{'words/s':>12}{'seconds':>10}{'peak MiB':>18}  vs spaCy")
    base = report["measurements"].get("spacy", {}).get("articles_per_s")
    for kind in MEASUREMENTS:
        m = report["measurements"].get(kind, {})
        if "error" in m:
            print(f"{kind:22}failed: {m['error']}")
            continue
        peak = f"{m['peak_rss_mib']:.0f}"
        if "peak_worker_rss_mib" in m:
            peak += f" + {m['workers']} x {m['peak_worker_rss_mib']:.0f}"
        ratio = f"{m['articles_per_s'] / base:.2f}" if base else "-"
        print(
            f"{kind:22}{m['articles_per_s']:>12.1f}{m['words_per_s']:>12.0f}"
            f"{m['seconds']:>10.1f}{peak:>18}  {ratio}"
        )
    targets = report["targets"]

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("met" if ok else "NOT met")

    print(
        f"target: pipeline >= {THROUGHPUT_TARGET} x spaCy articles/s: "
        f"{verdict(targets['throughput_met'])}"
    )
    print(f"target: peak memory < {MEMORY_TARGET_MIB:.0f} MiB: {verdict(targets['memory_met'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--gwn", type=Path, default=DEFAULT_GWN, help="path of GWN.xml")
    parser.add_argument(
        "--stages", default=None, help="comma-separated stages (default: the configured ones)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="measure in this process (peaks not separable)"
    )
    parser.add_argument("--measure", choices=MEASUREMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()] if args.stages else None

    if args.measure:
        return _child(args.measure, args.input, stages)

    if not args.gwn.exists():
        print(f"GWN.xml not found at {args.gwn}; pass --gwn PATH (see shared/data/README.md).")
        return 2
    items = load_gwn(args.gwn, args.limit)
    if not items:
        print(f"no articles in {args.gwn}")
        return 2

    measurements: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        input_path = Path(tmp) / "articles.json"
        input_path.write_text(json.dumps(items), encoding="utf-8")
        for kind in MEASUREMENTS:
            print(f"measuring {kind} ...", file=sys.stderr, flush=True)
            if args.in_process:
                try:
                    measurements[kind] = measure(kind, items, stages)
                except Exception as exc:
                    measurements[kind] = {"error": f"{type(exc).__name__}: {exc}"}
            else:
                measurements[kind] = _in_subprocess(kind, input_path, stages)

    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "dirty": None if commit is None or status is None else bool(status),
        "machine": _machine(),
        "corpus": {
            "path": str(args.gwn),
            "articles": len(items),
            "words": sum(len(it["text"].split()) for it in items),
            "chars": sum(len(it["text"]) for it in items),
        },
        "mode": "in-process" if args.in_process else "subprocess per measurement",
        "measurements": measurements,
        **summarize(measurements),
    }
    _print_summary(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if any("error" in m for m in measurements.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
