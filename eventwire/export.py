"""Writers for the output formats: the contract's JSON lines, an ACLED-style CSV, and GeoJSON.

JSON keeps what the article says; the CSV and GeoJSON follow ACLED's conventions, so a user can put
eventwire's rows next to ACLED's. Where the two differ (see ``shared/spec/README.md``), the mapping
is made here, and only here:

- ``event_date``/``time_precision``: a day is 1; a week, or a range of up to 7 days, is 2, dated
  at its middle; a month, or a range of up to a month (31 days), is 3, dated the 15th, or the 1st
  when the range lies in the month's first ten days ("early") and the last day when it lies in
  its last third ("late"), or at the range's middle when it straddles two months. ACLED codes
  nothing vaguer; eventwire writes a year or a longer range as its start date with precision 3,
  so the row still sorts and maps, and the JSON keeps the true range. Undated: both empty.
- ``fatalities``: ACLED's figure. No death mentioned is 0; a death toll with no figure
  ("several killed", qualifier ``unknown``) is 3, ACLED's figure for an attack of limited scope
  (ACLED writes 10 for a major attack in a war zone, a judgement eventwire does not make).
- ``country``: the country's name, as ACLED writes it; ``inter1``/``inter2`` ACLED's actor codes
  (0 for a missing actor); ``interaction`` the two codes joined smallest first (``18``), or the
  one code times ten for a single actor (``10``).
- ``corrected``: whether an analyst corrected the event (``eventwire.corrections``); every value
  written is the corrected one. In JSON a corrected event carries ``"corrected": true`` and its
  ``correction``; an event never corrected is written exactly as the machine made it.

Every writer has a generator twin (``iter_csv``, ``iter_geojson``, ``iter_jsonl``,
``iter_event_jsonl``) that yields the text in chunks of about ``CHUNK_CHARS`` as the rows are
read, for a server to stream; the writers drain them into a file.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
from calendar import monthrange
from collections.abc import Generator, Iterable, Iterator
from datetime import date, timedelta
from typing import Any, TextIO

from .countries import get_countries
from .records import INTER_CODES, Actor, ArticleInfo, ArticleResult, Count, DateInfo, Event

log = logging.getLogger(__name__)

ACLED_COLUMNS: list[str] = [
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "fatalities",
    "notes",
    "source",
    "source_url",
    "article_id",
    "event_id",
    "corrected",
]

#: what the CSV and GeoJSON writers take: an event (or its JSON as a dict) with its article
Row = tuple[ArticleInfo, Event | dict[str, Any]]

#: about how many characters the ``iter_*`` generators gather before they yield
CHUNK_CHARS = 64 * 1024

#: ACLED's figure for a death toll reported without a number, for an attack of limited scope
UNKNOWN_FATALITIES = 3

#: ACLED's spelling where it differs from GeoNames'
_EARLY = re.compile(r"\b(early|beginning|start)\b", re.IGNORECASE)
_LATE = re.compile(r"\b(late|end)\b", re.IGNORECASE)
_MID = re.compile(r"\bmid", re.IGNORECASE)


# -- JSON lines ----------------------------------------------------------------------------------


def write_jsonl(results: Iterable[ArticleResult], out: TextIO) -> int:
    """Write one compact JSON object per article (the contract); returns how many."""
    return _drain(iter_jsonl(results), out)


def iter_jsonl(results: Iterable[ArticleResult]) -> Generator[str, None, int]:
    """``write_jsonl``'s text in chunks; returns how many articles."""
    chunk = _Chunks()
    n = 0
    for result in results:
        # serialize_as_any: a corrected event writes its flag, which the Event type has not
        text = _dumps(result.model_dump(mode="json", serialize_as_any=True))
        if chunk.add(text + "\n"):
            yield chunk.take()
        n += 1
    if chunk:
        yield chunk.take()
    return n


def write_event_jsonl(rows: Iterable[Row], out: TextIO) -> int:
    """Write one ``{"article": ..., "event": ...}`` object per event; returns how many."""
    return _drain(iter_event_jsonl(rows), out)


def iter_event_jsonl(rows: Iterable[Row]) -> Generator[str, None, int]:
    """``write_event_jsonl``'s text in chunks; returns how many events."""
    chunk = _Chunks()
    n = 0
    for article, event in rows:
        data = event if isinstance(event, dict) else event.to_dict()
        text = _dumps({"article": article.to_dict(), "event": data})
        if chunk.add(text + "\n"):
            yield chunk.take()
        n += 1
    if chunk:
        yield chunk.take()
    return n


def rows_from_results(results: Iterable[ArticleResult]) -> Iterator[tuple[ArticleInfo, Event]]:
    """Each event of each result, with its article: the rows the CSV and GeoJSON writers take."""
    for result in results:
        for event in result.events:
            yield result.article, event


# -- ACLED fields --------------------------------------------------------------------------------


def acled_date(info: DateInfo) -> tuple[date | None, int | None]:
    """ACLED's ``event_date`` and ``time_precision`` for an event's date (None, None: undated)."""
    return _acled_date(info.start, info.end, info.precision, info.text)


def _acled_date(
    start: date | None, end: date | None, precision: str, text: str | None
) -> tuple[date | None, int | None]:
    if start is None:
        return None, None
    end = end or _implied_end(start, precision)
    if end < start:
        start, end = end, start
    days = (end - start).days + 1
    middle = start + timedelta(days=(days - 1) // 2)
    if days == 1 and precision in ("day", "range"):
        return start, 1
    if precision == "week" or (precision in ("day", "range") and days <= 7):
        return middle, 2
    if precision == "month" or (precision in ("day", "range") and days <= 31):
        if (start.year, start.month) != (end.year, end.month):
            return middle, 3
        return _month_date(start, end, text), 3
    # a year or a longer range: ACLED does not code it; see the module's docstring
    return start, 3


def _implied_end(start: date, precision: str) -> date:
    """The end of a period given by its start alone ("January 2024" as 2024-01-01)."""
    if precision == "week":
        return start + timedelta(days=6)
    if precision == "month":
        return start.replace(day=monthrange(start.year, start.month)[1])
    if precision == "year":
        return date(start.year, 12, 31)
    return start


def _month_date(start: date, end: date, text: str | None) -> date:
    last = date(start.year, start.month, monthrange(start.year, start.month)[1])
    if text:
        if _EARLY.search(text):
            return start.replace(day=1)
        if _LATE.search(text):
            return last
        if _MID.search(text):
            return start.replace(day=15)
    # the dates stage resolves "early" to days 1-10 and "late" to 21-end (spec, "Dates")
    whole_month = start.day == 1 and end == last
    if not whole_month and end.day <= 10:
        return start.replace(day=1)
    if not whole_month and start.day >= 21:
        return last
    return start.replace(day=15)


def acled_fatalities(fatalities: Count | None) -> int:
    """ACLED's fatality figure: the count, 0 when none is reported, 3 for an unknown toll."""
    if fatalities is None:
        return 0
    return _fatalities(fatalities.count, fatalities.qualifier)


def _fatalities(count: int | None, qualifier: str | None) -> int:
    if count is not None:
        return count
    return UNKNOWN_FATALITIES if qualifier == "unknown" else 0


def inter_code(actor: Actor | None) -> int | None:
    """ACLED's inter code of an actor: 0 when there is none, None when its type is unknown."""
    if actor is None:
        return 0
    return _inter(actor.type)


def _inter(actor_type: str | None) -> int | None:
    return None if actor_type is None else INTER_CODES[actor_type]


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """Both codes joined smallest first (1 and 8 -> 18); one actor alone -> its code times ten."""
    if inter1 is None or inter2 is None:
        return None
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def country_name(code: str | None) -> str | None:
    """The country's name as ACLED writes it, from an ISO 3166-1 alpha-2 code."""
    if not code:
        return None
    name = get_countries().name(code)
    if name is None:
        log.debug("no country name for code %r; writing the code", code)
        return code
    return name


def acled_row(article: ArticleInfo, event: Event | dict[str, Any]) -> dict[str, Any]:
    """One event as ACLED's columns (``ACLED_COLUMNS``); None where there is nothing to say.

    ``event`` is an ``Event`` or its JSON as a dict (as the store keeps it: no need to build
    the records again to export them).
    """
    data = event if isinstance(event, dict) else event.model_dump(mode="json")
    when = data.get("date") or {}
    start, end = when.get("start"), when.get("end")
    event_date, time_precision = _acled_date(
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
        when.get("precision", "day"),
        when.get("text"),
    )
    actor1, actor2 = data.get("actor1"), data.get("actor2")
    inter1 = 0 if actor1 is None else _inter(actor1.get("type"))
    inter2 = 0 if actor2 is None else _inter(actor2.get("type"))
    loc = data.get("location") or {}
    killed = data.get("fatalities")
    return {
        "event_date": event_date.isoformat() if event_date else None,
        "event_type": data["event_type"],
        "sub_event_type": data["sub_event_type"],
        "actor1": actor1["name"] if actor1 else None,
        "inter1": inter1,
        "actor2": actor2["name"] if actor2 else None,
        "inter2": inter2,
        "interaction": interaction_code(inter1, inter2),
        "country": country_name(loc.get("country_code")),
        "admin1": loc.get("admin1"),
        "location": loc.get("name"),
        "latitude": loc.get("latitude"),
        "longitude": loc.get("longitude"),
        "geo_precision": loc.get("precision"),
        "time_precision": time_precision,
        "fatalities": _fatalities(
            killed.get("count") if killed else None, killed.get("qualifier") if killed else None
        ),
        "notes": data.get("notes") or None,
        "source": article.source,
        "source_url": article.url,
        "article_id": article.id,
        "event_id": data.get("id", ""),
        "corrected": bool(data.get("corrected", False)),
    }


# -- CSV -----------------------------------------------------------------------------------------


def write_csv(rows: Iterable[Row], out: TextIO) -> int:
    """Write ACLED-style CSV (a header, then one row per event); returns the number of events."""
    return _drain(iter_csv(rows), out)


def iter_csv(rows: Iterable[Row]) -> Generator[str, None, int]:
    """``write_csv``'s text in chunks; returns the number of events."""
    buffer = io.StringIO()
    # "\n" rather than csv's "\r\n": the text goes to a text stream, which translates newlines
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    n = 0
    for article, event in rows:
        row = acled_row(article, event)
        writer.writerow([_csv_value(row[c]) for c in ACLED_COLUMNS])
        n += 1
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
    return n


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# -- GeoJSON -------------------------------------------------------------------------------------


def write_geojson(rows: Iterable[Row], out: TextIO) -> int:
    """Write a GeoJSON FeatureCollection of the events that have coordinates, one Point each.

    Properties are flat (the CSV columns plus ``date_start``, ``date_end``, ``date_precision``),
    so GIS tools read them as attribute columns. Features are written one at a time. Returns the
    number written; events without usable coordinates are left out, counted in a warning.
    """
    return _drain(iter_geojson(rows), out)


def iter_geojson(rows: Iterable[Row]) -> Generator[str, None, int]:
    """``write_geojson``'s text in chunks; returns the number of features."""
    chunk = _Chunks()
    chunk.add('{"type":"FeatureCollection","features":[')
    written = skipped = 0
    for article, event in rows:
        data = event if isinstance(event, dict) else event.model_dump(mode="json")
        loc = data.get("location") or {}
        lat, lon = loc.get("latitude"), loc.get("longitude")
        if not _valid_point(lat, lon):
            skipped += 1
            continue
        properties = acled_row(article, data)
        when = data.get("date") or {}
        properties.update(
            date_start=when.get("start"),
            date_end=when.get("end"),
            date_precision=when.get("precision", "day"),
        )
        feature = {
            "type": "Feature",
            # GeoJSON (RFC 7946) orders positions longitude first
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        }
        if chunk.add(("\n" if written == 0 else ",\n") + _dumps(feature)):
            yield chunk.take()
        written += 1
    chunk.add("\n]}\n")
    yield chunk.take()
    if skipped:
        log.warning("GeoJSON: %d event(s) without coordinates left out", skipped)
    return written


def _valid_point(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class _Chunks:
    """Text gathered until there is about a chunk of it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> bool:
        """Add text; True when a chunk is full and should be taken."""
        self.parts.append(text)
        self.size += len(text)
        return self.size >= CHUNK_CHARS

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text

    def __bool__(self) -> bool:
        return bool(self.parts)


def _drain(chunks: Generator[str, None, int], out: TextIO) -> int:
    """Write every chunk to ``out``; the generator's return value."""
    while True:
        try:
            out.write(next(chunks))
        except StopIteration as stop:
            return int(stop.value)


def write_corrections(items: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write ``Store.corrections()`` as JSON lines, one corrected event each; returns how many."""
    n = 0
    for item in items:
        out.write(_dumps(item) + "\n")
        n += 1
    return n


def iter_raw_event_jsonl(rows: Iterable[tuple[str, str]]) -> Generator[str, None, int]:
    """``iter_event_jsonl`` from JSON already written: ``(article JSON, event JSON)`` pairs.

    The store keeps each event as JSON, so an export can pass it on without parsing it.
    """
    chunk = _Chunks()
    n = 0
    for article, event in rows:
        if chunk.add('{"article":' + article + ',"event":' + event + "}\n"):
            yield chunk.take()
        n += 1
    if chunk:
        yield chunk.take()
    return n
