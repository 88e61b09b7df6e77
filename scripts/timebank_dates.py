"""Value accuracy of eventwire.temporal.resolve on TimeBank's gold DATE expressions (a measurement,
not a test): each gold TIMEX3 of type DATE is resolved from its own words and the document creation
time (DCT), and its value compared with the gold value. dateparser.search.search_dates gets the same
words and DCT for comparison.

    .venv/bin/python scripts/timebank_dates.py [FOLDER] [--errors N] [--spans]

``--spans`` also runs the ``dates`` stage (spaCy and our patterns) over each document's text and
scores the spans it finds against every gold TIMEX3 (TempEval-3 style: strict = same offsets,
relaxed = overlapping), and the value of the DATE spans it finds strictly.

dateparser returns a datetime and no granularity, so it is scored twice: "strict" writes every
result as a day (YYYY-MM-DD); "lenient" cuts its date to the gold value's granularity (YYYY,
YYYY-MM or YYYY-MM-DD) before comparing, and counts every other gold shape (weeks, quarters,
PAST_REF, ...) as a miss. Ours is scored strictly: its value must equal the gold value.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from eventwire.temporal import resolve

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "timeml" / "TimeBank"
_SHAPES = {
    4: re.compile(r"\d{4}"),
    7: re.compile(r"\d{4}-\d{2}"),
    10: re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def gold_dates(folder: Path) -> list[tuple[str, date, str, str]]:
    """(document, DCT, words, gold value) for every DATE TIMEX3 in the documents' text."""
    rows = []
    for path in sorted(folder.glob("*.tml")):
        root = ET.parse(path).getroot()
        dct_node = root.find("DCT/TIMEX3")
        if dct_node is None:
            continue
        dct = date.fromisoformat(dct_node.get("value", "")[:10])
        text = root.find("TEXT")
        if text is None:
            continue
        for timex in text.iter("TIMEX3"):
            if timex.get("type") == "DATE":
                words = " ".join("".join(timex.itertext()).split())
                rows.append((path.stem, dct, words, timex.get("value", "")))
    return rows


def shape(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if value.endswith("_REF"):
        return "ref"
    return "other"


def after_dct(value: str, dct: date) -> bool:
    """The gold value is a day or month that starts after the document creation time."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value > dct.isoformat()
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return value > dct.isoformat()[:7]
    return False


def gold_spans(path: Path) -> tuple[str, date, list[tuple[int, int, str, str]]]:
    """The document's plain text, DCT and gold TIMEX3 spans (start, end, type, value)."""
    root = ET.parse(path).getroot()
    dct_node = root.find("DCT/TIMEX3")
    dct = date.fromisoformat((dct_node.get("value", "") if dct_node is not None else "")[:10])
    text_node = root.find("TEXT")
    parts: list[str] = []
    spans: list[tuple[int, int, str, str]] = []

    def walk(node: ET.Element) -> None:
        start = sum(map(len, parts))
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if node.tag == "TIMEX3":
            end = sum(map(len, parts))
            spans.append((start, end, node.get("type", ""), node.get("value", "")))

    if text_node is not None:
        walk(text_node)
    return "".join(parts), dct, spans


def score_spans(folder: Path) -> None:
    from eventwire.config import load_settings
    from eventwire.nlp import load_model
    from eventwire.records import Article, Document
    from eventwire.stages.dates import find_times

    settings = load_settings()
    nlp = load_model(settings.nlp.model)
    docs = [gold_spans(p) for p in sorted(folder.glob("*.tml"))]
    parsed = list(nlp.pipe((d[0] for d in docs), batch_size=16))
    tp_strict = tp_relaxed = n_pred = n_gold = 0
    value_ok = value_n = 0
    seconds = 0.0
    for (text, dct, gold), spacy_doc in zip(docs, parsed, strict=True):
        doc = Document(article=Article(text=text, published=dct), doc=spacy_doc)
        t0 = time.perf_counter()
        found = find_times(doc)
        seconds += time.perf_counter() - t0
        n_pred += len(found)
        n_gold += len(gold)
        gold_at = {(s, e): (t, v) for s, e, t, v in gold}
        for m in found:
            if (m.start, m.end) in gold_at:
                tp_strict += 1
            if any(s < m.end and m.start < e for s, e, _, _ in gold):
                tp_relaxed += 1
            hit = gold_at.get((m.start, m.end))
            if hit and hit[0] == "DATE":
                value_n += 1
                value_ok += m.value == hit[1]

    def f1(tp: int) -> str:
        p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
        return f"P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}"

    print(f"dates stage spans over {len(docs)} documents ({n_gold} gold TIMEX3, {n_pred} found):")
    print(f"  strict  {f1(tp_strict)}")
    print(f"  relaxed {f1(tp_relaxed)}")
    print(
        f"  value of strictly matched gold DATEs {value_ok / max(value_n, 1):.3f} "
        f"({value_ok}/{value_n})"
    )
    print(f"  stage time {1000 * seconds / len(docs):.2f} ms/document (spaCy parse not counted)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", type=int, default=0, help="print this many of our misses")
    parser.add_argument("--spans", action="store_true", help="also score the dates stage's spans")
    args = parser.parse_args()
    rows = gold_dates(args.folder)
    if not rows:
        print(f"no TimeBank documents under {args.folder}", file=sys.stderr)
        return 1

    t0 = time.perf_counter()
    ours = [resolve(words, dct) for _, dct, words, _ in rows]
    ours_s = time.perf_counter() - t0

    from dateparser.search import search_dates

    t0 = time.perf_counter()
    theirs = []
    for _, dct, words, _ in rows:
        found = search_dates(
            words,
            languages=["en"],
            settings={"RELATIVE_BASE": datetime(dct.year, dct.month, dct.day)},
        )
        theirs.append(found[0][1].date() if found else None)
    theirs_s = time.perf_counter() - t0

    n = len(rows)
    ok = Counter()
    total = Counter()
    dp_strict = dp_lenient = 0
    our_hits = 0
    misses = []
    for (doc, _dct, words, gold), mine, dp in zip(rows, ours, theirs, strict=True):
        kind = shape(gold)
        total[kind] += 1
        if mine is not None and mine.value == gold:
            our_hits += 1
            ok[kind] += 1
        else:
            misses.append((doc, words, gold, mine.value if mine else None))
        if dp is not None:
            dp_strict += dp.isoformat() == gold
            width = len(gold)
            if width in _SHAPES and _SHAPES[width].fullmatch(gold):
                dp_lenient += dp.isoformat()[:width] == gold
    print(f"TimeBank gold DATE expressions: {n} in {len({r[0] for r in rows})} documents")
    print(
        f"eventwire.temporal.resolve  value accuracy {our_hits / n:.3f} ({our_hits}/{n})"
        f"  {1e6 * ours_s / n:.0f} us/expression (a repeated expression hits the cache)"
    )
    print(
        f"dateparser search_dates     strict {dp_strict / n:.3f} ({dp_strict}/{n})"
        f"  lenient {dp_lenient / n:.3f} ({dp_lenient}/{n})"
        f"  {1e6 * theirs_s / n:.0f} us/expression"
    )
    print("ours by gold value shape:")
    for kind, count in total.most_common():
        print(f"  {kind:6} {ok[kind] / count:.3f} ({ok[kind]}/{count})")
    # eventwire reads a month or day without a year as the latest one not after publication (news
    # of events reports the past); gold dates after the DCT are the forward-looking readings
    past = [(r, m) for r, m in zip(rows, ours, strict=True) if not after_dct(r[3], r[1])]
    hits = sum(m is not None and m.value == r[3] for r, m in past)
    print(
        f"ours on gold dates not after the DCT: {hits / len(past):.3f} ({hits}/{len(past)});"
        f" {n - len(past)} gold dates after the DCT left out"
    )
    for doc, words, gold, mine in misses[: args.errors]:
        print(f"  MISS {doc}: {words!r} gold={gold} ours={mine}")
    if args.spans:
        score_spans(args.folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
