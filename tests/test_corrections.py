"""Corrections by hand: patches, their validation, and their life in the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.corrections import (
    CorrectedEvent,
    CorrectionError,
    apply_patches,
    make_patch,
    match_event,
    merge_patch,
)
from eventwire.records import (
    Actor,
    Article,
    ArticleResult,
    Count,
    DateInfo,
    Event,
    Place,
    Span,
)
from eventwire.store import EventFilter, Store

TEXT = "Jets struck a depot in Idlib on Monday, killing four.\nRebels shelled a base nearby."


def strike(id: str = "s1", start: int = 0, end: int = 53, sub: str = "Air/drone strike") -> Event:
    return Event(
        id=id,
        event_type="Explosions/Remote violence",
        sub_event_type=sub,
        date=DateInfo(start=date(2024, 5, 6), end=date(2024, 5, 6)),
        actor1=Actor(name="Military Forces of Russia", type="external_other"),
        location=Place(name="Idlib", latitude=35.93, longitude=36.63, country_code="SY"),
        fatalities=Count(count=4, text="killing four"),
        evidence=[Span(text=TEXT[start:end], start=start, end=end)],
        notes="machine note",
    )


def shelling(id: str = "s2") -> Event:
    return strike(id, 54, len(TEXT), "Shelling/artillery/missile attack")


def stored(tmp_path: Path, events: list[Event], fingerprint: str = "v1") -> tuple[Path, Article]:
    path = tmp_path / "events.db"
    article = Article(text=TEXT, id="idlib-1", published=date(2024, 5, 7))
    with Store(path) as store:
        store.add(
            article, ArticleResult(article=article.info(), events=events), fingerprint=fingerprint
        )
    return path, article


# -- patches -------------------------------------------------------------------------------------


def test_merge_patch_follows_rfc_7396() -> None:
    target = {"a": 1, "b": {"c": 2, "d": 3}, "e": [1]}
    assert merge_patch(target, {"b": {"c": None, "x": 9}, "e": [2], "a": None}) == {
        "b": {"d": 3, "x": 9},
        "e": [2],
    }
    assert target == {"a": 1, "b": {"c": 2, "d": 3}, "e": [1]}  # not changed in place


def test_make_patch_refuses_what_is_not_correctable() -> None:
    with pytest.raises(CorrectionError, match="'evidence'"):
        make_patch({"evidence": []})
    with pytest.raises(CorrectionError, match="changes nothing"):
        make_patch({"reason": "just because"})
    with pytest.raises(CorrectionError, match="not_event"):
        make_patch({"not_event": "yes"})
    patch = make_patch({"fatalities": {"count": 5}, "reason": "  checked  "})
    assert patch.changes == {"fatalities": {"count": 5}} and patch.reason == "checked"


def test_apply_patches_in_order_and_rewrite_the_note() -> None:
    machine = strike()
    first = make_patch({"fatalities": {"count": 5}})
    second = make_patch({"fatalities": {"qualifier": "at_least"}, "reason": "later report"})
    event = apply_patches(machine, [first, second])
    assert isinstance(event, CorrectedEvent)
    assert event.fatalities == Count(count=5, qualifier="at_least", text="killing four")
    assert event.correction.fields == ["fatalities", "notes"]
    assert event.correction.reason == "later report"
    assert "5 fatalities" in event.notes
    assert machine.fatalities is not None and machine.fatalities.count == 4
    assert apply_patches(machine, []) is machine


def test_notes_set_by_hand_are_kept() -> None:
    event = apply_patches(strike(), [make_patch({"notes": "By hand.", "injured": {"count": 2}})])
    assert event.notes == "By hand."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_type": "Riots"}, "not a kind of"),
        ({"sub_event_type": "Air strike"}, "not a kind of"),
        ({"event_type": None}, "event_type"),
        ({"date": {"start": "2024-05-09", "end": "2024-05-01"}}, "before"),
        ({"date": {"start": None}}, "without date.start"),
        ({"fatalities": {"count": -1}}, "0 or more"),
        ({"location": {"latitude": None}}, "both latitude and longitude"),
        ({"location": {"longitude": 200}}, "-180..180"),
        ({"actor1": {"type": "aliens"}}, "actor1.type"),
    ],
)
def test_invalid_results_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        apply_patches(strike(), [make_patch(changes)])


def test_match_event_by_id_then_by_evidence() -> None:
    events = [strike("new-1"), shelling("new-2")]
    assert match_event("new-2", None, events) == 1
    assert match_event("old", (0, 53), events) == 0
    assert match_event("old", (60, 70), events) == 1
    assert match_event("old", (200, 300), events) is None
    assert match_event("old", None, events) is None


# -- in the store --------------------------------------------------------------------------------


def test_correction_is_kept_apart_with_when_and_why(tmp_path: Path) -> None:
    path, _ = stored(tmp_path, [strike(), shelling()])
    with Store(path) as store:
        (key, event_id) = store.find_events("s1")[0]
        result = store.correct(
            key, event_id, make_patch({"fatalities": {"count": 6}, "reason": "UN"})
        )
        assert result.row.event.fatalities == Count(count=6, text="killing four")
        assert result.machine.fatalities == Count(count=4, text="killing four")
        (record,) = result.corrections
        assert record.reason == "UN" and record.at.tzinfo is not None
        # the contract's results give the corrected event, flagged
        (saved,) = store.results()
        assert isinstance(saved.events[0], CorrectedEvent)
        assert saved.events[0].fatalities is not None and saved.events[0].fatalities.count == 6
        assert type(saved.events[1]) is Event
    # the machine's row is untouched: a fresh connection reads the same
    with Store(path) as store:
        stored_event = store.event(key, "s1")
        assert stored_event is not None and stored_event.machine == strike()


def test_invalid_correction_writes_nothing(tmp_path: Path) -> None:
    path, _ = stored(tmp_path, [strike()])
    with Store(path) as store:
        key, _ = store.find_events("s1")[0]
        with pytest.raises(CorrectionError):
            store.correct(key, "s1", make_patch({"event_type": "Protests"}))
        assert store.correction_count() == 0
        assert store.event(key, "s1").row.event == strike()  # type: ignore[union-attr]


def test_corrections_survive_reingest_and_reextraction(tmp_path: Path) -> None:
    path, article = stored(tmp_path, [strike(), shelling()])
    with Store(path) as store:
        key, _ = store.find_events("s1")[0]
        store.correct(key, "s1", make_patch({"fatalities": {"count": 6}}))
        store.correct(key, "s2", make_patch({"not_event": True, "reason": "a threat"}))
        # the same pipeline again: nothing changes
        again = ArticleResult(article=article.info(), events=[strike(), shelling()])
        assert not store.add(article, again, fingerprint="v1").replaced
        # another pipeline: new ids, and the shelling now first; evidence says which is which
        new = ArticleResult(article=article.info(), events=[shelling("n2"), strike("n1")])
        assert store.add(article, new, fingerprint="v2").replaced
        rows = {r.event.id: r for r in store.rows(EventFilter(include_not_events=True))}
        assert set(rows) == {"n1", "n2"}
        assert rows["n1"].event.fatalities is not None
        assert rows["n1"].event.fatalities.count == 6
        assert is_flagged(rows["n1"].event)
        assert rows["n2"].not_event
        assert [e.id for _, e in store.query()] == ["n1"]
        # an extraction that no longer finds the shelling keeps its correction, unattached
        gone = ArticleResult(article=article.info(), events=[strike("m1")])
        store.add(article, gone, fingerprint="v3")
        items = list(store.corrections())
        assert [(i["event_id"], i["attached"]) for i in items] == [("m1", True), ("n2", False)]


def is_flagged(event: Event) -> bool:
    return isinstance(event, CorrectedEvent) and event.corrected


def test_export_corrections_as_training_data(tmp_path: Path) -> None:
    path, _ = stored(tmp_path, [strike(), shelling()])
    with Store(path) as store:
        key, _ = store.find_events("s1")[0]
        store.correct(
            key, "s1", make_patch({"sub_event_type": "Shelling/artillery/missile attack"})
        )
        store.correct(key, "s1", make_patch({"fatalities": {"count": 3}, "reason": "recount"}))
        store.correct(key, "s2", make_patch({"not_event": True}))
    result = CliRunner().invoke(main, ["export", "--db", str(path), "--corrections"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["event_id"] for line in lines] == ["s1", "s2"]
    first, second = lines
    assert first["article"]["text"] == TEXT and first["article"]["id"] == "idlib-1"
    span = first["evidence"][0]
    assert TEXT[span["start"] : span["end"]] == span["text"]
    assert first["machine"]["sub_event_type"] == "Air/drone strike"
    assert first["corrected"]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert first["corrected"]["fatalities"]["count"] == 3
    assert "corrected" not in first["corrected"]  # the contract's fields alone
    assert first["fields"] == ["sub_event_type", "fatalities", "notes"]
    assert [c["reason"] for c in first["corrections"]] == [None, "recount"]
    assert second["not_event"] is True and second["corrected"] is None


def test_export_corrections_takes_no_filters(tmp_path: Path) -> None:
    path, _ = stored(tmp_path, [strike()])
    result = CliRunner().invoke(
        main, ["export", "--db", str(path), "--corrections", "--country", "SY"]
    )
    assert result.exit_code == 2 and "no filters" in result.output


def test_cli_export_shows_corrected_values(tmp_path: Path) -> None:
    path, _ = stored(tmp_path, [strike(), shelling()])
    with Store(path) as store:
        key, _ = store.find_events("s1")[0]
        store.correct(key, "s1", make_patch({"fatalities": {"count": 9}}))
    runner = CliRunner()
    csv_out = runner.invoke(main, ["export", "--db", str(path), "--format", "csv"]).stdout
    header, first, second = csv_out.splitlines()
    assert header.endswith(",corrected")
    assert ",9," in first and first.endswith(",true")
    assert second.endswith(",false")
    line = json.loads(runner.invoke(main, ["export", "--db", str(path)]).stdout)
    assert line["events"][0]["corrected"] is True
    assert line["events"][0]["correction"]["fields"] == ["fatalities", "notes"]
    assert "corrected" not in line["events"][1]  # never corrected: the machine's JSON as is
