"""Stage ``dates``: time expressions found in the text and resolved against the publication date.

Candidates come from spaCy's DATE and TIME entities and from patterns of ours for what the small
model misses or cuts short ("since mid-October", "last Friday", "two days ago"). A spaCy span is
widened to take in a word before it that changes its meaning ("since", "early", "late", "last").
Each candidate is read by :func:`eventwire.temporal.resolve`; words it cannot read (an age, "the
10th anniversary") are dropped. Anaphoric expressions ("the next day") count from the last
day-precise date named before them.

:func:`governing_time` tells the events stage which of these dates an event trigger belongs to.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from ..config import Settings
from ..pipeline import register_stage
from ..records import Document, TimeMention
from ..temporal import Resolution, resolve

if TYPE_CHECKING:
    from spacy.tokens import Span

log = logging.getLogger(__name__)

__all__ = ["Dates", "find_times", "governing_time", "make_dates"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMBER = (
    r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few"
    r"|several|a couple of|fifteen|twenty|thirty)"
)
_UNIT = r"(?:hours?|days?|nights?|weeks?|months?|years?|decades?)"
_PART = r"(?:morning|afternoon|evening|night)"
_MOD = (
    r"(?:since|early|mid|late|the end of|the beginning of|the start of|the middle of"
    r"|the first half of|the second half of)"
)

# What spaCy's small model misses or splits. Month names must be capitalized and, alone, follow a
# modifier or carry a day or year, so that "may" and "march" the words are never read as months.
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_SCAN_PARTS = [
    # since / early / mid / late / last / in + month, with or without day and year
    rf"(?:(?i:{_MOD}|last|this|next|in|of)[\s-]+){_MONTH}(?:\s+{_DAY})?(?:,?\s+\d{{4}})?",
    rf"(?:(?i:{_MOD})[\s-]+)?{_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?",
    rf"(?:(?i:{_MOD})[\s-]+)?{_MONTH},?\s+\d{{4}}",
    rf"(?:(?i:{_MOD})[\s-]+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?",
    # weekdays, with "last" or a part of the day
    rf"(?:(?i:since|last|this|next|this past|early|late)\s+)?{_WEEKDAY}(?:\s+(?i:{_PART}))?",
    # deictic days
    rf"(?i:yesterday|today|tonight|tomorrow|last night|this {_PART})(?:\s+(?i:{_PART}))?",
    # calendar periods and spans ending on publication
    r"(?i:(?:since\s+)?(?:earlier|later|early|late)?\s*(?:this|last|next|the past|past)\s+"
    r"(?:week|weekend|month|year))",
    rf"(?i:(?:since\s+|over\s+|in\s+)?the\s+(?:past|last)\s+{_NUMBER}\s+{_UNIT})",
    rf"(?i:{_NUMBER}\s+{_UNIT}\s+(?:ago|earlier|later))",
    rf"(?i:the\s+(?:next|following|previous|same)\s+(?:day|{_PART}))",
    r"(?i:since\s+)?\d{4}-\d{2}-\d{2}",
    # no date of their own, but they say when relative to publication ("recently", "now")
    r"(?i:now|recently|currently|previously|lately|soon|in the (?:past|future))",
]
_SCAN = re.compile(r"\b(?:" + "|".join(_SCAN_PARTS) + r")\b")
# a word before a spaCy span that changes what the span means
_WIDEN = re.compile(
    r"\b(?i:since|early|mid|late|last|this|next|earlier|later|the end of|the beginning of"
    r"|the start of|the middle of)(?:\s*-\s*|\s+)$"
)
_TRIM_END = re.compile(r"(?:['’]s|[\s,;:!?\"'’”)\]])+$")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri"
    r"|Sat|Sun)|\b[ap]\.m)\.$",
    re.IGNORECASE,
)
_TRIM_START = re.compile(r"^[\s,;:\"'“(\[]+")
_LEADING_PREP = re.compile(r"^(?i:in|on|at|during|by|of|over)\s+")
_GAP = re.compile(r"^[\s,]*(?:(?:at|on|around|about|in the)\s+)?$", re.IGNORECASE)


def _candidates(doc: Document) -> Iterator[tuple[int, int]]:
    text = doc.text
    parsed = doc.doc
    if parsed is not None:
        for ent in parsed.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            start, end = ent.start_char, ent.end_char
            yield start, end
            widen = _WIDEN.search(text, max(0, start - 24), start)
            if widen:
                yield widen.start(), end
    for m in _SCAN.finditer(text):
        yield m.start(), m.end()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = _TRIM_START.match(piece)
    if lead:
        start += lead.end()
        piece = piece[lead.end() :]
    prep = _LEADING_PREP.match(piece)
    if prep and prep.end() < len(piece):
        start += prep.end()
        piece = piece[prep.end() :]
    tail = _TRIM_END.search(piece)
    if tail and tail.start() > 0:
        end = start + tail.start()
        piece = piece[: tail.start()]
    if piece.endswith(".") and not _ABBREVIATION_END.search(piece):
        end -= 1
    return start, end


def _mention(text: str, start: int, end: int, res: Resolution) -> TimeMention:
    return TimeMention(
        text=text[start:end], start=start, end=end, type=res.type, value=res.value, date=res.date
    )


def find_times(doc: Document) -> list[TimeMention]:
    """Every time expression of the article that eventwire reads, in text order."""
    text = doc.text
    published = doc.article.published
    found: dict[tuple[int, int], Resolution] = {}
    for raw_start, raw_end in _candidates(doc):
        start, end = _trim(text, raw_start, raw_end)
        if end <= start or (start, end) in found:
            continue
        res = resolve(text[start:end], published)
        if res is not None:
            found[(start, end)] = res
    # overlapping readings: the longest wins ("since mid-October" over "mid-October")
    chosen: list[tuple[int, int]] = []
    for span in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= s[0] or span[0] >= s[1] for s in chosen):
            chosen.append(span)
    chosen.sort()
    merged = _merge_adjacent(text, chosen, found, published)
    return _anchor(text, merged, published)


def _merge_adjacent(
    text: str,
    spans: list[tuple[int, int]],
    found: dict[tuple[int, int], Resolution],
    published: date | None,
) -> list[tuple[int, int, Resolution]]:
    """Join a day and a clock time split in two ("Thursday", "9:30 p.m.") when they read as one."""
    out: list[tuple[int, int, Resolution]] = []
    for start, end in spans:
        res = found[(start, end)]
        if out:
            p_start, p_end, p_res = out[-1]
            if (
                "TIME" in (p_res.type, res.type)
                and p_res.type in ("DATE", "TIME")
                and res.type in ("DATE", "TIME")
                and _GAP.match(text[p_end:start])
            ):
                joined = resolve(text[p_start:end], published)
                if joined is not None and joined.type == "TIME" and joined.value:
                    out[-1] = (p_start, end, joined)
                    continue
        out.append((start, end, res))
    return out


def _anchor(
    text: str, spans: list[tuple[int, int, Resolution]], published: date | None
) -> list[TimeMention]:
    """Mentions in order, anaphoric ones ("the next day") read from the last day named before."""
    mentions = []
    anchor: date | None = None
    for start, end, res in spans:
        if res.relative and anchor is not None:
            res = resolve(text[start:end], published, anchor=anchor) or res
        mentions.append(_mention(text, start, end, res))
        d = res.date
        if d.precision == "day" and d.start is not None and res.value and "REF" not in res.value:
            anchor = d.start
    return mentions


class Dates:
    """Fills ``doc.times``; stateless, so one instance serves every article."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Document) -> Document:
        if doc.doc is None:
            return doc
        doc.times = find_times(doc)
        return doc


@register_stage("dates", reads=("doc",), writes=("times",))
def make_dates(settings: Settings) -> Dates:
    """Find time expressions and resolve them against the publication date."""
    return Dates(settings)


# ---------------------------------------------------------------------------------------------
# Which date an event belongs to


def _can_date_an_event(m: TimeMention) -> bool:
    if m.value is not None and m.value.endswith("_REF"):
        return False  # "recently", "now": no date of its own
    if m.type == "SET":
        return False
    if m.date is not None and m.date.start is not None:
        return True
    # a day or period we could not place (no publication date, no anchor): still the event's time
    return m.type == "DATE"


def governing_time(doc: Document, token_i: int) -> TimeMention | None:
    """The time expression that dates the event whose trigger is spaCy token ``token_i``.

    First a date attached to the trigger or to a word above it in the parse (through "on", "in",
    "since", or as "last Friday" directly), the nearest level winning, or one whose "when" clause
    holds the trigger ("last Friday, when they launched strikes"); else the nearest date in the
    same sentence; else None, and the caller falls back to the dateline or the publication date.
    Durations ("for two hours"), frequencies, bare clock times and "recently" never date an event.
    A returned mention may have start = end = None: a date the text gives but that could not be
    resolved (no publication date).
    """
    parsed = doc.doc
    if parsed is None or not doc.times or not 0 <= token_i < len(parsed):
        return None
    trigger = parsed[token_i]
    sent = trigger.sent
    in_sentence = [
        m
        for m in doc.times
        if sent.start_char <= m.start and m.end <= sent.end_char and _can_date_an_event(m)
    ]
    if not in_sentence:
        return None
    chain = [trigger, *trigger.ancestors]
    level = {t.i: k for k, t in enumerate(chain)}
    best: tuple[tuple[int, int, int, int], TimeMention] | None = None
    for m in in_sentence:
        span = parsed.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        other_clause, k = _attachment(span, level)
        precise = 0 if m.date is not None and m.date.start is not None else 1
        distance = min(abs(t.i - token_i) for t in span)
        # same clause first, the lowest level of the parse winning; then nearest in the sentence
        key = (1, 0, precise, distance) if other_clause else (0, k, precise, distance)
        if best is None or key < best[0]:
            best = (key, m)
    return best[1] if best else None


# dependencies that open another clause: a date below one belongs to that clause's event
_CLAUSE_DEPS = frozenset({"relcl", "ccomp", "advcl", "csubj", "csubjpass", "parataxis", "conj"})


def _attachment(span: Span, level: dict[int, int]) -> tuple[bool, int]:
    """Where a time span meets the trigger's head chain: (through another clause?, chain level)."""
    inside = [level[t.i] for t in span if t.i in level]
    if inside:
        # the trigger's clause hangs from the time itself: "last Friday, when they launched ..."
        return False, min(inside)
    crossed = False
    token = span.root
    while token.i not in level:
        if token.dep_ in _CLAUSE_DEPS:
            crossed = True
        if token.head.i == token.i:
            return True, len(level)
        token = token.head
    return crossed, level[token.i]
