"""Helpers over spaCy's parse shared by the extraction stages: head chains, quoted regions, numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .numbers import NUMBER_WORDS
from .records import Qualifier

_QUOTE_RE = re.compile(r"“[^”]{1,3000}”|\"[^\"\n]{1,3000}\"|«[^»]{1,3000}»|„[^“]{1,3000}“")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of direct quotes, the quote marks included."""
    return [m.span() for m in _QUOTE_RE.finditer(text)]


def in_regions(pos: int, regions: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in regions)


def ancestors(token: Token, limit: int = 12) -> Iterator[Token]:
    """The token's heads up to the sentence root (bounded, in case of a broken parse)."""
    current = token
    for _ in range(limit):
        if current.head.i == current.i:
            return
        current = current.head
        yield current


def governing_verb(token: Token) -> Token:
    """The verb that a noun trigger depends on ("carried out an airstrike" -> carried)."""
    if token.pos_ in ("VERB", "AUX"):
        return token
    for anc in ancestors(token, limit=4):
        if anc.pos_ in ("VERB", "AUX"):
            return anc
        if anc.dep_ in ("ROOT",):
            break
    return token


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one sentence in the dependency tree (large if unrelated)."""
    if a.i == b.i:
        return 0
    path_a = {a.i: 0}
    for n, anc in enumerate(ancestors(a, limit=30), start=1):
        path_a[anc.i] = n
    if b.i in path_a:
        return path_a[b.i]
    for n, anc in enumerate(ancestors(b, limit=30), start=1):
        if anc.i in path_a:
            return path_a[anc.i] + n
    return 99


def phrase_text(token: Token, *, stop_deps: tuple[str, ...] = ("relcl", "acl", "appos")) -> Span:
    """The noun phrase headed by ``token``, without relative clauses or appositions."""
    doc = token.doc
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in stop_deps or child.dep_ == "punct" or child.dep_ == "cc":
            break
        if child.dep_ == "conj":
            break
        right = child.right_edge.i
    while left < token.i and doc[left].dep_ in ("det", "punct", "cc", "predet"):
        left += 1
    return doc[left : right + 1]


# -- numbers ------------------------------------------------------------------------------------

_UNITS = {
    **NUMBER_WORDS,
    "a": 1,
    "an": 1,
    "single": 1,
    "lone": 1,
    "both": 2,
    "couple": 2,
    "pair": 2,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
#: vague quantities: ACLED's conventions (spec: "dozens" 12, "tens" 10, "hundreds" 100, at least)
_VAGUE: dict[str, tuple[int | None, Qualifier]] = {
    "dozens": (12, "at_least"),
    "tens": (10, "at_least"),
    "hundreds": (100, "at_least"),
    "thousands": (1000, "at_least"),
    "scores": (20, "at_least"),
    "dozen": (12, "exact"),
    "several": (None, "unknown"),
    "many": (None, "unknown"),
    "few": (None, "unknown"),
    "numerous": (None, "unknown"),
    "some": (None, "unknown"),
    "multiple": (None, "unknown"),
}
_AT_LEAST = (
    "more than",
    "at least",
    "over",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no less than",
    "a minimum of",
    "above",
)
_AT_MOST = ("nearly", "almost", "up to", "less than", "fewer than", "under", "at most", "close to")
_APPROX = (
    "about",
    "around",
    "some",
    "approximately",
    "roughly",
    "an estimated",
    "estimated",
    "nearly",
    "around",
)


@dataclass(frozen=True, slots=True)
class Quantity:
    count: int | None
    qualifier: Qualifier
    start: int  # token index (inclusive)
    end: int  # token index (exclusive)


def _word_value(text: str) -> int | None:
    t = text.lower().replace(",", "")
    if t.isdigit():
        return int(t)
    return _UNITS.get(t)


def quantity_at(token: Token) -> Quantity | None:
    """The quantity whose last word is ``token`` ("more than 40", "three", "dozens", "a dozen")."""
    doc = token.doc
    low = token.lower_
    count: int | None
    qualifier: Qualifier = "exact"
    start = token.i
    if low in _VAGUE:
        count, qualifier = _VAGUE[low]
        if low == "dozen" and token.i > 0 and _word_value(doc[token.i - 1].text) not in (None, 1):
            count = (_word_value(doc[token.i - 1].text) or 1) * 12
            start = token.i - 1
        elif low == "dozen" and token.i > 0 and doc[token.i - 1].lower_ in ("a", "one"):
            start = token.i - 1
    elif low in _SCALES:
        prev = _word_value(doc[token.i - 1].text) if token.i > 0 else None
        count = (prev or 1) * _SCALES[low]
        start = token.i - 1 if prev else token.i
    else:
        value = _word_value(token.text)
        if value is None:
            return None
        if low in ("a", "an", "single", "lone"):
            return Quantity(1, "exact", token.i, token.i + 1)
        count = value
        # "1,200" is one token; "1 200" and "two hundred" are handled by the scale branch
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in _SCALES:
            count = value * _SCALES[nxt.lower_]
    # qualifier words before the number
    before = doc[max(0, start - 3) : start].text.lower()
    for phrases, qual in ((_AT_LEAST, "at_least"), (_AT_MOST, "at_most"), (_APPROX, "approx")):
        for phrase in phrases:
            if before.endswith(phrase):
                n_words = len(phrase.split())
                start -= n_words
                if qualifier == "exact":
                    qualifier = qual  # type: ignore[assignment]
                break
        else:
            continue
        break
    return Quantity(count, qualifier, max(0, start), token.i + 1)


def quantity_of(noun: Token) -> Quantity | None:
    """The quantity that modifies a noun ("3 U.S. service members", "more than 40 others")."""
    for child in noun.children:
        if child.dep_ in ("nummod", "quantmod") or (
            child.dep_ in ("det", "amod", "advmod") and child.lower_ in _VAGUE
        ):
            q = quantity_at(child)
            if q is None and child.dep_ == "nummod":
                # "20 #Taliban fighters": the tokenizer's "#" stands between number and noun
                q = next(
                    (quantity_at(g) for g in child.children if g.dep_ == "nummod" and g.like_num),
                    None,
                )
            if q is not None:
                return q
    # "dozens of people", "three of their own", "hundreds of protesters"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        q = quantity_at(noun.head.head)
        if q is not None:
            return q
    if noun.like_num or noun.lower_ in _VAGUE:
        return quantity_at(noun)
    # "a commander", "the driver": one person
    for child in noun.children:
        if child.dep_ == "det" and child.lower_ in ("a", "an", "another") and noun.tag_ == "NN":
            return Quantity(1, "exact", child.i, noun.i + 1)
    return None
