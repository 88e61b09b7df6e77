from __future__ import annotations

from datetime import date

import pytest

from eventwire.pipeline import Pipeline
from eventwire.records import Article
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


@pytest.mark.parametrize(
    "text",
    [
        "A drone strike killed 3 militants in the hills in revenge for the deaths of 20 soldiers.",
        "Fighters executed 3 prisoners in retaliation for the killing of 20 of their men and "
        "dumped the dead bodies by the road.",
    ],
)
def test_the_deaths_avenged_are_not_the_toll(first_event, text: str) -> None:
    event = first_event(text)
    assert event.fatalities is not None and event.fatalities.count == 3


def test_a_toll_raised_over_weeks_is_not_the_incidents(settings) -> None:
    # the dates stage finds the period
    result = Pipeline(settings)(
        Article(
            text="Air raids hit the town and raised the death toll to about 190 within 27 days.",
            published=PUB,
        )
    )
    assert result.events and all(e.fatalities is None for e in result.events)


@pytest.mark.parametrize(
    "text",
    [
        "The army's ground offensive on the town left about 350 dead and wounded in 5 bloody days.",
        "Shelling on the valley killed 40 people over three consecutive days.",
    ],
)
def test_a_toll_of_several_days_is_no_ones_count(settings, text: str) -> None:
    result = Pipeline(settings)(Article(text=text, published=PUB))
    assert all(e.fatalities is None for e in result.events)


def test_the_days_of_a_total_are_not_the_killings(settings) -> None:
    result = Pipeline(settings)(
        Article(
            text="The killing of 8 soldiers raises to 44 the number of dead in 5 days of fighting.",
            published=PUB,
        )
    )
    tolls = [e.fatalities.count for e in result.events if e.fatalities is not None]
    assert tolls == [8]


def test_a_total_beside_another_events_count_is_not_this_ones(make_doc, stages) -> None:
    detector, counts = stages
    doc = counts(
        detector(
            make_doc(
                "Mine explosions caused a massacre of 7 villagers and raised the death toll to 11 "
                "in three days.",
                date(2023, 5, 12),
            )
        )
    )
    tolls = [e.fatalities.count for e in doc.events if e.fatalities is not None]
    assert tolls and max(tolls) == 7


def test_who_was_left_dead_is_the_object_of_left(first_event) -> None:
    event = first_event(
        "Attacks by the rebels on the hills leave 13 members of the army and the gunmen loyal to "
        "them dead"
    )
    assert event.fatalities is not None and event.fatalities.count == 13


def test_one_number_for_the_dead_and_the_wounded_counts_no_dead(first_event) -> None:
    event = first_event("The blast left 20 dead and wounded in the market")
    assert event.fatalities is not None
    assert event.fatalities.count is None and event.fatalities.qualifier == "unknown"


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("The attack left 3 dead and 10 wounded", 3),
        ("Warplanes kill 3 and wound others in the town", 3),
        ("An explosion kills 4 children and injures their father", 4),
    ],
)
def test_the_wounded_with_words_of_their_own_leave_the_dead_counted(
    first_event, text: str, killed: int
) -> None:
    event = first_event(text)
    assert event.fatalities is not None and event.fatalities.count == killed


def test_background_deaths_are_not_the_toll(first_event) -> None:
    event = first_event(
        "Gunmen killed three villagers on Monday, months after 230 people were killed in the same valley."
    )
    assert event.fatalities is not None and event.fatalities.count == 3


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # a headline's participle: the subject is the victim, and the wounded keep their own number
        ("One police officer killed, 4 lightly wounded in an ambush near the checkpoint", 1, 4),
        ("12 #militants were killed and 3 others were wounded in an army raid", 12, 3),
        # "casualties" set against the wounded are the dead
        ("At least 9 casualties and dozens of wounded in shelling on the old market", 9, 12),
    ],
)
def test_each_toll_keeps_its_number(first_event, text: str, killed: int, injured: int) -> None:
    event = first_event(text)
    assert event.fatalities is not None and event.fatalities.count == killed
    assert event.injured is not None and event.injured.count == injured


def test_casualties_alone_are_no_death_count(first_event) -> None:
    event = first_event("Rebels shelled the village, causing 14 casualties.")
    assert event.fatalities is None


def test_running_total_gives_way_to_the_incident(first_event) -> None:
    event = first_event(
        "A landmine killed 4 shepherds and raised the death toll from mines to 96 in five months."
    )
    assert event.fatalities is not None and event.fatalities.count == 4


def test_a_later_toll_updates_the_event(first_event) -> None:
    event = first_event(
        "A truck bomb killed 9 people at a checkpoint in the city on Sunday. "
        "The death toll rose to 14 on Monday as more of the wounded died, a doctor said."
    )
    assert event.fatalities is not None and event.fatalities.count == 14


def test_what_the_incident_followed_is_not_its_toll(first_event) -> None:
    event = first_event(
        "After weeks of killing about 70 fighters in the hills, drones killed 6 militants near the dam."
    )
    assert event.fatalities is not None and event.fatalities.count == 6


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Militiamen committed a massacre of 11 casualties in the village.", 11),
        ("At least 9 casualties in two massacres at the market carried out by gunmen.", 9),
    ],
)
def test_casualties_of_a_massacre_are_the_dead(first_event, text: str, killed: int) -> None:
    event = first_event(text)
    assert event.fatalities is not None and event.fatalities.count == killed


def test_one_number_for_casualties_and_injuries_counts_no_dead(first_event) -> None:
    event = first_event("Shelling on the market caused 14 casualties and injuries in the town.")
    assert event.fatalities is None or event.fatalities.count is None


def test_the_number_of_massacres_is_not_a_toll(first_event) -> None:
    event = first_event("Gunmen carried out 2 massacres in villages near the border.")
    assert event.fatalities is None or event.fatalities.count != 2


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Soldier killed in roadside bomb blast near the border", 1),
        ("Police killed in ambush near the border", None),
    ],
)
def test_a_headlines_bare_singular_victim_is_one(first_event, text: str, killed: int) -> None:
    event = first_event(text)
    assert (event.fatalities.count if event.fatalities else None) == killed


def test_bodies_found_count_as_the_dead_of_the_finding(first_event) -> None:
    event = first_event("12 corpses found in a ditch outside the town")
    assert event.sub_event_type == "Other"
    assert event.fatalities is not None and event.fatalities.count == 12


def test_a_long_subject_keeps_its_number_of_dead(first_event) -> None:
    event = first_event(
        "10 members at least of the government forces, their allies and the militants were "
        "killed in clashes in the desert"
    )
    assert event.fatalities is not None and event.fatalities.count == 10
