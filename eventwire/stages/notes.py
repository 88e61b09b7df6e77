"""Stage ``notes``: one or two sentences per event in ACLED's style (coding guide §6).

``On <D Month YYYY>, <actor1> <action> <actor2> in|near <location> (<admin1>, <country>).
<injured>. <N> fatalities.``
"""

from __future__ import annotations

from ..actors import country_phrase
from ..config import Settings
from ..pipeline import register_stage
from ..records import DateInfo, Document, Event

ACTIONS = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from",
    "Chemical weapon": "used chemical weapons against",
    "Air/drone strike": "carried out an air/drone strike on",
    "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled",
    "Remote explosive/landmine/IED": "set off an explosive device against",
    "Grenade": "threw a grenade at",
    "Sexual violence": "committed sexual violence against",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted",
    "Peaceful protest": "demonstrated",
    "Protest with intervention": "demonstrated and were dispersed by",
    "Excessive force against protesters": "used lethal force against",
    "Violent demonstration": "rioted against",
    "Mob violence": "attacked",
    "Agreement": "reached an agreement with",
    "Arrests": "arrested",
    "Change to group/activity": "changed activity, affecting",
    "Disrupted weapons use": "disrupted weapons use by",
    "Headquarters or base established": "established a base",
    "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "took control without fighting from",
    "Other": "was involved in a development concerning",
}


#: the action when no one suffered it is named
ALONE = {
    "Armed clash": "fought",
    "Air/drone strike": "carried out an air/drone strike",
    "Suicide bomb": "carried out a suicide bombing",
    "Shelling/artillery/missile attack": "fired artillery or missiles",
    "Remote explosive/landmine/IED": "set off an explosive device",
    "Grenade": "threw a grenade",
    "Attack": "attacked civilians",
    "Abduction/forced disappearance": "abducted civilians",
    "Arrests": "made arrests",
    "Agreement": "reached an agreement",
    "Looting/property destruction": "looted or destroyed property",
    "Non-violent transfer of territory": "took control of territory without fighting",
    "Other": "was involved in a development",
    "Change to group/activity": "changed its activity",
    "Disrupted weapons use": "disrupted weapons use",
    "Government regains territory": "regained territory",
    "Non-state actor overtakes territory": "took territory",
    "Chemical weapon": "used chemical weapons",
    "Sexual violence": "committed sexual violence",
    "Mob violence": "attacked",
    "Violent demonstration": "rioted",
    "Excessive force against protesters": "used lethal force against protesters",
}


def _when(date: DateInfo) -> str:
    if date.start is None:
        return "On an unknown date"
    if date.precision == "day":
        return f"On {date.start.day} {date.start:%B %Y}"
    if date.precision == "week":
        return f"Around {date.start.day} {date.start:%B %Y}"
    if date.precision == "month" or (
        date.end and date.start.month == date.end.month and date.start.year == date.end.year
    ):
        return f"In {date.start:%B %Y}"
    end = date.end or date.start
    return f"Between {date.start.day} {date.start:%B %Y} and {end.day} {end:%B %Y}"


def make_note(event: Event) -> str:
    actor1 = event.actor1.name if event.actor1 else "An unidentified actor"
    action = ACTIONS.get(event.sub_event_type, "was involved in an event with")
    target = event.actor2.name if event.actor2 else ""
    if not target:
        action = ALONE.get(event.sub_event_type, action.rsplit(" ", 1)[0])
    sentence = f"{_when(event.date)}, {actor1} {action}"
    if target:
        sentence += f" {target}"
    if event.location is not None:
        where = "near" if event.location.precision == 2 else "in"
        country = country_phrase(event.location.country_code)
        if country and country.removeprefix("the ") == event.location.name:
            country = None
        parts = [p for p in (event.location.admin1, country) if p and p != event.location.name]
        sentence += f" {where} {event.location.name}" + (f" ({', '.join(parts)})" if parts else "")
    sentence += "."
    extra = []
    if event.injured is not None and event.injured.count:
        more = "At least " if event.injured.qualifier == "at_least" else ""
        extra.append(f"{more}{event.injured.count} injured.")
    if event.fatalities is None:
        extra.append(
            "Fatalities unknown."
            if event.event_type not in ("Protests", "Strategic developments")
            else ""
        )
    elif event.fatalities.count is None:
        extra.append("Fatalities reported, number unknown.")
    else:
        n = event.fatalities.count
        extra.append(f"{n} fatalit{'y' if n == 1 else 'ies'}.")
    return " ".join(s for s in [sentence, *extra] if s).replace("  ", " ")


class NoteWriter:
    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            event.notes = make_note(event)
        return doc


@register_stage("notes", reads=("events",), writes=("events",))
def make_notes(settings: Settings) -> NoteWriter:
    """Write an ACLED-style note for each event."""
    return NoteWriter()
