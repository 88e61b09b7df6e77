"""Scoring time expressions against TimeML gold (TimeBank as cleaned for TempEval-3).

``eventwire eval ../shared/data/timeml/TimeBank`` runs the ``parse`` and ``dates`` stages over every
``.tml`` document, with the document creation time (DCT) as the publication date, and scores the
expressions found against the gold ``TIMEX3`` tags of ``<TEXT>`` as TempEval-3 task A does
(UzZaman et al. 2013; its scorer ``evaluate_entities.py``):

* **span strict**: precision, recall and F1 of expressions with exactly the gold offsets;
* **span relaxed**: the same where a system expression overlaps a gold one (paired one to one:
  exact matches first, then the largest overlap);
* **type accuracy** and **value accuracy**: the share of relaxed pairs whose TIMEX3 ``type`` or
  ``value`` equals the gold one exactly; **type F1** and **value F1** are these accuracies times the
  relaxed F1, TempEval-3's "attribute F1" (how well the expression is found *and* its attribute
  right), the figure published for HeidelTime (77.61 value F1 on the TE3 platinum test set);
* **DATE value accuracy**: over every gold expression of type DATE, the share whose relaxed pair
  has the gold value (a gold DATE nothing found counts as wrong);
* **resolution only**: the same value accuracy when each gold DATE's own words are resolved
  against the DCT, without finding them in the text.

``dateparser.search.search_dates`` runs over the same texts with the DCT as its relative base and
is scored by the same functions. It gives a datetime without a type; each expression it finds is
re-read by ``DateDataParser`` for its period, and written as a TIMEX3 value at that granularity
(``1998-01-08``, ``1998-01``, ``1998``, a week as ``1998-W02``; a time as a TIME). Its
"lenient" figure cuts its date to the gold value's granularity (a generous upper bound for it).

Conventions where eventwire's output contract (``shared/spec/README.md``, Dates) differs from
TimeML's are kept, and scored as they are; where they disagree both readings are reported. The
"TimeML view" rescores the same expressions as TimeML would tag them (:func:`timeml_view`):
eventwire's "since mid-October" is one expression (the word changes the range) where TimeML tags
"mid-October" alone and "since" as a signal; eventwire's "from Aug. 26 to Oct. 20" is one range
(``1989-08-26/1989-10-20``) where TimeML tags two dates. Other known differences, scored against
eventwire as they stand: a month or day without a year in a past clause is the latest one not after
publication (the contract), where TimeBank's annotators sometimes read a later one; "this week"
and "last week" are calendar weeks (``1998-W02``) where TimeBank often writes ``1998-WXX``.
"""

from __future__ import annotations

import logging
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DatasetError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from .records import TimeMention

log = logging.getLogger(__name__)

KIND = "timeml"
#: HeidelTime's value F1 in TempEval-3 task A, on the TE3 platinum test set (UzZaman et al. 2013):
#: a published figure, not measured here
HEIDELTIME_TE3_VALUE_F1 = 0.7761
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")

__all__ = [
    "HEIDELTIME_TE3_VALUE_F1",
    "KIND",
    "TimemlDocument",
    "Timex",
    "align",
    "dateparser_timexes",
    "detect",
    "evaluate",
    "format_report",
    "load_timeml",
    "score",
    "timeml_view",
]


@dataclass(frozen=True, slots=True)
class Timex:
    """A time expression at character offsets ``[start, end)`` of its document's text."""

    start: int
    end: int
    type: str
    value: str | None
    text: str = ""


@dataclass(slots=True)
class TimemlDocument:
    """One TimeML document: the text of ``<TEXT>`` with its tags stripped, the DCT and gold."""

    name: str
    text: str
    dct: date
    gold: list[Timex] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Reading gold


def detect(path: Path) -> bool:
    """A ``.tml`` file, or a folder holding some."""
    path = Path(path)
    if path.is_dir():
        return next(path.glob("*.tml"), None) is not None
    return path.suffix.lower() == ".tml"


def _tml_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.tml"))
        if not files:
            raise DatasetError(f"directory {path} has no *.tml TimeML files")
        return files
    if not path.exists():
        raise DatasetError(f"TimeML file {path} does not exist")
    return [path]


def read_tml(path: Path) -> TimemlDocument:
    """One ``.tml`` file; a file that is not TimeML with a DCT raises DatasetError."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DatasetError(f"{path} is not well-formed XML: {exc}") from None
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    dct_node = root.find("DCT/TIMEX3")
    if dct_node is None:
        raise DatasetError(f"{path} has no <DCT><TIMEX3 value=...>: not TimeML gold")
    try:
        dct = date.fromisoformat(dct_node.get("value", "")[:10])
    except ValueError:
        raise DatasetError(f"{path}: the DCT {dct_node.get('value')!r} is not a date") from None
    text_node = root.find("TEXT")
    if text_node is None:
        raise DatasetError(f"{path} has no <TEXT>")
    parts: list[str] = []
    gold: list[Timex] = []
    length = 0

    def walk(node: ET.Element) -> None:
        nonlocal length
        start = length
        parts.append(node.text or "")
        length += len(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
            length += len(child.tail or "")
        if node.tag == "TIMEX3":
            gold.append(Timex(start, length, node.get("type", ""), node.get("value")))

    walk(text_node)
    text = "".join(parts)
    gold = [Timex(g.start, g.end, g.type, g.value, text[g.start : g.end]) for g in gold]
    gold.sort(key=lambda g: (g.start, g.end))
    return TimemlDocument(name=path.stem, text=text, dct=dct, gold=gold)


def load_timeml(path: Path, *, limit: int | None = None) -> list[TimemlDocument]:
    """Every TimeML document under ``path`` (a ``.tml`` file or a folder of them), sorted."""
    files = _tml_files(Path(path))
    return [read_tml(f) for f in files[:limit]]


# --------------------------------------------------------------------------------------------------
# Scoring


def align(gold: Sequence[Timex], system: Sequence[Timex]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index) of overlapping expressions: exact spans first,
    then the largest overlap, then text order."""
    candidates = []
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                exact = g.start == s.start and g.end == s.end
                candidates.append((not exact, -overlap, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_gold and j not in used_system:
            used_gold.add(i)
            used_system.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _prf(tp: int, n_system: int, n_gold: int) -> dict[str, float]:
    p = tp / n_system if n_system else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(
    gold_docs: Sequence[Sequence[Timex]], system_docs: Sequence[Sequence[Timex]]
) -> dict[str, Any]:
    """TempEval-3 task A figures of ``system_docs`` against ``gold_docs`` (one list per document).

    Rates are in [0, 1]; ``by_type`` gives per gold type: gold count, relaxed matches and value
    accuracy over them.
    """
    n_gold = n_system = strict = relaxed = type_ok = value_ok = 0
    date_gold = date_ok = 0
    by_type: dict[str, Counter[str]] = {}
    for gold, system in zip(gold_docs, system_docs, strict=True):
        n_gold += len(gold)
        n_system += len(system)
        gold_spans = {(g.start, g.end) for g in gold}
        strict += sum((s.start, s.end) in gold_spans for s in system)
        paired = dict(align(gold, system))
        relaxed += len(paired)
        for i, g in enumerate(gold):
            counts = by_type.setdefault(g.type, Counter())
            counts["gold"] += 1
            if g.type == "DATE":
                date_gold += 1
            j = paired.get(i)
            if j is None:
                continue
            s = system[j]
            counts["matched"] += 1
            type_ok += s.type == g.type
            good = s.value is not None and s.value == g.value
            value_ok += good
            counts["value"] += good
            if g.type == "DATE":
                date_ok += good
    relaxed_prf = _prf(relaxed, n_system, n_gold)
    type_accuracy = type_ok / relaxed if relaxed else 0.0
    value_accuracy = value_ok / relaxed if relaxed else 0.0
    return {
        "gold": n_gold,
        "system": n_system,
        "strict": _prf(strict, n_system, n_gold),
        "relaxed": relaxed_prf,
        "type_accuracy": type_accuracy,
        "value_accuracy": value_accuracy,
        "type_f1": type_accuracy * relaxed_prf["f1"],
        "value_f1": value_accuracy * relaxed_prf["f1"],
        "date_value_accuracy": date_ok / date_gold if date_gold else 0.0,
        "date_gold": date_gold,
        "by_type": {
            t: {
                "gold": c["gold"],
                "matched": c["matched"],
                "value_accuracy": c["value"] / c["matched"] if c["matched"] else 0.0,
            }
            for t, c in sorted(by_type.items())
        },
    }


# --------------------------------------------------------------------------------------------------
# eventwire's expressions

_SINCE = re.compile(r"(?i:(?:ever\s+)?since)\s+")
_RANGE = re.compile(
    r"(?i:(?:from|between)\s+)?(?P<a>.+?)(?:\s+(?i:to|through|until|till|and)\s+|\s*[-–]\s*)"
    r"(?P<b>.+)"
)


def timeml_view(mention: TimeMention, published: date | None) -> list[Timex]:
    """An eventwire expression as TimeML would tag it: "since X" is the expression X; a range
    "from X to Y" is two expressions, X and Y, each with its own value."""
    start, text = mention.start, mention.text
    m = _SINCE.match(text)
    if m and m.end() < len(text):
        start, text = start + m.end(), text[m.end() :]
    whole = Timex(start, mention.end, mention.type, mention.value, text)
    if not (mention.value and "/" in mention.value):
        return [whole]
    m = _RANGE.fullmatch(text)
    if m is None:
        return [whole]
    from .temporal import resolve

    parts = []
    for group in ("a", "b"):
        res = resolve(m[group], published)
        if res is None:
            return [whole]
        parts.append(
            Timex(start + m.start(group), start + m.end(group), res.type, res.value, m[group])
        )
    return parts


def _as_timex(mention: TimeMention) -> Timex:
    return Timex(mention.start, mention.end, mention.type, mention.value, mention.text)


def eventwire_timexes(
    docs: Sequence[TimemlDocument], pipeline: Any
) -> tuple[list[list[TimeMention]], float]:
    """The ``dates`` stage's expressions for each document, and the seconds the stage took
    (the spaCy parse not counted)."""
    from .config import load_settings
    from .pipeline import Pipeline
    from .records import Article, Document

    settings = getattr(pipeline, "settings", None) or load_settings()
    runner = Pipeline(settings, stages=["parse", "dates"])
    batch = [Document(article=Article(text=d.text, id=d.name, published=d.dct)) for d in docs]
    parse, dates = runner.stage("parse"), runner.stage("dates")
    parsed: Iterable[Document] = parse.pipe(batch) if hasattr(parse, "pipe") else map(parse, batch)
    out: list[list[TimeMention]] = []
    seconds = 0.0
    for doc in parsed:
        t0 = time.perf_counter()
        dates(doc)
        seconds += time.perf_counter() - t0
        out.append(list(doc.times))
    return out, seconds


# --------------------------------------------------------------------------------------------------
# dateparser, the baseline


def _dateparser() -> tuple[Callable[..., Any], Any]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    return search_dates, DateDataParser


def _dp_value(d: datetime, period: str) -> tuple[str, str]:
    if period == "year":
        return "DATE", f"{d.year:04d}"
    if period == "month":
        return "DATE", f"{d.year:04d}-{d.month:02d}"
    if period == "week":
        iso = d.isocalendar()
        return "DATE", f"{iso[0]}-W{iso[1]:02d}"
    if period == "time":
        return "TIME", f"{d.date().isoformat()}T{d.hour:02d}:{d.minute:02d}"
    return "DATE", d.date().isoformat()


def dateparser_timexes(text: str, dct: date) -> list[Timex]:
    """What ``dateparser.search.search_dates`` finds in ``text`` with ``dct`` as its relative
    base, at the offsets where each found substring occurs (in order), with TIMEX3 values at the
    granularity ``DateDataParser`` reads for it."""
    search_dates, DateDataParser = _dateparser()
    base = datetime(dct.year, dct.month, dct.day)
    settings = {"RELATIVE_BASE": base}
    try:
        found = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:  # dateparser raises assorted errors on odd input; a miss, not our failure
        log.debug("dateparser failed on a document", exc_info=True)
        found = []
    parser = DateDataParser(languages=["en"], settings=settings)
    out: list[Timex] = []
    cursor = 0
    for words, when in found:
        start = text.find(words, cursor)
        if start < 0:
            continue
        end = start + len(words)
        cursor = end
        try:
            data = parser.get_date_data(words)
            period = (data.period if data and data.date_obj else None) or "day"
        except Exception:
            period = "day"
        type_, value = _dp_value(when, period)
        out.append(Timex(start, end, type_, value, words))
    return out


_GRANULAR = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _lenient(system: Sequence[Timex], gold: Sequence[Timex]) -> list[Timex]:
    """dateparser's day values cut to the granularity of the gold value each one is paired with."""
    out = list(system)
    for i, j in align(gold, system):
        g, s = gold[i], system[j]
        if g.value and s.value and _GRANULAR.fullmatch(g.value):
            out[j] = Timex(s.start, s.end, s.type, s.value[: len(g.value)], s.text)
    return out


def _resolution_only(docs: Sequence[TimemlDocument]) -> dict[str, Any]:
    """Value accuracy when each gold DATE's own words are read against the DCT."""
    from .temporal import resolve

    search_dates, _ = _dateparser()
    rows = [(d.dct, g) for d in docs for g in d.gold if g.type == "DATE"]
    ours = dp_day = dp_lenient = 0
    for dct, g in rows:
        words = " ".join(g.text.split())
        res = resolve(words, dct)
        ours += res is not None and res.value == g.value
        base = datetime(dct.year, dct.month, dct.day)
        try:
            found = search_dates(words, languages=["en"], settings={"RELATIVE_BASE": base})
        except Exception:
            found = None
        if found and g.value:
            day = found[0][1].date().isoformat()
            dp_day += day == g.value
            dp_lenient += bool(_GRANULAR.fullmatch(g.value)) and day[: len(g.value)] == g.value
    n = len(rows)
    return {
        "n": n,
        "eventwire": ours / n if n else 0.0,
        "dateparser_day": dp_day / n if n else 0.0,
        "dateparser_lenient": dp_lenient / n if n else 0.0,
    }


# --------------------------------------------------------------------------------------------------
# The whole evaluation


def evaluate(path: Path, pipeline: Any, *, limit: int | None = None) -> dict[str, Any]:
    """Score the ``dates`` stage (with the parse of ``pipeline``'s settings) and dateparser on
    the TimeML gold at ``path``; ``limit`` keeps the first N documents."""
    docs = load_timeml(Path(path), limit=limit)
    gold = [d.gold for d in docs]
    t0 = time.perf_counter()
    mentions, stage_seconds = eventwire_timexes(docs, pipeline)
    ours_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = [dateparser_timexes(d.text, d.dct) for d in docs]
    theirs_seconds = time.perf_counter() - t0
    ours = [[_as_timex(m) for m in ms] for ms in mentions]
    timeml = [
        [t for m in ms for t in timeml_view(m, d.dct)] for d, ms in zip(docs, mentions, strict=True)
    ]
    errors = _value_errors(docs, timeml)
    return {
        "kind": KIND,
        "dataset": Path(path).name,
        "documents": len(docs),
        "eventwire": score(gold, ours),
        "eventwire_timeml_view": score(gold, timeml),
        "dateparser": score(gold, theirs),
        "dateparser_lenient": score(
            gold, [_lenient(s, g) for s, g in zip(theirs, gold, strict=True)]
        ),
        "resolution_only": _resolution_only(docs),
        "reference": {
            "heideltime_value_f1": HEIDELTIME_TE3_VALUE_F1,
            "source": "published, TempEval-3 task A, TE3 platinum test set; not measured here",
        },
        "seconds": {
            "eventwire_parse_and_dates": ours_seconds,
            "eventwire_dates_stage": stage_seconds,
            "dateparser": theirs_seconds,
        },
        "value_errors": errors,
    }


def _value_errors(
    docs: Sequence[TimemlDocument], system: Sequence[Sequence[Timex]], limit: int = 50
) -> list[dict[str, Any]]:
    """The first ``limit`` relaxed pairs whose values differ, for reading (``--json``)."""
    out: list[dict[str, Any]] = []
    for doc, found in zip(docs, system, strict=True):
        for i, j in align(doc.gold, found):
            g, s = doc.gold[i], found[j]
            if g.value != s.value:
                out.append(
                    {
                        "document": doc.name,
                        "gold_text": g.text,
                        "gold": g.value,
                        "text": s.text,
                        "eventwire": s.value,
                    }
                )
                if len(out) >= limit:
                    return out
    return out


# --------------------------------------------------------------------------------------------------
# Report


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def format_report(result: dict[str, Any]) -> RenderableType:
    """Rich tables for a result of :func:`evaluate` (for the CLI): one row per figure, one column
    per system, HeidelTime's published figure beside."""
    from rich.console import Group
    from rich.table import Table

    systems = [
        result["eventwire"],
        result["eventwire_timeml_view"],
        result["dateparser"],
        result["dateparser_lenient"],
    ]
    first = result["eventwire"]
    table = Table(
        title=f"{result['dataset']}: {result['documents']} documents, {first['gold']} gold TIMEX3 "
        "(TempEval-3 task A)",
        title_justify="left",
    )
    table.add_column("figure")
    for name in ("eventwire", "eventwire\nTimeML view", "dateparser", "dateparser\nlenient"):
        table.add_column(name, justify="right")
    table.add_column("HeidelTime\n(published)", justify="right")
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("expressions found", lambda s: str(s["system"])),
        ("strict P / R / F1", lambda s: _prf_text(s["strict"])),
        ("relaxed P / R / F1", lambda s: _prf_text(s["relaxed"])),
        ("type accuracy", lambda s: _pct(s["type_accuracy"])),
        ("value accuracy", lambda s: _pct(s["value_accuracy"])),
        ("type F1", lambda s: _pct(s["type_f1"])),
        ("[bold]value F1[/]", lambda s: f"[bold]{_pct(s['value_f1'])}[/]"),
        ("DATE value accuracy", lambda s: _pct(s["date_value_accuracy"])),
    ]
    ref = result["reference"]
    for label, cell in rows:
        heidel = f"[bold]{_pct(ref['heideltime_value_f1'])}[/]" if "value F1" in label else ""
        table.add_row(label, *(cell(s) for s in systems), heidel)
    res = result["resolution_only"]
    table.add_row(
        f"DATE value accuracy, gold words ({res['n']})",
        _pct(res["eventwire"]),
        "",
        _pct(res["dateparser_day"]),
        _pct(res["dateparser_lenient"]),
        "",
    )

    types = Table(title="eventwire by gold type", title_justify="left")
    for col in ("type", "gold", "found (relaxed)", "value accuracy"):
        types.add_column(col, justify="left" if col == "type" else "right")
    for t, row in first["by_type"].items():
        types.add_row(t, str(row["gold"]), str(row["matched"]), _pct(row["value_accuracy"]))

    seconds = result["seconds"]
    notes = (
        "Rates in %. value F1 = value accuracy over relaxed matches x relaxed F1 (TempEval-3's "
        "attribute F1). DATE value accuracy: share of all gold DATEs found with the gold value; "
        "'gold words': each gold DATE's own words resolved against the DCT, no search. "
        "TimeML view: eventwire's 'since X' and 'from X to Y' scored as TimeML tags them (X; X "
        "and Y). dateparser: search_dates on the same texts, its dates written at the granularity "
        "it reads; lenient: cut to the gold value's granularity. "
        f"HeidelTime: {ref['source']}.\n"
        f"Time: eventwire parse + dates {seconds['eventwire_parse_and_dates']:.1f} s (dates stage "
        f"{seconds['eventwire_dates_stage']:.2f} s), dateparser {seconds['dateparser']:.1f} s."
    )
    return Group(table, types, notes)


def _prf_text(prf: dict[str, float]) -> str:
    return " / ".join(_pct(prf[k]) for k in ("precision", "recall", "f1"))
