"""The actor dictionary (``data/actors.toml``): noun phrases -> normalized ACLED-style actors."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span as SpacySpan

from .countries import get_countries
from .gazetteer import normalize
from .records import Actor

_THE = re.compile(
    r"^(United |Central African|Democratic Republic|Dominican|Czech)|(Republic|Islands)$"
)
_THE_NAMES = {
    "Philippines",
    "Netherlands",
    "Gambia",
    "Bahamas",
    "Maldives",
    "Comoros",
    "Seychelles",
}
ROLE_HEADS = frozenset(
    [
        "commander",
        "leader",
        "member",
        "members",
        "fighter",
        "fighters",
        "official",
        "officials",
        "chief",
        "head",
        "spokesman",
        "operative",
        "operatives",
        "figure",
        "militant",
        "militants",
        "emir",
        "founder",
        "deputy",
    ]
)


def country_phrase(iso2: str | None) -> str | None:
    name = get_countries().name(iso2)
    if name is None:
        return None
    return f"the {name}" if _THE.search(name) or name in _THE_NAMES else name


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    type: str
    country: str | None


@dataclass(frozen=True, slots=True)
class _Generic:
    type: str
    name: str


class ActorDictionary:
    def __init__(self) -> None:
        raw = tomllib.loads(
            resources.files("eventwire").joinpath("data/actors.toml").read_text(encoding="utf-8")
        )
        self.groups: dict[tuple[str, ...], _Entry] = {}
        for group in raw["group"]:
            entry = _Entry(group["name"], group["type"], group["country"] or None)
            for alias in group["aliases"]:
                # short upper-case acronyms ("IS", "AA", "KH") only match in their exact case
                key = (
                    tuple(alias.split())
                    if alias.isupper() and len(alias) <= 3
                    else tuple(normalize(alias).split())
                )
                self.groups[key] = entry
        self.institutions = {
            tuple(normalize(k).split()): (v or None) for k, v in raw["institutions"].items()
        }
        self.military = {tuple(normalize(w).split()) for w in raw["force_words"]["military"]}
        self.police = {tuple(normalize(w).split()) for w in raw["force_words"]["police"]}
        self.generic: dict[tuple[str, ...], _Generic] = {}
        for gen in raw["generic"]:
            for word in gen["words"]:
                self.generic[tuple(normalize(word).split())] = _Generic(gen["type"], gen["name"])
        self.group_words = frozenset(normalize(w) for w in raw["group_words"]["words"])
        self.max_len = max(
            len(k) for k in [*self.groups, *self.institutions, *self.generic, *self.military]
        )

    def _windows(self, words: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        out = []
        for n in range(min(self.max_len, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                out.append((i, i + n, tuple(words[i : i + n])))
        return out

    def lookup(self, span: SpacySpan, event_country: str | None) -> Actor | None:
        """The actor a noun phrase names, or None when it names no actor."""
        # normalize the whole phrase: spaCy may split "Kata’ib" into "Kata" + "’ib"
        raw_words = span.text.replace(",", " ").split()
        words = normalize(span.text).replace(",", " ").split()
        if not words:
            return None
        text = span.text
        # a named group, longest alias first (exact-case acronyms checked on the raw words)
        for _, _, key in self._windows(raw_words):
            entry = self.groups.get(key)
            if entry is not None and len(key) == 1 and key[0].isupper():
                return self._make(entry.name, entry.type, entry.country, text, event_country)
        for _, _, key in self._windows(words):
            entry = self.groups.get(key)
            if entry is not None and not (len(key) == 1 and len(key[0]) <= 3):
                return self._make(entry.name, entry.type, entry.country, text, event_country)
        for _, _, key in self._windows(words):
            if key in self.institutions:
                iso = self.institutions[key]
                if iso:
                    return self.state(iso, "military", text, event_country)
        country = self._country_in(span)
        named = self._named_group(span, country)
        if named is not None:
            return self._make(named[0], named[1], event_country, text, event_country)
        # "police", "government troops" with no country named: the forces of the event's country
        home = country or event_country
        for _, _, key in self._windows(words):
            if key in self.police and home:
                return self.state(home, "police", text, event_country)
            if key in self.military and home:
                return self.state(home, "military", text, event_country)
        # a generic word names the actor only as the phrase's head ("armed men", not "regard for
        # civilian lives")
        head_words = normalize(
            span.doc[
                span.root.left_edge.i
                if span.root.left_edge.i >= span.start
                else span.start : span.root.i + 1
            ].text
        ).split()
        for _, end, key in self._windows(head_words):
            gen = self.generic.get(key) if end == len(head_words) else None
            if gen is not None:
                place = country_phrase(event_country) or "Unknown"
                name = gen.name.replace("{country}", place)
                if "{text}" in name:
                    name = text[:1].upper() + text[1:]
                return Actor(name=name, type=gen.type, country_code=event_country, text=text)  # type: ignore[arg-type]
        if country and len(words) <= 3 and any(t.ent_type_ == "GPE" for t in span):
            # a state as the agent of violence ("Israel struck ..."): its forces
            return self.state(country, "military", text, event_country)
        return None

    def group_spans(self, span: SpacySpan) -> list[tuple[int, int]]:
        """Character ranges of named armed groups in ``span`` ("Hayat Tahrir al-Sham"), so that
        words of their names are not read as places."""
        out = []
        for i, tok in enumerate(span):
            if not (tok.is_title or tok.is_upper):
                continue
            for n in range(min(self.max_len, len(span) - i), 0, -1):
                window = span[i : i + n]
                # an acronym counts in its exact case only ("IS", never the verb "is")
                if tuple(normalize(window.text).split()) in self.groups or (
                    n == 1 and tok.is_upper and (tok.text,) in self.groups
                ):
                    out.append((window.start_char, window.end_char))
                    break
        return out

    def _named_group(self, span: SpacySpan, country: str | None) -> tuple[str, str] | None:
        """A proper name with an organization word that names no state: "al-Fateh Army",
        "Jaysh al-Izza", "the Popular Resistance in Daraa" (not "the Syrian army")."""
        if country is not None:
            return None
        words = {normalize(t.text) for t in span}
        kind = words & self.group_words
        names = [t for t in span if t.pos_ == "PROPN" and normalize(t.text) not in self.group_words]
        if not kind or not names or span.root.ent_type_ in ("GPE", "LOC"):
            return None
        first = min(t.i for t in names + [t for t in span if normalize(t.text) in kind])
        name = span.doc[first : span.end].text.strip(" “”\"'")
        type_ = "political_militia" if kind & {"militia", "militias"} else "rebel_group"
        return name, type_

    def _country_in(self, span: SpacySpan) -> str | None:
        """A country named in the phrase, by name, alias or demonym ("United States military")."""
        countries = get_countries()
        for ent in span.ents:
            if ent.label_ in ("GPE", "NORP"):
                iso = countries.code_of_word(ent.text)
                if iso:
                    return iso
        # names spaCy split or left untagged, longest first: "United States", "U.S."
        tokens = [t for t in span if t.is_title or t.is_upper or t.ent_type_ in ("GPE", "NORP")]
        for n in range(min(4, len(span)), 0, -1):
            for i in range(len(span) - n + 1):
                window = span[i : i + n]
                if not any(t in tokens for t in window):
                    continue
                iso = countries.code_of_word(window.text)
                if iso:
                    return iso
        return None

    def state(self, iso: str, branch: str, text: str, event_country: str | None) -> Actor:
        kind = "Police Forces" if branch == "police" else "Military Forces"
        name = f"{kind} of {country_phrase(iso) or iso}"
        return self._make(name, "state_forces", iso, text, event_country)

    @staticmethod
    def _make(
        name: str, type_: str, country: str | None, text: str, event_country: str | None
    ) -> Actor:
        if type_ == "state_forces" and event_country and country and country != event_country:
            type_ = "external_other"  # forces of a state acting abroad, as ACLED codes them
        return Actor(name=name, type=type_, country_code=country, text=text)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_actor_dictionary() -> ActorDictionary:
    return ActorDictionary()
