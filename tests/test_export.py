from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from datetime import date

import pytest

from eventwire.export import (
    ACLED_COLUMNS,
    acled_date,
    acled_fatalities,
    country_name,
    inter_code,
    interaction_code,
    rows_from_results,
    write_csv,
    write_geojson,
    write_jsonl,
)
from eventwire.records import (
    Actor,
    Aggregate,
    ArticleInfo,
    ArticleResult,
    Count,
    DateInfo,
    Event,
    Place,
    Quote,
    Span,
)

ARTICLE = ArticleInfo(
    id="art-1",
    url="https://example.org/news/1",
    title="Strike",
    published=date(2024, 2, 9),
    source="Example Wire",
    language="en",
)


def strike(**changes: object) -> Event:
    event = Event(
        id="ev-1",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        date=DateInfo(
            start=date(2024, 2, 7), end=date(2024, 2, 7), precision="day", text="Wednesday"
        ),
        actor1=Actor(name="Military Forces of the United States", type="external_other"),
        actor2=Actor(name="Kata'ib Hezbollah", type="political_militia"),
        location=Place(
            name="Baghdad",
            latitude=33.34058,
            longitude=44.40088,
            admin1="Baghdad",
            country_code="IQ",
            precision=1,
        ),
        fatalities=Count(count=3, qualifier="exact", text="three"),
        evidence=[Span(text="A strike killed three.", start=0, end=22)],
        notes="On 7 February 2024, a drone strike hit a car in Baghdad. 3 fatalities.",
    )
    return event.model_copy(update=changes)


# -- ACLED fields --------------------------------------------------------------------------------


def test_acled_columns_start_with_acleds_names() -> None:
    acled = [
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "inter1",
        "actor2",
        "inter2",
        "interaction",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "time_precision",
        "fatalities",
        "notes",
        "source",
    ]
    assert ACLED_COLUMNS[: len(acled)] == acled
    assert len(set(ACLED_COLUMNS)) == len(ACLED_COLUMNS)


D = date


@pytest.mark.parametrize(
    ("start", "end", "precision", "text", "expected"),
    [
        (D(2024, 2, 8), D(2024, 2, 8), "day", None, (D(2024, 2, 8), 1)),
        (D(2024, 2, 8), None, "day", None, (D(2024, 2, 8), 1)),
        (D(2024, 2, 8), D(2024, 2, 8), "range", None, (D(2024, 2, 8), 1)),
        # a week is dated at its middle: Monday-Sunday -> Thursday
        (D(2024, 2, 5), D(2024, 2, 11), "week", "last week", (D(2024, 2, 8), 2)),
        (D(2024, 2, 5), None, "week", "last week", (D(2024, 2, 8), 2)),
        (D(2024, 2, 3), D(2024, 2, 4), "range", "the weekend", (D(2024, 2, 3), 2)),
        (D(2024, 2, 1), D(2024, 2, 7), "range", None, (D(2024, 2, 4), 2)),
        # a month, or a range of more than a week within it
        (D(2024, 1, 1), D(2024, 1, 31), "month", "January", (D(2024, 1, 15), 3)),
        (D(2024, 1, 1), None, "month", "January", (D(2024, 1, 15), 3)),
        (D(2024, 1, 1), D(2024, 1, 10), "range", "early January", (D(2024, 1, 1), 3)),
        (D(2023, 10, 11), D(2023, 10, 20), "range", "mid-October", (D(2023, 10, 15), 3)),
        (D(2024, 2, 21), D(2024, 2, 29), "range", "late February", (D(2024, 2, 29), 3)),
        (D(2024, 1, 1), D(2024, 1, 31), "month", "the end of January", (D(2024, 1, 31), 3)),
        (D(2024, 1, 1), D(2024, 1, 31), "month", "early January", (D(2024, 1, 1), 3)),
        (D(2024, 1, 5), D(2024, 1, 16), "range", None, (D(2024, 1, 15), 3)),
        # without the words, the shape the dates stage gives "early"/"late" still tells
        (D(2024, 1, 1), D(2024, 1, 10), "range", None, (D(2024, 1, 1), 3)),
        (D(2024, 1, 21), D(2024, 1, 31), "range", None, (D(2024, 1, 31), 3)),
        # a range of up to a month across two months: its middle
        (D(2024, 1, 25), D(2024, 2, 10), "range", None, (D(2024, 2, 2), 3)),
        # vaguer than ACLED codes: the start, precision 3
        (D(2023, 1, 1), D(2023, 12, 31), "year", "last year", (D(2023, 1, 1), 3)),
        (D(2023, 10, 15), D(2024, 2, 8), "range", "since mid-October", (D(2023, 10, 15), 3)),
        (None, None, "day", "recently", (None, None)),
    ],
)
def test_acled_date(
    start: date | None,
    end: date | None,
    precision: str,
    text: str | None,
    expected: tuple[date | None, int | None],
) -> None:
    info = DateInfo(start=start, end=end, precision=precision, text=text)  # type: ignore[arg-type]
    assert acled_date(info) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (None, 0),
        (Count(count=0, qualifier="exact"), 0),
        (Count(count=40, qualifier="at_least", text="more than 40"), 40),
        (Count(count=None, qualifier="unknown", text="several"), 3),
    ],
)
def test_acled_fatalities(count: Count | None, expected: int) -> None:
    assert acled_fatalities(count) == expected


@pytest.mark.parametrize(
    ("type1", "type2", "expected"),
    [
        ("state_forces", "rebel_group", 12),
        ("external_other", "state_forces", 18),  # smallest first, whoever is actor1
        ("external_other", "civilians", 78),
        ("protesters", "protesters", 66),
        ("state_forces", None, 10),
        ("rioters", None, 50),
    ],
)
def test_interaction_codes(type1: str, type2: str | None, expected: int) -> None:
    actor1 = Actor(name="A", type=type1)  # type: ignore[arg-type]
    actor2 = Actor(name="B", type=type2) if type2 else None  # type: ignore[arg-type]
    assert interaction_code(inter_code(actor1), inter_code(actor2)) == expected


def test_inter_code_of_missing_and_untyped_actors() -> None:
    assert inter_code(None) == 0
    assert inter_code(Actor(name="Someone")) is None
    assert interaction_code(inter_code(Actor(name="Someone")), 0) is None


def test_country_names_as_acled_writes_them() -> None:
    assert country_name("iq") == "Iraq"
    assert country_name("CD") == "Democratic Republic of Congo"
    assert country_name("ZZ") == "ZZ"
    assert country_name(None) is None


# -- CSV -----------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_columns_and_values() -> None:
    out = io.StringIO()
    n = write_csv([(ARTICLE, strike())], out)
    assert n == 1
    assert out.getvalue().splitlines()[0] == ",".join(ACLED_COLUMNS)
    (row,) = read_csv(out.getvalue())
    assert row == {
        "event_date": "2024-02-07",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of the United States",
        "inter1": "8",
        "actor2": "Kata'ib Hezbollah",
        "inter2": "3",
        "interaction": "38",
        "country": "Iraq",
        "admin1": "Baghdad",
        "location": "Baghdad",
        "latitude": "33.34058",
        "longitude": "44.40088",
        "geo_precision": "1",
        "time_precision": "1",
        "fatalities": "3",
        "notes": "On 7 February 2024, a drone strike hit a car in Baghdad. 3 fatalities.",
        "source": "Example Wire",
        "source_url": "https://example.org/news/1",
        "article_id": "art-1",
        "event_id": "ev-1",
        "corrected": "false",
    }


def test_csv_fills_acled_defaults_for_missing_values() -> None:
    undated = strike(
        id="ev-2",
        date=DateInfo(text="recently"),
        actor2=None,
        location=None,
        fatalities=None,
        notes="Notes with “quotes”, commas\nand a line break — kept.",
    )
    unknown_toll = strike(
        id="ev-3",
        date=DateInfo(start=date(2024, 2, 5), end=date(2024, 2, 11), precision="week"),
        fatalities=Count(count=None, qualifier="unknown", text="several"),
    )
    out = io.StringIO()
    assert write_csv([(ARTICLE, undated), (ARTICLE, unknown_toll)], out) == 2
    first, second = read_csv(out.getvalue())
    assert first["event_date"] == "" and first["time_precision"] == ""
    assert first["fatalities"] == "0"
    assert (first["inter2"], first["interaction"]) == ("0", "80")
    assert first["country"] == first["location"] == first["latitude"] == ""
    assert first["notes"] == "Notes with “quotes”, commas\nand a line break — kept."
    assert second["fatalities"] == "3"
    assert (second["event_date"], second["time_precision"]) == ("2024-02-08", "2")


def test_csv_of_nothing_is_a_header() -> None:
    out = io.StringIO()
    assert write_csv([], out) == 0
    assert out.getvalue() == ",".join(ACLED_COLUMNS) + "\n"


# -- GeoJSON -------------------------------------------------------------------------------------


def test_geojson_is_valid_and_puts_longitude_first(caplog: pytest.LogCaptureFixture) -> None:
    nowhere = strike(id="ev-2", location=None)
    no_coordinates = strike(id="ev-3", location=Place(name="Somewhere", country_code="IQ"))
    ranged = strike(
        id="ev-4",
        date=DateInfo(start=date(2024, 2, 5), end=date(2024, 2, 7), precision="range"),
        location=Place(name="Mosul", latitude=36.335, longitude=43.119, country_code="IQ"),
    )
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="eventwire.export"):
        n = write_geojson(
            [(ARTICLE, strike()), (ARTICLE, nowhere), (ARTICLE, no_coordinates), (ARTICLE, ranged)],
            out,
        )
    assert n == 2
    assert "2 event(s) without coordinates" in caplog.text
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["event_id"] for f in data["features"]] == ["ev-1", "ev-4"]
    first, second = data["features"]
    assert first["type"] == "Feature"
    assert first["geometry"] == {"type": "Point", "coordinates": [44.40088, 33.34058]}
    props = second["properties"]
    assert all(not isinstance(v, dict | list) for v in props.values())
    assert set(ACLED_COLUMNS) <= set(props)
    assert (props["date_start"], props["date_end"], props["date_precision"]) == (
        "2024-02-05",
        "2024-02-07",
        "range",
    )
    assert (props["event_date"], props["time_precision"]) == ("2024-02-06", 2)
    assert props["country"] == "Iraq"


def test_geojson_of_nothing_is_an_empty_collection() -> None:
    out = io.StringIO()
    assert write_geojson([], out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


# -- JSON lines ----------------------------------------------------------------------------------


def test_jsonl_round_trip() -> None:
    first = ArticleResult(
        article=ARTICLE,
        events=[strike(), strike(id="ev-2", location=None, fatalities=None)],
        aggregates=[
            Aggregate(description="more than 165 attacks", count=165, qualifier="at_least")
        ],
        quotes=[Quote(speaker="Yehia Rasool", text="“We will respond.”", start=30, end=48)],
        warnings=[],
    )
    second = ArticleResult(
        article=ArticleInfo(id="art-2"),
        warnings=["no publication date: relative dates left unresolved"],
    )
    out = io.StringIO()
    assert write_jsonl([first, second], out) == 2
    lines = out.getvalue().split("\n")
    assert lines[-1] == ""
    assert len(lines) == 3
    assert [ArticleResult.model_validate(json.loads(line)) for line in lines[:2]] == [first, second]
    assert "“We will respond.”" in lines[0]  # not \u201c escapes
    assert '"events":[' in lines[0]  # compact separators


def test_rows_from_results_pairs_each_event_with_its_article() -> None:
    other = ArticleInfo(id="art-2")
    results = [
        ArticleResult(article=ARTICLE, events=[strike(), strike(id="ev-2")]),
        ArticleResult(article=other),
        ArticleResult(article=other, events=[strike(id="ev-3")]),
    ]
    rows = list(rows_from_results(results))
    assert [(a.id, e.id) for a, e in rows] == [
        ("art-1", "ev-1"),
        ("art-1", "ev-2"),
        ("art-2", "ev-3"),
    ]


def test_exports_stream_chunks_before_the_rows_run_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from eventwire import export

    monkeypatch.setattr(export, "CHUNK_CHARS", 100)
    consumed = 0

    def rows() -> Iterator[tuple[ArticleInfo, Event]]:
        nonlocal consumed
        for i in range(1000):
            consumed += 1
            yield ARTICLE, strike(id=f"ev-{i}")

    for make in (export.iter_csv, export.iter_geojson, export.iter_event_jsonl):
        consumed = 0
        chunks = make(rows())
        first = next(chunks)
        assert first and consumed < 10, make.__name__
