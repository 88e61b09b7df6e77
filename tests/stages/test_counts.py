from __future__ import annotations

from datetime import date

import pytest

from eventwire.stages.counts import CountFinder
from eventwire.stages.events import EventDetector

PUB = date(2023, 5, 12)


@pytest.fixture(scope="module")
def stages(settings):
    return EventDetector(settings), CountFinder()


@pytest.fixture
def first_event(make_doc, stages):
    def run(text: str):
        detector, counts = stages
        doc = counts(detector(make_doc(text, PUB)))
        assert doc.events, f"no event in {text!r}"
        return doc.events[0]

    return run


@pytest.mark.parametrize(
    ("text", "killed", "qualifier"),
    [
        ("Gunmen killed seven farmers in their fields.", 7, "exact"),
        ("A roadside bomb killed at least 12 soldiers on the highway.", 12, "at_least"),
        ("Militants attacked a police post, killing more than 40 officers.", 40, "at_least"),
        ("An airstrike killed dozens of fighters near the border.", 12, "at_least"),
        ("Four soldiers were killed when rebels ambushed their convoy.", 4, "exact"),
        ("A drone strike hit a car, killing a local commander.", 1, "exact"),
        ("Three civilians died after shells landed on the market.", 3, "exact"),
    ],
)
def test_fatalities(first_event, text: str, killed: int, qualifier: str) -> None:
    event = first_event(text)
    assert event.fatalities is not None
    assert (event.fatalities.count, event.fatalities.qualifier) == (killed, qualifier)


def test_injured_are_not_fatalities(first_event) -> None:
    event = first_event("A car bomb killed 3 people and wounded more than 20 others in the market.")
    assert event.fatalities is not None and event.fatalities.count == 3
    assert event.injured is not None
    assert (event.injured.count, event.injured.qualifier) == (20, "at_least")


def test_targets_and_munitions_are_not_casualties(first_event) -> None:
    event = first_event("Jets struck 85 targets with 125 munitions on Friday.")
    assert event.fatalities is None


def test_vague_toll_is_unknown(first_event) -> None:
    event = first_event("Rebels shelled the town, killing several civilians.")
    assert event.fatalities is not None
    assert event.fatalities.count is None
    assert event.fatalities.qualifier == "unknown"


def test_background_deaths_are_not_the_toll(first_event) -> None:
    event = first_event(
        "Gunmen killed three villagers on Monday, months after 230 people were killed in the same valley."
    )
    assert event.fatalities is not None and event.fatalities.count == 3
