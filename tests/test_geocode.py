from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.gazetteer import CACHE_ENV
from eventwire.geocode import (
    JSONL_FIELDS,
    GeocodedInput,
    geocode_inputs,
    geocoding_pipeline,
    print_table,
    write_jsonl,
)

POP = 15000
# a non-ASCII word before the place: offsets are Python characters, not UTF-8 bytes
TEXT = "Ré­sumé: Gunmen attacked a checkpoint in Mosul, and Iraqi forces answered."


@pytest.fixture(scope="module")
def small(settings, tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("geo")))
    yield settings.replace({"geo.min_population": POP})
    mp.undo()


@pytest.fixture(scope="module")
def pipeline(small):
    return geocoding_pipeline(small)


def test_pipeline_has_only_parse_and_places(pipeline) -> None:
    assert pipeline.stage_names == ["parse", "places"]


def test_mentions_with_offsets_into_the_text(tmp_path: Path, small, pipeline) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    [item] = list(geocode_inputs([str(f)], small, pipeline=pipeline))
    assert item.error is None and item.file == str(f)
    by_text = {m.text: m for m in item.mentions}
    mosul = by_text["Mosul"]
    assert TEXT[mosul.start : mosul.end] == "Mosul"
    assert mosul.name == "Mosul" and mosul.country_code == "IQ" and mosul.feature == "city"
    assert mosul.geonames_id == 99072 and mosul.locational and mosul.precision == 1
    iraqi = by_text["Iraqi"]
    assert iraqi.country_code == "IQ" and not iraqi.locational
    assert list(mosul.to_dict()) == list(JSONL_FIELDS)


def test_batch_keeps_order_and_reports_bad_inputs(tmp_path: Path, small, pipeline) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps({"id": "1", "text": "Shelling hit Aleppo overnight, residents said."})
        + "\n{not json\n"
        + json.dumps({"id": "3", "text": "Protesters marched in Basra on Friday."})
        + "\n",
        encoding="utf-8",
    )
    items = list(geocode_inputs([str(batch)], small, pipeline=pipeline))
    assert len(items) == 3
    assert items[0].error is None and [m.name for m in items[0].mentions] == ["Aleppo"]
    assert items[1].error is not None and items[1].mentions == []
    assert items[2].file.endswith(":3") and [m.name for m in items[2].mentions] == ["Basrah"]


def test_stdin(small, pipeline) -> None:
    stream = io.BytesIO(b"Clashes broke out in Kirkuk.")
    [item] = list(geocode_inputs(["-"], small, stdin=stream, pipeline=pipeline))
    assert item.file == "<stdin>" and [m.name for m in item.mentions] == ["Kirkuk"]


def test_writers(small, pipeline) -> None:
    stream = io.BytesIO(TEXT.encode())
    [item] = list(geocode_inputs(["-"], small, stdin=stream, pipeline=pipeline))
    out = io.StringIO()
    write_jsonl(item, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and all(list(line) == list(JSONL_FIELDS) for line in lines)
    table = io.StringIO()
    print_table([item, GeocodedInput("empty.txt")], table)
    assert "Mosul" in table.getvalue() and "empty.txt: no places" in table.getvalue()


def _cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, input: str | None = None):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    config = tmp_path / "small.toml"
    config.write_text(f"[geo]\nmin_population = {POP}\n", encoding="utf-8")
    return CliRunner().invoke(main, ["--config", str(config), "geocode", *args], input=input)


def test_cli_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text("A drone struck Tower 22 in Jordan.", encoding="utf-8")
    result = _cli(tmp_path, monkeypatch, str(a), str(b), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["file"] for line in lines} == {str(a), str(b)}
    for line in lines:
        text = (a if line["file"] == str(a) else b).read_text(encoding="utf-8")
        assert text[line["start"] : line["end"]] == line["text"]
    tower = next(line for line in lines if line["text"] == "Tower 22")
    assert tower["country_code"] == "JO" and tower["feature"] == "site"


def test_cli_table_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok = _cli(tmp_path, monkeypatch, "-", input="Fighting spread to Kirkuk province.")
    assert ok.exit_code == 0 and "Kirkuk" in ok.stdout
    empty = _cli(tmp_path, monkeypatch, "-", input="")
    assert empty.exit_code == 1 and "error" in empty.stderr
    # in a batch, a bad input is a warning and the others go on
    good = tmp_path / "good.txt"
    good.write_text("Shelling hit Aleppo.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    batch = _cli(tmp_path, monkeypatch, str(tmp_path / "bad.txt"), str(good))
    assert batch.exit_code == 0 and "warning" in batch.stderr and "Aleppo" in batch.stdout
