from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventwire import store as store_module
from eventwire.errors import StoreError
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
    Span,
)
from eventwire.store import AddOutcome, Store, schema_version

SUB_TO_TYPE = {
    "Air/drone strike": "Explosions/Remote violence",
    "Armed clash": "Battles",
    "Peaceful protest": "Protests",
    "Attack": "Violence against civilians",
}


def make_event(
    id: str,
    sub: str = "Air/drone strike",
    start: date | None = None,
    end: date | None = None,
    precision: str = "day",
    country: str | None = "IQ",
) -> Event:
    location = (
        Place(name="Somewhere", latitude=33.3, longitude=44.4, country_code=country)
        if country
        else None
    )
    return Event(
        id=id,
        event_type=SUB_TO_TYPE[sub],
        sub_event_type=sub,
        date=DateInfo(start=start, end=end if end else start, precision=precision),  # type: ignore[arg-type]
        actor1=Actor(name="Military Forces of Testland", type="state_forces"),
        location=location,
        fatalities=Count(count=2, qualifier="exact", text="two"),
        evidence=[Span(text="x", start=0, end=1)],
        notes=f"note {id}",
    )


def make_pair(
    text: str, events: list[Event], article_id: str | None = None
) -> tuple[Article, ArticleResult]:
    article = Article(text=text, id=article_id or "", source="Wire", published=date(2024, 2, 9))
    result = ArticleResult(
        article=article.info(),
        events=events,
        aggregates=[
            Aggregate(description="more than 165 attacks", count=165, qualifier="at_least")
        ],
        quotes=[Quote(speaker="a spokesman", text="“We struck.”", start=3, end=14)],
        warnings=["a warning"],
    )
    return article, result


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "events.db"


# -- opening and migrations ----------------------------------------------------------------------


def test_new_file_is_migrated_in_wal_mode(db: Path) -> None:
    with Store(db) as store:
        assert store.version == schema_version() == len(store_module.MIGRATIONS)
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.count() == {"articles": 0, "events": 0, "aggregates": 0, "quotes": 0}
    assert db.is_file()
    # WAL is a property of the file: a fresh connection sees it
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "events.db"
    with Store(path) as store:
        assert store.version == schema_version()
    assert path.is_file()


def test_v1_file_is_upgraded_and_keeps_its_data(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article, result = make_pair("An old article.", [make_event("e1", start=date(2024, 2, 8))])
    with monkeypatch.context() as m:
        m.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:1])
        with Store(db) as old:
            assert old.version == 1
            _add_v1(old.conn, article, result, fingerprint="v1")

    conn = sqlite3.connect(db)
    indexes_before = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
    }
    conn.close()
    assert "events_country" not in indexes_before

    with Store(db) as store:
        assert store.version == schema_version() > 1
        assert list(store.results()) == [result]
        assert store.fingerprint(article.text) == "v1"
        assert [e.id for _, e in store.query(country="IQ")] == ["e1"]
        # migration 3 filled the new columns and the full-text index from the stored JSON
        assert [e.id for _, e in store.query(text="x")] == ["e1"]
        assert [e.id for _, e in store.query(actor="testland")] == ["e1"]
        assert store.page(limit=1).rows[0].position[0] == "2024-02-08"
    conn = sqlite3.connect(db)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert {"events_country", "events_date", "events_event_type"} <= indexes


def _add_v1(
    conn: sqlite3.Connection, article: Article, result: ArticleResult, fingerprint: str
) -> None:
    """Store an article as eventwire's schema 1 did (today's add writes today's columns)."""
    key = store_module.content_hash(article.text)
    info = result.article
    conn.execute(
        "INSERT INTO articles (key, id, url, title, published, source, language, text,"
        " warnings, ingested_at, pipeline_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            info.id,
            info.url,
            info.title,
            info.published.isoformat() if info.published else None,
            info.source,
            info.language,
            article.text,
            '["a warning"]',
            "2024-02-09T00:00:00+00:00",
            fingerprint,
        ),
    )
    for i, event in enumerate(result.events):
        loc = event.location
        conn.execute(
            "INSERT INTO events (article_key, ordinal, id, event_type, sub_event_type,"
            " date_start, date_end, date_precision, country_code, latitude, longitude,"
            " fatalities, actor1_name, actor2_name, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                i,
                event.id,
                event.event_type,
                event.sub_event_type,
                str(event.date.start),
                str(event.date.end or event.date.start),
                event.date.precision,
                loc.country_code if loc else None,
                loc.latitude if loc else None,
                loc.longitude if loc else None,
                event.fatalities.count if event.fatalities else None,
                event.actor1.name if event.actor1 else None,
                event.actor2.name if event.actor2 else None,
                event.model_dump_json(),
            ),
        )
    for table, records in (("aggregates", result.aggregates), ("quotes", result.quotes)):
        for i, record in enumerate(records):
            conn.execute(
                f"INSERT INTO {table} (article_key, ordinal, data) VALUES (?, ?, ?)",
                (key, i, record.model_dump_json()),
            )


def test_newer_schema_is_refused(db: Path) -> None:
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {schema_version() + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="upgrade eventwire"):
        Store(db)


def test_non_sqlite_file_is_refused_and_untouched(db: Path) -> None:
    content = b"event_date,event_type\n2024-02-08,Battles\n"
    db.write_bytes(content)
    with pytest.raises(StoreError) as info:
        Store(db)
    assert str(db) in str(info.value)
    assert "not a SQLite database" in str(info.value)
    assert db.read_bytes() == content
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_closed_store_raises(db: Path) -> None:
    with Store(db) as store:
        pass
    with pytest.raises(StoreError, match="closed"):
        store.count()
    store.close()  # twice is harmless


# -- adding --------------------------------------------------------------------------------------


def test_add_is_idempotent(db: Path) -> None:
    article, result = make_pair("Text one.", [make_event("e1", start=date(2024, 2, 8))])
    with Store(db) as store:
        first = store.add(article, result, fingerprint="fp")
        counts = store.count()
        second = store.add(article, result, fingerprint="fp")
        assert first == AddOutcome(first.article_key, True, 1, False)
        assert second == AddOutcome(first.article_key, False, 0, False)
        assert counts == {"articles": 1, "events": 1, "aggregates": 1, "quotes": 1}
        assert store.count() == counts
        assert list(store.results()) == [result]
        assert store.has_article("Text one.")
        assert not store.has_article("Text one")


def test_new_fingerprint_replaces_records_and_keeps_ingest_order(db: Path) -> None:
    article, old = make_pair(
        "Text one.",
        [make_event("e1", start=date(2024, 2, 8)), make_event("e2", start=date(2024, 2, 9))],
    )
    other_article, other = make_pair("Text two.", [make_event("o1", start=date(2024, 2, 1))])
    new = old.model_copy(update={"events": [make_event("n1", start=date(2024, 2, 7))]})
    with Store(db) as store:
        store.add(article, old, fingerprint="v1")
        store.add(other_article, other, fingerprint="v1")
        outcome = store.add(article, new, fingerprint="v2")
        assert outcome.replaced and not outcome.new_article
        assert outcome.events_added == 1
        assert store.count() == {"articles": 2, "events": 2, "aggregates": 2, "quotes": 2}
        assert list(store.results()) == [new, other]
        assert store.fingerprint("Text one.") == "v2"
        assert [e.id for _, e in store.query()] == ["o1", "n1"]


def _fail_on_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the last write of an add fail, after its article and events are written."""
    original = Store._insert_records

    def insert_records(
        self: Store, conn: sqlite3.Connection, table: str, key: str, records: list[Any]
    ) -> None:
        if table == "quotes":
            raise RuntimeError("injected failure")
        return original(self, conn, table, key, records)

    monkeypatch.setattr(Store, "_insert_records", insert_records)


def test_failed_add_of_a_new_article_writes_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept_article, kept = make_pair("Kept.", [make_event("k1", start=date(2024, 2, 1))])
    article, result = make_pair("Lost.", [make_event("l1", start=date(2024, 2, 2))])
    with Store(db) as store:
        store.add(kept_article, kept)
        before = store.count()
        with monkeypatch.context() as m:
            _fail_on_quotes(m)
            with pytest.raises(RuntimeError, match="injected"):
                store.add(article, result)
        assert store.count() == before
        assert not store.has_article("Lost.")
        assert list(store.results()) == [kept]
        # the store is still usable after the rollback
        assert store.add(article, result).new_article


def test_failed_replacement_keeps_the_previous_content(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article, old = make_pair("Text.", [make_event("e1", start=date(2024, 2, 8))])
    new = old.model_copy(update={"events": [], "warnings": []})
    with Store(db) as store:
        store.add(article, old, fingerprint="v1")
        with monkeypatch.context() as m:
            _fail_on_quotes(m)
            with pytest.raises(RuntimeError):
                store.add(article, new, fingerprint="v2")
        assert store.fingerprint("Text.") == "v1"
        assert list(store.results()) == [old]
    # and it is what another connection sees too: nothing half-written was committed
    with Store(db) as reopened:
        assert list(reopened.results()) == [old]


def test_results_round_trip_every_field(db: Path) -> None:
    event = make_event("e1", start=date(2024, 2, 5), end=date(2024, 2, 7), precision="range")
    event.actor2 = Actor(
        name="Civilians (Iraq)", type="civilians", country_code="IQ", text="people"
    )
    event.injured = Count(count=None, qualifier="unknown", text="several")
    event.confidence = 0.87
    article, result = make_pair("Bağdat — “text”.", [event, make_event("e2", country=None)])
    article.url = "https://example.org/a"
    result = result.model_copy(update={"article": article.info()})
    with Store(db) as store:
        store.add(article, result)
    with Store(db) as store:
        assert list(store.results()) == [result]


# -- querying ------------------------------------------------------------------------------------


@pytest.fixture
def filled(db: Path) -> Store:
    a1, r1 = make_pair(
        "First article.",
        [
            make_event("a1-strike", start=date(2024, 2, 8)),
            make_event(
                "a1-clash",
                "Armed clash",
                date(2024, 2, 5),
                date(2024, 2, 7),
                "range",
                country="SY",
            ),
            make_event("a1-protest", "Peaceful protest", start=None),
            make_event("a1-strike2", start=date(2024, 2, 8)),
        ],
        article_id="A1",
    )
    a2, r2 = make_pair(
        "Second article.",
        [
            make_event("a2-strike", start=date(2024, 2, 1)),
            make_event("a2-attack", "Attack", date(2024, 3, 1), date(2024, 3, 31), "month", None),
            make_event("a2-same-day", start=date(2024, 2, 8)),
        ],
        article_id="A2",
    )
    store = Store(db)
    store.add(a1, r1)
    store.add(a2, r2)
    return store


def ids(rows: Iterable[tuple[ArticleInfo, Event]]) -> list[str]:
    return [event.id for _, event in rows]


def test_query_orders_by_date_then_article_then_ordinal(filled: Store) -> None:
    rows = list(filled.query())
    assert ids(rows) == [
        "a2-strike",
        "a1-clash",
        "a1-strike",
        "a1-strike2",
        "a2-same-day",
        "a2-attack",
        "a1-protest",
    ]
    info, _ = rows[0]
    assert info == ArticleInfo(id="A2", source="Wire", published=date(2024, 2, 9))
    assert rows[1][0].id == "A1"


def test_query_streams(filled: Store) -> None:
    assert inspect.isgenerator(filled.query())
    rows = filled.query()
    assert next(rows)[1].id == "a2-strike"


def test_query_by_country_ignores_case(filled: Store) -> None:
    assert ids(filled.query(country="sy")) == ["a1-clash"]
    assert len(ids(filled.query(country="IQ"))) == 5
    assert ids(filled.query(country="FR")) == []


@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        ("Explosions/Remote violence", {"a1-strike", "a1-strike2", "a2-strike", "a2-same-day"}),
        ("air/DRONE strike", {"a1-strike", "a1-strike2", "a2-strike", "a2-same-day"}),
        ("battles", {"a1-clash"}),
        ("Attack", {"a2-attack"}),
        ("Riots", set()),
    ],
)
def test_query_by_type_matches_type_or_sub_type(
    filled: Store, event_type: str, expected: set[str]
) -> None:
    assert set(ids(filled.query(event_type=event_type))) == expected


def test_query_by_sub_event_type(filled: Store) -> None:
    assert ids(filled.query(sub_event_type="armed clash")) == ["a1-clash"]
    assert ids(filled.query(sub_event_type="Battles")) == []


def test_query_by_date_overlap(filled: Store) -> None:
    # the clash (5-7 Feb) overlaps a window starting on the 6th; undated events never match
    assert ids(filled.query(since=date(2024, 2, 6), until=date(2024, 2, 7))) == ["a1-clash"]
    assert ids(filled.query(until=date(2024, 2, 5))) == ["a2-strike", "a1-clash"]
    assert ids(filled.query(since=date(2024, 3, 15))) == ["a2-attack"]
    assert ids(filled.query(since=date(2024, 4, 1))) == []


def test_query_filters_combine_and_limit(filled: Store) -> None:
    assert ids(filled.query(event_type="Air/drone strike", since=date(2024, 2, 2), limit=2)) == [
        "a1-strike",
        "a1-strike2",
    ]
    assert ids(filled.query(limit=0)) == []
    with pytest.raises(StoreError):
        list(filled.query(limit=-1))


def test_page_cursor_continues_after_the_last_row(filled: Store) -> None:
    first = filled.page(limit=3)
    assert [r.event.id for r in first.rows] == ["a2-strike", "a1-clash", "a1-strike"]
    assert first.next_cursor is not None
    rest = filled.page(limit=10, cursor=first.next_cursor)
    assert [r.event.id for r in rest.rows] == [
        "a1-strike2",
        "a2-same-day",
        "a2-attack",
        "a1-protest",
    ]
    assert rest.next_cursor is None
    back = filled.page(limit=2, descending=True)
    assert [r.event.id for r in back.rows] == ["a1-protest", "a2-attack"]
    with pytest.raises(store_module.QueryError):
        filled.page(cursor=first.next_cursor, descending=True)
    with pytest.raises(store_module.QueryError):
        filled.page(cursor="garbage!")


def test_count_and_stats_follow_the_filters(filled: Store) -> None:
    flt = store_module.EventFilter(event_type="Air/drone strike")
    assert filled.count_events(flt) == 4
    stats = filled.stats(flt)
    assert stats["total"] == 4 and stats["by_type"] == {"Explosions/Remote violence": 4}
    assert filled.stats(flt.without_dates())["total"] == 4


def test_bad_bbox_is_a_query_error(filled: Store) -> None:
    with pytest.raises(store_module.QueryError, match="latitudes"):
        list(filled.query(bbox=(0.0, 50.0, 10.0, 40.0)))
