"""``eventwire dates``: the library part (eventwire.timex) and the command, on inputs of its own."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.ingest import NO_DATE_WARNING
from eventwire.timex import ArticleTimes, Expression, find_expressions, writer

KEYS = {"file", "text", "start", "end", "type", "value", "start_date", "end_date", "precision"}
STORY = (
    "Militias have carried out 165 attacks since mid-October.\r\n"
    "Gunmen attacked the base on Thursday; the last strike before that was on Jan. 28.\r\n"
)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.encode("utf-8"))
    (tmp_path / "story.meta.json").write_text('{"published": "2024-02-08"}', encoding="utf-8")
    return path


def _by_text(item: ArticleTimes) -> dict[str, Expression]:
    return {e.text: e for e in item.expressions}


def test_publication_date_comes_from_the_sibling_meta(story: Path, settings) -> None:
    [item] = find_expressions([str(story)], settings=settings)
    assert item.error is None and item.article.published == date(2024, 2, 8)
    found = _by_text(item)
    assert found["Thursday"].value == "2024-02-08"
    assert found["Jan. 28"].start_date == date(2024, 1, 28)
    since = found["since mid-October"]
    assert (since.start_date, since.end_date, since.precision) == (
        date(2023, 10, 11),
        date(2024, 2, 8),
        "range",
    )
    assert all(e.file == str(story) for e in item.expressions)


def test_published_option_wins_over_the_meta(story: Path, settings) -> None:
    [item] = find_expressions([str(story)], published=date(2024, 3, 1), settings=settings)
    assert _by_text(item)["Thursday"].value == "2024-02-29"


def test_offsets_are_into_the_text_as_ingest_reads_it(tmp_path: Path, settings) -> None:
    # curly quotes and an accented name before the date; \r\n line ends become \n
    text = "“Kata’ib Hezbollah,” said Amélie Noël.\r\nThe base was hit on Jan. 28, 2024.\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    [item] = find_expressions([str(path)], settings=settings)
    read = item.article.text
    assert "\r" not in read
    [e] = [e for e in item.expressions if e.value == "2024-01-28"]
    assert read[e.start : e.end] == e.text == "Jan. 28, 2024"
    assert e.start == read.index("Jan. 28")


def test_without_publication_date_relative_dates_stay_null(tmp_path: Path, settings) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("Troops shelled the town on Thursday and on Jan. 28, 2024.", encoding="utf-8")
    [item] = find_expressions([str(path)], settings=settings)
    assert NO_DATE_WARNING in item.warnings
    found = _by_text(item)
    assert found["Thursday"].start_date is None and found["Thursday"].value is None
    assert found["Thursday"].precision == "day"
    assert found["Jan. 28, 2024"].start_date == date(2024, 1, 28)


def test_a_batch_keeps_order_and_a_bad_line_does_not_stop_it(tmp_path: Path, settings) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "a", "text": "Rebels attacked on Monday.", "published": "2024-02-08"}
                ),
                "{not json",
                json.dumps({"id": "c", "text": "Police fired on protesters on Feb. 1, 2024."}),
            ]
        ),
        encoding="utf-8",
    )
    items = list(find_expressions([str(batch)], settings=settings))
    assert [i.article.origin for i in items] == [f"{batch}:1", f"{batch}:2", f"{batch}:3"]
    assert items[0].error is None and items[0].expressions[0].value == "2024-02-05"
    assert items[1].error is not None and not items[1].expressions
    assert items[2].expressions[0].file == f"{batch}:3"


def test_many_files_in_one_process_with_small_batches(tmp_path: Path, settings) -> None:
    paths = []
    for n in range(5):
        path = tmp_path / f"s{n}.txt"
        path.write_text(f"Clashes broke out on Jan. {n + 1}, 2024.", encoding="utf-8")
        paths.append(str(path))
    small = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"batch_size": 2})})
    items = list(find_expressions(paths, settings=small))
    assert [i.expressions[0].value for i in items] == [f"2024-01-0{n + 1}" for n in range(5)]


def test_jsonl_writer_writes_the_contract_and_warnings_to_stderr(story: Path, settings) -> None:
    out, err = io.StringIO(), io.StringIO()
    write = writer("jsonl", out, err)
    for item in find_expressions([str(story)], settings=settings):
        write(item)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and all(set(r) == KEYS for r in rows)
    assert {"text": "Thursday", "value": "2024-02-08", "start_date": "2024-02-08"}.items() <= rows[
        1
    ].items()
    assert err.getvalue() == ""


def test_table_writer_names_the_file_and_its_warnings(tmp_path: Path, settings) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("Troops shelled the town on Thursday.", encoding="utf-8")
    out = io.StringIO()
    write = writer("table", out, io.StringIO())
    for item in find_expressions([str(path)], settings=settings):
        write(item)
    shown = out.getvalue()
    assert "undated.txt" in shown and "Thursday" in shown and NO_DATE_WARNING in shown


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        writer("csv", io.StringIO(), io.StringIO())


def test_worked_example_dates(shared_dir: Path, settings) -> None:
    example = shared_dir / "examples" / "baghdad-strike.txt"
    [item] = find_expressions([str(example)], settings=settings)
    got = {e.text: (str(e.start_date), str(e.end_date)) for e in item.expressions}
    assert got["Thursday"] == ("2024-02-08", "2024-02-08")
    assert got["last Friday"] == ("2024-02-02", "2024-02-02")
    assert got["Jan. 28"] == ("2024-01-28", "2024-01-28")
    assert got["early January"] == ("2024-01-01", "2024-01-10")
    assert got["since mid-October"] == ("2023-10-11", "2024-02-08")


# --- the command --------------------------------------------------------------------------------


def _needs_command() -> None:
    if "dates" not in getattr(main, "commands", {}):
        pytest.skip("the dates command is not in eventwire.cli yet")


def test_command_jsonl(story: Path) -> None:
    _needs_command()
    result = CliRunner().invoke(main, ["dates", str(story), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["value"] for r in rows][:2] == ["2023-10", "2024-02-08"]
    assert all(set(r) == KEYS for r in rows)


def test_command_reads_stdin_with_published() -> None:
    _needs_command()
    result = CliRunner().invoke(
        main,
        ["dates", "-", "--published", "2024-02-08", "--format", "jsonl"],
        input="The response came last Friday.",
    )
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["file"], row["text"], row["value"]) == ("<stdin>", "last Friday", "2024-02-02")


def test_command_table_and_errors(story: Path, tmp_path: Path) -> None:
    _needs_command()
    runner = CliRunner()
    result = runner.invoke(main, ["dates", str(story)])
    assert result.exit_code == 0 and "since mid-October" in result.stdout
    missing = runner.invoke(main, ["dates", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "error" in missing.stderr
    bad = runner.invoke(main, ["dates", str(story), "--published", "08/02/2024"])
    assert bad.exit_code != 0 and "--published" in bad.output
    help_ = runner.invoke(main, ["dates", "-h"])
    assert help_.exit_code == 0 and "--format" in help_.output
