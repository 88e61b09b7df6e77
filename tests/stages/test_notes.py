from __future__ import annotations

from datetime import date

from eventwire.records import Actor, Count, DateInfo, Event, Place
from eventwire.stages.notes import make_note


def _event(**kw) -> Event:
    base = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "date": DateInfo(start=date(2024, 3, 6), end=date(2024, 3, 6), precision="day"),
    }
    return Event(**{**base, **kw})


def test_note_in_acled_style() -> None:
    note = make_note(
        _event(
            actor1=Actor(name="Free Hills Front", type="rebel_group"),
            actor2=Actor(name="Police Forces of Velmar", type="state_forces"),
            location=Place(name="Oruvale", country_code="KE", admin1="Nairobi", precision=2),
            fatalities=Count(count=4, qualifier="exact"),
            injured=Count(count=2, qualifier="at_least"),
        )
    )
    assert note == (
        "On 6 March 2024, Free Hills Front clashed with Police Forces of Velmar near Oruvale "
        "(Nairobi, Kenya). At least 2 injured. 4 fatalities."
    )


def test_note_without_target_or_toll() -> None:
    note = make_note(
        _event(
            event_type="Strategic developments",
            sub_event_type="Arrests",
            actor1=Actor(name="Police Forces of Zimbabwe", type="state_forces"),
            date=DateInfo(start=date(2024, 1, 1), end=date(2024, 1, 10), precision="range"),
        )
    )
    assert note == "In January 2024, Police Forces of Zimbabwe made arrests."


def test_unknown_toll_is_said() -> None:
    note = make_note(_event(fatalities=Count(count=None, qualifier="unknown")))
    assert note.startswith("On 6 March 2024, An unidentified actor fought.")
    assert note.endswith("Fatalities reported, number unknown.")
