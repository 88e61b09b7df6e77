"""Stage ``places``: find the places an article names and resolve them with the gazetteer.

Mentions come from spaCy's GPE, LOC and FAC entities, from NORP entities that are demonyms
("Iraqi": the country, but not a location), from other entities whose whole text is a country,
division or curated site (the small model often calls "Jordan" a person), and from a gazetteer
lookup over capitalized words that spaCy did not tag as places (countries, divisions, counties
with their type word, sites, and cities of at least ``gazetteer.MATCH_MIN_POPULATION`` people); a
looked-up name may take in other entities whole ("Dayr az Zawr", which spaCy reads as two people).

Resolution (:func:`resolve_mentions`) ranks every name's candidates first alone, then, in up to
``ROUNDS`` rounds, with what the rest of the article says: the countries and first-level divisions
of the other names, the points of the other names with one clear reading (a town near them wins:
"Tripoli" in a story about northern Lebanon), the likely readings of the other ambiguous names
("Dublin and Laurens County" hold together in Georgia), and a qualifier right after the name
("Paris, Texas", "Lebanon, Tenn."). A name never counts as context for itself.

Each mention says whether it is used as a location (``locational``: not a demonym, not a
government metonym such as "Baghdad said"); a type word after a name ("Kirkuk province", "Laurel
County") asks for a division; "near" before a town lowers its precision to 2, and a district or
county has precision 2 (see :func:`to_place`).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from ..config import Settings
from ..gazetteer import (
    AREA_FEATURES,
    AREA_WORDS,
    COMMON_WORDS,
    FEATURE_WORDS,
    Candidate,
    Gazetteer,
    confidence,
    get_gazetteer,
    haversine_km,
    inside,
    normalize,
)
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
_STRONG_FEATURES = frozenset({"country", "continent", "site", "region", "admin1", "admin2"})

#: a place that is the subject of one of these verbs stands for its government ("Baghdad
#: condemned the strike", "Washington has imposed sanctions"), not for where something happened
METONYMY_VERBS = _words(
    """
    accuse acknowledge add admit agree announce appeal approve argue ask back blame call claim
    condemn confirm criticise criticize decide declare demand deny denounce deploy dismiss expel
    express have impose insist issue launch negotiate note object oppose order plan pledge praise
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
#: words after a name that say it is a division ("Kirkuk province", "Laurel County")
_ADMIN_WORDS = frozenset(w for w, feature in FEATURE_WORDS.items() if feature != "city")
#: a place that is the object of "with"/"against"/"between" after one of these words is a party
#: to a relation ("talks with Russia", "sanctions against Iran"), not a location
RELATION_WORDS = _words(
    """
    accord agreement alliance ally battle clash compete conflict cooperate cooperation deal
    dialogue dispute fight fighting meet meeting negotiate negotiation negotiations pact
    partnership relation relations rift rivalry sanction sanctions side standoff summit talk
    talks tension tensions tie ties trade treaty war
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
#: a name that is the object of one of these is a place, whatever spaCy took it for
_LOCATIVE_PREPS = _words("in near at outside around into inside toward towards across within")
#: ... and so is a name after "of" that follows one of these ("the city of Palmyra"), or one that
#: modifies one ("the Jisr al-Shughour countryside")
_PLACE_NOUNS = (
    _words(
        """
        city town village hamlet countryside outskirts suburb suburbs vicinity environs province
        governorate district area region neighborhood neighbourhood camp desert mountains
        """
    )
    | AREA_WORDS
)
#: ... or one that is the object of one of these verbs ("shelled Menbej"), or of "on" after
#: them or their nouns ("an advance on Raqqa")...
_TAKE_VERBS = _words(
    """
    shell bomb bombard storm capture recapture seize besiege raid overrun liberate hit target
    attack strike advance march assault offensive airstrike bombardment shelling
    """
)
#: ... or of "from" after one of these ("withdrew from Ayn Issa")
_LEAVE_VERBS = _words("withdraw retreat flee expel evacuate oust drive pull")
_NATIONS = frozenset({"country", "continent", "region"})
#: entities the small model often gives Arab and African town names, tried in such contexts
_CUE_LABELS = frozenset({"PERSON", "ORG"})
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
    #: the first or last words of another entity ("U.S." of "U.S. Central Command")
    embedded: bool = False
    #: the words around it make it a place ("in", "the city of"): a reading by spelling alone
    #: ("Menbej" for Manbij) may stand without the article's support
    cued: bool = False


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


def find_places(
    sdoc: Doc, gazetteer: Gazetteer, *, spans: Sequence[tuple[int, int]] | None = None
) -> list[PlaceMention]:
    """Every place mention in a parsed text, resolved where the gazetteer knows the name.

    With ``spans`` (character offsets into the text), those spans are the mentions instead, in
    order, resolved in the context of the places the stage finds (the evaluator gives gold
    toponyms this way); a span that no token boundary fits is widened to whole tokens.
    """
    found = _find_mentions(sdoc, gazetteer)
    if spans is None:
        return resolve_mentions(sdoc, found, gazetteer)
    by_offsets = {(sdoc[f.start].idx, sdoc[f.end - 1].idx + len(sdoc[f.end - 1])): f for f in found}
    targets: list[_Found] = []
    for start, end in spans:
        span = sdoc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            targets.append(_Found(-1, -1, "place"))
            continue
        f = by_offsets.get((start, end))
        if f is None:
            text = span.text
            f = _Found(
                span.start, span.end, "demonym" if gazetteer.demonym_country(text) else "place"
            )
            _annotate(sdoc, f, bytearray(len(sdoc)), extend=False)
        targets.append(f)
    others = [f for f in found if all(f is not t for t in targets)]
    valid = [t for t in targets if t.start >= 0]
    resolved = resolve_mentions(sdoc, [*valid, *others], gazetteer)[: len(valid)]
    out: list[PlaceMention] = []
    it = iter(resolved)
    for (start, end), t in zip(spans, targets, strict=True):
        if t.start < 0:
            out.append(PlaceMention(text=sdoc.text[start:end], start=start, end=end))
        else:
            m = next(it)
            m.start, m.end, m.text = start, end, sdoc.text[start:end]
            out.append(m)
    return out


class PlaceContext(NamedTuple):
    """What an article is about: its countries and first-level divisions, with weights, and the
    points of its places with one clear reading."""

    countries: Counter[str]
    admin1: Counter[tuple[str, str]]
    anchors: tuple[tuple[float, float], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.countries) or bool(self.admin1) or bool(self.anchors)


#: a place is clear (and tells the others where the article is) with this score margin
CLEAR_MARGIN = 0.6
#: features whose point says where the article is (a country's or division's point does not)
_ANCHOR_FEATURES = frozenset({"city", "site", "admin2"})
#: the readings of a name within this margin of its best all lie in one country: the name says
#: the story is in that country though it names no one place there clearly
SHARED_MARGIN = 2.5
#: ...when they are all divisions (a town's name is too often a person's)
SHARED_FEATURES = frozenset({"admin1", "admin2"})
#: resolution rounds: each re-ranks every name with what the others resolved to in the last one
ROUNDS = 3
#: readings of an ambiguous name within this margin of its best are likely enough to support
#: the readings of other names near them (at most MAX_LIKELY of them)
LIKELY_MARGIN = 2.5
MAX_LIKELY = 12
#: a place this close to the article's clear places is local to it
LOCAL_KM = 60.0
#: the clear places this close to a town count for it as the article's main town
HOME_KM = 100.0
#: how much a name's number of readings lowers what it says about the article's main town
HOME_AMBIGUITY = 1.0
#: ...and how much a name counts for it each time it is said again
HOME_REPEAT = 0.25
#: ...its readings being those within this score of its best (not the hopeless ones)
HOME_MARGIN = 6.0
#: ...and a place named by a near spelling or by another language's name, against its own name
HOME_OTHER_NAME = 0.5


def _contribution(
    cands: list[tuple[Candidate, float]],
) -> tuple[Counter[str], Counter[tuple[str, str]], tuple[float, float] | None]:
    """What one mention's ranking says about the article (see :func:`collect_context`)."""
    countries: Counter[str] = Counter()
    admin1: Counter[tuple[str, str]] = Counter()
    if not cands:
        return countries, admin1, None
    best, score = cands[0]
    cc = best.country_code
    if not cc:
        return countries, admin1, None
    anchor = None
    if best.feature == "country":
        if not any(c.feature == "admin1" for c, _ in cands[1:]):
            countries[cc] += 2
    elif len(cands) == 1 or score - cands[1][1] >= CLEAR_MARGIN:
        countries[cc] += 1
        if best.admin1:
            admin1[(cc, best.admin1)] += 2 if best.feature == "admin1" else 1
        if best.feature in _ANCHOR_FEATURES:
            anchor = (best.latitude, best.longitude)
    else:
        # several likely readings, all in one country ("Butler County": of Ohio, of Pennsylvania,
        # of Kansas...) still say which country the story is in, and one division if they share it
        likely = [c for c, s in cands if s >= score - SHARED_MARGIN]
        if all(c.country_code == cc and c.feature in SHARED_FEATURES for c in likely):
            countries[cc] += 1
            if all(c.admin1 == best.admin1 for c in likely) and best.admin1:
                admin1[(cc, best.admin1)] += 1
    return countries, admin1, anchor


def collect_context(ranked: Iterable[list[tuple[Candidate, float]]]) -> PlaceContext:
    """The countries, divisions and anchor points of an article, from its mentions' rankings.

    A name that is a country (or a demonym of one) counts twice, unless it is also a division's
    name ("Georgia"); a place with one clear reading (a single candidate, or a margin of
    ``CLEAR_MARGIN`` over the next) counts once for its country, its division counts too, and a
    town, site or county gives its point.
    """
    countries: Counter[str] = Counter()
    admin1: Counter[tuple[str, str]] = Counter()
    anchors: list[tuple[float, float]] = []
    for cands in ranked:
        c, a, p = _contribution(cands)
        countries.update(c)
        admin1.update(a)
        if p is not None:
            anchors.append(p)
    return PlaceContext(countries, admin1, tuple(anchors))


def resolve_mentions(sdoc: Doc, found: list[_Found], gazetteer: Gazetteer) -> list[PlaceMention]:
    """Rank each mention's candidates in the context of the others, in ``ROUNDS`` rounds.

    The context of a mention leaves out every mention of the same name, so a name never
    confirms itself ("Palestine" three times does not make a story about East Texas Palestinian).
    """
    texts = [sdoc[f.start : f.end].text for f in found]
    names = [(normalize(t), f.prefer, f.cued) for t, f in zip(texts, found, strict=True)]
    within, contains = _qualifiers(sdoc, found, texts, gazetteer)
    base: dict[tuple[str, str | None, bool], list[tuple[Candidate, float]]] = {}
    #: how many readings a name has before context (a guess by spelling may need context)
    readings: dict[tuple[str, str | None, bool], int] = {}
    for name, text in zip(names, texts, strict=True):
        if name not in base:
            base[name] = gazetteer.rank(text, prefer=name[1])
            readings[name] = gazetteer.count(text)
    # a name known only by a near spelling, where the words around it say it is a place, is
    # judged against what the article's other names say (see rank_candidates' ``guess``)
    guesses = [n for n, r in base.items() if n[2] and not r and readings[n]]
    if guesses:
        # where the story is: its towns and provinces, not the countries and peoples it names as
        # parties ("Turkish-backed rebels", "U.S.-led coalition")
        ctx = collect_context(
            r
            for n, f in zip(names, found, strict=True)
            if f.kind == "place" and (r := base[n]) and r[0][0].feature not in _NATIONS
        )
        for name in guesses:
            text = texts[names.index(name)]
            base[name] = gazetteer.rank(
                text,
                prefer=name[1],
                guess=True,
                context_countries=ctx.countries,
                context_admin1=ctx.admin1,
                anchors=ctx.anchors,
            )
    ranked = [base[n] for n in names]
    explicit = [bool(within[i] or contains[i]) for i in range(len(found))]
    if any(explicit):
        ranked = [
            gazetteer.rank(t, prefer=f.prefer, within=within[i], contains=contains[i], guess=f.cued)
            if explicit[i]
            else ranked[i]
            for i, (t, f) in enumerate(zip(texts, found, strict=True))
        ]
    for _ in range(ROUNDS):
        parts: dict[
            str, list[tuple[Counter[str], Counter[tuple[str, str]], tuple[float, float] | None]]
        ] = {}
        for (key, _prefer, _guess), r in zip(names, ranked, strict=True):
            parts.setdefault(key, []).append(_contribution(r))
        if not any(c or a or p for ps in parts.values() for c, a, p in ps):
            break
        # the likely readings of each ambiguous name, for the others' coherence
        likely: dict[str, list[tuple[float, float]]] = {}
        for (key, _prefer, _guess), r in zip(names, ranked, strict=True):
            if len(r) > 1 and key not in likely:
                top = r[0][1]
                likely[key] = [
                    (c.latitude, c.longitude)
                    for c, score in r[:MAX_LIKELY]
                    if score >= top - LIKELY_MARGIN and c.feature in _ANCHOR_FEATURES
                ]
        cache: dict[tuple[str, str | None, bool], list[tuple[Candidate, float]]] = {}
        new: list[list[tuple[Candidate, float]]] = []
        for i, (name, text) in enumerate(zip(names, texts, strict=True)):
            key, prefer, guess = name
            if readings[name] <= 1 and (base[name] or not readings[name]):
                new.append(ranked[i])
                continue
            if not explicit[i] and name in cache:
                new.append(cache[name])
                continue
            countries: Counter[str] = Counter()
            admin1: Counter[tuple[str, str]] = Counter()
            anchors: list[tuple[float, float]] = []
            for other, ps in parts.items():
                if other == key:
                    continue
                for c, a, p in ps:
                    countries.update(c)
                    admin1.update(a)
                    if p is not None:
                        anchors.append(p)
            r = gazetteer.rank(
                text,
                context_countries=countries,
                context_admin1=admin1,
                prefer=prefer,
                anchors=anchors,
                within=within[i],
                contains=contains[i],
                neighbours=[pts for other, pts in likely.items() if other != key and pts],
                guess=guess,
            )
            if not explicit[i]:
                cache[name] = r
            new.append(r)
        changed = any(
            (a[0][0] if a else None) != (b[0][0] if b else None)
            for a, b in zip(ranked, new, strict=True)
        )
        ranked = new
        if not changed:
            break
    conf: list[float | None] = [None] * len(found)
    if any(not r for r in ranked):
        ranked, conf = _fallbacks(sdoc, found, texts, ranked, gazetteer)
    return [
        _mention(sdoc, f, t, r, c) for f, t, r, c in zip(found, texts, ranked, conf, strict=True)
    ]


#: the highest confidence of a reading by a near spelling ("Menbej": Manbij)
GUESS_CONFIDENCE = 0.6
#: the confidence of a name resolved by a place inside it ("Colorado State University")...
INNER_CONFIDENCE = 0.5
#: ...and of an unknown name placed at the article's main town (a street, a building)
HOME_CONFIDENCE = 0.3
#: ...and of one placed in the article's main division or country, where it names no clear town
NATION_CONFIDENCE = 0.2


def _fallbacks(
    sdoc: Doc,
    found: list[_Found],
    texts: list[str],
    ranked: list[list[tuple[Candidate, float]]],
    gazetteer: Gazetteer,
) -> tuple[list[list[tuple[Candidate, float]]], list[float | None]]:
    """Readings for names the gazetteer does not know, at a precision no finer than 2.

    A known place inside the name stands for it ("Latakia Mountains", "Eastern Damascus Ghouta",
    "Tipperary County Council"), unless the article's main town (the town, site or county most of
    its clear mentions resolve to) says more: a street, building or quarter of a local story lies
    in that town, not at the point of the state it is named for ("University of California" in a
    story about Los Angeles), and a town far from the article's places is only a namesake
    ("Carnegie Library" in New Orleans). With no known place inside, such a name is placed at the
    article's main town, or, in an article with no clear town, in the division or country it is
    most about (its point, precision 3): never a river, valley or mountain range (they cross
    borders) nor an acronym.
    """
    ctx = collect_context(r for r in ranked if r)
    home = _home(ranked, ctx)
    nation = _nation(ctx, gazetteer) if home is None else None
    out = list(ranked)
    conf: list[float | None] = [None] * len(found)
    for i, f in enumerate(found):
        if ranked[i] or f.kind == "demonym":
            continue
        if not any(t.pos_ == "PROPN" for t in sdoc[f.start : f.end]):
            continue  # not a name ("Clashes" opening a sentence)
        inner = _inner_place(sdoc, f, gazetteer, ctx)
        if inner is not None and home is not None:
            c = inner[0]
            if inside(home, c) or (c.feature in _ANCHOR_FEATURES and not _near_any(c, ctx.anchors)):
                inner = None
        if (
            inner is not None
            and inner[0].feature != "country"
            and inner[0].match != "demonym"
            and ctx.countries
            and not ctx.countries.get(inner[0].country_code or "")
        ):
            # a namesake in a country the article never names ("Kerry Street Clinic" in a
            # story about Texas is not in the Irish county of Kerry)
            inner = None
        if inner is not None:
            out[i], conf[i] = [inner], INNER_CONFIDENCE
        elif home is not None:
            out[i], conf[i] = [(home, 0.0)], HOME_CONFIDENCE
        elif nation is not None and _may_guess(texts[i]) and not texts[i].isupper():
            # not a river or a valley (it runs across borders), nor an acronym (mostly a body)
            out[i], conf[i] = [(nation, 0.0)], NATION_CONFIDENCE
        else:
            continue
        f.near = True
    return out, conf


def _nation(ctx: PlaceContext, gazetteer: Gazetteer) -> Candidate | None:
    """The first-level division an article is most about, else its country, when one outweighs
    the others."""
    top = ctx.countries.most_common(2)
    if not top or (len(top) > 1 and top[1][1] == top[0][1]):
        return None
    cc = top[0][0]
    divisions = [(k, n) for k, n in ctx.admin1.most_common() if k[0] == cc]
    if divisions and (len(divisions) == 1 or divisions[1][1] < divisions[0][1]):
        name = divisions[0][0][1]
        for c in gazetteer.candidates(name):
            if c.feature == "admin1" and c.country_code == cc and c.admin1 == name:
                return c
    return gazetteer.country(cc)


def _home(ranked: list[list[tuple[Candidate, float]]], ctx: PlaceContext) -> Candidate | None:
    """The town, site or county where an article's clear mentions (see :func:`collect_context`)
    gather: the one with the most such mentions within ``HOME_KM`` of it (itself included), plus
    the weight the article gives its country and first-level division; first on a tie.

    A name used three times for something else ("the Norbury floor plan") then does not outweigh
    four different towns of one county, and a foreign capital the story only mentions does not
    outweigh the towns of the country it is about.
    """
    counts: dict[tuple[str, float, float], float] = {}
    first: dict[tuple[str, float, float], Candidate] = {}
    for r in ranked:
        if _contribution(r)[2] is not None:
            c = r[0][0]
            key = (c.name, c.latitude, c.longitude)
            # a name shared by many places ("Franklin", "Lafayette": streets of many towns too)
            # says less about where the story is than a name with one reading ("New Orleans"),
            # and a name said again adds less than another name
            rivals = sum(1 for _, score in r if score >= r[0][1] - HOME_MARGIN)
            weight = 1.0 / (1.0 + HOME_AMBIGUITY * math.log(rivals))
            if c.match not in ("name", "alias"):
                weight *= HOME_OTHER_NAME  # a near spelling, another language's name
            counts[key] = counts.get(key, 0.0) + (HOME_REPEAT * weight if key in first else weight)
            first.setdefault(key, c)
    if not counts:
        return None

    def support(key: tuple[str, float, float]) -> float:
        c = first[key]
        near = sum(
            n
            for other, n in counts.items()
            if other == key or haversine_km(c.latitude, c.longitude, other[1], other[2]) < HOME_KM
        )
        cc = c.country_code or ""
        return near + ctx.countries.get(cc, 0) + ctx.admin1.get((cc, c.admin1 or ""), 0)

    return first[max(counts, key=support)]


def _inner_spans(sdoc: Doc, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Parts of a name that may name a place it lies in or is named for: what follows "of"
    ("Bank of Mexico"), else the words before the name's head, leftmost first ("Seoul Central
    District Court": "Seoul"); the head itself ("Court", "Islands") never."""
    for k in range(start + 1, end - 1):
        if sdoc[k].lower_ == "of":
            tail = k + 1 + (sdoc[k + 1].lower_ == "the")
            yield from _inner_spans_of(tail, end)
            end = k
            break
    else:
        end -= 1
    yield from _inner_spans_of(start, end)


def _inner_spans_of(start: int, end: int) -> Iterable[tuple[int, int]]:
    for s in range(start, end):
        for e in range(end, s, -1):
            yield s, e


def _inner_place(
    sdoc: Doc, f: _Found, gazetteer: Gazetteer, ctx: PlaceContext
) -> tuple[Candidate, float] | None:
    """The best reading of the first known place name inside an unknown name (see
    :func:`_inner_spans`), if it is a name the matcher knows or a place near the article's."""
    for s, e in _inner_spans(sdoc, f.start, f.end):
        if (s, e) == (f.start, f.end):
            continue
        sub = sdoc[s:e]
        if not (_starts_name(sub[0]) or sub[0].lower_ in ("al", "el")) or not _starts_name(sub[-1]):
            continue
        text = sub.text
        key = normalize(text)
        if len(key) < 2 or key in COMMON_WORDS:
            continue
        r = gazetteer.rank(
            text,
            context_countries=ctx.countries,
            context_admin1=ctx.admin1,
            anchors=ctx.anchors,
        )
        if not r:
            continue
        if r[0][0].match == "demonym":
            # "European Commission", "African Union": a body of a continent stands for it; a
            # nation's word is too often a quarter's, a school's or a person's name ("the French
            # Quarter", "the British School" of a town abroad)
            if r[0][0].feature == "continent":
                return r[0]
            continue
        if len(key) >= 3 and (gazetteer.is_matchable(key) or _near_any(r[0][0], ctx.anchors)):
            return r[0]
        if _acronym(gazetteer, text):
            return r[0]  # "US Federal Reserve"
    return None


def _near_any(c: Candidate, anchors: Sequence[tuple[float, float]]) -> bool:
    return c.feature in _ANCHOR_FEATURES and any(
        haversine_km(c.latitude, c.longitude, lat, lon) < LOCAL_KM for lat, lon in anchors
    )


#: text between a place and a qualifier of it: "Paris, Texas", "Bangor (Maine)"
_QUALIFIER_GAPS = frozenset({",", ", ", " (", "(", " , "})


def _qualifiers(
    sdoc: Doc, found: list[_Found], texts: list[str], gazetteer: Gazetteer
) -> tuple[list[list[Candidate]], list[list[Candidate]]]:
    """Per mention, the readings of a qualifier right after it ("Paris, Texas": Texas), and,
    for the qualifier, the readings of the place it qualifies."""
    n = len(found)
    within: list[list[Candidate]] = [[] for _ in range(n)]
    contains: list[list[Candidate]] = [[] for _ in range(n)]
    order = sorted(range(n), key=lambda i: found[i].start)
    text = sdoc.text
    for a, b in itertools.pairwise(order):
        fa, fb = found[a], found[b]
        end_a = sdoc[fa.end - 1].idx + len(sdoc[fa.end - 1])
        start_b = sdoc[fb.start].idx
        if text[end_a:start_b] not in _QUALIFIER_GAPS or fb.kind == "demonym":
            continue
        typed = fb.prefer is not None
        areas = [
            c
            for c in gazetteer.candidates(texts[b])
            if c.feature in ("country", "admin1") or (typed and c.feature == "admin2")
        ]
        if not areas:
            continue
        inner = [
            c
            for c in gazetteer.candidates(texts[a])
            if c.feature not in AREA_FEATURES or c.feature == "admin2"
        ]
        if not any(inside(c, q) for c in inner for q in areas):
            continue
        within[a] = areas
        contains[b] = inner
    return within, contains


# ---------------------------------------------------------------------------------------------
# finding mentions


def _find_mentions(sdoc: Doc, gazetteer: Gazetteer) -> list[_Found]:
    found: list[_Found] = []
    covered = bytearray(len(sdoc))  # 1: inside a mention; 2: inside another entity
    people = {t.lower_ for ent in sdoc.ents if ent.label_ == "PERSON" for t in ent if t.is_alpha}
    for ent in sdoc.ents:
        label = ent.label_
        start, end = _trim(sdoc, ent.start, ent.end)
        if start >= end:
            continue
        if label in PLACE_LABELS:
            text = sdoc[start:end].text
            if end - start == 1 and sdoc[start].lower_ in people and _only_towns(gazetteer, text):
                # "Trapani" tagged a place here and part of a person's name elsewhere
                _mark(covered, ent.start, ent.end, 2)
                continue
            kind: Kind = "demonym" if gazetteer.demonym_country(text) else "place"
            found.append(_Found(start, end, kind, cued=_may_guess(sdoc[start:end].text)))
        elif label == "NORP":
            if gazetteer.demonym_country(sdoc[start:end].text):
                found.append(_Found(start, end, "demonym"))
            elif gazetteer.is_matchable(normalize(sdoc[start:end].text)):
                # spaCy tags some Arab town names as NORP ("Aleppo city", "Rastan city")
                found.append(_Found(start, end, "place"))
            else:
                _mark(covered, ent.start, ent.end, 2)
                continue
        elif (label not in _NEVER and _strong_name(gazetteer, sdoc[start:end].text)) or (
            label in _CUE_LABELS and _town_name(sdoc, start, end, gazetteer)
        ):
            found.append(_Found(start, end, "place"))
        elif (
            label in _CUE_LABELS
            and _may_guess(sdoc[start:end].text)
            and _cued_name(sdoc, start, end, gazetteer)
        ):
            found.append(_Found(start, end, "place", cued=True))
        else:
            _mark(covered, ent.start, ent.end, 2)
            if label in _EMBEDDING_LABELS:
                inner = _embedded(sdoc, start, end, gazetteer)
                if inner is not None:
                    found.append(inner)
                    _mark(covered, inner.start, inner.end, 1)
            continue
        _mark(covered, ent.start, ent.end, 1)
    found.extend(_match_untagged(sdoc, gazetteer, covered, people))
    for f in found:
        _annotate(sdoc, f, covered)
    found.sort(key=lambda f: f.start)
    return found


#: entities whose words may begin or end with a place: "U.S. Central Command", "Gainesville
#: Police Department", "University of Texas" (a person's name is left alone)
_EMBEDDING_LABELS = frozenset({"ORG", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_MAX_EMBEDDED = 4


def _embedded(sdoc: Doc, start: int, end: int, gazetteer: Gazetteer) -> _Found | None:
    """A place that opens another entity ("U.S." of "U.S. Central Command") or ends it after
    "of" ("Texas" of "University of Texas"): a modifier of the entity, not a location."""
    for k in range(min(_MAX_EMBEDDED, end - start - 1), 0, -1):
        text = sdoc[start : start + k].text
        if not _starts_name(sdoc[start + k - 1]) and not text.endswith("."):
            continue
        if gazetteer.demonym_country(text):
            return _Found(start, start + k, "demonym", embedded=True)
        if _place_name(gazetteer, text):
            return _Found(start, start + k, "place", embedded=True)
    for i in range(max(start + 1, end - _MAX_EMBEDDED), end):
        if sdoc[i - 1].lower_ == "of" and _place_name(gazetteer, sdoc[i:end].text):
            return _Found(i, end, "place", embedded=True)
    return None


def _only_towns(gazetteer: Gazetteer, text: str) -> bool:
    """Whether every reading of a name is a town (no country, division or site)."""
    return all(c.feature == "city" for c in gazetteer.candidates(text))


def _place_name(gazetteer: Gazetteer, text: str) -> bool:
    key = normalize(text)
    return gazetteer.is_matchable(key) or _acronym(gazetteer, text)


def _acronym(gazetteer: Gazetteer, text: str) -> bool:
    """ "EU", "U.S.", "UK": a capital-letter abbreviation of a country or union."""
    letters = text.replace(".", "")
    if not (2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()):
        return False
    return any(
        c.feature in ("country", "region", "continent") and c.match in ("name", "alias")
        for c in gazetteer.candidates(text)
    )


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
    if _acronym(gazetteer, text):
        return True
    if not gazetteer.is_matchable(key):
        return False
    return any(
        c.feature in _STRONG_FEATURES and c.match != "demonym" for c in gazetteer.candidates(text)
    )


def _town_name(sdoc: Doc, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """A name of several words that is, whole, the name of a town the matcher knows ("Khan
    Shaykhun", "Jisr al-Shughur"), whatever entity spaCy took it for: the small model reads many
    Arab and African town names as people. One word ("Houston", "Jackson") may well be a person.
    """
    if sum(1 for t in sdoc[start:end] if t.is_alpha) < 2:
        return False
    return gazetteer.is_matchable(normalize(sdoc[start:end].text))


def _locative(sdoc: Doc, start: int, end: int) -> bool:
    """Whether the words around a name make it a place: "in X", "the city of X", "the X
    countryside", "shelled X" (a conjunct takes the first one's role: "in Idlib and Menbej")."""
    root = sdoc[start:end].root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    dep, head = root.dep_, root.head
    if dep == "pobj":
        governor = head.head.lemma_.lower()
        return (
            head.lower_ in _LOCATIVE_PREPS
            or (head.lower_ == "of" and governor in _PLACE_NOUNS)
            or (head.lower_ == "on" and governor in _TAKE_VERBS)
            or (head.lower_ == "from" and governor in _LEAVE_VERBS)
        )
    if dep in ("compound", "amod", "nmod", "appos"):
        return head.lemma_.lower() in _PLACE_NOUNS
    if dep == "dobj":
        return head.lemma_.lower() in _TAKE_VERBS
    return False


#: a name ending in one of these names such a feature, never a town of a like spelling
_FEATURE_HEADS = _words(
    """
    valley river lake mountain mountains hills desert sea bay gulf island islands canal plain
    plains forest park airport base camp field dam bridge road street
    """
)


def _may_guess(text: str) -> bool:
    """Whether a near spelling of a town may stand for this name ("Menbej", not "Barada
    Valley")."""
    words = text.split()
    return bool(words) and words[-1].casefold() not in _FEATURE_HEADS


def _cued_name(sdoc: Doc, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """A name in a place's position that the gazetteer knows, by a near spelling at least."""
    if not _locative(sdoc, start, end):
        return False
    text = sdoc[start:end].text
    key = normalize(text)
    if len(key) < 3 or key in COMMON_WORDS or gazetteer.demonym_country(text):
        return False
    if key in _PLACE_NOUNS or key in ACTOR_NOUNS:
        return False  # "in the Desert", "the Defense Ministry"
    return gazetteer.count(text) > 0


def _starts_name(token: Token) -> bool:
    return token.is_title or (token.is_upper and len(token) > 1 and token.is_alpha)


#: a one-word name after one of these is a person's ("Officer Moore", "Mr. Taylor")
_TITLES = _words(
    """
    mr mrs ms miss dr prof sir lady lord officer sheriff deputy sgt sergeant cpl corporal lt
    lieutenant capt captain maj major col colonel gen general adm admiral judge justice coach
    president senator sen rep representative gov governor mayor chief commissioner trooper
    detective inspector pastor rev reverend father bishop imam sheikh
    """
)


def _match_untagged(
    sdoc: Doc,
    gazetteer: Gazetteer,
    covered: bytearray,
    people: frozenset[str] | set[str] = frozenset(),
) -> list[_Found]:
    """Gazetteer names among capitalized words spaCy did not tag as places, longest match first.

    A name may run across other entities when it takes in more than any one of them and cuts
    none: spaCy reads "Dayr az Zawr" as two people, "Dayr" and "Zawr". A one-word name that is a
    word of a person's name in the same text ("Moore" after "Tom Moore"), or follows a title
    ("Officer Moore"), is that person.
    """
    out: list[_Found] = []
    n = len(sdoc)
    ent_of = [-1] * n
    bounds: list[tuple[int, int]] = []
    for k, ent in enumerate(sdoc.ents):
        bounds.append((ent.start, ent.end))
        for token_i in range(ent.start, ent.end):
            ent_of[token_i] = k
    i = 0
    while i < n:
        tok = sdoc[i]
        if covered[i] == 1 or not (_starts_name(tok) or tok.lower_ in ("al", "el")):
            i += 1
            continue
        best = 0
        j = i
        # grow a window of name-like tokens within the sentence and outside place mentions
        while j < n and j - i < _MAX_NGRAM and covered[j] != 1:
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
                and _over_entities(i, j, covered, ent_of, bounds)
                and gazetteer.is_matchable(normalize(span.text))
            ):
                best = j
        if best == i + 1 and (
            tok.lower_ in people or (i > 0 and sdoc[i - 1].lower_.rstrip(".") in _TITLES)
        ):
            best = 0
        cued = False
        if not best:
            best = _cued_window(sdoc, gazetteer, covered, i, j)
            cued = best > 0
        if best:
            out.append(_Found(i, best, "place", cued=cued))
            _mark(covered, i, best, 1)
            i = best
        else:
            i += 1
    return out


def _cued_window(sdoc: Doc, gazetteer: Gazetteer, covered: bytearray, i: int, j: int) -> int:
    """The end of the longest name in tokens i..j that no entity covers, that ends on a
    capitalized word, and that :func:`_cued_name` takes as a place; 0 when there is none."""
    for end in range(j, i, -1):
        if any(covered[i:end]) or not _starts_name(sdoc[end - 1]):
            continue
        if _may_guess(sdoc[i:end].text) and _cued_name(sdoc, i, end, gazetteer):
            return end
    return 0


def _over_entities(
    i: int, j: int, covered: bytearray, ent_of: list[int], bounds: list[tuple[int, int]]
) -> bool:
    """Whether tokens i..j are free, or take in whole other entities and more than any one."""
    ents = {ent_of[t] for t in range(i, j) if covered[t] == 2}
    if not ents:
        return True
    return all(i <= bounds[k][0] and bounds[k][1] <= j for k in ents) and all(
        bounds[k][1] - bounds[k][0] < j - i for k in ents
    )


def _annotate(sdoc: Doc, f: _Found, covered: bytearray, *, extend: bool = True) -> None:
    """Type word after the name, "near", and whether the name is used as a location at all.

    With ``extend``, a type word right after the name joins the mention ("Kirkuk" "province").
    """
    if extend and f.end < len(sdoc) and sdoc[f.end].lower_ in _ADMIN_WORDS and not covered[f.end]:
        f.end += 1
        f.prefer = FEATURE_WORDS[sdoc[f.end - 1].lower_]
    elif f.end - f.start > 1 and sdoc[f.end - 1].lower_ in _ADMIN_WORDS:
        f.prefer = FEATURE_WORDS[sdoc[f.end - 1].lower_]
    if f.start > 0 and sdoc[f.start - 1].lower_ in _NEAR_WORDS:
        f.near = True
    # "the Daraa countryside": the land around a town (ACLED codes the town, precision 2)
    if sdoc[f.end - 1].lower_ in AREA_WORDS or (
        f.end < len(sdoc) and sdoc[f.end].lower_ in AREA_WORDS
    ):
        f.near = True
        f.prefer = f.prefer or "city"
    span = sdoc[f.start : f.end]
    if f.embedded:
        f.locational = False
    elif _dateline(span):
        f.locational = True
        if _agency_dateline(span):
            # "LEBANON (AP) -": an agency's dateline names the town the story was filed from
            f.prefer = f.prefer or "city"
    elif f.kind == "demonym":
        root = span.root
        f.locational = root.dep_ in ("amod", "compound") and root.head.lemma_.lower() in GEO_NOUNS
    else:
        f.locational = not _metonymic(span)


def _dateline(span: Span) -> bool:
    # "BAGHDAD (Reuters) -" or "WASHINGTON —" opening a line: where the story was filed
    first = span[0]
    at_line_start = first.i == 0 or "\n" in span.doc[first.i - 1].text_with_ws
    return (at_line_start or _agency_dateline(span)) and span.text.isupper() and len(span.text) > 2


def _agency_dateline(span: Span) -> bool:
    """Whether a name in capitals is followed by a news agency's name in brackets ("MALTA (AP)")
    or a dash, as a dateline is."""
    doc, end = span.doc, span.end
    if not span.text.replace(" ", "").isalpha() or not span.text.isupper():
        return False  # "U.S. officials" opening a line is no dateline
    if end < len(doc) and doc[end].text in ("—", "–", "-", "--"):
        return True
    return end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")"


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
    sdoc: Doc,
    f: _Found,
    text: str,
    ranked: list[tuple[Candidate, float]],
    score: float | None = None,
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
    if score is None:
        score = confidence(ranked)
        if best.match == "fuzzy":
            score = min(score, GUESS_CONFIDENCE)
    return PlaceMention(
        text=text,
        start=start,
        end=end,
        place=to_place(best, text, near=f.near),
        feature=best.feature,
        score=score,
        locational=f.locational,
    )


def to_place(c: Candidate, text: str | None = None, *, near: bool = False) -> Place:
    """The output record of a candidate, with ACLED's geo precision for its feature: 1 for a
    town or site (2 when the text says "near" it), 2 for a district or county, 3 for anything
    larger (a province, country or region: its point)."""
    precision: Literal[1, 2, 3]
    if c.feature in ("city", "site"):
        precision = 2 if near else 1
    elif c.feature == "admin2":
        precision = 2
    else:
        precision = 3
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
