from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from eventwire.errors import DatasetError
from eventwire.evaluate import (
    actor_matches,
    baseline_predictions,
    dates_overlap,
    evaluate_dataset,
    evaluate_example,
    format_report,
    load_gold,
    macro_f1,
    names_match,
    score_events,
    score_example,
    weighted_f1,
)
from eventwire.records import (
    Actor,
    Aggregate,
    Article,
    ArticleInfo,
    ArticleResult,
    Count,
    DateInfo,
    Event,
    Place,
    Quote,
)

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
SUBTYPE_TO_TYPE = {
    "Air/drone strike": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Armed clash": "Battles",
    "Peaceful protest": "Protests",
    "Arrests": "Strategic developments",
}


def ev(sub: str, **fields: Any) -> Event:
    return Event(event_type=SUBTYPE_TO_TYPE[sub], sub_event_type=sub, **fields)


def place(lat: float | None, lon: float | None, cc: str | None, name: str = "somewhere") -> Place:
    return Place(name=name, latitude=lat, longitude=lon, country_code=cc)


def day(s: str, e: str | None = None) -> DateInfo:
    return DateInfo(start=date.fromisoformat(s), end=date.fromisoformat(e or s))


def result(item_id: str, *events: Event, **extra: Any) -> ArticleResult:
    return ArticleResult(article=ArticleInfo(id=item_id), events=list(events), **extra)


def value(figures: dict[str, Any], name: str) -> float | None:
    return figures[name]["value"]


# ---------------------------------------------------------------------------------------------
# load_gold


def test_load_gold_reads_items_and_dates() -> None:
    items = load_gold(FIXTURES / "ged.jsonl")
    assert [i.id for i in items] == ["g-1", "g-2", "g-3"]
    assert items[0].published == date(2016, 1, 3)
    assert items[0].dataset == "tiny-ged"
    types = load_gold(FIXTURES / "types.jsonl")
    assert types[4].events == [] and types[4].source_label == "NATURAL_DISASTER"
    assert types[0].published is None


def test_load_gold_malformed_line_names_file_and_line() -> None:
    with pytest.raises(DatasetError) as err:
        load_gold(FIXTURES / "malformed.jsonl")
    assert "malformed.jsonl:2" in str(err.value)


def test_load_gold_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"nowhere\.jsonl does not exist"):
        load_gold(tmp_path / "nowhere.jsonl")


def test_load_gold_bad_date_is_reported() -> None:
    with pytest.raises(DatasetError, match=r"bad-date\.jsonl:1: published: '03/01/2016'"):
        load_gold(FIXTURES / "bad-date.jsonl")


@pytest.mark.parametrize(
    "line, problem",
    [
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"text": "no id", "events": []}', "'id'"),
        ('{"id": "x", "text": "t", "events": {}}', "'events'"),
        ('{"id": "x", "text": "t", "events": [{"fatalities": {"count": "3"}}]}', "count"),
        ('{"id": "x", "text": "t", "events": [{"date": {"start": "May 3"}}]}', "date.start"),
    ],
)
def test_load_gold_rejects_bad_items(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_gold(path)
    assert "gold.jsonl:1" in str(err.value) and problem in str(err.value)


def test_load_gold_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no items"):
        load_gold(path)


# ---------------------------------------------------------------------------------------------
# Small rules


def test_dates_overlap() -> None:
    d = date.fromisoformat
    assert dates_overlap(d("2024-01-01"), d("2024-01-10"), d("2024-01-10"), None)
    assert not dates_overlap(d("2024-01-01"), d("2024-01-10"), d("2024-01-11"), d("2024-01-12"))
    assert dates_overlap(d("2024-01-05"), None, d("2024-01-01"), d("2024-01-10"))
    assert not dates_overlap(None, None, d("2024-01-01"), d("2024-01-10"))


def test_macro_f1_counts_only_gold_labels() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "c")]
    # a: tp1 fn1 -> 2/3; b: tp1 fp1 fn1 -> 1/2; "c" is only predicted and adds no term
    assert macro_f1(pairs) == pytest.approx((2 / 3 + 1 / 2) / 2)


def test_weighted_f1_weights_by_support() -> None:
    pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b")]
    # a: tp2 fn1 -> 0.8 (support 3); b: tp1 fp1 -> 2/3 (support 1)
    assert weighted_f1(pairs, ["a", "b", "z"]) == pytest.approx((3 * 0.8 + 2 / 3) / 4)


def test_names_match() -> None:
    assert names_match("IS", "Islamic State (Syria)")
    assert names_match("SDF", "Syrian Democratic Forces")
    assert names_match("Kata’ib Hezbollah", "Kata'ib Hezbollah")
    assert names_match("Syrian insurgents", "armed Syrian insurgents")
    assert not names_match("Government of Syria", "Military Forces of Syria")
    assert not names_match("Hezbollah", "Kata'ib Hezbollah")  # one shared word is not enough
    assert not names_match("IS", "Iraqi soldiers and police")
    # ACLED's "ACRONYM: Name", GED's lists of allied groups
    assert names_match("SDF", "SDF: Syrian Democratic Forces")
    assert names_match("Ahrar al-Sham, HTS, Southern Front", "HTS: Hayat Tahrir al-Sham")
    assert not names_match("Ahrar al-Sham, Southern Front", "HTS: Hayat Tahrir al-Sham")


def test_a_collective_of_rebels_matches_any_rebel_group_of_its_country() -> None:
    gold = {"name": "Syrian insurgents"}
    assert actor_matches(Actor(name="Jaysh al-Izza", type="rebel_group"), gold)
    assert actor_matches(Actor(name="HTS", type="rebel_group", country_code="SY"), gold)
    assert not actor_matches(Actor(name="Taliban", type="rebel_group", country_code="AF"), gold)
    assert not actor_matches(Actor(name="Military Forces of Syria", type="state_forces"), gold)


def test_actor_matches_by_name_mention_or_type() -> None:
    gold = {"name": "Military Forces of Iraq", "type": "state_forces", "mentions": ["Iraqi army"]}
    assert actor_matches(Actor(name="Military Forces of Iraq"), gold)
    # the right words normalized to the wrong actor do not match
    assert not actor_matches(Actor(name="Unknown", text="Iraqi army"), gold)
    assert actor_matches(Actor(name="Iraqi Army", type="state_forces", text="Iraqi army"), gold)
    assert not actor_matches(
        Actor(name="Military Forces of Iran", type="state_forces", country_code="IR"),
        {**gold, "country_code": "IQ"},
    )
    assert actor_matches(Actor(name="Police Forces of Iraq", type="state_forces"), gold)
    assert not actor_matches(Actor(name="Islamic State", type="rebel_group"), gold)
    assert not actor_matches(None, gold)


# ---------------------------------------------------------------------------------------------
# score_events


def type_predictions() -> dict[str, ArticleResult]:
    return {
        "t-a1": result("t-a1", ev("Air/drone strike")),
        "t-a2": result("t-a2", ev("Shelling/artillery/missile attack"), ev("Air/drone strike")),
        "t-a3": result("t-a3", ev("Armed clash")),
        "t-a4": result("t-a4"),
        "t-n1": result("t-n1"),
        "t-n2": result("t-n2", ev("Armed clash")),
    }


def test_type_figures_on_known_case() -> None:
    figures = score_events(load_gold(FIXTURES / "types.jsonl"), type_predictions())
    # first events vs gold: 3 of 6 sub-types right (t-a2's first event is the shelling)
    assert value(figures, "sub_event_type_accuracy") == 0.5
    assert figures["sub_event_type_accuracy"]["n"] == 6
    # per gold label: air 2/3, clash 2/3, peaceful 0, none (tp1 fp1 fn1) 1/2
    assert value(figures, "sub_event_type_macro_f1") == pytest.approx(
        (2 / 3 + 2 / 3 + 0 + 0.5) / 4, abs=1e-4
    )
    # ACLED items only: air 2/3 (support 2), clash 1 (support 1), peaceful 0 (support 1)
    assert value(figures, "sub_event_type_weighted_f1_acled") == pytest.approx(
        (2 * 2 / 3 + 1) / 4, abs=1e-4
    )
    assert figures["sub_event_type_weighted_f1_acled"]["n"] == 4
    # event types: shelling and air strike share their type, so t-a2 is right here
    assert value(figures, "event_type_accuracy") == pytest.approx(4 / 6, abs=1e-4)
    assert value(figures, "no_event_for_non_acled") == 0.5
    assert figures["no_event_for_non_acled"]["n"] == 2
    assert value(figures, "events_per_item") == pytest.approx(5 / 6, abs=1e-4)
    # the type dataset labels no place, date or count: those figures are absent, not zero
    assert figures["fatalities"] == {"value": None, "n": 0}
    assert figures["place_161km"] == {"value": None, "n": 0}


def test_missing_prediction_counts_as_no_event() -> None:
    gold = load_gold(FIXTURES / "types.jsonl")
    figures = score_events(gold, {})
    assert value(figures, "no_event_for_non_acled") == 1.0
    assert value(figures, "sub_event_type_accuracy") == pytest.approx(2 / 6, abs=1e-4)


def ged_predictions() -> dict[str, ArticleResult]:
    return {
        # counts 2 and 6: the largest, 6, lies in gold [4, 7]; place 0.9 degrees (100 km) north
        "g-1": result(
            "g-1",
            ev("Armed clash", fatalities=Count(count=2), location=place(37.1, 37.16, "SY")),
            ev(
                "Armed clash",
                fatalities=Count(count=6),
                date=day("2016-01-01", "2016-01-03"),
                actor1=Actor(name="Military Forces of Syria", type="state_forces"),
                actor2=Actor(name="Syrian Democratic Forces"),
            ),
        ),
        # count 4 is not gold 3; exact place and date; wrong country code
        "g-2": result(
            "g-2",
            ev(
                "Armed clash",
                fatalities=Count(count=4),
                location=place(33.5, 36.3, "LB"),
                date=day("2016-01-04"),
                actor1=Actor(name="Islamic State"),
            ),
        ),
        # no count (read as 0), no coordinates, a date after the gold range
        "g-3": result(
            "g-3",
            ev(
                "Armed clash",
                location=Place(name="Damascus countryside"),
                date=day("2016-01-07"),
                actor1=Actor(name="Islamic State"),
                actor2=Actor(name="villagers", type="civilians"),
            ),
        ),
    }


def test_field_figures_on_known_case() -> None:
    figures = score_events(load_gold(FIXTURES / "ged.jsonl"), ged_predictions())
    assert figures["fatalities"] == {"value": pytest.approx(1 / 3, abs=1e-4), "n": 3}
    assert value(figures, "country") == pytest.approx(1 / 3, abs=1e-4)
    assert value(figures, "place_25km") == pytest.approx(1 / 3, abs=1e-4)
    assert value(figures, "place_161km") == pytest.approx(2 / 3, abs=1e-4)
    assert figures["place_error_km_median"]["n"] == 2  # g-3 gave no coordinates
    assert value(figures, "date_exact") == pytest.approx(1 / 3, abs=1e-4)
    assert value(figures, "date_overlap") == pytest.approx(2 / 3, abs=1e-4)
    assert figures["actor1"] == {"value": 1.0, "n": 1}
    assert figures["actor2"] == {"value": 1.0, "n": 1}
    assert figures["parties_any"] == {"value": 1.0, "n": 2}
    assert figures["parties_both"] == {"value": 0.5, "n": 2}
    # GED labels no type: the type figures are not scored
    assert figures["sub_event_type_accuracy"] == {"value": None, "n": 0}


def test_place_161km_boundary() -> None:
    gold = load_gold(FIXTURES / "ged.jsonl")[1:2]  # Damascus 33.5, 36.3
    near = {"g-2": result("g-2", ev("Armed clash", location=place(33.5 + 1.4, 36.3, "SY")))}
    far = {"g-2": result("g-2", ev("Armed clash", location=place(33.5 + 1.5, 36.3, "SY")))}
    assert value(score_events(gold, near), "place_161km") == 1.0  # 155.7 km
    assert value(score_events(gold, far), "place_161km") == 0.0  # 166.8 km


def test_fatalities_exact_count_outside_range_still_right() -> None:
    gold = load_gold(FIXTURES / "ged.jsonl")[2:3]  # count 3, [2, 4]
    for count, right in ((3, 1.0), (2, 1.0), (4, 1.0), (5, 0.0), (1, 0.0)):
        pred = {"g-3": result("g-3", ev("Armed clash", fatalities=Count(count=count)))}
        assert value(score_events(gold, pred), "fatalities") == right, count


def test_baseline_uses_dataset_modes() -> None:
    gold = load_gold(FIXTURES / "ged.jsonl") + load_gold(FIXTURES / "types.jsonl")
    base = baseline_predictions(gold)
    g1 = base["g-1"].events[0]
    assert g1.fatalities is not None and g1.fatalities.count == 3  # modal count
    assert g1.location is not None and g1.location.country_code == "SY"
    assert (g1.location.latitude, g1.location.longitude) == (33.5, 36.3)  # modal coordinates
    assert g1.date.start == date(2016, 1, 3)  # its publication date
    assert base["t-n1"].events[0].sub_event_type == "Air/drone strike"  # most common gold sub-type
    assert base["t-n1"].events[0].date.start is None  # no publication date

    ged = score_events(load_gold(FIXTURES / "ged.jsonl"), base)
    assert value(ged, "fatalities") == pytest.approx(2 / 3, abs=1e-4)
    assert value(ged, "place_25km") == pytest.approx(2 / 3, abs=1e-4)
    assert value(ged, "date_exact") == pytest.approx(1 / 3, abs=1e-4)
    assert value(ged, "date_overlap") == pytest.approx(2 / 3, abs=1e-4)
    types = score_events(load_gold(FIXTURES / "types.jsonl"), base)
    assert value(types, "sub_event_type_accuracy") == pytest.approx(2 / 6, abs=1e-4)
    assert value(types, "no_event_for_non_acled") == 0.0


# ---------------------------------------------------------------------------------------------
# evaluate_dataset with a stub pipeline


class StubPipeline:
    """Answers from a fixed table of results; records what it was given."""

    def __init__(self, answers: dict[str, ArticleResult]) -> None:
        self.answers = answers
        self.seen: list[Article] = []

    def pipe(
        self, articles: Iterable[Article], *, workers: int | None = None
    ) -> Iterator[ArticleResult]:
        for article in articles:
            self.seen.append(article)
            yield self.answers.get(article.id) or ArticleResult(article=article.info())


def test_evaluate_dataset_file_and_directory(tmp_path: Path) -> None:
    stub = StubPipeline({**type_predictions(), **ged_predictions()})
    one = evaluate_dataset(FIXTURES / "ged.jsonl", stub)
    assert one["dataset"] == "tiny-ged" and one["n"] == 3
    assert stub.seen[0].published == date(2016, 1, 3) and stub.seen[0].text.startswith("Five")
    assert value(one["system"], "place_161km") == pytest.approx(2 / 3, abs=1e-4)
    assert value(one["baseline"], "place_25km") == pytest.approx(2 / 3, abs=1e-4)
    assert "by_dataset" not in one

    folder = tmp_path / "gold"
    folder.mkdir()
    for name in ("ged.jsonl", "types.jsonl"):
        (folder / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    both = evaluate_dataset(folder, StubPipeline({**type_predictions(), **ged_predictions()}))
    assert both["n"] == 9
    assert set(both["by_dataset"]) == {"tiny-ged", "tiny-types"}
    # pooled figures equal the per-dataset ones where only one dataset labels the field
    assert both["system"]["sub_event_type_accuracy"] == {"value": 0.5, "n": 6}
    assert both["system"]["fatalities"]["n"] == 3
    limited = evaluate_dataset(folder, StubPipeline({}), limit=1)
    assert limited["n"] == 2
    json.dumps(both)  # the CLI's --json output


def test_evaluate_dataset_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no \*\.jsonl"):
        evaluate_dataset(tmp_path, StubPipeline({}))


def test_format_report_dataset() -> None:
    res = evaluate_dataset(FIXTURES / "types.jsonl", StubPipeline(type_predictions()))
    console = Console(record=True, width=120)
    console.print(format_report(res))
    text = console.export_text()
    assert "sub-event type: macro-F1" in text and "50.0" in text
    assert "fatalities" not in text  # not labelled in this dataset


# ---------------------------------------------------------------------------------------------
# Worked examples


def expected() -> dict[str, Any]:
    data = json.loads((FIXTURES / "kirkuk-raid.expected.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def full_result(*, drop: str | None = None, extra: list[Event] | None = None) -> ArticleResult:
    events = {
        "market-bombing": ev(
            "Remote explosive/landmine/IED",
            date=day("2023-05-04"),
            actor2=Actor(name="Civilians (Iraq)", type="civilians"),
            location=place(35.4681, 44.3922, "IQ", "Kirkuk"),
            fatalities=Count(count=4),
            injured=Count(count=10, qualifier="at_least"),
        ),
        "border-clash-iq": ev(
            "Armed clash",
            date=day("2023-05-03"),
            actor1=Actor(name="Military Forces of Iraq", type="state_forces"),
            actor2=Actor(name="Islamic State", type="rebel_group"),
            location=Place(name="Iraq", country_code="IQ", precision=3),
        ),
        "border-clash-sy": ev(
            "Armed clash",
            date=day("2023-05-03"),
            actor1=Actor(name="Military Forces of Iraq", type="state_forces"),
            actor2=Actor(name="Islamic State", type="rebel_group"),
            location=Place(name="Syria", country_code="SY", precision=3),
        ),
        "mosul-arrests": ev(
            "Arrests",
            date=day("2023-05-01", "2023-05-03"),
            location=place(36.34, 43.13, "IQ", "Mosul"),
        ),
    }
    chosen = [e for key, e in events.items() if key != drop] + (extra or [])
    return result(
        "kirkuk-raid",
        *chosen,
        quotes=[
            Quote(
                speaker="Ahmed Saleh",
                text="This cowardly attack targeted innocent people,",
                start=0,
                end=10,
            )
        ],
        aggregates=[Aggregate(description="attacks", count=30, qualifier="at_least")],
    )


def test_example_all_found_passes() -> None:
    report = score_example(expected(), full_result())
    assert report["events_found"] == 3 and report["events_expected"] == 3
    assert report["extra_events"] == []
    rows = {r["key"]: r for r in report["events"]}
    assert all(r["complete"] for r in rows.values())
    # one event per country is a right reading of the two-country clash
    assert [e["country_code"] for e in rows["border-clash"]["also_matched"]] == ["SY"]
    assert rows["market-bombing"]["fields"]["place"] is True
    assert report["counts"] == {"found": 2, "expected": 2}
    assert report["quotes"]["found"] == 1 and report["aggregates"]["found"] == 1
    assert report["passed"] is True


def test_example_one_missing_fails() -> None:
    report = score_example(expected(), full_result(drop="mosul-arrests"))
    rows = {r["key"]: r for r in report["events"]}
    assert report["events_found"] == 2
    assert rows["mosul-arrests"]["matched"] is False
    assert report["extra_events"] == []
    assert report["passed"] is False


def test_example_one_extra_fails_and_matching_is_one_to_one() -> None:
    # an in-range protest in Iraq could pair with the arrests, but the arrests event pairs better
    protest = ev("Peaceful protest", date=day("2023-05-02"), location=place(33.3, 44.4, "IQ"))
    report = score_example(expected(), full_result(extra=[protest]))
    assert report["events_found"] == 3
    assert [e["sub_event_type"] for e in report["extra_events"]] == ["Peaceful protest"]
    assert report["passed"] is False


def test_example_wrong_fields_are_reported() -> None:
    res = full_result()
    bombing = res.events[0].model_copy(
        update={"fatalities": Count(count=5), "location": place(36.19, 44.01, "IQ", "Erbil")}
    )
    res = res.model_copy(update={"events": [bombing, *res.events[1:]]})
    res.quotes[0] = Quote(speaker="Ali Hassan", text=res.quotes[0].text, start=0, end=10)
    report = score_example(expected(), res)
    row = next(r for r in report["events"] if r["key"] == "market-bombing")
    assert row["found"] is True and row["complete"] is False
    assert row["fields"]["fatalities"] is False and row["fields"]["injured"] is True
    assert row["fields"]["place"] is False  # Erbil is ~80 km from Kirkuk
    assert report["counts"] == {"found": 1, "expected": 2}
    assert report["quotes"]["items"][0]["text_found"] is True
    assert report["quotes"]["found"] == 0  # wrong speaker
    assert report["passed"] is False


def test_evaluate_example_reads_text_and_meta() -> None:
    stub = StubPipeline({"kirkuk-raid": full_result()})
    report = evaluate_example(FIXTURES / "kirkuk-raid.expected.json", stub)
    assert stub.seen[0].published == date(2023, 5, 4)
    assert stub.seen[0].text.startswith("A roadside bomb")
    assert report["published"] == "2023-05-04" and report["passed"] is True
    override = evaluate_example(
        FIXTURES / "kirkuk-raid.expected.json", StubPipeline({}), published=date(2023, 6, 1)
    )
    assert override["published"] == "2023-06-01" and override["events_found"] == 0
    console = Console(record=True, width=160)
    console.print(format_report(override))
    text = console.export_text()
    assert "FAIL" in text and "missing" in text


def test_evaluate_example_missing_text(tmp_path: Path) -> None:
    path = tmp_path / "lonely.expected.json"
    path.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"lonely\.txt"):
        evaluate_example(path, StubPipeline({}))


# ---------------------------------------------------------------------------------------------
# Real dev data (structure only)


def test_evaluate_dataset_on_dev_slice(shared_dir: Path) -> None:
    path = shared_dir / "data" / "events" / "ucdp-ged.dev.jsonl"
    if not path.exists():
        pytest.skip("ucdp-ged.dev.jsonl is absent")
    res = evaluate_dataset(path, StubPipeline({}), limit=20)
    assert res["n"] == 20
    for side in ("system", "baseline"):
        for name in ("fatalities", "country", "place_161km", "date_overlap"):
            assert res[side][name]["n"] == 20
    assert res["system"]["country"]["value"] == 0.0  # no events, nothing right


def test_real_pipeline_on_dev_slice(shared_dir: Path, settings: Any) -> None:
    path = shared_dir / "data" / "events" / "case2021-task2.dev.jsonl"
    if not path.exists():
        pytest.skip("case2021-task2.dev.jsonl is absent")
    from eventwire.pipeline import Pipeline

    try:
        pipeline = Pipeline(settings)
    except ImportError as exc:  # stages still being written
        pytest.skip(f"pipeline not complete: {exc}")
    res = evaluate_dataset(path, pipeline, limit=20)
    assert res["n"] == 20
    assert res["system"]["sub_event_type_accuracy"]["n"] == 20
    assert 0.0 <= res["system"]["sub_event_type_accuracy"]["value"] <= 1.0
