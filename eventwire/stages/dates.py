"""Stage ``dates``: time expressions found in the text and resolved against the publication date.

Candidates come from spaCy's DATE and TIME entities and from patterns of ours for what the small
model misses or cuts short ("since mid-October", "last Friday", "two days ago"). A spaCy span is
widened to take in a word before it that changes its meaning ("since", "early", "late", "last").
Each candidate is read by :func:`eventwire.temporal.resolve`; words it cannot read (an age, "the
10th anniversary") and frequency adjectives before a noun ("quarterly dividend") are dropped.
Anaphoric expressions ("the next day") count from the last day-precise date named before them, and
so does a bare clock time ("at 9:30 p.m."; else publication day), which dates no event.

Direction comes from the clause (:func:`clause_tense`): in the past tense, and for a date on a
noun, the contract's reading holds (the latest such day or month not after publication); in a
clause that looks ahead ("will resume Monday", "is scheduled to close Nov. 21") undirected dates
read forward; in the present tense ("the rights expire Nov. 21") a day or month without a year
reads forward only when its past reading would be more than half a year back and the next one
less than half as far, since news writes last year's dates with their year.

:func:`governing_time` tells the events stage which of these dates an event trigger belongs to.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Literal

from ..config import Settings
from ..numbers import SMALL, TENS
from ..pipeline import register_stage
from ..records import DateInfo, Document, TimeMention
from ..temporal import PERIOD_ADJECTIVE, Resolution, duration_days, resolve

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

__all__ = ["Dates", "find_times", "governing_time", "make_dates"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMBER_WORD = (
    r"(?:(?:"
    + "|".join(TENS)
    + r")(?:[\s-](?:"
    + "|".join(SMALL[1:10])
    + r"))?|"
    + "|".join(sorted(SMALL, key=len, reverse=True))
    + ")"
)
_NUMBER = (
    r"(?:\d{1,3}(?:\.\d+)?(?:\s+1/2)?|a few|few|several|a couple of|a dozen|"
    + _NUMBER_WORD
    + r")(?:\s+and\s+a\s+half)?"
)
_UNIT = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|quarters?|years?|decades?)"
_DURATION_PREFIX = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|more than|over|less than|under"
    r"|at least|at most|no more than|up to|just|only|a further|another|an additional|a full"
    r"|the first|the last|the next|the past|the)\s+)*"
)
_DURATION_PREFIX_SOME = _DURATION_PREFIX[:-1] + "+"
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
    # the end of the current period
    r"(?i:(?:the\s+)?end\s+of\s+the\s+(?:week|month|year)|(?:the\s+)?year(?:-|\s+|'s\s+)end)",
    # periods that say when without a date of their own
    r"(?i:the\s+(?:near\s+|distant\s+)?future(?!\s+of\b)|the\s+(?:near|short|long)\s+term"
    r"|(?:in\s+)?recent\s+(?:days|weeks|months|years|decades)"
    r"|(?:the\s+)?coming\s+(?:days|weeks|months|years)"
    r"|the\s+(?:days|weeks|months|years)\s+ahead)",
    rf"(?i:the\s+(?:next|following|previous|same)\s+(?:day|{_PART}))",
    r"(?i:since\s+)?\d{4}-\d{2}-\d{2}",
    # no date of their own, but they say when relative to publication ("recently", "now")
    r"(?i:now|recently|currently|lately|soon|in the past|current|recent)",
]
_SCAN = re.compile(r"\b(?:" + "|".join(_SCAN_PARTS) + r")\b")
# Counted periods ("the past two weeks", "three days ago", "at least 20 more years"): their long
# alternations of number words are slow to try at every word of a text, so they are tried only
# near a unit word, in a window that reaches far enough back for "no more than twenty-five".
_COUNTED_PARTS = [
    rf"(?i:(?:since\s+|over\s+|in\s+)?the\s+(?:past|last)\s+{_NUMBER}\s+{_UNIT})",
    rf"(?i:(?:a|an|{_NUMBER})\s+{_UNIT}(?:\s+or\s+so)?\s+(?:ago|earlier|later))",
    # durations: "two and a half years", "at least 20 more years", "a two-day rally"; "a year"
    # alone is more often a rate ("$2 a year") than a duration, so it needs a word before it
    rf"(?i:(?:{_DURATION_PREFIX}{_NUMBER}|{_DURATION_PREFIX_SOME}(?:a|an))"
    rf"(?:\s+|-(?!quarter))(?:(?:more|additional|further)\s+)?(?:{PERIOD_ADJECTIVE}\s+)?{_UNIT}"
    r"(?:\s+and\s+a\s+half)?(?:\s+or\s+(?:so|two|three))?(?:\s+(?:ago|earlier|later))?)"
    r"(?![\s-]+old\b|-)",
]
_COUNTED = re.compile(r"\b(?:" + "|".join(_COUNTED_PARTS) + r")\b")
_UNIT_WORD = re.compile(
    r"\b(?i:second|minute|hour|day|night|week|month|quarter|year|decade|centur)", re.ASCII
)
_REACH_BACK, _REACH_ON = 80, 32
# a word before a spaCy span that changes what the span means
_WIDEN = re.compile(
    r"\b(?i:since|early|mid|late|last|this|next|earlier|later|the end of|the beginning of"
    r"|the start of|the middle of|each|every)(?:\s*-\s*|\s+)$"
)
_TRIM_END = re.compile(r"(?:['’]s|[\s,;:!?\"'’”)\]])+$")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri"
    r"|Sat|Sun)|\b[ap]\.m)\.$",
    re.IGNORECASE,
)
_TRIM_START = re.compile(r"^[\s,;:\"'“(\[]+")
# "at least" and "over" before a number are part of the expression ("at least 20 years", "over a
# week"), not the preposition before it
_LEADING_PREP = re.compile(
    r"^(?i:in|on|at(?!\s+(?:least|most)\b)|during|by|of|over(?!\s+(?:a|an|\d|one|two|three)\b))\s+"
)
# words at the edges of a spaCy entity that are not part of a time expression ("both 1990 and")
_ENT_EDGES = re.compile(r"^(?i:(?:both|either|from|between)\s+)?(.*?)(?:\s+(?i:and|or|to))?$")
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
            edges = _ENT_EDGES.fullmatch(ent.text)
            if edges and edges.group(1) != ent.text:
                yield start + edges.start(1), start + edges.end(1)
            widen = _WIDEN.search(text, max(0, start - 24), start)
            if widen:
                yield widen.start(), end
    for m in _SCAN.finditer(text):
        yield m.start(), m.end()
    for lo, hi in _unit_windows(text):
        for m in _COUNTED.finditer(text, lo, hi):
            yield m.start(), m.end()


def _unit_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around unit words ("days", "years"), overlapping ones merged."""
    windows: list[tuple[int, int]] = []
    for m in _UNIT_WORD.finditer(text):
        lo, hi = max(0, m.start() - _REACH_BACK), min(len(text), m.end() + _REACH_ON)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


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
        if res is not None and not (res.type == "SET" and _modifies_noun(doc, start, end)):
            found[(start, end)] = res
    # overlapping readings: the longest wins ("since mid-October" over "mid-October")
    chosen: list[tuple[int, int]] = []
    for span in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= s[0] or span[0] >= s[1] for s in chosen):
            chosen.append(span)
    chosen.sort()
    merged = _merge_adjacent(text, chosen, found, published)
    return _anchor(doc, merged, published)


def _modifies_noun(doc: Document, start: int, end: int) -> bool:
    """A frequency adjective before a noun ("quarterly dividend", "annual meeting", "daily
    flights") describes the thing, not when anything in the text happens."""
    if doc.doc is None:
        return False
    span = doc.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and len(span) == 1 and span[0].dep_ == "amod"


def _merge_adjacent(
    text: str,
    spans: list[tuple[int, int]],
    found: dict[tuple[int, int], Resolution],
    published: date | None,
) -> list[tuple[int, int, Resolution]]:
    """Join a day and a clock time split in two ("Thursday", "9:30 p.m.") or a weekday and its
    date ("Friday", "Oct. 13") when together they read as one."""
    out: list[tuple[int, int, Resolution]] = []
    for start, end in spans:
        res = found[(start, end)]
        if out:
            p_start, p_end, p_res = out[-1]
            if (
                p_res.type in ("DATE", "TIME")
                and res.type in ("DATE", "TIME")
                and p_res.date.precision == "day"
                and res.date.precision == "day"
                and _GAP.match(text[p_end:start])
            ):
                joined = resolve(text[p_start:end], published)
                if (
                    joined is not None
                    and joined.value
                    and joined.date.precision == "day"
                    and ("TIME" in (p_res.type, res.type)) == (joined.type == "TIME")
                ):
                    out[-1] = (p_start, end, joined)
                    continue
        out.append((start, end, res))
    return out


def _anchor(
    doc: Document, spans: list[tuple[int, int, Resolution]], published: date | None
) -> list[TimeMention]:
    """Mentions in order, anaphoric ones ("the next day") read from the last day named before,
    and undirected ones ("Monday", "Nov. 21") read forward in a clause that looks forward."""
    text = doc.text
    mentions = []
    anchor: date | None = None
    for start, end, res in spans:
        if res.relative:
            tense = clause_tense(doc.doc, start, end) if doc.doc is not None else None
            if anchor is not None or tense != "past":
                res = _reading(text[start:end], published, anchor, tense) or res
        if _bare_clock(res):
            # "at 9:30 p.m.": on the day last named, else on publication day (TimeML's reading)
            day = anchor or published
            if day is not None:
                res = _on_day(res, day)
        elif (
            res.date.precision == "day"
            and res.date.start is not None
            and res.value
            and "REF" not in res.value
        ):
            anchor = res.date.start
        mentions.append(_mention(text, start, end, res))
    return mentions


def _bare_clock(res: Resolution) -> bool:
    """A clock time without a day of its own ("at 9:30 p.m.", value "T21:30")."""
    return res.type == "TIME" and res.value is not None and res.value.startswith("T")


def _on_day(res: Resolution, day: date) -> Resolution:
    info = DateInfo(start=day, end=day, precision="day", text=res.date.text)
    return Resolution(type="TIME", value=f"{day.isoformat()}{res.value}", date=info, relative=True)


# dependencies by which a time expression hangs from the verb it dates ("resume on Monday",
# "close Monday", "expire in early November", "is payable Dec. 15")
_TIME_DEPS = frozenset(
    {"pobj", "prep", "npadvmod", "advmod", "tmod", "nummod", "compound", "pcomp", "acomp", "attr"}
)
_WILL = frozenset({"will", "shall", "'ll", "wo", "’ll"})
Tense = Literal["past", "present", "future"]


def _auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _finite_tense(verb: Token) -> Tense | None:
    """The tense of a finite verb with its auxiliaries; None for an infinitive or participle."""
    aux = _auxiliaries(verb)
    words = {a.lower_ for a in aux}
    if words & _WILL or ("would" in words and "have" not in words):
        # "would" looks forward from a past report ("said it would resume talks Monday")
        return "future"
    tags = {verb.tag_, *(a.tag_ for a in aux)}
    if "VBD" in tags or ({"have", "has"} & words and verb.tag_ == "VBN"):
        return "past"  # "attacked", "was attacked", "has attacked", "had attacked"
    if tags & {"VBZ", "VBP", "MD"}:
        return "present"
    return None


def clause_tense(parsed: Doc, start: int, end: int) -> Tense | None:
    """The tense of the clause that the time expression at ``[start, end)`` dates: the verb it
    hangs from ("talks will resume on Monday": future), or for an infinitive the finite verb
    above it ("the deal is scheduled to close Monday": present, "it planned to ...": past).
    None when the expression dates a noun ("the attack on Monday", "a June agreement") or no
    finite verb is found."""
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    while token.pos_ not in ("VERB", "AUX"):
        if token.dep_ not in _TIME_DEPS or token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ not in ("ADP", "ADJ", "VERB", "AUX") and not span.start <= token.i < span.end:
            return None
    tense = _finite_tense(token)
    if tense is not None:
        return tense
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children):
        return None
    for up in token.ancestors:
        if up.pos_ in ("VERB", "AUX"):
            tense = _finite_tense(up)
            if tense is not None:
                return "future" if tense == "present" else tense
    return None


#: a day or month without a year in a clause that is not in the past tense is taken as the next
#: one rather than the latest when the latest is further back than this and the next is less
#: than half as far:
#: news names last year's dates with their year ("the rights expire Nov. 21", "payable Dec. 7" in
#: a late-October article are this year's, not last year's)
_PRESENT_FORWARD_DAYS = 183


def _reading(
    text: str, published: date | None, anchor: date | None, tense: Tense | None
) -> Resolution | None:
    res = resolve(text, published, anchor=anchor)
    if tense == "past" or published is None:
        return res
    ahead = resolve(text, published, anchor=anchor, forward=True)
    if tense == "future" or res is None or ahead is None:
        return ahead or res
    # present tense, or a date on a noun ("payable Dec. 7", "holders of record Nov. 22"): forward
    # only when the past reading is implausibly far back
    back, forth = res.date.start, ahead.date.start
    if back is None or forth is None or back == forth:
        return res
    behind, ahead_by = (published - back).days, (forth - published).days
    if behind > _PRESENT_FORWARD_DAYS and 2 * ahead_by <= behind:
        return ahead
    return res


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
    if m.type == "TIME":
        own = resolve(m.text, None)
        if own is None or _bare_clock(own):
            return False  # "at 9:30 p.m.": its day is only borrowed from another expression
    if m.date is not None and m.date.start is not None:
        return True
    # a day or period we could not place (no publication date, no anchor): still the event's time
    return m.type == "DATE"


#: prepositions that make a duration the span a toll or a count covers ("in 2 weeks", "within 27
#: days", "over three months"), not how long one act lasted ("a 3-hour battle")
PERIOD_PREPS = frozenset({"in", "within", "over", "during", "throughout", "across"})


def period_days(doc: Document, token_i: int) -> float | None:
    """The longest period, in days, that a duration in token ``token_i``'s clause says its words
    cover ("In 2 weeks, gunmen claimed 28 lives": 14), or None."""
    parsed = doc.doc
    if parsed is None or not doc.times or not 0 <= token_i < len(parsed):
        return None
    tok = parsed[token_i]
    sent = tok.sent
    # the period must hang from the word or a word above it in its clause: in "the killing of 8
    # raises to 44 the number of casualties in 5 days" the days are the total's, not the killing's
    path = {tok.i}
    node = tok
    while node.dep_ != "ROOT" and node.pos_ not in ("VERB", "AUX"):
        node = node.head
        path.add(node.i)
    longest: float | None = None
    for m in doc.times:
        if m.type != "DURATION" or not (sent.start_char <= m.start and m.end <= sent.end_char):
            continue
        span = parsed.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        prep = span.root if span.root.lower_ in PERIOD_PREPS else span.root.head
        governor = prep.head
        if governor.dep_ == "conj" and governor.head.i in path and governor.head.pos_ == "VERB":
            governor = governor.head  # "left 350 dead and wounded in 5 days": shared by both
        if prep.lower_ not in PERIOD_PREPS or governor.i not in path:
            continue
        days = duration_days(m.value)
        if days is not None and (longest is None or days > longest):
            longest = days
    return longest


def opening_period(doc: Document, sent: Span) -> float | None:
    """Days of the period a sentence opens with as its topic ("Two months of clashes in Hama…",
    "30 days of the offensive:"): what follows tallies that period. None if it opens otherwise."""
    parsed = doc.doc
    if parsed is None:
        return None
    for m in doc.times:
        if m.type != "DURATION" or m.start != sent.start_char or m.end > sent.end_char:
            continue
        span = parsed.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.end >= sent.end or parsed[span.end].lower_ != "of":
            continue
        return duration_days(m.value)
    return None


#: nouns of a running total: "the number of people killed since March" dates the total only
TOTAL_WORDS = frozenset({"number", "toll", "total", "tally"})


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
        if _dates_a_total(span, level) or _dates_what_came_before(span, level):
            continue
        other_clause, k = _attachment(span, level)
        precise = 0 if m.date is not None and m.date.start is not None else 1
        distance = min(abs(t.i - token_i) for t in span)
        # same clause first, the lowest level of the parse winning; then nearest in the sentence
        key = (1, 0, precise, distance) if other_clause else (0, k, precise, distance)
        if best is None or key < best[0]:
            best = (key, m)
    return best[1] if best else None


def _dates_a_total(span: Span, level: dict[int, int]) -> bool:
    """The time hangs from a running total that the trigger is not part of ("kills 12 and raises
    to 125 the number of people killed since March")."""
    token = span.root
    while token.i not in level and token.head.i != token.i:
        token = token.head
        if token.i not in level and token.lemma_.lower() in TOTAL_WORDS:
            return True
    return False


#: words that open what an incident followed or preceded: "after the patrols' deployment on
#: Saturday, attacks killed 13" is not dated Saturday
_SEQUENCE_WORDS = frozenset({"after", "following"})


def _dates_what_came_before(span: Span, level: dict[int, int]) -> bool:
    """The time stands in an "after ..." phrase or clause that the trigger is not part of (not
    "after May 1" itself: that dates the event)."""
    token = span.root
    while token.i not in level and token.head.i != token.i:
        token = token.head
        if token.i in level:
            break
        if (token.lower_ in _SEQUENCE_WORDS and token.i != span.root.head.i) or any(
            c.dep_ == "mark" and c.lower_ in _SEQUENCE_WORDS for c in token.children
        ):
            return True
    return False


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
