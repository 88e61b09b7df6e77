"""Stage ``places``: find the places an article names and resolve them with the gazetteer.

Mentions come from spaCy's GPE, LOC and FAC entities, from NORP entities that are demonyms
("Iraqi": the country, but not a location), from other entities whose whole text is a country,
division or curated site (the small model often calls "Jordan" a person), and from a gazetteer
lookup over capitalized words that spaCy left untagged (countries, divisions, sites, and cities
of at least ``gazetteer.MATCH_MIN_POPULATION`` people).

Resolution takes two passes: the first collects the countries the article is about (names that
are countries or demonyms, and places with one clear reading); the second ranks every mention's
candidates with those countries as context, so "Tripoli" in a story about Lebanon is Lebanon's.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from ..config import Settings
from ..gazetteer import Candidate, Gazetteer, confidence, get_gazetteer, normalize
from ..pipeline import register_stage
from ..records import Document, Place, PlaceMention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: entity labels never taken as places even when their text is a place name
_NEVER = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
#: features a non-place entity may still be resolved to (a same-named town is too risky)
_STRONG_FEATURES = frozenset({"country", "continent", "site", "region", "admin1"})

#: a place that is the subject of one of these verbs stands for its government ("Baghdad
#: condemned the strike", "Washington has imposed sanctions"), not for where something happened
METONYMY_VERBS = _words(
    """
    accuse acknowledge add admit agree announce appeal approve argue ask back blame call claim
    condemn confirm criticise criticize decide declare demand deny denounce deploy dismiss expel
    express impose insist issue launch negotiate note object oppose order plan pledge praise
    promise propose protest recall recognise recognize refuse reject reply respond retaliate say
    sanction send seek sign state stress support suspend tell threaten urge veto vow want warn
    welcome withdraw
    """
)
#: a place that modifies one of these nouns names a state or its people, not a location
#: ("U.S. officials", "Iraq's foreign ministry")
ACTOR_NOUNS = _words(
    """
    administration ally allies ambassador army authority authorities cabinet citizen
    commander diplomat embassy envoy force forces government leader leadership military minister
    ministry navy national nationals official officials parliament police president regime
    representative soldier soldiers spokesman spokeswoman spokesperson troop troops
    """
)
#: words after a name that say it is a division ("Kirkuk province")
_ADMIN_WORDS = _words(
    "province governorate region state oblast district county department prefecture"
)
#: a place that is the object of "with"/"against"/"between" after one of these words is a party
#: to a relation ("talks with Russia", "sanctions against Iran"), not a location
RELATION_WORDS = _words(
    """
    accord agreement alliance ally clash compete cooperate cooperation deal dispute negotiate
    negotiation negotiations pact partnership relation relations rift rivalry sanction sanctions
    side standoff summit talk talks tension tensions tie ties trade treaty
    """
)
#: a demonym that modifies one of these nouns names a location ("the Syrian border")
GEO_NOUNS = _words(
    """
    airspace border borders capital city coast coastline countryside desert enclave frontier
    island islands mountains port province region side soil territory territories town village
    waters
    """
)
_NEAR_WORDS = frozenset({"near", "outside", "nearby"})
_ARTICLE_WORDS = frozenset({"the"})
#: lowercase words allowed inside a matched name ("Bab al-Hawa", "Deir ez-Zor")
_CONNECTORS = _words("al el ez es ad ar as ash an at az of de du la le - 's bin bint abu ibn")
_MAX_NGRAM = 6

Kind = Literal["place", "demonym"]


@dataclass(slots=True)
class _Found:
    start: int  # token indices
    end: int
    kind: Kind
    prefer: str | None = None
    locational: bool = True
    near: bool = False


class Places:
    """Find and resolve place mentions; ``doc.places`` is replaced."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Document) -> Document:
        if doc.doc is None:
            return doc
        doc.places = find_places(doc.doc, self.gazetteer)
        return doc


@register_stage("places", reads=("doc",), writes=("places",))
def make_places(settings: Settings) -> Places:
    """Find place names (spaCy entities and a gazetteer matcher) and resolve them."""
    return Places(get_gazetteer(settings))


def find_places(sdoc: Doc, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Every place mention in a parsed text, resolved where the gazetteer knows the name."""
    found = _find_mentions(sdoc, gazetteer)
    texts = [sdoc[f.start : f.end].text for f in found]
    first_pass: dict[tuple[str, str | None], list[tuple[Candidate, float]]] = {}
    for f, text in zip(found, texts, strict=True):
        if (text, f.prefer) not in first_pass:
            first_pass[(text, f.prefer)] = gazetteer.rank(text, prefer=f.prefer)
    context = collect_context(first_pass[(t, f.prefer)] for f, t in zip(found, texts, strict=True))
    second_pass: dict[tuple[str, str | None], list[tuple[Candidate, float]]] = {}
    mentions: list[PlaceMention] = []
    for f, text in zip(found, texts, strict=True):
        key = (text, f.prefer)
        ranked = first_pass[key]
        if len(ranked) > 1 and context:
            if key not in second_pass:
                second_pass[key] = gazetteer.rank(
                    text,
                    context_countries=context.countries,
                    context_admin1=context.admin1,
                    prefer=f.prefer,
                )
            ranked = second_pass[key]
        mentions.append(_mention(sdoc, f, text, ranked))
    return mentions


class PlaceContext(NamedTuple):
    """What an article is about: its countries and first-level divisions, with weights."""

    countries: Counter[str]
    admin1: Counter[tuple[str, str]]

    def __bool__(self) -> bool:
        return bool(self.countries) or bool(self.admin1)


def collect_context(ranked: Iterable[list[tuple[Candidate, float]]]) -> PlaceContext:
    """The countries and divisions an article is about, from its mentions' first-pass rankings.

    A name that is a country (or a demonym of one) counts twice, unless it is also a division's
    name ("Georgia"); a place with one clear reading (a single candidate, or a clear margin over
    the next) counts once for its country, and its division counts too.
    """
    countries: Counter[str] = Counter()
    admin1: Counter[tuple[str, str]] = Counter()
    for cands in ranked:
        if not cands:
            continue
        best, score = cands[0]
        cc = best.country_code
        if not cc:
            continue
        if best.feature == "country":
            if not any(c.feature == "admin1" for c, _ in cands[1:]):
                countries[cc] += 2
        elif len(cands) == 1 or score - cands[1][1] >= 1.5:
            countries[cc] += 1
            if best.admin1:
                admin1[(cc, best.admin1)] += 2 if best.feature == "admin1" else 1
    return PlaceContext(countries, admin1)


# ---------------------------------------------------------------------------------------------
# finding mentions


def _find_mentions(sdoc: Doc, gazetteer: Gazetteer) -> list[_Found]:
    found: list[_Found] = []
    covered = bytearray(len(sdoc))  # 1: inside a mention; 2: inside another entity
    for ent in sdoc.ents:
        label = ent.label_
        start, end = _trim(sdoc, ent.start, ent.end)
        if start >= end:
            continue
        if label in PLACE_LABELS:
            text = sdoc[start:end].text
            kind: Kind = "demonym" if gazetteer.demonym_country(text) else "place"
            found.append(_Found(start, end, kind))
        elif label == "NORP":
            if gazetteer.demonym_country(sdoc[start:end].text):
                found.append(_Found(start, end, "demonym"))
            elif gazetteer.is_matchable(normalize(sdoc[start:end].text)):
                # spaCy tags some Arab town names as NORP ("Aleppo city", "Rastan city")
                found.append(_Found(start, end, "place"))
            else:
                _mark(covered, ent.start, ent.end, 2)
                continue
        elif label not in _NEVER and _strong_name(gazetteer, sdoc[start:end].text):
            found.append(_Found(start, end, "place"))
        else:
            _mark(covered, ent.start, ent.end, 2)
            continue
        _mark(covered, ent.start, ent.end, 1)
    found.extend(_match_untagged(sdoc, gazetteer, covered))
    for f in found:
        _annotate(sdoc, f, covered)
    found.sort(key=lambda f: f.start)
    return found


def _trim(sdoc: Doc, start: int, end: int) -> tuple[int, int]:
    # spaCy keeps a leading "the" in some entities ("the United States") and a trailing
    # possessive or punctuation in others
    while start < end and (sdoc[start].lower_ in _ARTICLE_WORDS or sdoc[start].is_punct):
        start += 1
    while end > start and (sdoc[end - 1].is_punct or sdoc[end - 1].lower_ in ("'s", "’s")):
        end -= 1
    return start, end


def _mark(covered: bytearray, start: int, end: int, value: int) -> None:
    for i in range(start, end):
        covered[i] = value


def _strong_name(gazetteer: Gazetteer, text: str) -> bool:
    key = normalize(text)
    if not gazetteer.is_matchable(key):
        return False
    return any(
        c.feature in _STRONG_FEATURES and c.match != "demonym" for c in gazetteer.candidates(text)
    )


def _starts_name(token: Token) -> bool:
    return token.is_title or (token.is_upper and len(token) > 1 and token.is_alpha)


def _match_untagged(sdoc: Doc, gazetteer: Gazetteer, covered: bytearray) -> list[_Found]:
    """Gazetteer names among capitalized words spaCy did not tag, longest match first."""
    out: list[_Found] = []
    n = len(sdoc)
    i = 0
    while i < n:
        tok = sdoc[i]
        if covered[i] or not (_starts_name(tok) or tok.lower_ in ("al", "el")):
            i += 1
            continue
        best = 0
        j = i
        # grow a window of name-like tokens within the sentence and outside other entities
        while j < n and j - i < _MAX_NGRAM and not covered[j]:
            t = sdoc[j]
            if j > i and (t.is_sent_start or "\n" in sdoc[j - 1].whitespace_):
                break
            if not (_starts_name(t) or t.lower_ in _CONNECTORS):
                break
            j += 1
            span = sdoc[i:j]
            if (
                _starts_name(span[-1])
                and any(x.pos_ == "PROPN" for x in span)
                and gazetteer.is_matchable(normalize(span.text))
            ):
                best = j
        if best:
            out.append(_Found(i, best, "place"))
            _mark(covered, i, best, 1)
            i = best
        else:
            i += 1
    return out


def _annotate(sdoc: Doc, f: _Found, covered: bytearray) -> None:
    """Type word after the name, "near", and whether the name is used as a location at all."""
    if f.end < len(sdoc) and sdoc[f.end].lower_ in _ADMIN_WORDS and not covered[f.end]:
        f.end += 1
        f.prefer = "admin1"
    elif f.end - f.start > 1 and sdoc[f.end - 1].lower_ in _ADMIN_WORDS:
        f.prefer = "admin1"
    if f.start > 0 and sdoc[f.start - 1].lower_ in _NEAR_WORDS:
        f.near = True
    span = sdoc[f.start : f.end]
    if _dateline(span):
        f.locational = True
    elif f.kind == "demonym":
        root = span.root
        f.locational = root.dep_ in ("amod", "compound") and root.head.lemma_.lower() in GEO_NOUNS
    else:
        f.locational = not _metonymic(span)


def _dateline(span: Span) -> bool:
    # "BAGHDAD (Reuters) -" or "WASHINGTON —" opening a line: where the story was filed
    first = span[0]
    at_line_start = first.i == 0 or "\n" in span.doc[first.i - 1].text_with_ws
    return at_line_start and span.text.isupper() and len(span.text) > 2


def _metonymic(span: Span) -> bool:
    root = span.root
    # "Washington and London condemned ...": the second conjunct inherits the first one's role
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    dep, head = root.dep_, root.head
    if dep == "nsubj" and head.lemma_.lower() in METONYMY_VERBS:
        return True
    if dep in ("poss", "compound", "amod", "nmod"):
        return head.lemma_.lower() in ACTOR_NOUNS
    if dep == "pobj":
        prep, governor = head.lower_, head.head.lemma_.lower()
        # "the government of Iraq", "talks with Russia", "sanctions against Iran"
        if prep == "of":
            return governor in ACTOR_NOUNS
        if prep in ("with", "against", "between"):
            return governor in RELATION_WORDS
    return False


# ---------------------------------------------------------------------------------------------
# building records


def _mention(
    sdoc: Doc, f: _Found, text: str, ranked: list[tuple[Candidate, float]]
) -> PlaceMention:
    span = sdoc[f.start : f.end]
    start, end = span.start_char, span.end_char
    if not ranked:
        return PlaceMention(
            text=text,
            start=start,
            end=end,
            place=None,
            feature=None,
            score=0.0,
            locational=f.locational,
        )
    best = ranked[0][0]
    return PlaceMention(
        text=text,
        start=start,
        end=end,
        place=to_place(best, text, near=f.near),
        feature=best.feature,
        score=confidence(ranked),
        locational=f.locational,
    )


def to_place(c: Candidate, text: str | None = None, *, near: bool = False) -> Place:
    """The output record of a candidate, with ACLED's geo precision for its feature."""
    precision: Literal[1, 2, 3] = (2 if near else 1) if c.feature in ("city", "site") else 3
    return Place(
        name=c.name,
        geonames_id=c.geonames_id,
        latitude=round(c.latitude, 5),
        longitude=round(c.longitude, 5),
        admin1=c.admin1,
        country_code=c.country_code,
        precision=precision,
        text=text,
    )
