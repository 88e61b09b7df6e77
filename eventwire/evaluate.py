"""Scoring eventwire against gold data: the events datasets and hand-written worked examples.

Two kinds of gold are read here:

* **Datasets** (``shared/data/events/*.jsonl``): one item a line, ``{"id", "dataset", "text",
  "published", "events": [...]}``, gold event fields named as in the output contract and present
  only where the source labels them. ``evaluate_dataset`` runs the pipeline over the items and
  scores it with ``score_events``, beside a plain baseline scored by the same function.
* **Worked examples** (``NAME.expected.json`` beside ``NAME.txt`` and ``NAME.meta.json``): what a
  careful coder extracts from one article. ``evaluate_example`` matches expected events to system
  events one to one and reports, per expected event, which fields the system got right.

Scoring is pure (no printing, no I/O beyond reading gold); ``format_report`` renders a result as
rich tables for the CLI.

How each dataset figure is defined (every figure is ``{"value", "n"}``, ``n`` = how many gold items
or gold events labelled that field; ``value`` is ``None`` when ``n`` is 0):

* ``event_type_*``, ``sub_event_type_*``: on the system's *first* event, or ``"none"`` when it
  reports no event. An item with ``"events": []`` (a non-ACLED type) has gold label ``"none"``; an
  item whose gold events carry no type (UCDP GED) is not scored. ``accuracy``; ``macro_f1`` is the
  mean F1 over the gold labels present (``"none"`` included); ``weighted_f1_acled`` is the
  support-weighted F1 over the ACLED labels on ACLED-labelled items only (CASE 2021 subtask 1's
  figure; answering ``"none"`` there is a miss).
* ``no_event_for_non_acled``: share of ``"none"`` items for which the system reports no event.
* The remaining figures are per gold event that labels the field, against *all* system events of
  the item (the README's definitions): ``fatalities`` right when the largest system count equals
  the gold count or lies in gold ``[low, high]`` (no count reported counts as 0); ``country`` when
  some system event's place has the gold country code; ``place_25km`` / ``place_161km`` when the
  nearest system event place (haversine) is within 25 / 161 km; ``place_error_km_median`` over
  events where the system gave coordinates; ``date_exact`` when some system event has the gold
  start and end; ``date_overlap`` when some system event's ``[start, end]`` overlaps gold.
* Actors (``actor1``, ``actor2``): right when some system event's actor in that role matches the
  gold actor by name or by type (see ``actor_matches``). GED records state-based and non-state
  violence as an unordered ``parties`` list: ``parties_any`` is right when some actor (either role)
  of some system event matches some party; ``parties_both`` when one system event has two actors
  that match two distinct parties.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .countries import get_countries
from .errors import DatasetError
from .gazetteer import haversine_km
from .records import (
    SUB_EVENT_TYPES,
    Actor,
    Article,
    ArticleResult,
    Count,
    DateInfo,
    Event,
    Place,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

log = logging.getLogger(__name__)

NONE_LABEL = "none"
ACLED_SUB_EVENT_TYPES: tuple[str, ...] = tuple(SUB_EVENT_TYPES)
ACLED_EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(SUB_EVENT_TYPES.values()))
#: "near" tolerance for a place named in a worked example
EXAMPLE_PLACE_KM = 25.0
#: the geoparsing literature's tolerance (100 miles), used where the gold place is approximate
WIDE_PLACE_KM = 161.0

FIGURES: tuple[str, ...] = (
    "event_type_accuracy",
    "event_type_macro_f1",
    "event_type_weighted_f1_acled",
    "sub_event_type_accuracy",
    "sub_event_type_macro_f1",
    "sub_event_type_weighted_f1_acled",
    "no_event_for_non_acled",
    "events_per_item",
    "fatalities",
    "country",
    "place_25km",
    "place_161km",
    "place_error_km_median",
    "date_exact",
    "date_overlap",
    "actor1",
    "actor2",
    "parties_any",
    "parties_both",
)


class Predictor(Protocol):
    """What evaluation needs of a pipeline: ``eventwire.pipeline.Pipeline`` is one."""

    def pipe(
        self, articles: Iterable[Article], *, workers: int | None = None
    ) -> Iterator[ArticleResult]: ...


@dataclass(slots=True)
class GoldItem:
    """One line of an events dataset; ``events`` are gold event dicts as the source labels them."""

    id: str
    text: str
    dataset: str = ""
    published: date | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    #: the source's item-level label of an item with no ACLED event (e.g. "NATURAL_DISASTER")
    source_label: str | None = None
    origin: str = ""

    def article(self) -> Article:
        return Article(text=self.text, id=self.id, published=self.published, origin=self.origin)


# --------------------------------------------------------------------------------------------------
# Reading gold


def load_gold(path: Path) -> list[GoldItem]:
    """Gold items from one events JSONL file. A missing or malformed file raises DatasetError."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError(f"gold file {path} does not exist") from None
    except IsADirectoryError:
        raise DatasetError(f"gold file {path} is a directory; give a .jsonl file") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"gold file {path} is not UTF-8 text: {exc}") from None
    items: list[GoldItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        item = _parse_item(line, where)
        if item.id in seen:
            raise DatasetError(f"{where}: duplicate item id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise DatasetError(f"gold file {path} has no items")
    return items


def load_gold_paths(path: Path) -> list[Path]:
    """The gold files behind ``path``: the file itself, or every ``*.jsonl`` in a directory."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise DatasetError(f"directory {path} has no *.jsonl gold files")
        return files
    if not path.exists():
        raise DatasetError(f"gold file {path} does not exist")
    return [path]


def _parse_item(line: str, where: str) -> GoldItem:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"{where}: not a JSON line ({exc.msg}); expected one item a line"
        ) from None
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    for key, kind in (("id", str), ("text", str), ("events", list)):
        if not isinstance(raw.get(key), kind):
            raise DatasetError(f"{where}: field {key!r} is missing or not a {kind.__name__}")
    events = raw["events"]
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise DatasetError(f"{where}: events[{i}] is not an object")
        _check_event(event, f"{where}: events[{i}]")
    return GoldItem(
        id=raw["id"],
        text=raw["text"],
        dataset=str(raw.get("dataset") or ""),
        published=_parse_date(raw.get("published"), f"{where}: published"),
        events=events,
        source_label=raw.get("source_label"),
        origin=where,
    )


def _parse_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DatasetError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _check_event(event: dict[str, Any], where: str) -> None:
    # Check what scoring relies on, so a bad line fails at load time with its line number.
    if "date" in event:
        d = event["date"]
        if not isinstance(d, dict):
            raise DatasetError(f"{where}.date is not an object")
        _parse_date(d.get("start"), f"{where}.date.start")
        _parse_date(d.get("end"), f"{where}.date.end")
    loc = event.get("location")
    if isinstance(loc, dict):
        for key in ("latitude", "longitude"):
            if loc.get(key) is not None and not isinstance(loc[key], int | float):
                raise DatasetError(f"{where}.location.{key} is not a number")
    fat = event.get("fatalities")
    if fat is not None:
        if not isinstance(fat, dict):
            raise DatasetError(f"{where}.fatalities is not an object")
        for key in ("count", "low", "high"):
            if fat.get(key) is not None and not isinstance(fat[key], int):
                raise DatasetError(f"{where}.fatalities.{key} is not an integer")
    for key in ("event_type", "sub_event_type"):
        if key in event and not isinstance(event[key], str):
            raise DatasetError(f"{where}.{key} is not a string")


# --------------------------------------------------------------------------------------------------
# Small shared rules


def dates_overlap(
    a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None
) -> bool:
    """Whether two date ranges share a day; an open end is taken as its start (unknown: False)."""
    a_end, b_end = a_end or a_start, b_end or b_start
    if a_start is None or b_start is None or a_end is None or b_end is None:
        return False
    return a_start <= b_end and b_start <= a_end


_STOP = frozenset({"the", "of", "and", "in", "for", "al"})


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'").casefold()


def _name_tokens(name: str) -> list[str]:
    name = re.sub(r"\([^)]*\)", " ", _fold(name))  # ACLED's "(Syria)", "(2021-)" qualifiers
    name = name.replace("'", "")
    return [t for t in re.split(r"[^\w]+", name) if t and t not in _STOP]


def names_match(a: str | None, b: str | None) -> bool:
    """Loose actor-name equality: same words (case, accents, punctuation, "the/of" and parenthesised
    qualifiers aside), an acronym of the other's initials ("IS" ~ "Islamic State", "SDF" ~ "Syrian
    Democratic Forces"), or all of the shorter name's words (at least two) within the longer one."""
    if not a or not b:
        return False
    # ACLED's "SDF: Syrian Democratic Forces" is both its acronym and its name; GED lists allied
    # groups as "Ahrar al-Sham, HTS, Southern Front"
    parts_a = [p for p in re.split(r"[:,;]", a) if p.strip()]
    parts_b = [p for p in re.split(r"[:,;]", b) if p.strip()]
    if len(parts_a) > 1 or len(parts_b) > 1:
        return any(_names_match(x, y) for x in [a, *parts_a] for y in [b, *parts_b])
    return _names_match(a, b)


def _names_match(a: str, b: str) -> bool:
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    for short, long_ in ((ta, tb), (tb, ta)):
        if len(short) == 1 and len(long_) >= 2 and short[0] == "".join(t[0] for t in long_):
            return True
    short, long_ = sorted((ta, tb), key=len)
    return len(short) >= 2 and set(short) <= set(long_)


def actor_matches(system: Actor | None, gold: dict[str, Any] | None) -> bool:
    """A system actor matches a gold actor by name, or by type and country.

    Names: the gold ``name`` against the system actor's ``name`` (``names_match``); a gold
    ``mention`` against the system actor's ``text`` counts only with the right type and country
    (the right words, normalized to the right actor). Type: equal ACLED interaction types, where
    gold gives one, and equal countries where gold gives one.
    """
    if system is None or not gold:
        return False
    gold_type, gold_country = gold.get("type"), gold.get("country_code")
    collective = _collective(gold.get("name"))
    if collective is not None:
        # GED's "Syrian insurgents" stands for every rebel group of that country
        return system.type in NON_STATE_ARMED and system.country_code in (None, collective)
    type_ok = gold_type is None or system.type == gold_type
    # a system actor with no country is unknown there, not wrong
    country_ok = gold_country is None or system.country_code in (None, gold_country)
    if names_match(gold.get("name"), system.name):
        return True
    if (
        type_ok
        and country_ok
        and any(names_match(m, system.text) for m in gold.get("mentions") or [])
    ):
        return True
    return bool(gold_type) and type_ok and country_ok


NON_STATE_ARMED = frozenset({"rebel_group", "political_militia", "identity_militia"})


def _collective(name: str | None) -> str | None:
    """The country of a collective name for a country's rebels ("Syrian insurgents"), or None."""
    m = re.fullmatch(r"\s*(\w+) (?:insurgents|rebels)\s*", name or "")
    if m is None:
        return None
    return get_countries().code_of_word(m.group(1))


def _gold_country(gold_event: dict[str, Any]) -> str | None:
    code = gold_event.get("country_code")
    loc = gold_event.get("location")
    if not code and isinstance(loc, dict):
        code = loc.get("country_code")
    return str(code).upper() if code else None


def _gold_coords(loc: Any) -> tuple[float, float] | None:
    if (
        isinstance(loc, dict)
        and loc.get("latitude") is not None
        and loc.get("longitude") is not None
    ):
        return float(loc["latitude"]), float(loc["longitude"])
    return None


def _place_coords(place: Place | None) -> tuple[float, float] | None:
    if place is not None and place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    return None


def _country(place: Place | None) -> str | None:
    return place.country_code.upper() if place is not None and place.country_code else None


def _gold_range(gold_date: Any) -> tuple[date | None, date | None]:
    if not isinstance(gold_date, dict):
        return None, None
    start = _parse_date(gold_date.get("start"), "date.start")
    end = _parse_date(gold_date.get("end"), "date.end")
    return start, end or start


def _first_label(result: ArticleResult | None, key: str) -> str:
    if result is None or not result.events:
        return NONE_LABEL
    return str(getattr(result.events[0], key))


def _gold_label(item: GoldItem, key: str) -> str | None:
    """The item's gold label for ``key``: "none" when it has no ACLED event, None if unlabelled."""
    if not item.events:
        return NONE_LABEL
    value = item.events[0].get(key)
    return str(value) if value else None


# --------------------------------------------------------------------------------------------------
# Classification figures


def per_label_f1(pairs: Sequence[tuple[str, str]], label: str) -> float:
    """F1 of one label over (gold, predicted) pairs; 0 when it is neither gold nor predicted."""
    tp = sum(1 for g, p in pairs if g == label and p == label)
    fp = sum(1 for g, p in pairs if g != label and p == label)
    fn = sum(1 for g, p in pairs if g == label and p != label)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Mean F1 over the gold labels present (labels only ever predicted add nothing to the mean)."""
    labels = sorted({g for g, _ in pairs})
    if not labels:
        return None
    return sum(per_label_f1(pairs, lab) for lab in labels) / len(labels)


def weighted_f1(pairs: Sequence[tuple[str, str]], labels: Iterable[str]) -> float | None:
    """Support-weighted F1 over ``labels`` (sklearn's ``average="weighted"`` with those labels)."""
    support = Counter(g for g, _ in pairs)
    allowed = list(labels)
    total = sum(support[lab] for lab in allowed)
    if total == 0:
        return None
    return sum(support[lab] * per_label_f1(pairs, lab) for lab in allowed) / total


def _figure(value: float | None, n: int) -> dict[str, Any]:
    return {"value": None if n == 0 or value is None else round(value, 4), "n": n}


def _rate(hits: int, n: int) -> dict[str, Any]:
    return _figure(hits / n if n else None, n)


def _type_figures(
    prefix: str, pairs: list[tuple[str, str]], acled_labels: Sequence[str]
) -> dict[str, dict[str, Any]]:
    acled_pairs = [(g, p) for g, p in pairs if g in acled_labels]
    accuracy = sum(g == p for g, p in pairs) / len(pairs) if pairs else None
    return {
        f"{prefix}_accuracy": _figure(accuracy, len(pairs)),
        f"{prefix}_macro_f1": _figure(macro_f1(pairs), len(pairs)),
        f"{prefix}_weighted_f1_acled": _figure(
            weighted_f1(acled_pairs, acled_labels), len(acled_pairs)
        ),
    }


# --------------------------------------------------------------------------------------------------
# Dataset scoring


def score_events(gold: list[GoldItem], predicted: dict[str, ArticleResult]) -> dict[str, Any]:
    """Every dataset figure (see the module docstring) for ``predicted``, keyed by item id.

    An item missing from ``predicted`` counts as a system that reported nothing for it.
    """
    type_pairs: list[tuple[str, str]] = []
    sub_pairs: list[tuple[str, str]] = []
    none_hits = none_n = 0
    n_events = 0
    hits: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    errors_km: list[float] = []

    for item in gold:
        result = predicted.get(item.id)
        events = result.events if result is not None else []
        n_events += len(events)
        gold_type = _gold_label(item, "event_type")
        if gold_type is not None:
            type_pairs.append((gold_type, _first_label(result, "event_type")))
        gold_sub = _gold_label(item, "sub_event_type")
        if gold_sub is not None:
            sub_pairs.append((gold_sub, _first_label(result, "sub_event_type")))
        if not item.events:
            none_n += 1
            none_hits += not events
        for gold_event in item.events:
            for name, ok in _score_fields(gold_event, events, errors_km):
                counts[name] += 1
                hits[name] += ok

    figures: dict[str, dict[str, Any]] = {}
    figures.update(_type_figures("event_type", type_pairs, ACLED_EVENT_TYPES))
    figures.update(_type_figures("sub_event_type", sub_pairs, ACLED_SUB_EVENT_TYPES))
    figures["no_event_for_non_acled"] = _rate(none_hits, none_n)
    figures["events_per_item"] = _figure(n_events / len(gold) if gold else None, len(gold))
    for name in FIGURES:
        if name not in figures and name != "place_error_km_median":
            figures[name] = _rate(hits[name], counts[name])
    figures["place_error_km_median"] = _figure(
        statistics.median(errors_km) if errors_km else None, len(errors_km)
    )
    return {name: figures[name] for name in FIGURES}


def _score_fields(
    gold_event: dict[str, Any], events: list[Event], errors_km: list[float]
) -> Iterator[tuple[str, bool]]:
    """(figure, right?) for every field this gold event labels."""
    fat = gold_event.get("fatalities")
    if isinstance(fat, dict) and fat.get("count") is not None:
        yield "fatalities", fatalities_right(fat, events)

    country = _gold_country(gold_event)
    if country:
        yield "country", any(_country(e.location) == country for e in events)

    coords = _gold_coords(gold_event.get("location"))
    if coords is not None:
        dists = [
            haversine_km(*coords, *c)
            for e in events
            if (c := _place_coords(e.location)) is not None
        ]
        nearest = min(dists) if dists else None
        if nearest is not None:
            errors_km.append(nearest)
        yield "place_25km", nearest is not None and nearest <= EXAMPLE_PLACE_KM
        yield "place_161km", nearest is not None and nearest <= WIDE_PLACE_KM

    start, end = _gold_range(gold_event.get("date"))
    if start is not None:
        yield (
            "date_exact",
            any(e.date.start == start and (e.date.end or e.date.start) == end for e in events),
        )
        yield (
            "date_overlap",
            any(dates_overlap(e.date.start, e.date.end, start, end) for e in events),
        )

    for role in ("actor1", "actor2"):
        gold_actor = gold_event.get(role)
        if isinstance(gold_actor, dict):
            yield role, any(actor_matches(getattr(e, role), gold_actor) for e in events)

    parties = gold_event.get("parties")
    if isinstance(parties, list) and parties:
        yield (
            "parties_any",
            any(actor_matches(a, p) for e in events for a in (e.actor1, e.actor2) for p in parties),
        )
        yield "parties_both", any(_all_parties_matched(e, parties) for e in events)


def fatalities_right(gold: dict[str, Any], events: list[Event]) -> bool:
    """The largest system count equals the gold count or lies within gold [low, high].

    No count reported is read as 0, as the ACLED CSV writes it.
    """
    counts = [e.fatalities.count for e in events if e.fatalities and e.fatalities.count is not None]
    best = max(counts) if counts else 0
    if best == gold.get("count"):
        return True
    low, high = gold.get("low"), gold.get("high")
    return low is not None and high is not None and low <= best <= high


def _all_parties_matched(event: Event, parties: list[dict[str, Any]]) -> bool:
    actors = [a for a in (event.actor1, event.actor2) if a is not None]
    if len(actors) < min(2, len(parties)):
        return False
    # Two sides at most per event: try both assignments of actors to parties.
    wanted = parties[:2]
    if len(wanted) == 1:
        return any(actor_matches(a, wanted[0]) for a in actors)
    return (actor_matches(actors[0], wanted[0]) and actor_matches(actors[1], wanted[1])) or (
        actor_matches(actors[0], wanted[1]) and actor_matches(actors[1], wanted[0])
    )


# --------------------------------------------------------------------------------------------------
# Baseline


def _mode(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    # Ties break on the value itself so the baseline is the same on every run.
    return min(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


def baseline_predictions(gold: list[GoldItem]) -> dict[str, ArticleResult]:
    """A plain baseline, one event per item, from the gold statistics of each item's dataset.

    It answers the dataset's most common gold sub-event type, its modal fatality count, its most
    common country at that country's modal gold coordinates, and the publication date as the event
    date. It reads gold labels (of the whole split it is scored on), so it is a reference point for
    how easy a figure is, not a fair system.
    """
    by_dataset: dict[str, list[GoldItem]] = {}
    for item in gold:
        by_dataset.setdefault(item.dataset, []).append(item)
    out: dict[str, ArticleResult] = {}
    for items in by_dataset.values():
        events = [e for it in items for e in it.events]
        sub = _mode(
            e.get("sub_event_type") for e in events if e.get("sub_event_type") in SUB_EVENT_TYPES
        )
        # A dataset that labels no type still needs one to make an event; it is not scored.
        sub = sub or "Armed clash"
        count = _mode((e.get("fatalities") or {}).get("count") for e in events)
        country = _mode(_gold_country(e) for e in events)
        coords = _mode(
            _gold_coords(e.get("location")) for e in events if _gold_country(e) == country
        )
        for item in items:
            place = None
            if country or coords:
                place = Place(
                    name=country or "baseline",
                    country_code=country,
                    latitude=coords[0] if coords else None,
                    longitude=coords[1] if coords else None,
                    precision=3,
                )
            event = Event(
                id=f"baseline-{item.id}",
                event_type=SUB_EVENT_TYPES[sub],
                sub_event_type=sub,
                date=DateInfo(start=item.published, end=item.published),
                location=place,
                fatalities=Count(count=count) if count is not None else None,
            )
            out[item.id] = ArticleResult(article=item.article().info(), events=[event])
    return out


# --------------------------------------------------------------------------------------------------
# Running a dataset


def predict(
    items: list[GoldItem], pipeline: Predictor, *, workers: int | None = None
) -> dict[str, ArticleResult]:
    """The pipeline's results for ``items``, keyed by item id."""
    articles = [item.article() for item in items]
    results = (
        pipeline.pipe(articles) if workers is None else pipeline.pipe(articles, workers=workers)
    )
    out = {r.article.id: r for r in results}
    missing = [a.id for a in articles if a.id not in out]
    if missing:
        log.warning("no result for %d item(s), scored as no events: %s", len(missing), missing[:5])
    return out


#: modules that score other gold formats; each has ``detect(path) -> bool``,
#: ``evaluate(path, pipeline, *, limit=None) -> dict`` (with a ``"kind"`` key) and
#: ``format_report(result) -> rich renderable``
EVALUATORS: tuple[str, ...] = ("eventwire.evaluate_time", "eventwire.evaluate_geo")


def _evaluator_for(path: Path) -> Any:
    for name in EVALUATORS:
        module = importlib.import_module(name)
        if module.detect(path):
            return module
    return None


def evaluate_path(path: Path, pipeline: Any, *, limit: int | None = None) -> dict[str, Any]:
    """Score ``pipeline`` on whatever gold ``path`` holds: events JSONL, or a format of
    ``EVALUATORS`` (time expressions, toponyms)."""
    module = _evaluator_for(Path(path))
    if module is not None:
        result: dict[str, Any] = module.evaluate(Path(path), pipeline, limit=limit)
        return result
    return evaluate_dataset(Path(path), pipeline, limit=limit)


def evaluate_dataset(
    path: Path, pipeline: Predictor, *, limit: int | None = None, workers: int | None = None
) -> dict[str, Any]:
    """Run ``pipeline`` over a gold file (or every ``*.jsonl`` in a directory) and score it.

    ``limit`` keeps the first N items of each file. Returns ``{"dataset", "n", "files", "system",
    "baseline", "by_dataset"}``; ``system`` and ``baseline`` map figure names to ``{"value", "n"}``
    over all items, ``by_dataset`` gives the same per dataset name when there are several.
    """
    path = Path(path)
    files = load_gold_paths(path)
    items: list[GoldItem] = []
    for f in files:
        loaded = load_gold(f)
        items.extend(loaded[:limit] if limit is not None else loaded)
    ids = Counter(item.id for item in items)
    clashes = [i for i, c in ids.items() if c > 1]
    if clashes:
        raise DatasetError(f"item ids repeat across the files of {path}: {clashes[:5]}")
    predicted = predict(items, pipeline, workers=workers)
    baseline = baseline_predictions(items)
    result: dict[str, Any] = {
        "dataset": path.name.removesuffix(".jsonl").removesuffix(".dev"),
        "n": len(items),
        "files": [str(f) for f in files],
        "system": score_events(items, predicted),
        "baseline": score_events(items, baseline),
    }
    groups: dict[str, list[GoldItem]] = {}
    for item in items:
        groups.setdefault(item.dataset or result["dataset"], []).append(item)
    if len(groups) == 1:
        result["dataset"] = next(iter(groups))
    else:
        result["by_dataset"] = {
            name: {
                "n": len(group),
                "system": score_events(group, predicted),
                "baseline": score_events(group, baseline),
            }
            for name, group in groups.items()
        }
    return result


# --------------------------------------------------------------------------------------------------
# Worked examples


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(f"{what} {path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{what} {path} is not valid JSON: {exc}") from None


def example_paths(expected_path: Path) -> tuple[Path, Path, Path]:
    """(expected, text, meta) paths: ``NAME.expected.json`` sits beside ``NAME.txt`` and
    ``NAME.meta.json``."""
    expected_path = Path(expected_path)
    stem = expected_path.name
    for suffix in (".expected.json", ".json"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return (
        expected_path,
        expected_path.with_name(stem + ".txt"),
        expected_path.with_name(stem + ".meta.json"),
    )


def evaluate_example(
    expected_path: Path, pipeline: Predictor, published: date | None = None
) -> dict[str, Any]:
    """Run ``pipeline`` on a worked example and score it against its ``.expected.json``.

    The publication date comes from ``published`` if given, else from ``NAME.meta.json`` (optional).
    """
    expected_path, text_path, meta_path = example_paths(expected_path)
    expected = _read_json(expected_path, "expected file")
    if not isinstance(expected, dict) or not isinstance(expected.get("events", []), list):
        raise DatasetError(f"expected file {expected_path} must be an object with an 'events' list")
    try:
        text = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(
            f"the article of {expected_path} should be at {text_path}, which does not exist"
        ) from None
    meta: dict[str, Any] = {}
    if meta_path.exists():
        loaded = _read_json(meta_path, "meta file")
        if not isinstance(loaded, dict):
            raise DatasetError(f"meta file {meta_path} must be a JSON object")
        meta = loaded
    if published is None:
        published = _parse_date(meta.get("published"), f"{meta_path}: published")
    article = Article(
        text=text,
        id=text_path.stem,
        published=published,
        source=meta.get("source"),
        language=meta.get("language"),
        origin=str(text_path),
    )
    results = list(pipeline.pipe([article]))
    if len(results) != 1:
        raise DatasetError(f"the pipeline returned {len(results)} results for one article")
    report = score_example(expected, results[0])
    report["example"] = text_path.stem
    report["published"] = published.isoformat() if published else None
    return report


def _locations(expected_event: dict[str, Any]) -> list[dict[str, Any]]:
    loc = expected_event.get("location")
    if isinstance(loc, dict):
        return [loc]
    if isinstance(loc, list):
        return [x for x in loc if isinstance(x, dict)]
    return []


def _location_match(loc: dict[str, Any], place: Place | None) -> dict[str, bool]:
    """Country and place checks of one expected location alternative (only what it gives)."""
    out: dict[str, bool] = {}
    if loc.get("country_code"):
        out["country"] = _country(place) == str(loc["country_code"]).upper()
    coords = _gold_coords(loc)
    if coords is not None:
        sys_coords = _place_coords(place)
        dist = haversine_km(*coords, *sys_coords) if sys_coords else None
        # A place the expectation itself marks as approximate (precision 2-3: near a site, a region)
        # may be answered by a coarse system place within the wide tolerance: a gazetteer that lacks
        # a small outpost should fall back to the surrounding area, as the examples allow.
        wide = loc.get("precision", 1) >= 2 and place is not None and place.precision >= 2
        limit = WIDE_PLACE_KM if wide else EXAMPLE_PLACE_KM
        out["place"] = dist is not None and dist <= limit
    elif loc.get("name"):
        # No coordinates given: the place name must agree.
        out["place"] = place is not None and any(
            _fold(loc["name"]).strip() == _fold(x).strip() for x in (place.name, place.text) if x
        )
    return out


def _count_match(expected: dict[str, Any] | None, system: Count | None) -> bool:
    if expected is None:
        return system is None or system.count in (None, 0)
    if system is None or system.count != expected.get("count"):
        return False
    return "qualifier" not in expected or system.qualifier == expected["qualifier"]


def _field_checks(
    expected: dict[str, Any], event: Event, alternatives: list[dict[str, Any]] | None = None
) -> dict[str, bool]:
    """Which of the fields the expected event gives the system event gets right."""
    checks: dict[str, bool] = {}
    for key in ("event_type", "sub_event_type"):
        if expected.get(key):
            checks[key] = getattr(event, key) == expected[key]
    start, end = _gold_range(expected.get("date"))
    if start is not None:
        checks["date"] = event.date.start == start and (event.date.end or event.date.start) == end
        checks["date_overlap"] = dates_overlap(event.date.start, event.date.end, start, end)
    locs = alternatives if alternatives is not None else _locations(expected)
    if locs:
        per_alt = [_location_match(loc, event.location) for loc in locs]
        for key in ("country", "place"):
            scored = [m[key] for m in per_alt if key in m]
            if scored:
                checks[key] = any(scored)
    for role in ("actor1", "actor2"):
        if role in expected:
            gold_actor = expected[role]
            actor = getattr(event, role)
            checks[role] = actor is None if gold_actor is None else actor_matches(actor, gold_actor)
    for key in ("fatalities", "injured"):
        if key in expected:
            checks[key] = _count_match(expected[key], getattr(event, key))
    return checks


_KEY_FIELDS = ("event_type", "date_overlap", "country")
_WEIGHTS = {
    "event_type": 2.0,
    "sub_event_type": 1.0,
    "date_overlap": 2.0,
    "date": 1.0,
    "country": 2.0,
    "place": 1.0,
    "actor1": 0.5,
    "actor2": 0.5,
    "fatalities": 0.5,
    "injured": 0.5,
}


def _admissible(checks: dict[str, bool]) -> bool:
    # At most one of the key fields (type, date overlap, country) may disagree, so a system event
    # with one wrong key still meets its expected event and shows which field is wrong.
    keys = [checks[k] for k in _KEY_FIELDS if k in checks]
    return any(keys) and keys.count(False) <= 1


def _match_score(checks: dict[str, bool]) -> float:
    return sum(_WEIGHTS.get(k, 0.0) for k, ok in checks.items() if ok)


def _event_brief(index: int, event: Event) -> dict[str, Any]:
    return {
        "index": index,
        "id": event.id,
        "sub_event_type": event.sub_event_type,
        "date": [
            event.date.start.isoformat() if event.date.start else None,
            event.date.end.isoformat() if event.date.end else None,
        ],
        "location": event.location.name if event.location else None,
        "country_code": _country(event.location),
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "fatalities": event.fatalities.count if event.fatalities else None,
    }


def match_events(
    expected: list[dict[str, Any]], events: list[Event]
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """One-to-one greedy matching of expected to system events by match score.

    Returns ({expected index: system index}, {expected index: [further system indices]}): an
    expected event whose location is a list of alternatives may also take one further system event
    per remaining alternative (one event per country is a right reading of a multi-country event).
    """
    candidates = []
    for i, exp in enumerate(expected):
        for j, ev in enumerate(events):
            checks = _field_checks(exp, ev)
            if _admissible(checks):
                candidates.append((-_match_score(checks), i, j))
    candidates.sort()
    primary: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in candidates:
        if i not in primary and j not in used:
            primary[i] = j
            used.add(j)

    further: dict[int, list[int]] = {}
    for i, j in primary.items():
        alternatives = _locations(expected[i])
        if len(alternatives) < 2:
            continue
        taken = {k for k, alt in enumerate(alternatives) if _alt_hit(alt, events[j])}
        for k in range(len(events)):
            if k in used:
                continue
            free = [n for n, alt in enumerate(alternatives) if n not in taken]
            hit = next((n for n in free if _alt_hit(alternatives[n], events[k])), None)
            if hit is None:
                continue
            checks = _field_checks(expected[i], events[k], [alternatives[hit]])
            if _admissible(checks):
                further.setdefault(i, []).append(k)
                used.add(k)
                taken.add(hit)
    return primary, further


def _alt_hit(alt: dict[str, Any], event: Event) -> bool:
    checks = _location_match(alt, event.location)
    return bool(checks) and all(checks.values())


def _quote_text(text: str) -> str:
    text = _fold(text).replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def _last_name(name: str) -> str:
    tokens = [t for t in re.split(r"[^\w]+", _fold(name)) if t]
    return tokens[-1] if tokens else ""


def score_example(expected: dict[str, Any], result: ArticleResult) -> dict[str, Any]:
    """Score one system result against a worked example's expectations (pure; no I/O)."""
    exp_events = [e for e in expected.get("events", []) if isinstance(e, dict)]
    events = result.events
    primary, further = match_events(exp_events, events)

    rows = []
    complete_all = True
    counts_found = counts_expected = 0
    for i, exp in enumerate(exp_events):
        j = primary.get(i)
        checks = _field_checks(exp, events[j]) if j is not None else {}
        found = j is not None and all(checks.get(k, True) for k in _KEY_FIELDS)
        scored = {k: v for k, v in checks.items() if k != "date_overlap"}
        complete = found and all(scored.values())
        complete_all = complete_all and complete
        for key in ("fatalities", "injured"):
            if exp.get(key):
                counts_expected += 1
                counts_found += bool(checks.get(key))
        rows.append(
            {
                "key": exp.get("key", f"event-{i + 1}"),
                "sub_event_type": exp.get("sub_event_type"),
                "matched": j is not None,
                "found": found,
                "complete": complete,
                "fields": checks,
                "system_event": _event_brief(j, events[j]) if j is not None else None,
                "also_matched": [_event_brief(k, events[k]) for k in further.get(i, [])],
            }
        )

    taken = set(primary.values()) | {k for ks in further.values() for k in ks}
    extra = [_event_brief(j, ev) for j, ev in enumerate(events) if j not in taken]

    quote_rows = []
    sys_quotes = [(_quote_text(q.text), _last_name(q.speaker or "")) for q in result.quotes]
    for exp_q in expected.get("quotes", []) or []:
        wanted = _quote_text(str(exp_q.get("contains", "")))
        speaker = _last_name(str(exp_q.get("speaker") or ""))
        texts = [(t, s) for t, s in sys_quotes if wanted and wanted in t]
        speaker_ok = any(not speaker or s == speaker for _, s in texts)
        quote_rows.append(
            {
                "speaker": exp_q.get("speaker"),
                "contains": exp_q.get("contains"),
                "text_found": bool(texts),
                "speaker_ok": speaker_ok,
                "found": bool(texts) and speaker_ok,
            }
        )

    agg_rows = []
    for exp_a in expected.get("aggregates", []) or []:
        hit = any(
            a.count == exp_a.get("count")
            and ("qualifier" not in exp_a or a.qualifier == exp_a["qualifier"])
            for a in result.aggregates
        )
        agg_rows.append({"key": exp_a.get("key"), "count": exp_a.get("count"), "found": hit})

    events_found = sum(r["found"] for r in rows)
    return {
        "about": expected.get("about", ""),
        "events_expected": len(exp_events),
        "events_found": events_found,
        "events_complete": sum(r["complete"] for r in rows),
        "events_reported": len(events),
        "events": rows,
        "extra_events": extra,
        "counts": {"found": counts_found, "expected": counts_expected},
        "quotes": {
            "found": sum(q["found"] for q in quote_rows),
            "expected": len(quote_rows),
            "items": quote_rows,
        },
        "aggregates": {
            "found": sum(a["found"] for a in agg_rows),
            "expected": len(agg_rows),
            "items": agg_rows,
        },
        # As the expected files define passing: every event found with every field it gives right,
        # and nothing else reported as a discrete event. Quotes and aggregates are reported apart.
        "passed": bool(exp_events) and complete_all and not extra,
        "warnings": list(result.warnings),
    }


# --------------------------------------------------------------------------------------------------
# Rendering


_LABELS = {
    "event_type_accuracy": "event type: accuracy",
    "event_type_macro_f1": "event type: macro-F1",
    "event_type_weighted_f1_acled": "event type: weighted F1, ACLED items",
    "sub_event_type_accuracy": "sub-event type: accuracy",
    "sub_event_type_macro_f1": "sub-event type: macro-F1",
    "sub_event_type_weighted_f1_acled": "sub-event type: weighted F1, ACLED items",
    "no_event_for_non_acled": "no event for non-ACLED items",
    "events_per_item": "events per item (mean)",
    "fatalities": "fatalities right",
    "country": "country right",
    "place_25km": "place within 25 km",
    "place_161km": "place within 161 km",
    "place_error_km_median": "place error, median km",
    "date_exact": "date exact",
    "date_overlap": "date overlaps",
    "actor1": "actor1 (name or type)",
    "actor2": "actor2 (name or type)",
    "parties_any": "a party matched",
    "parties_both": "both parties matched",
}
_NOT_RATES = {"events_per_item", "place_error_km_median"}


def _fmt(name: str, figure: dict[str, Any]) -> str:
    value = figure.get("value")
    if value is None:
        return "-"
    return f"{value:.2f}" if name in _NOT_RATES else f"{100 * value:.1f}"


def _dataset_table(title: str, n: int, system: dict[str, Any], baseline: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title=f"{title} ({n} items)", title_justify="left")
    table.add_column("figure")
    table.add_column("n", justify="right")
    table.add_column("system", justify="right")
    table.add_column("baseline", justify="right")
    for name in FIGURES:
        fig = system.get(name, {"value": None, "n": 0})
        if not fig["n"]:
            continue
        table.add_row(
            _LABELS.get(name, name),
            str(fig["n"]),
            _fmt(name, fig),
            _fmt(name, baseline.get(name, {})),
        )
    return table


def _mark(ok: bool | None) -> str:
    if ok is None:
        return ""
    return "[green]yes[/]" if ok else "[red]no[/]"


def _example_renderables(result: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    fields = [
        "event_type",
        "sub_event_type",
        "date",
        "country",
        "place",
        "actor1",
        "actor2",
        "fatalities",
        "injured",
    ]
    table = Table(
        title=f"{result.get('example', 'example')}: {result['events_found']} of "
        f"{result['events_expected']} events found",
        title_justify="left",
    )
    table.add_column("expected event")
    table.add_column("found")
    for f in fields:
        table.add_column(f.replace("_", " "))
    for row in result["events"]:
        table.add_row(
            row["key"],
            _mark(row["found"]) if row["matched"] else "[red]missing[/]",
            *(_mark(row["fields"].get(f)) for f in fields),
        )
    out: list[Any] = [table]
    if result["extra_events"]:
        extra = Table(title="extra events (match nothing expected)", title_justify="left")
        for col in ("#", "sub-event type", "date", "location", "actor1", "fatalities"):
            extra.add_column(col)
        for ev in result["extra_events"]:
            extra.add_row(
                str(ev["index"]),
                ev["sub_event_type"],
                " .. ".join(d or "?" for d in ev["date"]),
                f"{ev['location'] or '-'} ({ev['country_code'] or '?'})",
                ev["actor1"] or "-",
                "-" if ev["fatalities"] is None else str(ev["fatalities"]),
            )
        out.append(extra)
    summary = Table.grid(padding=(0, 2))
    summary.add_row(
        "counts found", f"{result['counts']['found']} of {result['counts']['expected']}"
    )
    summary.add_row(
        "quotes found", f"{result['quotes']['found']} of {result['quotes']['expected']}"
    )
    summary.add_row(
        "aggregates found", f"{result['aggregates']['found']} of {result['aggregates']['expected']}"
    )
    summary.add_row("extra events", str(len(result["extra_events"])))
    summary.add_row("result", "[bold green]PASS[/]" if result["passed"] else "[bold red]FAIL[/]")
    out.append(summary)
    return out


def format_report(result: dict[str, Any]) -> RenderableType:
    """Rich tables for a result of ``evaluate_dataset`` or ``evaluate_example`` (for the CLI)."""
    from rich.console import Group

    for name in EVALUATORS:
        module = importlib.import_module(name)
        if result.get("kind") == getattr(module, "KIND", None):
            renderable: RenderableType = module.format_report(result)
            return renderable
    if "events_expected" in result:
        return Group(*_example_renderables(result))
    by_dataset = result.get("by_dataset") or {}
    # Datasets label different fields, so one table per dataset reads better than the pooled one
    # (which stays in the JSON).
    parts: list[Any] = [
        _dataset_table(name, sub["n"], sub["system"], sub["baseline"])
        for name, sub in by_dataset.items()
    ] or [_dataset_table(result["dataset"], result["n"], result["system"], result["baseline"])]
    parts.append(
        "Rates in %. Baseline: the dataset's most common gold sub-type, fatality count, country "
        "and coordinates, and the publication date as event date (it reads gold statistics)."
    )
    return Group(*parts)
