"""Measure the places stage on the geoparsing gold data in ../shared/data/geoparsing/.

Resolution: every gold toponym with coordinates is resolved by its gold text with the gazetteer,
using as context the countries the places stage found in the same article; reported as accuracy
within 161 km, mean and median error and AUC of the log error curve (Gritta et al. 2019).
An unresolved toponym counts as the largest possible error.
Recognition (reported for information): exact-offset precision/recall/F1 of the stage's mentions
against gold toponyms that are proper names (GWN: not the *_Expression or Non_Toponym types).
Speed: seconds in spaCy's nlp.pipe against seconds in the places stage over the same texts.

    .venv/bin/python scripts/eval_places.py [--dataset gwn|lgl|both] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.config import load_settings
from eventwire.gazetteer import get_gazetteer, haversine_km
from eventwire.nlp import load_model
from eventwire.stages.places import collect_context, find_places

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "geoparsing"
MAX_ERROR_KM = 20039.0
GWN_NOT_NAMES = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}
#: GWN types of a name used as a location (Gritta et al.'s "literal" group); the rest of the
#: name types ("associative": metonyms, demonyms, non-literal modifiers, ...) are not locations
GWN_LITERAL = {"Literal", "Mixed", "Literal_Modifier", "Coercion", "Embedded_Literal"}


@dataclass
class Gold:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    name_like: bool = True
    #: the gold says the name is used as a location (GWN's literal types); None if unknown
    locational: bool | None = None


@dataclass
class Article:
    text: str
    gold: list[Gold] = field(default_factory=list)


def read_gwn(path: Path) -> list[Article]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for t in art.iter("toponym"):
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            gold.append(
                Gold(
                    int(t.findtext("start") or 0),
                    int(t.findtext("end") or 0),
                    t.findtext("extractedName") or "",
                    float(lat) if lat else None,
                    float(lon) if lon else None,
                    (t.findtext("type") or "") not in GWN_NOT_NAMES,
                    (t.findtext("type") or "") in GWN_LITERAL,
                )
            )
        out.append(Article(text, gold))
    return out


def read_lgl(path: Path) -> list[Article]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for t in art.iter("toponym"):
            tag = t.find("gaztag")
            lat = tag.findtext("lat") if tag is not None else None
            lon = tag.findtext("lon") if tag is not None else None
            gold.append(
                Gold(
                    int(t.findtext("start") or 0),
                    int(t.findtext("end") or 0),
                    t.findtext("phrase") or "",
                    float(lat) if lat else None,
                    float(lon) if lon else None,
                )
            )
        out.append(Article(text, gold))
    return out


def auc(errors: list[float]) -> float:
    if not errors:
        return float("nan")
    ys = sorted(math.log(e + 1) / math.log(MAX_ERROR_KM) for e in errors)
    # the area under the sorted normalised log-error curve, over [0, 1]
    return sum((ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1)) / max(1, len(ys) - 1)


def evaluate(name: str, articles: list[Article]) -> None:
    settings = load_settings()
    nlp = load_model(settings.nlp.model)
    t0 = time.perf_counter()
    gaz = get_gazetteer(settings)
    t_load = time.perf_counter() - t0
    texts = [a.text for a in articles]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=settings.nlp.batch_size))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = [find_places(d, gaz) for d in docs]
    t_stage = time.perf_counter() - t0

    errors: list[float] = []
    unresolved = 0
    tp = fp = fn = 0
    loc_agree = loc_total = loc_gold = 0
    for art, mentions in zip(articles, found, strict=True):
        context = collect_context(gaz.rank(m.text) for m in mentions)
        for g in art.gold:
            if g.lat is None or g.lon is None:
                continue
            best = gaz.resolve(
                g.text, context_countries=context.countries, context_admin1=context.admin1
            )
            if best is None:
                unresolved += 1
                errors.append(MAX_ERROR_KM)
            else:
                errors.append(haversine_km(g.lat, g.lon, best.latitude, best.longitude))
        gold_spans = {(g.start, g.end) for g in art.gold if g.name_like}
        ours = {(m.start, m.end) for m in mentions}
        tp += len(gold_spans & ours)
        by_span = {(m.start, m.end): m for m in mentions}
        for g in art.gold:
            m = by_span.get((g.start, g.end))
            if m is not None and g.locational is not None and g.name_like:
                loc_total += 1
                loc_agree += m.locational == g.locational
                loc_gold += g.locational
        fp += len(ours - gold_spans)
        fn += len(gold_spans - ours)

    n = len(errors)
    acc = sum(e <= 161 for e in errors) / n if n else float("nan")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"== {name}: {len(articles)} articles, {n} gold toponyms with coordinates")
    print(
        f"resolution: acc@161km {acc:.3f}  mean {statistics.mean(errors):.0f} km  "
        f"median {statistics.median(errors):.0f} km  AUC {auc(errors):.3f}  "
        f"unresolved {unresolved} ({unresolved / n:.1%})"
    )
    print(f"recognition (exact offsets): P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    if loc_total:
        print(
            f"locational flag agrees with the gold on {loc_agree / loc_total:.1%} "
            f"of {loc_total} recognised toponyms (all-locational baseline "
            f"{loc_gold / loc_total:.1%})"
        )
    print(
        f"time: gazetteer load {t_load:.2f}s, nlp.pipe {t_spacy:.2f}s, places stage "
        f"{t_stage:.2f}s ({t_stage / t_spacy:.1%} of spaCy)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", choices=("gwn", "lgl", "both"), default="both")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent")
    if args.dataset in ("gwn", "both"):
        arts = read_gwn(SHARED / "GWN.xml")
        evaluate("GeoWebNews", arts[: args.limit] if args.limit else arts)
    if args.dataset in ("lgl", "both"):
        arts = read_lgl(SHARED / "lgl.xml")
        evaluate("LGL", arts[: args.limit] if args.limit else arts)


if __name__ == "__main__":
    main()
