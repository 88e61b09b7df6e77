from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from eventwire.cli import main
from eventwire.errors import DatasetError
from eventwire.evaluate import evaluate_path
from eventwire.evaluate_geo import (
    KIND,
    MAX_ERROR_KM,
    GoldToponym,
    auc,
    detect,
    evaluate,
    format_report,
    gold_country,
    load_geo_gold,
    population_first,
    recognition_figures,
    resolution_figures,
)
from eventwire.gazetteer import CACHE_ENV, Gazetteer
from eventwire.pipeline import Pipeline

POP = 15000

GWN_TEXT = "Gunmen attacked a checkpoint in Mosul. Iraqi troops later entered Erbil street."
LGL_TEXT = "Paris news. Officials in Paris and Lamar County, Texas met on Monday."


def _gwn(text: str, toponyms: list[dict[str, object]]) -> str:
    parts = []
    for t in toponyms:
        parts.append(
            "<toponym>"
            + "".join(f"<{k}>{'' if v is None else v}</{k}>" for k, v in t.items())
            + "</toponym>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<articles>\n<article file="1">'
        f"<title>t</title><text>{text}</text><toponyms>{''.join(parts)}</toponyms>"
        "</article>\n</articles>\n"
    )


def _span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


@pytest.fixture
def gwn_file(tmp_path: Path) -> Path:
    mosul, iraqi, erbil = (
        _span(GWN_TEXT, "Mosul"),
        _span(GWN_TEXT, "Iraqi"),
        _span(GWN_TEXT, "Erbil"),
    )
    xml = _gwn(
        GWN_TEXT,
        [
            {
                "extractedName": "Mosul",
                "type": "Literal",
                "start": mosul[0],
                "end": mosul[1],
                "geonamesID": 99072,
                "latitude": 36.335,
                "longitude": 43.119,
            },
            {
                "extractedName": "Iraqi",
                "type": "Demonym",
                "start": iraqi[0],
                "end": iraqi[1],
                "geonamesID": 99237,
                "latitude": 33.0,
                "longitude": 44.0,
            },
            # a street with a point and no GeoNames id; and a common noun, not a name
            {
                "extractedName": "Erbil street",
                "type": "Literal",
                "start": erbil[0],
                "end": erbil[1] + len(" street"),
                "geonamesID": None,
                "latitude": 36.19,
                "longitude": 44.01,
            },
            {
                "extractedName": "checkpoint",
                "type": "Literal_Expression",
                "start": GWN_TEXT.index("checkpoint"),
                "end": GWN_TEXT.index("checkpoint") + 10,
                "geonamesID": None,
                "latitude": None,
                "longitude": None,
            },
            # broken offsets are skipped, not fatal
            {
                "extractedName": "X",
                "type": "Literal",
                "start": -5,
                "end": -1,
                "geonamesID": None,
                "latitude": None,
                "longitude": None,
            },
        ],
    )
    path = tmp_path / "gwn-like.xml"
    path.write_text(xml, encoding="utf-8")
    return path


@pytest.fixture
def lgl_file(tmp_path: Path) -> Path:
    paris = _span(LGL_TEXT, "Paris", 1)
    lamar = _span(LGL_TEXT, "Lamar County")
    texas = _span(LGL_TEXT, "Texas")

    def top(
        span: tuple[int, int], phrase: str, gid: int, lat: float, lon: float, fcode: str
    ) -> str:
        return (
            f"<toponym><start>{span[0]}</start><end>{span[1]}</end><phrase>{phrase}</phrase>"
            f'<gaztag geonameid="{gid}"><name>{phrase}</name><fclass>P</fclass>'
            f"<fcode>{fcode}</fcode><lat>{lat}</lat><lon>{lon}</lon>"
            '<country geonameid="6252001">United States</country>'
            '<admin1 geonameid="4736286">Texas</admin1></gaztag></toponym>'
        )

    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<articles>\n<article docid="7">'
        f"<title>t</title><text><![CDATA[{LGL_TEXT}]]></text><toponyms>"
        + top(paris, "Paris", 4717560, 33.66, -95.56, "PPL")
        + top(lamar, "Lamar County", 4705086, 33.66, -95.57, "ADM2")
        + top(texas, "Texas", 4736286, 31.25, -99.25, "ADM1")
        # a toponym LGL could not ground: recognition only
        + f"<toponym><start>{_span(LGL_TEXT, 'Paris')[0]}</start><end>5</end>"
        "<phrase>Paris</phrase></toponym>" + "</toponyms></article>\n</articles>\n"
    )
    path = tmp_path / "lgl-like.xml"
    path.write_text(xml, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return Gazetteer.load(POP, directory=tmp_path_factory.mktemp("geo"))


@pytest.fixture(scope="module")
def pipeline(settings, tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("geo-pipe")))
    yield Pipeline(settings.replace({"geo.min_population": POP}))
    mp.undo()


# -- reading


def test_detect(gwn_file: Path, lgl_file: Path, tmp_path: Path) -> None:
    assert detect(gwn_file) and detect(lgl_file) and detect(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.xml").write_text("<notes><note/></notes>", encoding="utf-8")
    (other / "a.jsonl").write_text("{}\n", encoding="utf-8")
    assert not detect(other)
    assert not detect(other / "a.jsonl")
    assert not detect(tmp_path / "missing.xml")


def test_load_gwn_layout(gwn_file: Path) -> None:
    articles = load_geo_gold(gwn_file)["gwn-like"]
    assert len(articles) == 1
    tops = articles[0].toponyms
    assert [t.text for t in tops] == ["Mosul", "Iraqi", "Erbil street", "checkpoint"]
    mosul, iraqi, street, noun = tops
    assert GWN_TEXT[mosul.start : mosul.end] == "Mosul" and mosul.geonames_id == 99072
    assert mosul.literal is True and iraqi.literal is False
    assert street.geonames_id is None and street.has_point
    assert not noun.name_like and not noun.has_point


def test_load_lgl_layout(lgl_file: Path) -> None:
    tops = load_geo_gold(lgl_file)["lgl-like"][0].toponyms
    paris = tops[0]
    assert LGL_TEXT[paris.start : paris.end] == "Paris" and paris.start > 5
    assert paris.country_code == "US" and paris.type == "PPL" and paris.geonames_id == 4717560
    assert not tops[-1].has_point and tops[-1].name_like


def test_load_rejects_what_is_not_gold(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><toponym>", encoding="utf-8")
    with pytest.raises(DatasetError):
        load_geo_gold(bad)
    with pytest.raises(DatasetError):
        load_geo_gold(tmp_path / "empty")


def test_limit_keeps_the_first_articles(gwn_file: Path) -> None:
    assert load_geo_gold(gwn_file, limit=0)["gwn-like"] == []


# -- figures


def test_auc_and_resolution_figures() -> None:
    assert auc([]) is None
    assert auc([0.0, 0.0]) == 0.0
    assert auc([MAX_ERROR_KM, MAX_ERROR_KM]) == pytest.approx(1.0, abs=1e-4)
    assert 0 < auc([0.0, 100.0, 5000.0]) < 1  # type: ignore[operator]
    f = resolution_figures([0.0, 100.0, 200.0, MAX_ERROR_KM], [True, False], unresolved=1)
    assert f["acc_161"] == 0.5 and f["median_km"] == 150.0 and f["country"] == 0.5
    assert f["n"] == 4 and f["unresolved"] == 1
    assert resolution_figures([], [])["acc_161"] is None


def test_recognition_figures() -> None:
    f = recognition_figures({(0, 1), (2, 3), (4, 5)}, {(0, 1), (9, 9)})
    assert f["tp"] == 1 and f["fp"] == 1 and f["fn"] == 2
    assert f["precision"] == 0.5 and f["recall"] == pytest.approx(1 / 3)
    assert recognition_figures(set(), set())["f1"] == 0.0


def test_gold_country_sources(gaz: Gazetteer) -> None:
    given = GoldToponym(0, 1, "x", 1.0, 1.0, None, "FR")
    assert gold_country(given, gaz) == "FR"
    by_id = GoldToponym(0, 1, "Mosul", 0.0, 0.0, 99072)
    assert gold_country(by_id, gaz) == "IQ"
    by_point = GoldToponym(0, 1, "a street", 36.34, 43.13, None)
    assert gold_country(by_point, gaz) == "IQ"
    # mid-ocean: no town near enough to lend a country
    assert gold_country(GoldToponym(0, 1, "sea", -40.0, -120.0, None), gaz) is None


def test_population_first_takes_the_largest(gaz: Gazetteer) -> None:
    best = population_first(gaz, "Tripoli")
    assert best is not None and best.country_code == "LY"
    assert population_first(gaz, "Qzxvbad") is None


# -- running


def test_evaluate_gwn_layout(gwn_file: Path, pipeline: Pipeline) -> None:
    result = evaluate(gwn_file, pipeline)
    assert result["kind"] == KIND and result["dataset"] == "gwn-like"
    d = result["by_dataset"]["gwn-like"]
    assert d["n_toponyms"] == 3 and d["n_with_point"] == 3 and d["n_with_geonames_id"] == 2
    rec = d["system"]["recognition"]
    assert rec["tp"] >= 2  # Mosul and Iraqi, by exact offsets
    gold = d["system"]["resolution_gold_spans_geonames"]
    assert gold["acc_161"] == 1.0 and gold["country"] == 1.0
    assert d["system"]["resolution_gold_spans"]["n"] == 3
    assert "population" in d["baselines"] and "spacy_ner" in d["baselines"]
    assert d["timing"]["parse_s"] >= 0
    json.dumps(result)  # --json works


def test_evaluate_lgl_layout_uses_the_qualifier(lgl_file: Path, pipeline: Pipeline) -> None:
    result = evaluate(lgl_file, pipeline)
    system = result["system"]["resolution_gold_spans"]
    # Paris of "Paris and Lamar County, Texas" is the Texan one, not the French capital
    assert system["acc_161"] == 1.0
    baseline = result["baselines"]["population"]["resolution_gold_spans"]
    assert baseline["acc_161"] < 1.0


def test_report_renders(gwn_file: Path, pipeline: Pipeline) -> None:
    console = Console(record=True, width=140)
    console.print(format_report(evaluate(gwn_file, pipeline)))
    text = console.export_text()
    assert "accuracy within 161 km" in text and "population-first" in text


def test_eval_dispatches_here(gwn_file: Path, pipeline: Pipeline) -> None:
    assert evaluate_path(gwn_file, pipeline)["kind"] == KIND


def test_folder_scores_each_file(gwn_file: Path, lgl_file: Path, pipeline: Pipeline) -> None:
    result = evaluate(gwn_file.parent, pipeline)
    assert set(result["by_dataset"]) == {"gwn-like", "lgl-like"}
    assert "system" not in result  # two datasets: figures per dataset only


def test_cli_eval_json(gwn_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    config = tmp_path / "small.toml"
    config.write_text(f"[geo]\nmin_population = {POP}\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["--config", str(config), "eval", str(gwn_file), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["kind"] == KIND
    assert not math.isnan(result["system"]["resolution_gold_spans"]["acc_161"])


def test_shared_gold_detected(shared_dir: Path) -> None:
    folder = shared_dir / "data" / "geoparsing"
    if not folder.is_dir():
        pytest.skip("no geoparsing gold")
    assert detect(folder)
    datasets = load_geo_gold(folder, limit=2)
    assert all(len(arts) == 2 for arts in datasets.values())
