"""Scoring the places stage on geoparsing gold data: GeoWebNews and LGL (``shared/data/geoparsing``).

``eventwire eval PATH`` comes here (through ``evaluate.EVALUATORS``) for an ``.xml`` file of
``<articles>`` with ``<toponyms>``, or a folder of them. Each file is one dataset; two layouts are
read: GeoWebNews (``<toponym>`` with ``start``, ``end``, ``extractedName``, ``type``,
``geonamesID``, ``latitude``, ``longitude``) and LGL (``start``, ``end``, ``phrase`` and
``<gaztag geonameid>`` with ``lat``, ``lon``, ``country``, ``fcode``).

Figures, as in Gritta, Pilehvar and Collier, "A Pragmatic Guide to Geoparsing Evaluation" (2019):

* **Recognition**: precision, recall and F1 of the stage's mention spans against the gold toponyms
  on exact character offsets. Gold toponyms are every LGL toponym and every GeoWebNews toponym that
  is a name (its ``Literal_Expression``, ``Non_Lit_Expression`` and ``Non_Toponym`` annotations,
  common nouns such as "city" or "residents", are left out). Demonyms count: GeoWebNews annotates
  them and the stage reports them (as not locational).
* **Resolution, gold spans** ("resolve the gold span in context"): the stage resolves each gold
  toponym that has coordinates, given its gold offsets, in the context of the places it finds in
  the article (``places.find_places(..., spans=...)``). Per toponym the error is the great-circle
  distance from the gold point; an unresolved toponym counts ``MAX_ERROR_KM``. Reported: accuracy
  within 161 km, median and mean error, AUC (area under the curve of sorted, normalized log errors,
  ``log(1 + km) / log(MAX_ERROR_KM)``; lower is better), correct country. Also reported on the gold
  toponyms that have a GeoNames id (GeoWebNews gives some streets and buildings coordinates but no
  id): published GeoNames-based figures such as Mordecai3's are on those.
* **Resolution, end to end**: the stage's own mentions; a gold toponym with coordinates that the
  stage recognized (exact offsets) is scored by the stage's resolution. ``acc_161`` is over the
  recognized ones; ``found_161`` is the share of all gold toponyms with coordinates that were both
  recognized and resolved within 161 km.
* **Correct country**: the gold country is LGL's ``country``, else the country of the gazetteer
  record with the gold GeoNames id, else that of the gazetteer's nearest town to the gold point
  (within 100 km); toponyms with none (seas, continents) are left out.

Baselines in the same run: **population** resolves each gold toponym's words to the gazetteer
candidate with the most people (no context); **spaCy NER** recognizes spaCy's GPE, LOC and FAC
entities as they are; **geotext** (the ``geotext`` package, optional: ``eventwire[geo-eval]``)
recognizes the city and country names it finds and resolves a name to its most populous city in
geotext's own GeoNames list, or to the country's point.
"""

from __future__ import annotations

import logging
import math
import re
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DatasetError
from .gazetteer import Candidate, Gazetteer, get_gazetteer, haversine_km
from .records import Article, Document, Place

if TYPE_CHECKING:
    from rich.console import RenderableType

log = logging.getLogger(__name__)

KIND = "geoparsing"
#: the error of an unresolved toponym: half the Earth's circumference
MAX_ERROR_KM = 20039.0
ACCURACY_KM = 161.0
#: GeoWebNews annotation types that are not names of places (common nouns, organisations)
GWN_NOT_NAMES = frozenset({"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"})
#: GeoWebNews types of a name used as a location (Gritta et al.'s "literal" group); the other
#: name types (metonyms, demonyms, non-literal modifiers, ...) are not locations
GWN_LITERAL = frozenset({"Literal", "Mixed", "Literal_Modifier", "Coercion", "Embedded_Literal"})
#: how far the nearest town may be from a gold point to lend it its country
COUNTRY_NEAREST_KM = 100.0
_SNIFF_BYTES = 65536


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    #: ISO alpha-2 of the gold place where the gold says or implies it
    country_code: str | None = None
    #: GeoWebNews' annotation type or LGL's GeoNames feature code
    type: str = ""
    #: a name (scored for recognition), not a common noun
    name_like: bool = True
    #: the gold says whether the name is used as a location (GeoWebNews' types); None: unknown
    literal: bool | None = None

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(slots=True)
class GeoArticle:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# reading gold


def _xml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return [f for f in sorted(path.glob("*.xml")) if _is_gold_file(f)]
    return [path] if _is_gold_file(path) else []


def _is_gold_file(path: Path) -> bool:
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return False
    return b"<articles" in head and b"<toponym" in head


def detect(path: Path) -> bool:
    """Whether ``path`` is geoparsing gold: an ``.xml`` of ``<articles>`` with ``<toponyms>``, or
    a folder holding such files."""
    return bool(_xml_files(Path(path)))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def load_geo_gold(path: Path, *, limit: int | None = None) -> dict[str, list[GeoArticle]]:
    """Articles of each gold file (the file's stem names the dataset), the first ``limit`` of each."""
    from .countries import get_countries

    files = _xml_files(Path(path))
    if not files:
        raise DatasetError(f"{path} holds no geoparsing gold (.xml of <articles> with <toponyms>)")
    countries = get_countries()
    out: dict[str, list[GeoArticle]] = {}
    for f in files:
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError as exc:
            raise DatasetError(f"{f}: not well-formed XML ({exc})") from None
        articles: list[GeoArticle] = []
        for n, art in enumerate(root.iter("article")):
            if limit is not None and len(articles) >= limit:
                break
            text = art.findtext("text") or ""
            aid = art.get("docid") or art.get("file") or str(n)
            toponyms = []
            for t in art.iter("toponym"):
                top = _toponym(t, countries.code)
                # a few gold toponyms have offsets outside their text (GeoWebNews has five)
                if 0 <= top.start < top.end <= len(text):
                    toponyms.append(top)
                else:
                    log.info(
                        "%s: article %s: toponym offsets %d-%d out of range: skipped",
                        f,
                        aid,
                        top.start,
                        top.end,
                    )
            articles.append(GeoArticle(aid, text, toponyms))
        out[f.stem] = articles
    return out


def _toponym(t: ET.Element, country_code: Callable[[str], str | None]) -> GoldToponym:
    start, end = _int(t.findtext("start")) or 0, _int(t.findtext("end")) or 0
    tag = t.find("gaztag")
    if tag is not None or t.find("phrase") is not None:  # LGL
        country = tag.findtext("country") if tag is not None else None
        return GoldToponym(
            start,
            end,
            t.findtext("phrase") or "",
            _float(tag.findtext("lat")) if tag is not None else None,
            _float(tag.findtext("lon")) if tag is not None else None,
            _int(tag.get("geonameid")) if tag is not None else None,
            country_code(country) if country else None,
            (tag.findtext("fcode") or "") if tag is not None else "",
        )
    type_ = t.findtext("type") or ""
    return GoldToponym(
        start,
        end,
        t.findtext("extractedName") or "",
        _float(t.findtext("latitude")),
        _float(t.findtext("longitude")),
        _int(t.findtext("geonamesID")),
        None,
        type_,
        type_ not in GWN_NOT_NAMES,
        type_ in GWN_LITERAL,
    )


def gold_country(t: GoldToponym, gazetteer: Gazetteer) -> str | None:
    """The country of a gold toponym: given, else by its GeoNames id, else by its nearest town."""
    if t.country_code:
        return t.country_code
    if t.geonames_id is not None:
        rec = gazetteer.by_geonames_id(t.geonames_id)
        if rec is not None:
            return rec.country_code
    if t.latitude is not None and t.longitude is not None:
        near = gazetteer.nearest(t.latitude, t.longitude, max_km=COUNTRY_NEAREST_KM)
        if near is not None:
            return near.country_code
    return None


# ---------------------------------------------------------------------------------------------
# figures


def auc(errors: Sequence[float]) -> float | None:
    """Area under the curve of sorted normalized log errors (Gritta et al.); 0 is perfect."""
    if not errors:
        return None
    ys = sorted(math.log(e + 1) / math.log(MAX_ERROR_KM) for e in errors)
    if len(ys) == 1:
        return ys[0]
    return sum((ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1)) / (len(ys) - 1)


def resolution_figures(
    errors: Sequence[float], country_hits: Sequence[bool], *, unresolved: int = 0
) -> dict[str, Any]:
    """acc@161km, median/mean error, AUC and correct-country rate of a list of errors."""
    n = len(errors)
    return {
        "n": n,
        "acc_161": sum(e <= ACCURACY_KM for e in errors) / n if n else None,
        "median_km": statistics.median(errors) if n else None,
        "mean_km": statistics.fmean(errors) if n else None,
        "auc": auc(errors),
        "country": sum(country_hits) / len(country_hits) if country_hits else None,
        "n_country": len(country_hits),
        "unresolved": unresolved,
    }


def recognition_figures(gold: set[Any], found: set[Any]) -> dict[str, Any]:
    """Precision, recall and F1 of found spans against gold spans (any hashable span keys)."""
    tp = len(gold & found)
    fp, fn = len(found - gold), len(gold - found)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


class _Resolution:
    """Errors and country hits of one system over gold toponyms."""

    def __init__(self) -> None:
        self.errors: list[float] = []
        self.countries: list[bool] = []
        self.unresolved = 0

    def add(
        self,
        gold: GoldToponym,
        gold_cc: str | None,
        point: tuple[float, float] | None,
        cc: str | None,
    ) -> None:
        assert gold.latitude is not None and gold.longitude is not None
        if point is None:
            self.unresolved += 1
            self.errors.append(MAX_ERROR_KM)
        else:
            self.errors.append(haversine_km(gold.latitude, gold.longitude, point[0], point[1]))
        if gold_cc is not None:
            self.countries.append(cc == gold_cc)

    def figures(self) -> dict[str, Any]:
        return resolution_figures(self.errors, self.countries, unresolved=self.unresolved)


# ---------------------------------------------------------------------------------------------
# baselines


def population_first(gazetteer: Gazetteer, name: str) -> Candidate | None:
    """The plain baseline: the gazetteer's candidate with the most people, ignoring context."""
    cands = gazetteer.candidates(name)
    return max(cands, key=lambda c: c.population) if cands else None


class GeotextBaseline:
    """geotext's recognition, and resolution by its own GeoNames city list (cities15000)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        import geotext  # optional: eventwire[geo-eval]
        from geotext import GeoText

        self._geotext = GeoText
        self._gazetteer = gazetteer
        self._cities: dict[str, tuple[float, float, int]] = {}
        path = Path(geotext.__file__ or ".").parent / "data" / "cities15000.txt"
        with path.open(encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 15:
                    continue
                key, pop = cols[1].lower(), int(cols[14] or 0)
                if key not in self._cities or pop > self._cities[key][2]:
                    self._cities[key] = (float(cols[4]), float(cols[5]), pop)
        self._countries = {
            name: code for name, code in GeoText.index.countries.items() if isinstance(code, str)
        }

    def recognize(self, text: str) -> set[tuple[int, int]]:
        found = self._geotext(text)
        names = {*found.cities, *found.countries}
        spans: set[tuple[int, int]] = set()
        for name in names:
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                spans.add((m.start(), m.end()))
        return spans

    def resolve(self, name: str) -> tuple[tuple[float, float] | None, str | None]:
        key = name.lower()
        code = self._countries.get(key)
        if code is not None:
            country = self._gazetteer.country(code)
            if country is not None:
                return (country.latitude, country.longitude), code
        city = self._cities.get(key)
        if city is not None:
            near = self._gazetteer.nearest(city[0], city[1], max_km=20)
            return (city[0], city[1]), near.country_code if near else None
        return None, None


def _point(place: Place | None) -> tuple[float, float] | None:
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return (place.latitude, place.longitude)


def _geotext(gazetteer: Gazetteer) -> GeotextBaseline | None:
    try:
        return GeotextBaseline(gazetteer)
    except ImportError:
        log.info("geotext is not installed: its baseline is skipped (eventwire[geo-eval])")
        return None


# ---------------------------------------------------------------------------------------------
# running


def evaluate(path: Path, pipeline: Any, *, limit: int | None = None) -> dict[str, Any]:
    """Score the pipeline's ``parse`` and ``places`` stages on the gold file or folder ``path``.

    Returns ``{"kind", "dataset", "files", "by_dataset": {name: figures}}`` and, for a single
    dataset, its figures at the top level too (see the module docstring for each figure).
    """
    path = Path(path)
    datasets = load_geo_gold(path, limit=limit)
    parse = pipeline.stage("parse")
    places = pipeline.stage("places")
    gazetteer: Gazetteer = getattr(places, "gazetteer", None) or get_gazetteer(pipeline.settings)
    geotext = _geotext(gazetteer)
    by_dataset = {
        name: _score_dataset(articles, parse, places, gazetteer, geotext)
        for name, articles in datasets.items()
    }
    result: dict[str, Any] = {
        "kind": KIND,
        "dataset": path.stem if path.is_file() else path.name,
        "files": [str(f) for f in _xml_files(path)],
        "by_dataset": by_dataset,
    }
    if len(by_dataset) == 1:
        result.update(next(iter(by_dataset.values())))
    return result


def _score_dataset(
    articles: list[GeoArticle],
    parse: Any,
    places: Any,
    gazetteer: Gazetteer,
    geotext: GeotextBaseline | None,
) -> dict[str, Any]:
    from .stages.places import find_places

    docs = [Document(article=Article(text=a.text, origin=f"article {a.id}")) for a in articles]
    t0 = time.perf_counter()
    docs = list(parse.pipe(docs)) if hasattr(parse, "pipe") else [parse(d) for d in docs]
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = [places(d) for d in docs]
    t_places = time.perf_counter() - t0

    rec_gold: set[tuple[int, int, int]] = set()
    rec_sys: set[tuple[int, int, int]] = set()
    rec_ner: set[tuple[int, int, int]] = set()
    rec_geotext: set[tuple[int, int, int]] = set()
    system, system_gid, pop, pop_gid = _Resolution(), _Resolution(), _Resolution(), _Resolution()
    e2e, geo_spans, geo_e2e = _Resolution(), _Resolution(), _Resolution()
    pointed = 0
    loc_agree = loc_n = loc_literal = 0
    country_cache: dict[GoldToponym, str | None] = {}

    for i, (art, doc) in enumerate(zip(articles, docs, strict=True)):
        assert doc.doc is not None
        rec_gold.update((i, t.start, t.end) for t in art.toponyms if t.name_like)
        rec_sys.update((i, m.start, m.end) for m in doc.places)
        rec_ner.update(
            (i, e.start_char, e.end_char) for e in doc.doc.ents if e.label_ in ("GPE", "LOC", "FAC")
        )
        geo_found = geotext.recognize(art.text) if geotext is not None else set()
        rec_geotext.update((i, s, e) for s, e in geo_found)
        with_point = [t for t in art.toponyms if t.has_point]
        pointed += len(with_point)
        resolved = find_places(doc.doc, gazetteer, spans=[(t.start, t.end) for t in with_point])
        by_span = {(m.start, m.end): m for m in doc.places}
        for t, m in zip(with_point, resolved, strict=True):
            if t not in country_cache:
                country_cache[t] = gold_country(t, gazetteer)
            cc = country_cache[t]
            point = _point(m.place)
            sys_cc = m.place.country_code if m.place else None
            system.add(t, cc, point, sys_cc)
            base = population_first(gazetteer, t.text)
            base_point = (base.latitude, base.longitude) if base else None
            pop.add(t, cc, base_point, base.country_code if base else None)
            if t.geonames_id is not None:
                system_gid.add(t, cc, point, sys_cc)
                pop_gid.add(t, cc, base_point, base.country_code if base else None)
            found = by_span.get((t.start, t.end))
            if found is not None:
                e2e.add(
                    t, cc, _point(found.place), found.place.country_code if found.place else None
                )
                if t.literal is not None and t.name_like:
                    loc_n += 1
                    loc_literal += t.literal
                    loc_agree += found.locational == t.literal
            if geotext is not None:
                g_point, g_cc = geotext.resolve(t.text)
                geo_spans.add(t, cc, g_point, g_cc)
                if (t.start, t.end) in geo_found:
                    geo_e2e.add(t, cc, g_point, g_cc)

    def end_to_end(r: _Resolution) -> dict[str, Any]:
        figures = r.figures()
        hits = sum(e <= ACCURACY_KM for e in r.errors)
        figures["found_161"] = hits / pointed if pointed else None
        figures["n_gold"] = pointed
        return figures

    out: dict[str, Any] = {
        "n_articles": len(articles),
        "n_toponyms": len(rec_gold),
        "n_with_point": pointed,
        "n_with_geonames_id": len(system_gid.errors),
        "system": {
            "recognition": recognition_figures(rec_gold, rec_sys),
            "resolution_gold_spans": system.figures(),
            "resolution_gold_spans_geonames": system_gid.figures(),
            "resolution_end_to_end": end_to_end(e2e),
        },
        "baselines": {
            "population": {
                "resolution_gold_spans": pop.figures(),
                "resolution_gold_spans_geonames": pop_gid.figures(),
            },
            "spacy_ner": {"recognition": recognition_figures(rec_gold, rec_ner)},
            "geotext": (
                {
                    "recognition": recognition_figures(rec_gold, rec_geotext),
                    "resolution_gold_spans": geo_spans.figures(),
                    "resolution_end_to_end": end_to_end(geo_e2e),
                }
                if geotext is not None
                else {"unavailable": "pip install 'eventwire[geo-eval]'"}
            ),
        },
        "timing": {
            "parse_s": round(t_parse, 3),
            "places_s": round(t_places, 3),
            "places_share_of_parse": round(t_places / t_parse, 4) if t_parse else None,
        },
    }
    if loc_n:
        out["system"]["locational"] = {
            "agree": loc_agree / loc_n,
            "n": loc_n,
            "all_locational_baseline": loc_literal / loc_n,
        }
    return out


# ---------------------------------------------------------------------------------------------
# report


def _pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _km(value: Any) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


_RESOLUTION_ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("acc_161", "accuracy within 161 km (%)", _pct),
    ("median_km", "median error (km)", _km),
    ("mean_km", "mean error (km)", _km),
    ("auc", "AUC of log error (lower is better)", _num),
    ("country", "correct country (%)", _pct),
)


def _dataset_report(name: str, d: dict[str, Any]) -> RenderableType:
    from rich.table import Table

    sysf, base = d["system"], d["baselines"]
    geo = base.get("geotext", {})
    table = Table(
        title=(
            f"{name}: {d['n_articles']} articles, {d['n_toponyms']} gold toponyms, "
            f"{d['n_with_point']} with coordinates ({d['n_with_geonames_id']} with a GeoNames id)"
        ),
        title_justify="left",
    )
    table.add_column("figure")
    table.add_column("system", justify="right")
    table.add_column("population-first", justify="right")
    table.add_column("spaCy NER", justify="right")
    table.add_column("geotext", justify="right")

    def cell(block: dict[str, Any] | None, key: str, fmt: Callable[[Any], str]) -> str:
        return fmt(block.get(key)) if block else ""

    table.add_section()
    for key, label in (("precision", "precision (%)"), ("recall", "recall (%)"), ("f1", "F1 (%)")):
        table.add_row(
            f"recognition, exact offsets: {label}",
            cell(sysf["recognition"], key, _pct),
            "",
            cell(base["spacy_ner"]["recognition"], key, _pct),
            cell(geo.get("recognition"), key, _pct),
        )
    for block, title in (
        ("resolution_gold_spans", "gold spans"),
        ("resolution_gold_spans_geonames", "gold spans with a GeoNames id"),
        ("resolution_end_to_end", "end to end, recognized spans"),
    ):
        table.add_section()
        for key, label, fmt in _RESOLUTION_ROWS:
            table.add_row(
                f"{title}: {label}",
                cell(sysf[block], key, fmt),
                cell(base["population"].get(block), key, fmt),
                "",
                cell(geo.get(block), key, fmt),
            )
        if block == "resolution_end_to_end":
            table.add_row(
                f"{title}: recognized and within 161 km, of all (%)",
                cell(sysf[block], "found_161", _pct),
                "",
                "",
                cell(geo.get(block), "found_161", _pct),
            )
    return table


def format_report(result: dict[str, Any]) -> RenderableType:
    """Rich tables of an :func:`evaluate` result, one per dataset."""
    from rich.console import Group

    parts: list[Any] = []
    for name, d in result["by_dataset"].items():
        parts.append(_dataset_report(name, d))
        t = d["timing"]
        share = t.get("places_share_of_parse")
        loc = d["system"].get("locational")
        parts.append(
            f"time: spaCy {t['parse_s']:.1f} s, places stage {t['places_s']:.2f} s"
            + (f" ({100 * share:.1f}% of spaCy's)" if share is not None else "")
            + (
                f"; locational flag agrees with the gold on {100 * loc['agree']:.1f}% of "
                f"{loc['n']} recognized names (all-locational: {100 * loc['all_locational_baseline']:.1f}%)"
                if loc
                else ""
            )
        )
        if "unavailable" in d["baselines"].get("geotext", {}):
            parts.append("geotext baseline skipped: " + d["baselines"]["geotext"]["unavailable"])
    parts.append(
        "Gold spans: the stage resolves each gold toponym in its article's context; end to end: "
        "its own mentions. Population-first: the most populous candidate of the toponym's words. "
        "Unresolved toponyms count 20,039 km. See eventwire/evaluate_geo.py for each figure."
    )
    return Group(*parts)
