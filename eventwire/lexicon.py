"""The trigger lexicon (``data/triggers.toml``), compiled once into lemma lookups."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .records import SUB_EVENT_TYPES


@dataclass(frozen=True, slots=True)
class Phrase:
    lemmas: tuple[str, ...]
    sub_event_type: str
    weight: float


@dataclass(frozen=True)
class Lexicon:
    #: first lemma -> phrases starting with it, longest first
    phrases: dict[str, tuple[Phrase, ...]]
    generic: dict[str, str]
    death_words: frozenset[str]
    injury_words: frozenset[str]
    #: lemma -> sub-event types it points to when it stands near a generic trigger
    context: dict[str, tuple[str, ...]]
    #: (verb lemmas, object lemmas, sub-event type) of events told by a verb and its object
    verb_objects: tuple[tuple[frozenset[str], frozenset[str], str], ...]
    civilian_words: frozenset[str]
    armed_words: frozenset[str]
    means_words: frozenset[str]
    #: nouns that count weapons or people, not events ("six missiles", "hundreds of protesters")
    instrument_words: frozenset[str]
    non_event_words: frozenset[str]
    modal_aux: frozenset[str]
    modal_verbs: frozenset[str]
    modal_nouns: frozenset[str]


#: a hyphen inside a word, which spaCy's tokenizer splits off ("cease-fire" -> cease - fire)
_INFIX_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def _lemmas(phrase: str) -> tuple[str, ...]:
    return tuple(_INFIX_HYPHEN.sub(" - ", phrase.lower()).split())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = tomllib.loads(
        resources.files("eventwire").joinpath("data/triggers.toml").read_text(encoding="utf-8")
    )
    index: dict[str, list[Phrase]] = {}
    for sub, entry in raw["sub"].items():
        if sub not in SUB_EVENT_TYPES:
            raise ValueError(f"triggers.toml names an unknown sub-event type: {sub!r}")
        for text in entry["phrases"]:
            lemmas = _lemmas(text)
            index.setdefault(lemmas[0], []).append(Phrase(lemmas, sub, float(entry["weight"])))
    context: dict[str, list[str]] = {}
    for sub, words in raw["context"].items():
        for word in words:
            context.setdefault(word, []).append(sub)
    return Lexicon(
        phrases={k: tuple(sorted(v, key=lambda p: -len(p.lemmas))) for k, v in index.items()},
        generic={_lemmas(k)[0] if " " not in k else k: v for k, v in raw["generic"].items()},
        death_words=frozenset(raw["casualty"]["death"]),
        injury_words=frozenset(raw["casualty"]["injury"]),
        context={k: tuple(v) for k, v in context.items()},
        verb_objects=tuple(
            (frozenset(raw[key]["verbs"]), frozenset(raw[key]["objects"]), sub)
            for key, sub in (
                ("disrupted", "Disrupted weapons use"),
                ("established", "Headquarters or base established"),
                ("formed", "Change to group/activity"),
                ("assaulted", "Armed clash"),
                ("found", "Other"),
            )
        ),
        civilian_words=frozenset(raw["cues"]["civilian"]),
        armed_words=frozenset(raw["cues"]["armed"]),
        means_words=frozenset(raw["cues"]["means"]),
        instrument_words=frozenset(raw["cues"]["instruments"]),
        non_event_words=frozenset(raw["cues"]["non_event"]),
        modal_aux=frozenset(raw["modality"]["modal_aux"]),
        modal_verbs=frozenset(raw["modality"]["verbs"]),
        modal_nouns=frozenset(raw["modality"]["nouns"]),
    )
