"""Time expressions resolved against a publication date: pure functions, no spaCy.

``resolve("last Friday", date(2024, 2, 8))`` gives a :class:`Resolution` with a TIMEX3-style value
(``"2024-02-02"``) and a :class:`~eventwire.records.DateInfo` range. The conventions are the output
contract's (``shared/spec/README.md``, Dates):

- a bare weekday ("Thursday", "on Thursday night") is the latest such day on or before publication;
  "last Friday" is the Friday of the week before the publication week (weeks start on Monday);
- a month or month-day without a year is its latest occurrence not after publication, so "Dec. 30"
  in a January article is last year's; "last August" is the same unless publication is in August;
- "early", "mid", "late" January are days 1-10, 11-20 and 21 to the month's end;
- a period that contains the publication date and reads as past ("this week", "since mid-October",
  "the past two weeks") ends on the publication date: a past event is never dated after it.

Expressions that look forward ("tomorrow", "next week", "next Friday", "the end of this week" read
on a Monday) resolve to their real, later dates: the contract only promises that *past* relative
dates stay on or before publication. A caller that knows the clause looks ahead ("talks will
resume Monday") passes ``forward=True``: a bare weekday, a month or a day without a year is then
the next one after publication ("since" still looks back).

Values follow TimeML's TIMEX3 where the contract says nothing: "two and a half years" is
``P2Y6M``, "a few weeks" ``PXW``, "in recent weeks" ``PAST_REF``, "each July" ``XXXX-07``, a part
of a day alone ("the morning") ``TMO`` with no date (the dates stage puts it on a day).
Without a publication date relative expressions keep start = end = None; absolute ones
("Jan. 28, 2024") still resolve. Expressions anchored on another time ("the next day") resolve
against ``anchor`` when the caller has one, else stay unresolved.

Every pattern is ours and precompiled; ``dateparser`` (optional) is only asked about an absolute
date with a year that no pattern of ours reads ("28.01.2024").
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from .numbers import NUMBER_WORDS, SMALL, TENS
from .records import DateInfo, Precision

log = logging.getLogger(__name__)

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]

__all__ = ["Resolution", "TimexType", "resolve"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved time expression: its TIMEX3 type and value, and the dates it covers."""

    type: TimexType
    #: TIMEX3-style: "2024-02-08", "2024-W06", "2024-01", "2024", "2024-Q1", "P2D", "PAST_REF";
    #: None when the expression needs a publication date (or anchor) that was not given
    value: str | None
    #: start = end = None when unknown (a duration, a bare clock time, no publication date)
    date: DateInfo
    #: True when the dates depend on the publication date (or anchor), not on the words alone
    relative: bool = False


class _Found(NamedTuple):
    type: TimexType
    value: str | None
    start: date | None
    end: date | None
    precision: Precision
    relative: bool = False
    #: looks forward from publication ("next week"): not clamped to the publication date
    future: bool = False
    #: the year was not written ("Jan. 28", "in August"): chosen as the latest not after publication
    yearless: bool = False
    #: counted from the caller's anchor ("the next day"), not from publication
    on_anchor: bool = False


# ---------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_WD = (
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?)"
)
_WD_PREFIX = _WD.replace("?P<wd>", "?:")
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_PART = r"(?P<part>morning|afternoon|evening|night)"
_ORD = r"(?:st|nd|rd|th)?"

_UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
    "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
}  # fmt: skip
_UNIT = (
    r"(?P<unit>second|minute|hour|day|night|week|fortnight|month|quarter|year|decade"
    r"|centur(?:y|ie))s?"
)

_SMALL = SMALL
_TENS = TENS
_NUMBERS: dict[str, int | None] = dict(NUMBER_WORDS)
_NUMBERS.update(
    {
        "a": 1,
        "an": 1,
        "a single": 1,
        "a couple of": 2,
        "couple of": 2,
        "a couple": 2,
        "a dozen": 12,
        "dozen": 12,
        "a hundred": 100,
        "hundred": 100,
    }
)
# spoken without the hyphen: "the last twenty four hours"
_NUMBERS.update({w.replace("-", " "): v for w, v in NUMBER_WORDS.items() if "-" in w})
# vague quantities: a duration of unknown length ("PXD"), no dates
_NUMBERS.update({w: None for w in ("a few", "few", "several", "some", "many", "a number of")})
_NUM = (
    r"(?P<n>(?![12]\d{3}\b)\d+(?:\.\d+)?|"
    + "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True))
    + ")"
)

_CLOCK = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
    r"|(?P<h24>\d{1,2}):(?P<m24>\d{2})(?::\d{2})?"
    r"|\b(?P<named>noon|midday|midnight)\b"
)


def _num(token: str) -> int | None:
    token = token.strip()
    if token[0].isdigit():
        return int(float(token))
    return _NUMBERS[token]


# ---------------------------------------------------------------------------------------------
# Date arithmetic


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _week_value(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _day(d: date, relative: bool = False, future: bool = False) -> _Found:
    return _Found("DATE", d.isoformat(), d, d, "day", relative, future)


def _month(y: int, m: int, relative: bool = False, future: bool = False) -> _Found:
    return _Found(
        "DATE", f"{y:04d}-{m:02d}", date(y, m, 1), _month_end(y, m), "month", relative, future
    )


def _year(y: int, relative: bool = False, future: bool = False) -> _Found:
    return _Found("DATE", f"{y:04d}", date(y, 1, 1), date(y, 12, 31), "year", relative, future)


def _week(d: date, relative: bool = True, future: bool = False) -> _Found:
    mon = _monday(d)
    return _Found("DATE", _week_value(d), mon, mon + timedelta(days=6), "week", relative, future)


def _weekend(saturday: date, future: bool = False) -> _Found:
    value = _week_value(saturday) + "-WE"
    return _Found("DATE", value, saturday, saturday + timedelta(days=1), "range", True, future)


def _quarter(y: int, q: int, relative: bool = False, future: bool = False) -> _Found:
    m = 3 * (q - 1) + 1
    return _Found(
        "DATE", f"{y:04d}-Q{q}", date(y, m, 1), _month_end(y, m + 2), "range", relative, future
    )


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _latest_year(pub: date, month: int, day: int) -> int:
    """The year of the latest (month, day) not after ``pub``."""
    y = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
    if month == 2 and day == 29:
        while not calendar.isleap(y):
            y -= 1
    return y


def _next_year(pub: date, month: int, day: int) -> int:
    """The year of the earliest (month, day) not before ``pub``."""
    y = pub.year if (month, day) >= (pub.month, pub.day) else pub.year + 1
    if month == 2 and day == 29:
        while not calendar.isleap(y):
            y += 1
    return y


def _sub_units(d: date, n: int, unit: str) -> date:
    """``d`` moved back ``n`` units (negative ``n``: forward); months clip to the month's end."""
    code = _UNITS[unit]
    if unit in ("second", "minute"):
        return d
    if unit == "hour":
        return d - timedelta(days=n // 24 if n >= 0 else -(-n // 24))
    if code == "D":
        return d - timedelta(days=n)
    if code == "W":
        return d - timedelta(days=7 * n * (2 if unit == "fortnight" else 1))
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit] * n
    y, m = _shift_month(d.year, d.month, -months)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _duration_value(n: int | float | None, unit: str) -> str:
    code = _UNITS[unit]
    amount = "X" if n is None else str(n)
    if unit == "fortnight" and n is not None:
        amount = str(2 * n)
    if unit in ("second", "minute", "hour"):
        return f"PT{amount}{code}"
    return f"P{amount}{code}"


#: days in one of a TIMEX3 duration's date units (a month or a year on average)
_UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4, "Q": 91.3, "Y": 365.2, "DE": 3652.0, "CE": 36524.0}
_TIME_UNIT_DAYS = {"H": 1 / 24, "M": 1 / 1440, "S": 1 / 86400}
_DURATION = re.compile(r"P(T?)(\d+(?:\.\d+)?)(DE|CE|[DWMQYHS])")


def duration_days(value: str | None) -> float | None:
    """How many days a TIMEX3 duration value spans ("P2W" -> 14, "PT24H" -> 1); None when it
    gives no number ("PXD") or is no duration."""
    m = _DURATION.fullmatch(value or "")
    if m is None:
        return None
    units = _TIME_UNIT_DAYS if m[1] else _UNIT_DAYS
    per = units.get(m[3])
    return None if per is None else float(m[2]) * per


def _unit_of(token: str) -> str:
    token = token.rstrip("s")
    return "century" if token.startswith("centur") else token


# ---------------------------------------------------------------------------------------------
# Handlers: each reads one shape of expression (a full match of the normalized text)


class _Ctx(NamedTuple):
    pub: date
    anchor: date | None
    #: the clause looks forward ("talks will resume Monday"): a bare weekday, month or day
    #: without a year is its next occurrence after publication, not its latest before
    forward: bool = False


_Handler = Callable[[re.Match[str], _Ctx], _Found | None]
_HANDLERS: list[tuple[re.Pattern[str], _Handler]] = []


def _pattern(regex: str) -> Callable[[_Handler], _Handler]:
    compiled = re.compile(regex)

    def register(fn: _Handler) -> _Handler:
        _HANDLERS.append((compiled, fn))
        return fn

    return register


_PRESENT = {
    "now",
    "right now",
    "just now",
    "currently",
    "current",
    "the current",
    "already",
    "at present",
    "the present",
    "present",
    "nowadays",
    "these days",
    "at the moment",
    "the moment",
    "at this time",
    "at this point",
    "this time",
    "so far",
    "to date",
    "as yet",
    "yet",
}
_PAST = {
    "recently",
    "lately",
    "previously",
    "formerly",
    "in the past",
    "the past",
    "past",
    "earlier",
    "once",
    "former",
    "a while ago",
    "some time ago",
    "long ago",
    "before",
    "years ago",
    "months ago",
    "weeks ago",
    "days ago",
    "not long ago",
    "the recent past",
    "the other day",
    "recent",
    "more recently",
    "most recently",
    "until recently",
    "then current",
}
_FUTURE = {
    "the future",
    "in the future",
    "future",
    "soon",
    "later",
    "the near future",
    "eventually",
    "someday",
    "future quarters",
    "the near term",
    "the short term",
    "the long term",
    "a later date",
    "as soon as possible",
}


def _ref(s: str, pub: date) -> _Found | None:
    if s in _PRESENT:
        return _Found("DATE", "PRESENT_REF", pub, pub, "day", True)
    if s in _PAST:
        return _Found("DATE", "PAST_REF", None, None, "day")
    if s in _FUTURE:
        return _Found("DATE", "FUTURE_REF", None, None, "day")
    return None


@_pattern(
    r"(?:(?P<mod>early|late)\s+)?(?P<day>today|tonight|yesterday|tomorrow|the day before yesterday"
    r"|the day after tomorrow|this|last)(?:\s+" + _PART + r")?"
)
def _h_deictic(m: re.Match[str], c: _Ctx) -> _Found | None:
    day, part = m["day"], m["part"]
    if (day in ("this", "last") and part is None) or (
        day == "last" and part in ("morning", "afternoon")
    ):
        return None
    shift = {
        "today": 0,
        "tonight": 0,
        "this": 0,
        "yesterday": -1,
        "last": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }[day]
    if day == "tonight":
        part = "night"
    d = c.pub + timedelta(days=shift)
    if part is None:
        return _day(d, relative=True, future=shift > 0)
    return _Found("TIME", f"{d.isoformat()}T{_PARTS[part]}", d, d, "day", True, shift > 0)


@_pattern(
    r"(?:(?P<rel>last|this past|this coming|this|next|past|previous|coming|early|late)\s+)?"
    + _WD
    + r"(?:\s+"
    + _PART
    + r")?"
)
def _h_weekday(m: re.Match[str], c: _Ctx) -> _Found:
    wd = _WEEKDAYS[m["wd"][:2]]
    rel = m["rel"]
    monday = _monday(c.pub)
    future = False
    if rel in ("last", "previous"):
        d = monday - timedelta(days=7) + timedelta(days=wd)
    elif rel == "this":
        d = monday + timedelta(days=wd)
        future = d > c.pub
    elif rel == "next":
        d = monday + timedelta(days=7 + wd)
        future = True
    elif rel in ("coming", "this coming") or (c.forward and rel in (None, "early", "late")):
        d = c.pub + timedelta(days=(wd - c.pub.weekday()) % 7 or 7)
        future = True
    else:  # bare, "past", "this past", "early", "late": the latest on or before publication
        d = c.pub - timedelta(days=(c.pub.weekday() - wd) % 7)
    if m["part"]:
        return _Found("TIME", f"{d.isoformat()}T{_PARTS[m['part']]}", d, d, "day", True, future)
    return _day(d, relative=True, future=future)


@_pattern(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?")
def _h_iso(m: re.Match[str], c: _Ctx) -> _Found | None:
    y, mo = int(m["y"]), int(m["m"])
    if not 1 <= mo <= 12:
        return None
    if m["d"] is None:
        return _month(y, mo)
    d = _safe_date(y, mo, int(m["d"]))
    return _day(d) if d else None


@_pattern(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})")
def _h_slash(m: re.Match[str], c: _Ctx) -> _Found | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    month, day = (b, a) if a > 12 else (a, b)  # US order unless it cannot be
    d = _safe_date(y, month, day) if 1 <= month <= 12 else None
    return _day(d) if d else None


def _month_day(
    c: _Ctx,
    mon: str,
    d1: str,
    d2: str | None,
    y: str | None,
    wd: str | None,
    month_number: int | None = None,
) -> _Found | None:
    month = month_number or _MONTHS[mon[:3]]
    first = int(d1)
    if not 1 <= first <= 31:
        return None
    if y:
        year = int(y)
    elif c.forward:  # the next one: "the rights expire Nov. 21", "talks will resume Jan. 3"
        year = _next_year(c.pub, month, first)
    else:
        year = _latest_year(c.pub, month, first)
    if wd and not y:
        # "Sunday, March 8": the year in which that day is a Sunday, nearest the latest reading
        weekday = _WEEKDAYS[wd.strip()[:2]]
        for candidate in (year, year + 1, year - 1):
            d = _safe_date(candidate, month, first)
            if d is not None and d.weekday() == weekday:
                year = candidate
                break
    start = _safe_date(year, month, first)
    end = _safe_date(year, month, int(d2)) if d2 else start
    if start is None or end is None or end < start:
        return None
    if end == start:
        found = _day(start)
    else:
        found = _Found("DATE", f"{start.isoformat()}/{end.isoformat()}", start, end, "range")
    if y is None:
        found = found._replace(relative=True, yearless=True)
    return found


_HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "boxing day": (12, 26),
    "halloween": (10, 31), "valentine's day": (2, 14),
}  # fmt: skip


@_pattern(
    r"(?:(?P<rel>last|this|next)\s+)?(?P<h>" + "|".join(map(re.escape, _HOLIDAYS)) + r")"
    r"(?:,?\s+(?P<y>\d{4}))?"
)
def _h_holiday(m: re.Match[str], c: _Ctx) -> _Found | None:
    """A holiday on a fixed day ("Christmas Eve"); moving feasts (Easter, Eid) are not read."""
    month, day = _HOLIDAYS[m["h"]]
    year = m["y"]
    if year is None and m["rel"] == "this":
        year = str(c.pub.year)
    elif year is None and m["rel"] == "next":
        year = str(c.pub.year + (1 if (month, day) <= (c.pub.month, c.pub.day) else 0))
    found = _month_day(c, "", str(day), None, year, None, month_number=month)
    if found is not None and m["rel"] in ("this", "next"):
        found = found._replace(
            relative=True, future=found.start is not None and found.start > c.pub
        )
    return found


_YEAR_REL = r"(?P<y>\d{4}|last year|this year|next year|the previous year|the following year)"


@_pattern(
    r"(?:(?:(?:this|last|next|this coming|coming|this past|past)\s+)?(?P<wdp>"
    + _WD_PREFIX
    + r"),?\s+)?"
    r"(?:the\s+)?"
    + _MON
    + r"\s+(?:the\s+)?(?P<d1>\d{1,2})"
    + _ORD
    + r"(?:\s*(?:-|to|through|and|&)\s*(?P<d2>\d{1,2})"
    + _ORD
    + r")?(?:,?\s+(?P<y>\d{4}))?"
)
def _h_month_day(m: re.Match[str], c: _Ctx) -> _Found | None:
    return _month_day(c, m["mon"], m["d1"], m["d2"], m["y"], m["wdp"])


@_pattern(
    r"(?:(?P<wdp>"
    + _WD_PREFIX
    + r"),?\s+)?(?:the\s+)?(?P<d1>\d{1,2})"
    + _ORD
    + r"(?:\s*(?:-|to|and|&)\s*(?P<d2>\d{1,2})"
    + _ORD
    + r")?\s+(?:of\s+)?"
    + _MON
    + r"(?:,?\s+(?P<y>\d{4}))?"
)
def _h_day_month(m: re.Match[str], c: _Ctx) -> _Found | None:
    return _month_day(c, m["mon"], m["d1"], m["d2"], m["y"], m["wdp"])


def _year_of(token: str, pub: date) -> tuple[int, bool]:
    """A written year or "last year" and the like: (year, relative)."""
    if token[0].isdigit():
        return int(token), False
    return pub.year + {"last": -1, "the": -1, "this": 0, "next": 1}[token.split()[0]] + (
        2 if token == "the following year" else 0
    ), True


@_pattern(
    r"(?:(?P<rel>last|this past|this|next|past|coming|the past|the last|the coming)\s+)?"
    + _MON
    + r"(?:,?\s+(?:of\s+)?"
    + _YEAR_REL
    + r")?"
)
def _h_month(m: re.Match[str], c: _Ctx) -> _Found:
    month = _MONTHS[m["mon"][:3]]
    rel = (m["rel"] or "").removeprefix("the ")
    if m["y"]:
        y, relative = _year_of(m["y"], c.pub)
        return _month(y, month, relative=relative, future=y > c.pub.year)
    if rel == "this":
        return _month(c.pub.year, month, relative=True, future=month > c.pub.month)
    if rel in ("next", "coming"):
        y = c.pub.year if month > c.pub.month else c.pub.year + 1
        return _month(y, month, relative=True, future=True)
    if c.forward and not rel:
        y = c.pub.year if month >= c.pub.month else c.pub.year + 1
        return _month(y, month, relative=True, future=True)._replace(yearless=True)
    y = c.pub.year if month <= c.pub.month else c.pub.year - 1
    if rel in ("last", "past") and month == c.pub.month:
        y -= 1
    return _month(y, month, relative=True)._replace(yearless=True)


@_pattern(r"(?:the\s+)?(?:(?:calendar|fiscal|year)\s+)?(?P<y>1\d{3}|2\d{3})")
def _h_year(m: re.Match[str], c: _Ctx) -> _Found:
    return _year(int(m["y"]))


@_pattern(
    r"(?:the\s+)?(?:(?P<c>1\d|2\d)|')?(?P<d>\d)0'?s"
    r"|(?:the\s+)?(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
)
def _h_decade(m: re.Match[str], c: _Ctx) -> _Found:
    relative = m["c"] is None
    digit = int(m["d"]) if m["d"] else 2 + _DECADE_WORDS.index(m["word"])
    if relative:
        first = c.pub.year // 100 * 100 + digit * 10
        if first > c.pub.year:
            first -= 100
    else:
        first = int(m["c"] + m["d"] + "0")
    return _Found(
        "DATE", str(first // 10), date(first, 1, 1), date(first + 9, 12, 31), "range", relative
    )


@_pattern(r"(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century")
def _h_century(m: re.Match[str], c: _Ctx) -> _Found | None:
    n = int(m["n"])
    if not 1 <= n <= 30:
        return None
    first = 100 * (n - 1)
    return _Found(
        "DATE", f"{n - 1:02d}", date(max(first, 1), 1, 1), date(first + 99, 12, 31), "range"
    )


_DECADE_WORDS = (
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
)
_QUARTERS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
    "last": 4,
}


@_pattern(
    r"(?:the\s+)?(?:(?P<q>first|1st|second|2nd|third|3rd|fourth|4th|final)(?:\s+|-)"
    r"(?:fiscal\s+|calendar\s+)?quarter|q(?P<qn>[1-4]))(?:\s+(?:of\s+)?(?:fiscal\s+)?"
    + _YEAR_REL
    + r")?"
)
def _h_quarter(m: re.Match[str], c: _Ctx) -> _Found:
    q = int(m["qn"]) if m["qn"] else _QUARTERS[m["q"]]
    if m["y"]:
        y, relative = _year_of(m["y"], c.pub)
        return _quarter(y, q, relative=relative)
    y = c.pub.year if 3 * (q - 1) + 1 <= c.pub.month else c.pub.year - 1
    return _quarter(y, q, relative=True)._replace(yearless=True)


@_pattern(r"(?:the\s+)?(?P<h>first|second|last)\s+half(?:\s+of)?(?:\s+" + _YEAR_REL + r")?")
def _h_half(m: re.Match[str], c: _Ctx) -> _Found:
    h = 1 if m["h"] == "first" else 2
    if m["y"]:
        y, relative = _year_of(m["y"], c.pub)
        yearless = False
    else:
        y, relative, yearless = (
            (c.pub.year if h == 1 or c.pub.month >= 7 else c.pub.year - 1),
            True,
            True,
        )
    start, end = (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
    return _Found("DATE", f"{y}-H{h}", start, end, "range", relative, yearless=yearless)


_SEASONS = {
    "spring": ("SP", 3),
    "summer": ("SU", 6),
    "fall": ("FA", 9),
    "autumn": ("FA", 9),
    "winter": ("WI", 12),
}


@_pattern(
    r"(?:(?P<rel>last|this|next|past|this past|the past|the)\s+)?"
    r"(?P<s>spring|summer|fall|autumn|winter)"
    r"(?:\s+(?:of\s+)?" + _YEAR_REL + r")?"
)
def _h_season(m: re.Match[str], c: _Ctx) -> _Found:
    code, first = _SEASONS[m["s"]]
    rel = (m["rel"] or "").removeprefix("the").strip()
    relative = True
    if m["y"]:
        y, relative = _year_of(m["y"], c.pub)
    elif rel == "this":
        y = c.pub.year if not (code == "WI" and c.pub.month <= 2) else c.pub.year - 1
    elif rel == "next":
        y = c.pub.year if date(c.pub.year, first, 1) > c.pub else c.pub.year + 1
    else:
        y = c.pub.year if date(c.pub.year, first, 1) <= c.pub else c.pub.year - 1
        if rel in ("last", "past") and c.pub <= _month_end(*_shift_month(y, first, 2)):
            y -= 1
    start = date(y, first, 1)
    end = _month_end(*_shift_month(y, first, 2))
    return _Found(
        "DATE",
        f"{y}-{code}",
        start,
        end,
        "range",
        relative,
        start > c.pub,
        yearless=not m["y"] and not rel,
    )


def _latest_weekend(pub: date) -> _Found:
    sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
    return _weekend(sat)


_CAL_REL = (
    r"(?P<rel>this past|this coming|this|last|next|past|previous|the previous|current|the current"
    r"|coming|the coming|the following|following|the same|same|the latest|latest|the most recent"
    r"|the present)"
)


@_pattern(_CAL_REL + r"\s+(?P<unit>week|weekend|month|year|quarter)")
def _h_calendar(m: re.Match[str], c: _Ctx) -> _Found | None:
    rel = m["rel"].removeprefix("the ")
    unit = m["unit"]
    if rel in ("past", "this past") and unit != "weekend":
        return None  # "past week": the seven days before publication, read by _h_span
    if rel in ("same", "following", "previous") and unit != "weekend":
        # anaphoric: "the following week" follows another time named in the text
        if c.anchor is None:
            return None
        base = c.anchor
        shift = {"same": 0, "following": 1, "previous": -1}[rel]
        rel = "anchor"
    else:
        base = c.pub
        shift = {
            "this": 0,
            "current": 0,
            "last": -1,
            "past": -1,
            "this past": -1,
            "latest": -1,
            "most recent": -1,
            "next": 1,
            "coming": 1,
            "this coming": 1,
        }.get(rel, 0)
    future = shift > 0 and rel != "anchor"
    on_anchor = rel == "anchor"
    if unit == "weekend":
        if rel in ("last", "previous"):
            return _weekend(_monday(c.pub) - timedelta(days=2))
        if rel in ("this",):
            sat = _monday(c.pub) + timedelta(days=5)
            return _weekend(sat, future=sat > c.pub)
        if shift > 0:
            return _weekend(c.pub + timedelta(days=(5 - c.pub.weekday()) % 7 or 7), future=True)
        return _latest_weekend(c.pub)
    if unit == "week":
        found = _week(base + timedelta(days=7 * shift), future=future)
    elif unit == "month":
        y, mo = _shift_month(base.year, base.month, shift)
        found = _month(y, mo, relative=True, future=future)
    elif unit == "year":
        found = _year(base.year + shift, relative=True, future=future)
    else:
        y, mo = _shift_month(base.year, base.month, 3 * shift)
        found = _quarter(y, (mo - 1) // 3 + 1, relative=True, future=future)
    return found._replace(on_anchor=on_anchor)


@_pattern(r"(?:the\s+)?weekend")
def _h_weekend(m: re.Match[str], c: _Ctx) -> _Found:
    return _latest_weekend(c.pub)


@_pattern(
    r"(?P<the>(?:the|this)\s+)?(?P<w>past|last|preceding|recent|previous|coming|next|following)"
    r"\s+(?:" + _NUM + r"\s+)?" + _UNIT
)
def _h_span(m: re.Match[str], c: _Ctx) -> _Found | None:
    """ "the past two weeks": a span ending on publication (or starting on it, "the next ...")."""
    w, n_text, unit = m["w"], m["n"], _unit_of(m["unit"])
    if n_text is None and (m["the"] is None and w in ("last", "previous", "next", "following")):
        return None  # "last week" is the calendar week before, not the past seven days
    if n_text is None and (
        w in ("previous", "preceding", "following")
        or (w == "next" and m["unit"] in ("day", "night"))
    ):
        return None  # "the next day", "the previous week": counted from another time of the text
    if n_text is None and w in ("recent", "coming") and m.group(0).endswith("s"):
        return None  # "recent weeks": of unknown length, read by _h_recent
    if n_text is None and m.group(0).endswith("s") and w in ("past", "last", "recent"):
        return _Found("DATE", "PAST_REF", None, None, "day")  # "in past years"
    n = _num(n_text) if n_text else 1
    value = _duration_value(n, unit)
    if n is None:
        return _Found("DURATION", value, None, None, "range", True)
    if unit in ("second", "minute"):
        n, unit = 1, "hour"
    if w in ("coming", "next", "following"):
        end = _sub_units(c.pub, -n, unit) if unit != "hour" else c.pub + timedelta(days=-(-n // 24))
        return _Found(
            "DURATION",
            value,
            c.pub,
            end - timedelta(days=1 if unit != "hour" else 0),
            "range",
            True,
            True,
        )
    start = _sub_units(c.pub, n, unit)
    if _UNITS[unit] != "H":
        start += timedelta(days=1)  # "the past week" is seven days, publication day included
    return _Found("DURATION", value, min(start, c.pub), c.pub, "range", True)


_AGO_PREFIX = (
    r"(?:(?:just|only|some|about|around|roughly|nearly|almost|more than|over|less than|exactly"
    r"|barely|at least)\s+)?"
)


@_pattern(
    _AGO_PREFIX
    + _NUM
    + r"(?:\s+|-)"
    + _UNIT
    + r"(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|before|prior|later|after|afterwards?|from now|hence)"
)
def _h_ago(m: re.Match[str], c: _Ctx) -> _Found | None:
    n = _num(m["n"])
    unit = _unit_of(m["unit"])
    if n is None:
        return _Found(
            "DATE",
            "PAST_REF" if m["dir"] in ("ago", "earlier", "before", "prior") else "FUTURE_REF",
            None,
            None,
            "day",
        )
    direction = 1 if m["dir"] in ("ago", "earlier", "before", "prior") else -1
    # "two days ago" counts from publication; "two days later" from the time the text just named
    on_anchor = m["dir"] not in ("ago", "from now", "hence") and c.anchor is not None
    base = c.anchor if on_anchor and c.anchor is not None else c.pub
    future = direction < 0 and not on_anchor
    d = _sub_units(base, n * direction, unit)
    code = _UNITS[unit]
    if unit in ("second", "minute", "hour") or code == "D":
        found = _day(d, relative=True, future=future)
    elif code == "W":
        found = _week(d, future=future)
    elif unit == "month":
        found = _month(d.year, d.month, relative=True, future=future)
    elif unit == "quarter":
        found = _quarter(d.year, (d.month - 1) // 3 + 1, relative=True, future=future)
    else:
        found = _year(d.year, relative=True, future=future)
    return found._replace(on_anchor=on_anchor)


@_pattern(
    r"(?:the\s+)?(?:(?P<rel>next|following|previous|preceding|same|prior)\s+(?P<u1>day|night"
    r"|morning|afternoon|evening)|(?P<u2>day|night)\s+(?:before|after|earlier|later)"
    r"|that\s+(?P<u3>day|night|morning|afternoon|evening)"
    r"|(?P<within>earlier|later)\s+(?:in\s+the|that|on\s+the)\s+(?:day|night|morning|evening))"
)
def _h_anaphoric_day(m: re.Match[str], c: _Ctx) -> _Found:
    """ "the next day": a day counted from another date of the text, the caller's ``anchor``."""
    if c.anchor is None:
        return _Found("DATE", None, None, None, "day", True)
    text = m.group(0)
    if m["within"]:
        shift = 0  # "earlier in the day": the same day
    elif m["rel"] in ("next", "following") or "after" in text or "later" in text:
        shift = 1
    elif m["rel"] in ("previous", "preceding", "prior") or "before" in text or "earlier" in text:
        shift = -1
    else:
        shift = 0
    return _day(c.anchor + timedelta(days=shift), relative=True)._replace(on_anchor=True)


@_pattern(
    r"(?:(?:in|during)\s+)?(?:the\s+)?(?:(?:early|late)\s+|mid(?!night)[\s-]?)?"
    + _PART.replace("?P<part>", "?P<p>")
)
def _h_part_of_day(m: re.Match[str], c: _Ctx) -> _Found:
    """ "the morning", "mid-afternoon": a part of a day the text does not name here (TimeML's
    "TMO"); the dates stage puts it on the day last named, or on publication day."""
    return _Found("TIME", f"T{_PARTS[m['p']]}", None, None, "day")


_SET_ADVERBS = {
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "monthly": "P1M",
    "quarterly": "P1Q",
    "annually": "P1Y",
    "yearly": "P1Y",
    "annual": "P1Y",
    "hourly": "PT1H",
}


@_pattern(
    r"(?P<adv>" + "|".join(_SET_ADVERBS) + r")"
    r"|(?:every|each)\s+(?:other\s+)?(?:(?P<n>\d+|" + "|".join(_SMALL) + r")\s+)?"
    r"(?:" + _UNIT + r"|" + _WD + r"s?|" + _MON + r")"
    r"|(?:(?:once|twice|\w+ times)\s+(?:a|an|per)|per)\s+" + _UNIT.replace("?P<unit>", "?P<u2>")
)
def _h_set(m: re.Match[str], c: _Ctx) -> _Found:
    if m["adv"]:
        value = _SET_ADVERBS[m["adv"]]
    elif m["mon"]:
        value = f"XXXX-{_MONTHS[m['mon'][:3]]:02d}"
    elif m["wd"]:
        value = "XXXX-WXX-" + str(_WEEKDAYS[m["wd"][:2]] + 1)
    else:
        unit = _unit_of(m["unit"] or m["u2"])
        value = _duration_value(_num(m["n"]) if m["n"] else 1, unit)
    return _Found("SET", value, None, None, "range")


_DUR_PREFIX = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|some|more than|over|less than"
    r"|under|at least|at most|no more than|not more than|no less than|fewer than|up to|just"
    r"|only|a further|another|an additional|the|a full|full|fully|the first|the last|the next"
    r"|the past|all|a mere|well over|just over|just under|upwards of|barely|scarcely|little more"
    r" than|a little over|a little more than|some|well under|close to|the better part of)\s+)*"
)
#: a word for how the days went, between a number and its unit: "three consecutive days", "five
#: bloody days"
PERIOD_ADJECTIVE = (
    r"(?:consecutive|successive|straight|bloody|deadly|long|fierce|intense|heavy|violent)"
)
#: half a unit more, as TimeML writes it: "two and a half years" is P2Y6M
_HALF = {
    "year": (6, "M", False), "month": (15, "D", False), "week": (84, "H", True),
    "day": (12, "H", True), "hour": (30, "M", True), "minute": (30, "S", True),
}  # fmt: skip


def _half_value(n: int, unit: str) -> str:
    if unit not in _HALF:
        return _duration_value(n, unit)
    amount, code, is_time = _HALF[unit]
    whole = _duration_value(n, unit) if n else ("PT" if unit in ("hour", "minute") else "P")
    if is_time and "T" not in whole:
        return f"{whole}T{amount}{code}"
    return f"{whole}{amount}{code}"


@_pattern(
    _DUR_PREFIX
    + _NUM
    + r"(?P<half1>\s+(?:and a half|1/2|½))?(?:\s+|-)(?:(?:more|additional|further|extra)\s+)?"
    + r"(?:"
    + PERIOD_ADJECTIVE
    + r"\s+)?"
    + _UNIT
    + r"(?P<half2>\s+and a half)?(?:\s+(?:long|straight|running|in a row|of \w+|or so))?"
)
def _h_duration(m: re.Match[str], c: _Ctx) -> _Found:
    unit = _unit_of(m["unit"])
    n = _num(m["n"])
    if n is not None and (m["half1"] or m["half2"]):
        return _Found("DURATION", _half_value(n, unit), None, None, "range")
    return _Found("DURATION", _duration_value(n, unit), None, None, "range")


@_pattern(
    r"(?:in\s+)?(?:the\s+)?(?:recent|coming)\s+(?P<u>days|weeks|months|quarters|years|decades)"
    r"|(?:the\s+)?(?P<u2>days|weeks|months|years)\s+ahead"
)
def _h_recent(m: re.Match[str], c: _Ctx) -> _Found:
    """ "in recent weeks", "the coming months": when, before or after publication, but with no
    dates of their own (TimeML's PAST_REF and FUTURE_REF)."""
    if "recent" in m.group(0):
        return _Found("DATE", "PAST_REF", None, None, "day")
    return _Found("DATE", "FUTURE_REF", None, None, "day")


@_pattern(
    r"(?:(?:many|several|some|a few|for|the)\s+)?"
    r"(?P<u>seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)"
)
def _h_vague_duration(m: re.Match[str], c: _Ctx) -> _Found:
    return _Found("DURATION", _duration_value(None, _unit_of(m["u"])), None, None, "range")


# ---------------------------------------------------------------------------------------------
# Modifiers and ranges wrapped around the shapes above

_MODIFIER = re.compile(
    r"(?:the\s+)?(?P<mod>earlier|later|early|mid|middle|late|the end of|the beginning of"
    r"|the start of|the middle of|the close of|the latter part of|the early part of"
    r"|the first part of|the last part of|the turn of|end|beginning|start|the first half of"
    r"|the second half of"
    r"|the first week of|the last week of|the second week of|the third week of"
    r"|the fourth week of|the first days of|the last days of|the final days of|the last half of)"
    r"(?:\s*-\s*|\s+)(?P<rest>.+)"
)
_MOD_KIND = {
    "early": "early", "beginning": "early", "start": "early", "the beginning of": "early",
    "the start of": "early", "the early part of": "early", "the first part of": "early",
    "the first days of": "early", "the turn of": "early",
    "mid": "mid", "middle": "mid", "the middle of": "mid",
    "late": "late", "end": "late", "the end of": "late", "the close of": "late",
    "the latter part of": "late", "the last part of": "late", "the last days of": "late",
    "the final days of": "late",
    "earlier": "earlier", "later": "later",
    "the first half of": "h1", "the second half of": "h2", "the last half of": "h2",
    "the first week of": "w1", "the second week of": "w2", "the third week of": "w3",
    "the fourth week of": "w4", "the last week of": "wl",
}  # fmt: skip


def _part_of(found: _Found, kind: str, pub: date) -> _Found | None:
    start, end = found.start, found.end
    if start is None or end is None:
        return found
    if found.precision == "day":
        return found  # "early Thursday", "late Friday": still that day
    if kind in ("earlier", "later"):
        # "earlier this month", "later this year": the part before or after publication
        if not start <= pub <= end:
            return None
        if kind == "earlier":
            return found._replace(end=pub, precision="range")
        return found._replace(start=pub, precision="range", future=True)
    if found.precision == "month":
        if kind in ("w1", "w2", "w3", "w4", "wl"):
            first = end.day - 6 if kind == "wl" else 1 + 7 * (int(kind[1]) - 1)
            return found._replace(
                start=start.replace(day=first),
                end=start.replace(day=min(first + 6, end.day)),
                precision="range",
            )
        bounds = {
            "early": (1, 10),
            "mid": (11, 20),
            "late": (21, end.day),
            "h1": (1, 15),
            "h2": (16, end.day),
        }
        lo, hi = bounds[kind]
        return found._replace(
            start=start.replace(day=lo), end=start.replace(day=hi), precision="range"
        )
    if found.precision == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "h1": (1, 6), "h2": (7, 12)}
        if kind not in months:
            return None
        lo, hi = months[kind]
        return found._replace(
            start=date(start.year, lo, 1), end=_month_end(start.year, hi), precision="range"
        )
    if kind not in ("early", "mid", "late", "h1", "h2"):
        return None
    if found.value and len(found.value) == 3 and found.value.isdigit():
        # a decade: "the early 1990s" 1990-93, "the mid-1990s" 1994-96, "the late 1990s" 1997-99
        years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9), "h1": (0, 4), "h2": (5, 9)}[kind]
        return found._replace(
            start=date(start.year + years[0], 1, 1),
            end=date(start.year + years[1], 12, 31),
            precision="range",
        )
    # a week, a decade, a quarter, a season: its first, middle or last third (or half)
    days = (end - start).days + 1
    if days < 3:
        return found  # "late weekend": too short to split
    third = days // 3
    if kind == "h1":
        return found._replace(end=start + timedelta(days=days // 2 - 1), precision="range")
    if kind == "h2":
        return found._replace(start=start + timedelta(days=days // 2), precision="range")
    lo = {"early": 0, "mid": third, "late": days - third}[kind]
    hi = {"early": third - 1, "mid": days - third - 1, "late": days - 1}[kind]
    return found._replace(
        start=start + timedelta(days=lo), end=start + timedelta(days=hi), precision="range"
    )


_SINCE = re.compile(r"(?:ever\s+)?since\s+(?P<rest>.+)")
_PART_FIRST = re.compile(
    r"(?:(?:at|in|by)\s+)?(?:the\s+)?(?:(?:early|late)\s+|mid(?!night)[\s-]?)?"
    + _PART
    + r"\s+(?:of\s+|on\s+)?(?P<rest>.+)"
)
_YEAR_FIRST = re.compile(
    r"(?:the\s+)?(?P<y>\d{4}|last year|this year|next year)(?:'s)?\s+"
    r"(?P<rest>(?:first|second|third|fourth|final|1st|2nd|3rd|4th)(?:\s+|-)(?:fiscal\s+)?"
    r"(?:quarter|half))"
)
_YEAR_END = re.compile(r"(?:the\s+)?year(?:-|\s+|'s\s+)end")
_THE_PERIOD = re.compile(r"^(?:of )?the (week|month|year)$")
_RANGE = re.compile(
    r"(?:(?P<from>from|between)\s+)?(?P<a>.+?)\s*(?:\s(?P<conn>to|through|thru|until|till|and)\s|-|/)"
    r"\s*(?P<b>.+)"
)
_LEADING = re.compile(
    r"(?:on|in|at|during|by|over|of|as of|around|about|circa|approximately|sometime|some time"
    r"|for|within|throughout|through|as early as|as late as|as recently as|from|starting|beginning"
    r"|until|till|up to|ca\.|c\.)\s+"
)
_AGE = re.compile(r"\bold\b|year-old|\bage\b|\baged\b")
_SPACES = re.compile(r"\s+")
_TRANSLATE = str.maketrans(
    {"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " "}
)
_ZONE = re.compile(
    r"\s*(?:local time|local|gmt|utc|[ecmp][sd]t|bst|cet|cest|eet|eest|ist|jst|msk|et|pt|ct|mt"
    r"|hours|hrs|o'clock)\b"
)
_GLUE = re.compile(
    r"^(?:at|on|around|about|in the|the|(?:just |shortly |soon )?(?:after|before))(?:\s+|$)"
    r"|\s+(?:at|on|around|about)$"
)


_ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip
_ORDINAL_WORDS = {w: i for i, w in enumerate(_ORDINALS, 1)}
_ORDINAL_WORDS.update({f"twenty-{w}": 20 + i for w, i in list(_ORDINAL_WORDS.items())[:9]})
_ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31})
_ORDINAL = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
_MON_PLAIN = _MON.replace("?P<mon>", "?:")
_DAY_WORD = re.compile(
    r"\b(" + _MON_PLAIN + r" )(?:the )?(" + _ORDINAL + r")\b"
    r"|\b(?:the )?(" + _ORDINAL + r") of (?=" + _MON_PLAIN + r")"
)
_TWO_DIGITS = "|".join(
    sorted(
        (
            w
            for w, v in _NUMBERS.items()
            if (v is not None and 10 <= v < 100 and "-" in w) or w in _TENS or w in _SMALL[10:]
        ),
        key=len,
        reverse=True,
    )
)
_SPOKEN_YEAR = re.compile(
    r"\b(nineteen|twenty|eighteen) (?:hundred(?: and)? )?("
    + _TWO_DIGITS
    + r"|oh[ -](?:"
    + "|".join(_SMALL[1:10])
    + r"))\b|\btwo thousand(?: and)?(?: ("
    + "|".join(_SMALL[1:20])
    + r"))?\b"
)


def _spoken_year(m: re.Match[str]) -> str:
    if m.group(0).startswith("two thousand"):
        return str(2000 + (_NUMBERS[m[3]] or 0 if m[3] else 0))
    century = {"eighteen": 18, "nineteen": 19, "twenty": 20}[m[1]]
    rest = m[2].replace("oh-", "").replace("oh ", "")
    return str(century * 100 + (_NUMBERS[rest] or 0))


def _day_word(m: re.Match[str]) -> str:
    if m[1]:
        return m[1] + str(_ORDINAL_WORDS[m[2]])
    return f"{_ORDINAL_WORDS[m[3]]} of "


def _normalize(text: str) -> str:
    s = _SPACES.sub(" ", text.translate(_TRANSLATE).lower()).strip(' ,;:!?"()[]')
    if s.endswith("'s"):
        s = s[:-2]
    s = s.rstrip("'.").strip()
    if not any(ch.isdigit() for ch in s) and (
        "teen" in s
        or "th" in s
        or "first" in s
        or ("second" in s or "third" in s or "thousand" in s)
    ):
        # transcripts spell dates out: "March eighth", "nineteen ninety-six"
        s = _SPOKEN_YEAR.sub(_spoken_year, s)
        s = _DAY_WORD.sub(_day_word, s)
    return s


def _core(s: str, c: _Ctx) -> _Found | None:
    found = _ref(s, c.pub)
    if found:
        return found
    for pattern, handler in _HANDLERS:
        m = pattern.fullmatch(s)
        if m:
            found = handler(m, c)
            if found is not None:
                return found
    return None


def _clock(s: str, c: _Ctx, depth: int) -> _Found | None:
    """ "9:30 p.m. local time", "Thursday at 9:30 p.m.": a TIME, on a day when one is named."""
    m = _CLOCK.search(s)
    if m is None:
        return None
    if m["named"]:
        hh, mm = (0, 0) if m["named"] == "midnight" else (12, 0)
    elif m["h24"]:
        hh, mm = int(m["h24"]), int(m["m24"])
    else:
        hh, mm = int(m["h"]) % 12, int(m["m"] or 0)
        if m["ap"].startswith("p"):
            hh += 12
    if hh > 23 or mm > 59:
        return None
    clock = f"T{hh:02d}:{mm:02d}"
    after = s[m.end() :]
    zone = _ZONE.match(after)
    if zone:
        after = after[zone.end() :]
    rest = _SPACES.sub(" ", f"{s[: m.start()]} {after}").strip(" ,")
    for _ in range(2):
        rest = _GLUE.sub("", rest).strip(" ,")
    if not rest:
        return _Found("TIME", clock, None, None, "day")
    day = _resolve(rest, c, depth + 1)
    if day is None or day.precision != "day" or day.start is None:
        return None
    return day._replace(type="TIME", value=f"{day.start.isoformat()}{clock}")


def _resolve(s: str, c: _Ctx, depth: int = 0) -> _Found | None:
    if depth > 5 or not s:
        return None
    found = _core(s, c)
    if found is not None:
        return found
    m = _SINCE.fullmatch(s)
    if m:
        # "since" looks back whatever the clause's tense
        inner = _resolve(m["rest"], c._replace(forward=False), depth + 1)
        if inner is None or inner.type not in ("DATE", "TIME") or inner.start is None:
            return None
        return _Found("DATE", inner.value, inner.start, max(c.pub, inner.start), "range", True)
    m = _PART_FIRST.fullmatch(s)
    if m:
        # "mid-afternoon yesterday", "the night of Jan. 28": that day's part
        day = _resolve(m["rest"], c, depth + 1)
        if day is not None and day.type == "DATE" and day.precision == "day" and day.start:
            return day._replace(type="TIME", value=f"{day.start.isoformat()}T{_PARTS[m['part']]}")
    m = _YEAR_FIRST.fullmatch(s)
    if m:
        # "this year's third quarter", "the 1988 second quarter": of that year
        return _resolve(f"the {m['rest']} of {m['y']}", c, depth + 1)
    if _YEAR_END.fullmatch(s):
        return _resolve("the end of this year", c, depth + 1)
    m = _MODIFIER.fullmatch(s)
    if m:
        # "the end of the month": of this one
        rest = _THE_PERIOD.sub(r"this \1", m["rest"])
        base = _resolve(rest, c, depth + 1)
        if base is not None and base.type == "DATE":
            kind = _MOD_KIND[m["mod"]]
            part = _part_of(base, kind, c.pub)
            if (
                part is not None
                and part.yearless
                and part.start
                and part.start > c.pub
                and not c.forward
            ):
                # "late January" read in mid-January: last year's late January
                last_year = c._replace(pub=date(c.pub.year - 1, 12, 31))
                earlier = _resolve(m["rest"], last_year, depth + 1)
                part = _part_of(earlier, kind, c.pub) if earlier else None
            if part is not None and part.start is not None and part.start > c.pub:
                # "the end of this week" read on a Monday: later than publication, as said
                part = part._replace(future=True)
            if part is not None:
                return part
    m = _LEADING.match(s)
    if m:
        found = _resolve(s[m.end() :], c, depth + 1)
        if found is not None:
            return found
    if _CLOCK.search(s):
        found = _clock(s, c, depth)
        if found is not None:
            return found
    m = _RANGE.fullmatch(s)
    if m and (m["conn"] != "and" or m["from"] == "between"):
        return _range(m, c, depth)
    return None


def _range(m: re.Match[str], c: _Ctx, depth: int) -> _Found | None:
    """ "Jan. 28 to Feb. 2", "between 2019 and 2023": from the start of one to the other's end."""
    a = _resolve(m["a"], c, depth + 1)
    if a is None or a.type != "DATE" or a.start is None:
        return None
    b = _resolve(m["b"], c, depth + 1)
    if b is None or b.type != "DATE" or b.end is None:
        return None
    year = m["b"][-4:]
    if a.yearless and year.isdigit() and not b.yearless:
        # "Dec. 30 to Jan. 2, 2024": the year written at the end belongs to both ends
        a_year = _resolve(f"{m['a']} {int(year) - (1 if a.start > b.end else 0)}", c, depth + 1)
        a = a_year or a
    if a.start is None or a.start > b.end:
        return None
    return _Found(
        "DATE",
        f"{a.value}/{b.value}",
        a.start,
        b.end,
        "range",
        a.relative or b.relative,
        a.future or b.future,
        on_anchor=a.on_anchor or b.on_anchor,
    )


# ---------------------------------------------------------------------------------------------
# dateparser, for absolute dates our patterns do not read

_HAS_YEAR = re.compile(r"\b(?:1[5-9]|2\d)\d{2}\b")
# worth asking dateparser only when the words look like a written date: numbers joined by dots,
# slashes or dashes, or a month name, beside the year ("28.01.2024", "the 28th of January 2024")
_DATE_SHAPE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\b" + _MON)
_dateparser_unavailable = False


@lru_cache(maxsize=1)
def _date_data_parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


def _absolute_fallback(text: str) -> _Found | None:
    global _dateparser_unavailable
    if _dateparser_unavailable or not _HAS_YEAR.search(text) or not _DATE_SHAPE.search(text):
        return None
    try:
        data = _date_data_parser().get_date_data(text)
    except ImportError:
        _dateparser_unavailable = True
        log.info("dateparser is not installed: absolute dates in unusual formats stay unresolved")
        return None
    except Exception:  # dateparser raises assorted errors on odd input; none is ours to surface
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return _year(d.year)
    if period == "month":
        return _month(d.year, d.month)
    if period == "week":
        return _week(d, relative=False)
    return _day(d)


# ---------------------------------------------------------------------------------------------
# Public API

#: stands in for a missing publication date while a relative expression is read, so that its
#: type and precision are known; its dates are then dropped
_PLACEHOLDER = date(2000, 6, 15)


@lru_cache(maxsize=8192)
def _cached(s: str, pub: date | None, anchor: date | None, forward: bool) -> _Found | None:
    try:
        found = _resolve(s, _Ctx(pub or _PLACEHOLDER, anchor, forward))
    except (ValueError, OverflowError):
        return None  # a date before year 1 or after 9999: not a date eventwire can write
    if found is None:
        return _absolute_fallback(s)
    if found.start is not None and found.end is not None and found.start > found.end:
        return None
    if pub is None and found.relative and not found.on_anchor:
        keep = found.value if found.value and found.value.endswith("_REF") else None
        return found._replace(value=keep, start=None, end=None)
    if (
        pub is not None
        and found.relative
        and not found.future
        and found.start is not None
        and found.end is not None
        and found.start <= pub < found.end
    ):
        # a past period that runs on past publication ("this week"): it ends on publication
        found = found._replace(end=pub)
    return found


def resolve(
    text: str, published: date | None, *, anchor: date | None = None, forward: bool = False
) -> Resolution | None:
    """The time expression ``text`` read against the publication date ``published``.

    ``anchor`` is the date that anaphoric expressions ("the next day", "two days later") count
    from, usually the last day-precise date the text named; without it they stay unresolved.
    ``forward`` says the expression's clause looks ahead ("talks will resume Monday", "the offer
    is to expire Nov. 21"): a bare weekday, a month or a day without a year is then the next one
    after publication rather than the latest one on or before it. Without it (news reports the
    past) a relative date that does not itself look forward is never after publication.
    Returns None when the words are not a time expression eventwire reads (an age, a holiday).
    """
    s = _normalize(text)
    if not s or _AGE.search(s):
        return None
    found = _cached(s, published, anchor, forward)
    if found is None:
        return None
    return Resolution(
        type=found.type,
        value=found.value,
        date=DateInfo(
            start=found.start, end=found.end, precision=found.precision, text=text.strip()
        ),
        relative=found.relative,
    )
