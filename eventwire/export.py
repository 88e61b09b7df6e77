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
"""

from __future__ import annotations

import csv
import json
import logging
import math
import re
from calendar import monthrange
from collections.abc import Iterable, Iterator
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
]

#: ACLED's figure for a death toll reported without a number, for an attack of limited scope
UNKNOWN_FATALITIES = 3

#: ACLED's spelling where it differs from GeoNames'
_EARLY = re.compile(r"\b(early|beginning|start)\b", re.IGNORECASE)
_LATE = re.compile(r"\b(late|end)\b", re.IGNORECASE)
_MID = re.compile(r"\bmid", re.IGNORECASE)


# -- JSON lines ----------------------------------------------------------------------------------


def write_jsonl(results: Iterable[ArticleResult], out: TextIO) -> int:
    """Write one compact JSON object per article (the contract); returns how many."""
    n = 0
    for result in results:
        out.write(_dumps(result.to_dict()))
        out.write("\n")
        n += 1
    return n


def rows_from_results(results: Iterable[ArticleResult]) -> Iterator[tuple[ArticleInfo, Event]]:
    """Each event of each result, with its article: the rows the CSV and GeoJSON writers take."""
    for result in results:
        for event in result.events:
            yield result.article, event


# -- ACLED fields --------------------------------------------------------------------------------


def acled_date(info: DateInfo) -> tuple[date | None, int | None]:
    """ACLED's ``event_date`` and ``time_precision`` for an event's date (None, None: undated)."""
    start = info.start
    if start is None:
        return None, None
    end = info.end or _implied_end(start, info.precision)
    if end < start:
        start, end = end, start
    days = (end - start).days + 1
    middle = start + timedelta(days=(days - 1) // 2)
    if days == 1 and info.precision in ("day", "range"):
        return start, 1
    if info.precision == "week" or (info.precision in ("day", "range") and days <= 7):
        return middle, 2
    if info.precision == "month" or (info.precision in ("day", "range") and days <= 31):
        if (start.year, start.month) != (end.year, end.month):
            return middle, 3
        return _month_date(start, end, info.text), 3
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
    if fatalities.count is not None:
        return fatalities.count
    return UNKNOWN_FATALITIES if fatalities.qualifier == "unknown" else 0


def inter_code(actor: Actor | None) -> int | None:
    """ACLED's inter code of an actor: 0 when there is none, None when its type is unknown."""
    if actor is None:
        return 0
    if actor.type is None:
        return None
    return INTER_CODES[actor.type]


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


def acled_row(article: ArticleInfo, event: Event) -> dict[str, Any]:
    """One event as ACLED's columns (``ACLED_COLUMNS``); None where there is nothing to say."""
    event_date, time_precision = acled_date(event.date)
    inter1, inter2 = inter_code(event.actor1), inter_code(event.actor2)
    loc = event.location
    return {
        "event_date": event_date.isoformat() if event_date else None,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "inter1": inter1,
        "actor2": event.actor2.name if event.actor2 else None,
        "inter2": inter2,
        "interaction": interaction_code(inter1, inter2),
        "country": country_name(loc.country_code if loc else None),
        "admin1": loc.admin1 if loc else None,
        "location": loc.name if loc else None,
        "latitude": loc.latitude if loc else None,
        "longitude": loc.longitude if loc else None,
        "geo_precision": loc.precision if loc else None,
        "time_precision": time_precision,
        "fatalities": acled_fatalities(event.fatalities),
        "notes": event.notes or None,
        "source": article.source,
        "source_url": article.url,
        "article_id": article.id,
        "event_id": event.id,
    }


# -- CSV -----------------------------------------------------------------------------------------


def write_csv(rows: Iterable[tuple[ArticleInfo, Event]], out: TextIO) -> int:
    """Write ACLED-style CSV (a header, then one row per event); returns the number of events."""
    # "\n" rather than csv's "\r\n": ``out`` is a text stream, which translates newlines itself
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    n = 0
    for article, event in rows:
        row = acled_row(article, event)
        writer.writerow(["" if row[c] is None else row[c] for c in ACLED_COLUMNS])
        n += 1
    return n


# -- GeoJSON -------------------------------------------------------------------------------------


def write_geojson(rows: Iterable[tuple[ArticleInfo, Event]], out: TextIO) -> int:
    """Write a GeoJSON FeatureCollection of the events that have coordinates, one Point each.

    Properties are flat (the CSV columns plus ``date_start``, ``date_end``, ``date_precision``),
    so GIS tools read them as attribute columns. Features are written one at a time. Returns the
    number written; events without usable coordinates are left out, counted in a warning.
    """
    out.write('{"type":"FeatureCollection","features":[')
    written = skipped = 0
    for article, event in rows:
        loc = event.location
        lat = loc.latitude if loc else None
        lon = loc.longitude if loc else None
        if not _valid_point(lat, lon):
            skipped += 1
            continue
        properties = acled_row(article, event)
        properties.update(
            date_start=event.date.start.isoformat() if event.date.start else None,
            date_end=event.date.end.isoformat() if event.date.end else None,
            date_precision=event.date.precision,
        )
        feature = {
            "type": "Feature",
            # GeoJSON (RFC 7946) orders positions longitude first
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        }
        out.write("\n" if written == 0 else ",\n")
        out.write(_dumps(feature))
        written += 1
    out.write("\n]}\n")
    if skipped:
        log.warning("GeoJSON: %d event(s) without coordinates left out", skipped)
    return written


def _valid_point(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
