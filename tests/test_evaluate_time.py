"""Scoring time expressions against TimeML gold, on small hand-written documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwire.errors import DatasetError
from eventwire.evaluate_time import (
    HEIDELTIME_TE3_VALUE_F1,
    KIND,
    Timex,
    align,
    dateparser_timexes,
    detect,
    evaluate,
    format_report,
    load_timeml,
    read_tml,
    score,
    timeml_view,
)
from eventwire.records import DateInfo, TimeMention

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-02-08" functionInDocument="CREATION_TIME">20240208</TIMEX3></DCT>
<TEXT>
Rebels <EVENT eid="e1" class="OCCURRENCE">attacked</EVENT> the base on <TIMEX3 tid="t1" type="DATE" value="2024-02-05">Monday</TIMEX3>, and talks will resume on <TIMEX3 tid="t2" type="DATE" value="2024-02-12">Monday</TIMEX3>.
The siege lasted <TIMEX3 tid="t3" type="DURATION" value="P3D">three days</TIMEX3>; a strike on <TIMEX3 tid="t4" type="DATE" value="2024-01-28">Jan. 28</TIMEX3> killed three.
</TEXT>
</TimeML>
"""


@pytest.fixture
def tml_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "timeml"
    folder.mkdir()
    (folder / "TEST1.tml").write_text(TML, encoding="utf-8")
    return folder


def test_read_tml_strips_tags_and_keeps_offsets(tml_dir: Path) -> None:
    doc = read_tml(tml_dir / "TEST1.tml")
    assert doc.name == "TEST1" and doc.dct == date(2024, 2, 8)
    assert "<" not in doc.text
    assert [g.text for g in doc.gold] == ["Monday", "Monday", "three days", "Jan. 28"]
    for g in doc.gold:
        assert doc.text[g.start : g.end] == g.text
    assert [(g.type, g.value) for g in doc.gold][2] == ("DURATION", "P3D")


def test_detect(tml_dir: Path, tmp_path: Path) -> None:
    assert detect(tml_dir)
    assert detect(tml_dir / "TEST1.tml")
    other = tmp_path / "events"
    other.mkdir()
    (other / "x.jsonl").write_text("{}", encoding="utf-8")
    assert not detect(other)
    assert not detect(other / "x.jsonl")


def test_bad_gold_is_a_dataset_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DatasetError, match=r"no \*\.tml"):
        load_timeml(empty)
    bad = tmp_path / "bad.tml"
    bad.write_text("<TimeML><TEXT>no dct</TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(DatasetError, match="DCT"):
        read_tml(bad)
    broken = tmp_path / "broken.tml"
    broken.write_text("<TimeML><TEXT>", encoding="utf-8")
    with pytest.raises(DatasetError, match="XML"):
        read_tml(broken)


def _t(start: int, end: int, value: str | None = "v", type_: str = "DATE") -> Timex:
    return Timex(start, end, type_, value)


def test_align_prefers_exact_spans_then_the_largest_overlap() -> None:
    gold = [_t(0, 10), _t(20, 30)]
    system = [_t(5, 25), _t(20, 30), _t(0, 4)]
    # gold 1 takes its exact match; gold 0 the larger overlap (5-10, 5 chars) over (0-4, 4 chars)
    assert align(gold, system) == [(0, 0), (1, 1)]
    # one to one: a system span overlapping two gold spans pairs with one of them only
    assert align(gold, [_t(0, 30)]) == [(0, 0)]
    assert align(gold, []) == []


def test_score_follows_tempeval3() -> None:
    gold = [[_t(0, 6, "2024-02-05"), _t(10, 20, "P3D", "DURATION"), _t(30, 37, "2024-01-28")]]
    system = [
        [
            _t(0, 6, "2024-02-05"),  # strict, right value
            _t(10, 15, "P3D", "DURATION"),  # relaxed only, right value
            _t(30, 37, "2023-01-28"),  # strict, wrong value
            _t(50, 55, "x"),  # nothing in gold
        ]
    ]
    s = score(gold, system)
    assert (s["gold"], s["system"]) == (3, 4)
    assert s["strict"]["precision"] == pytest.approx(2 / 4)
    assert s["strict"]["recall"] == pytest.approx(2 / 3)
    assert s["relaxed"]["precision"] == pytest.approx(3 / 4)
    assert s["relaxed"]["recall"] == pytest.approx(1.0)
    relaxed_f1 = 2 * 0.75 * 1.0 / 1.75
    assert s["relaxed"]["f1"] == pytest.approx(relaxed_f1)
    assert s["type_accuracy"] == pytest.approx(1.0)
    assert s["value_accuracy"] == pytest.approx(2 / 3)
    # TempEval-3's attribute F1: accuracy over relaxed matches times the relaxed F1
    assert s["value_f1"] == pytest.approx(2 / 3 * relaxed_f1)
    # DATE value accuracy: over every gold DATE, found or not
    assert s["date_gold"] == 2
    assert s["date_value_accuracy"] == pytest.approx(1 / 2)
    assert s["by_type"]["DURATION"] == {"gold": 1, "matched": 1, "value_accuracy": 1.0}


def test_score_of_nothing_found_is_zero_not_an_error() -> None:
    s = score([[_t(0, 5)]], [[]])
    assert s["relaxed"]["f1"] == 0.0 and s["value_f1"] == 0.0 and s["date_value_accuracy"] == 0.0


def _mention(text: str, start: int, value: str) -> TimeMention:
    return TimeMention(
        text=text, start=start, end=start + len(text), value=value, date=DateInfo(text=text)
    )


def test_timeml_view_drops_since_and_splits_ranges() -> None:
    since = timeml_view(_mention("since mid-October", 100, "2023-10"), date(2024, 2, 8))
    assert [(t.start, t.end, t.text, t.value) for t in since] == [
        (106, 117, "mid-October", "2023-10")
    ]
    rng = timeml_view(
        _mention("from Aug. 26 to Oct. 20", 10, "1989-08-26/1989-10-20"), date(1989, 10, 30)
    )
    assert [(t.start, t.end, t.value) for t in rng] == [
        (15, 22, "1989-08-26"),
        (26, 33, "1989-10-20"),
    ]
    plain = timeml_view(_mention("Jan. 28", 5, "2024-01-28"), date(2024, 2, 8))
    assert [(t.start, t.end, t.value) for t in plain] == [(5, 12, "2024-01-28")]


def test_dateparser_baseline_gives_offsets_and_granular_values() -> None:
    text = "The strike on January 28, 2024 followed talks in March 2023."
    found = dateparser_timexes(text, date(2024, 2, 8))
    assert found, "dateparser found nothing"
    for t in found:
        assert text[t.start : t.end] == t.text
    values = {t.value for t in found}
    assert "2024-01-28" in values


def test_evaluate_end_to_end(tml_dir: Path, settings) -> None:
    from eventwire.pipeline import Pipeline

    result = evaluate(tml_dir, Pipeline(settings))
    assert result["kind"] == KIND and result["documents"] == 1
    ours = result["eventwire"]
    assert ours["gold"] == 4
    # both "Monday"s right: the past one and the one that "talks will resume on"
    assert ours["by_type"]["DATE"]["value_accuracy"] == pytest.approx(1.0)
    assert ours["value_f1"] > 0.5
    for key in ("eventwire_timeml_view", "dateparser", "dateparser_lenient", "resolution_only"):
        assert key in result
    assert result["reference"]["heideltime_value_f1"] == HEIDELTIME_TE3_VALUE_F1

    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(format_report(result))
    report = console.export_text()
    assert "HeidelTime" in report and "(published)" in report and "77.6" in report
    assert "dateparser" in report and "value F1" in report


def test_eval_dispatches_timeml_gold(tml_dir: Path, settings) -> None:
    from eventwire.evaluate import EVALUATORS, evaluate_path
    from eventwire.pipeline import Pipeline

    if "eventwire.evaluate_time" not in EVALUATORS:
        pytest.skip("eventwire.evaluate_time is not registered in evaluate.EVALUATORS yet")
    result = evaluate_path(tml_dir, Pipeline(settings))
    assert result["kind"] == KIND


def test_timebank_beats_dateparser_and_keeps_its_floor(shared_dir: Path, settings) -> None:
    """A quick regression guard on 40 TimeBank documents; the figures of record come from
    ``eventwire eval ../shared/data/timeml/TimeBank`` (see the README)."""
    from eventwire.pipeline import Pipeline

    folder = shared_dir / "data" / "timeml" / "TimeBank"
    if not folder.is_dir():
        pytest.skip("TimeBank is absent")
    result = evaluate(folder, Pipeline(settings), limit=40)
    ours, theirs = result["eventwire"], result["dateparser_lenient"]
    assert ours["date_value_accuracy"] >= theirs["date_value_accuracy"] + 0.15
    assert ours["value_f1"] >= 0.70


def test_eval_command_on_timeml(tml_dir: Path) -> None:
    import json

    from click.testing import CliRunner

    from eventwire.cli import main

    runner = CliRunner()
    shown = runner.invoke(main, ["eval", str(tml_dir)])
    assert shown.exit_code == 0, shown.output
    assert "value F1" in shown.stdout and "HeidelTime" in shown.stdout
    as_json = runner.invoke(main, ["eval", str(tml_dir), "--json"])
    assert as_json.exit_code == 0, as_json.output
    result = json.loads(as_json.stdout)
    assert result["kind"] == KIND and "value_errors" in result
