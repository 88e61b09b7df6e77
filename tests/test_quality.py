"""The quality gate: scores on the shared gold data may not fall below their floors.

Skips where ../shared is absent. The floors live in quality_floors.json and only move up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.evaluate import evaluate_dataset, evaluate_example
from eventwire.evaluate_geo import evaluate as evaluate_geo
from eventwire.pipeline import Pipeline

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
EVENT_DATASETS = sorted(k for k in FLOORS if k not in ("about", "geoparsing"))


@pytest.fixture(scope="module")
def pipeline(settings) -> Pipeline:
    return Pipeline(settings)


def test_worked_example_passes(shared_dir: Path, pipeline: Pipeline) -> None:
    result = evaluate_example(shared_dir / "examples" / "baghdad-strike.expected.json", pipeline)
    assert result["events_found"] == result["events_expected"]
    assert result["extra_events"] == []
    assert result["counts"]["found"] == result["counts"]["expected"]
    assert result["quotes"]["found"] == result["quotes"]["expected"]
    assert result["aggregates"]["found"] == result["aggregates"]["expected"]
    assert result["passed"]


@pytest.mark.parametrize("dataset", EVENT_DATASETS)
def test_dataset_floors(shared_dir: Path, pipeline: Pipeline, dataset: str) -> None:
    path = shared_dir / "data" / "events" / f"{dataset}.dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    system = evaluate_dataset(path, pipeline)["system"]
    below = {
        figure: (system[figure]["value"], floor)
        for figure, floor in FLOORS[dataset].items()
        if system[figure]["value"] is None or system[figure]["value"] < floor
    }
    assert not below, f"below the floor (value, floor): {below}"


def test_geoparsing_floors(shared_dir: Path, pipeline: Pipeline) -> None:
    path = shared_dir / "data" / "geoparsing"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    by_dataset = evaluate_geo(path, pipeline)["by_dataset"]
    below = {}
    for name, floors in FLOORS["geoparsing"].items():
        system = by_dataset[name]["system"]
        values = {
            "acc_161": system["resolution_gold_spans"]["acc_161"],
            "country": system["resolution_gold_spans"]["country"],
            "recognition_f1": system["recognition"]["f1"],
        }
        below.update(
            {f"{name} {k}": (values[k], floor) for k, floor in floors.items() if values[k] < floor}
        )
    assert not below, f"below the floor (value, floor): {below}"
