"""The command line, end to end, on small inputs of its own."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire import __version__
from eventwire.cli import main
from eventwire.records import ArticleResult

ARTICLE = (
    "Rebels fired mortar rounds at an army base outside the town on Tuesday, killing three soldiers.\n"
    "Police arrested the opposition leader at her home on Wednesday."
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_version_and_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    for command in ("extract", "ingest", "export", "query", "eval", "config", "stages"):
        result = runner.invoke(main, [command, "-h"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_extract_jsonl_follows_the_contract(runner: CliRunner, article: Path) -> None:
    result = runner.invoke(
        main, ["extract", str(article), "--published", "2023-05-12", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"article", "events", "aggregates", "quotes", "warnings"}
    parsed = ArticleResult.model_validate(obj)
    assert parsed.article.published is not None and str(parsed.article.published) == "2023-05-12"
    assert parsed.events


def test_batch_keeps_one_line_per_input_line_in_order(runner: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [
        {
            "id": "a",
            "text": "Rebels shelled the town on Tuesday, killing two civilians.",
            "published": "2023-05-12",
        },
        {"id": "b", "text": ""},
        "this is not json",
        {
            "id": "d",
            "text": "Police arrested the opposition leader at her home.",
            "published": None,
        },
    ]
    batch.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    result = runner.invoke(main, ["extract", str(batch), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    out = [json.loads(ln) for ln in result.stdout.splitlines() if ln.strip()]
    assert len(out) == 4
    assert out[0]["article"]["id"] == "a" and out[0]["events"]
    assert out[1]["article"]["id"] == "b" and out[1]["warnings"]
    assert out[2]["warnings"]
    assert out[3]["article"]["id"] == "d"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff", "binary"),
        (b"\xff\xfe\xfa not utf-8 \xc3", ""),
    ],
)
def test_bad_single_input_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.stderr
    assert message in result.stderr.lower()
    assert "Traceback" not in result.output


def test_csv_has_acled_columns(runner: CliRunner, article: Path) -> None:
    result = runner.invoke(
        main, ["extract", str(article), "--published", "2023-05-12", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for column in (
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "inter1",
        "actor2",
        "inter2",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
        "notes",
        "source",
    ):
        assert column in rows[0]


def test_geojson_is_a_feature_collection(runner: CliRunner, article: Path) -> None:
    result = runner.invoke(
        main, ["extract", str(article), "--published", "2023-05-12", "--format", "geojson"]
    )
    assert result.exit_code == 0, result.output
    gj = json.loads(result.stdout)
    assert gj["type"] == "FeatureCollection"


def test_table_for_people(runner: CliRunner, article: Path) -> None:
    result = runner.invoke(main, ["extract", str(article), "--published", "2023-05-12"])
    assert result.exit_code == 0, result.output
    assert "Shelling" in result.stdout


def test_ingest_is_idempotent_and_query_filters(
    runner: CliRunner, article: Path, tmp_path: Path
) -> None:
    db = tmp_path / "events.db"
    first = runner.invoke(
        main, ["ingest", str(article), "--db", str(db), "--published", "2023-05-12"]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        main, ["ingest", str(article), "--db", str(db), "--published", "2023-05-12"]
    )
    assert "stored 0 article(s)" in second.stderr and "1 already stored" in second.stderr
    exported = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl"])
    assert exported.exit_code == 0
    assert len([ln for ln in exported.stdout.splitlines() if ln.strip()]) == 1
    q = runner.invoke(main, ["query", "--db", str(db), "--type", "Arrests", "--format", "jsonl"])
    assert q.exit_code == 0, q.output
    subs = [json.loads(ln)["event"]["sub_event_type"] for ln in q.stdout.splitlines() if ln.strip()]
    assert subs and set(subs) == {"Arrests"}


def test_query_without_database_says_how_to_make_one(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["query", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "eventwire ingest" in result.stderr


def test_bad_config_is_reported(runner: CliRunner, tmp_path: Path, article: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[nlp]\nbatch_size = 0\n")
    result = runner.invoke(main, ["--config", str(cfg), "extract", str(article)])
    assert result.exit_code == 1
    assert "nlp.batch_size" in result.stderr
