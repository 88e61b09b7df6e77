"""Corrections by hand: an analyst's changes to an event, kept apart from the machine's output.

A correction is a JSON merge patch (RFC 7396) over the event's contract fields, plus an optional
``not_event`` mark and a reason. Patches are stored as they were given, each with its time
(``Store.correct``); the corrected event is the machine's event with every patch applied in
order. Because the machine's event is kept untouched, a re-extraction of the article (a new
pipeline) gives a new machine event and the same patches are applied to it again.

Only what an analyst can judge from the article is correctable: type, sub-type, date, actors,
place, counts and notes. ``id``, ``evidence`` and ``confidence`` describe the machine's reading and
are refused. When a patch changes anything but ``notes``, the note is written again from the
corrected fields, so that it never contradicts them.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import EventwireError
from .records import EVENT_TYPES, SUB_EVENT_TYPES, Event, Span

log = logging.getLogger(__name__)

#: the fields a correction may set
CORRECTABLE: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "date",
    "actor1",
    "actor2",
    "location",
    "fatalities",
    "injured",
    "notes",
)
#: longest accepted reason, in characters
MAX_REASON = 2000


class CorrectionError(EventwireError):
    """A correction that cannot be applied: an unknown field, a bad value, a type mismatch."""

    code = "E006"


class Patch(BaseModel):
    """One correction as given: the changes, whether the event is not one, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    changes: dict[str, Any] = Field(default_factory=dict)
    not_event: bool | None = None
    reason: str | None = None


class CorrectionRecord(BaseModel):
    """One stored correction, as the API and ``export --corrections`` show it."""

    model_config = ConfigDict(extra="forbid")

    at: datetime
    changes: dict[str, Any] = Field(default_factory=dict)
    not_event: bool | None = None
    reason: str | None = None


class CorrectionInfo(BaseModel):
    """What the corrections of one event add up to."""

    model_config = ConfigDict(extra="forbid")

    #: the fields whose value differs from the machine's, after every correction
    fields: list[str] = Field(default_factory=list)
    not_event: bool = False
    #: the latest reason given, and when the latest correction was made
    reason: str | None = None
    at: datetime | None = None
    history: list[CorrectionRecord] = Field(default_factory=list)


class CorrectedEvent(Event):
    """An event with an analyst's corrections applied: the contract's fields, plus the flag.

    Exports and the API write ``corrected`` (always true here) and ``correction``; an event that
    was never corrected stays a plain ``Event``, so its JSON is exactly the machine's.
    """

    corrected: bool = True
    correction: CorrectionInfo = Field(default_factory=CorrectionInfo)


def is_corrected(event: Event) -> bool:
    return isinstance(event, CorrectedEvent)


def make_patch(body: Mapping[str, Any]) -> Patch:
    """A ``Patch`` from a request body: the correctable fields, ``not_event`` and ``reason``.

    Unknown or uncorrectable fields, a non-boolean ``not_event`` or an overlong reason are a
    ``CorrectionError`` naming them; a patch that changes nothing is one too.
    """
    changes: dict[str, Any] = {}
    not_event: bool | None = None
    reason: str | None = None
    refused = []
    for key, value in body.items():
        if key in CORRECTABLE:
            changes[key] = value
        elif key == "not_event":
            if not isinstance(value, bool):
                raise CorrectionError("not_event must be true or false")
            not_event = value
        elif key == "reason":
            if value is not None and not isinstance(value, str):
                raise CorrectionError("reason must be a string")
            if value is not None and len(value) > MAX_REASON:
                raise CorrectionError(f"reason is longer than {MAX_REASON} characters")
            reason = value.strip() or None if value else None
        else:
            refused.append(key)
    if refused:
        raise CorrectionError(
            f"cannot correct {', '.join(sorted(map(repr, refused)))}: correctable fields are "
            f"{', '.join(CORRECTABLE)}, with not_event and reason"
        )
    if not changes and not_event is None:
        raise CorrectionError(
            f"the correction changes nothing: give one of {', '.join(CORRECTABLE)} or not_event"
        )
    return Patch(changes=changes, not_event=not_event, reason=reason)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge key by key, ``null`` removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def apply_patches(machine: Event, patches: Sequence[Patch | CorrectionRecord]) -> Event:
    """The machine's event with the patches applied in order; a ``CorrectionError`` if invalid.

    Returns a ``CorrectedEvent`` when there is at least one patch, else ``machine`` itself.
    """
    if not patches:
        return machine
    data = machine.model_dump(mode="json")
    not_event = False
    notes_set = False
    for patch in patches:
        changes = dict(patch.changes)
        if "sub_event_type" in changes and "event_type" not in changes:
            # the sub-type decides the type: no need to send both
            sub = changes["sub_event_type"]
            if isinstance(sub, str) and sub in SUB_EVENT_TYPES:
                changes["event_type"] = SUB_EVENT_TYPES[sub]
        notes_set = notes_set or "notes" in changes
        data = merge_patch(data, changes)
        if patch.not_event is not None:
            not_event = patch.not_event
    event = _validate(data)
    if not notes_set and _changed_fields(machine, event):
        event = _renote(event)
    records = [_record(p) for p in patches]
    info = CorrectionInfo(
        fields=_changed_fields(machine, event),
        not_event=not_event,
        reason=next((r.reason for r in reversed(records) if r.reason), None),
        at=records[-1].at,
        history=records,
    )
    return CorrectedEvent(**event.model_dump(), correction=info)


def _record(patch: Patch | CorrectionRecord) -> CorrectionRecord:
    if isinstance(patch, CorrectionRecord):
        return patch
    # a patch being checked before it is stored has no time yet: now is when it would be made
    return CorrectionRecord(
        at=datetime.now().astimezone(),
        changes=patch.changes,
        not_event=patch.not_event,
        reason=patch.reason,
    )


def _validate(data: dict[str, Any]) -> Event:
    for key in ("corrected", "correction"):
        data.pop(key, None)
    try:
        event = Event.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'event'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CorrectionError(f"the corrected event is not valid: {problems}") from None
    if event.event_type not in EVENT_TYPES:
        raise CorrectionError(
            f"unknown event_type {event.event_type!r}; one of: {', '.join(EVENT_TYPES)}"
        )
    if SUB_EVENT_TYPES.get(event.sub_event_type) != event.event_type:
        raise CorrectionError(
            f"sub_event_type {event.sub_event_type!r} is not a kind of {event.event_type!r}; "
            f"one of: {', '.join(EVENT_TYPES[event.event_type])}"
        )
    d = event.date
    if d.start is not None and d.end is not None and d.end < d.start:
        raise CorrectionError(f"date.end {d.end} is before date.start {d.start}")
    if d.start is None and d.end is not None:
        raise CorrectionError("date.end is set without date.start")
    for name in ("fatalities", "injured"):
        count = getattr(event, name)
        if count is not None and count.count is not None and count.count < 0:
            raise CorrectionError(f"{name}.count must be 0 or more, not {count.count}")
    loc = event.location
    if loc is not None:
        if (loc.latitude is None) != (loc.longitude is None):
            raise CorrectionError("location needs both latitude and longitude, or neither")
        if loc.latitude is not None and not -90 <= loc.latitude <= 90:
            raise CorrectionError(f"location.latitude {loc.latitude} is not within -90..90")
        if loc.longitude is not None and not -180 <= loc.longitude <= 180:
            raise CorrectionError(f"location.longitude {loc.longitude} is not within -180..180")
    return event


def _changed_fields(machine: Event, event: Event) -> list[str]:
    before, after = machine.model_dump(mode="json"), event.model_dump(mode="json")
    return [f for f in CORRECTABLE if before.get(f) != after.get(f)]


def _renote(event: Event) -> Event:
    try:
        from .stages.notes import make_note

        return event.model_copy(update={"notes": make_note(event)})
    except Exception:  # a note is a convenience: a failure must not lose the correction
        log.warning("could not write the note of corrected event %s", event.id, exc_info=True)
        return event


# -- finding the event a correction belongs to after a re-extraction ----------------------------


def evidence_bounds(evidence: Iterable[Span]) -> tuple[int, int] | None:
    spans = list(evidence)
    if not spans:
        return None
    return min(s.start for s in spans), max(s.end for s in spans)


def match_event(
    event_id: str, bounds: tuple[int, int] | None, candidates: Sequence[Event]
) -> int | None:
    """The index in ``candidates`` of the event a correction made on ``event_id`` belongs to.

    The same id first (the same text and settings give the same id); else, as after a
    re-extraction with other settings, the event whose evidence overlaps most the evidence the
    corrected event had, ties going to the earlier event. None when nothing overlaps.
    """
    for i, event in enumerate(candidates):
        if event.id == event_id:
            return i
    if bounds is None:
        return None
    best, best_overlap = None, 0
    for i, event in enumerate(candidates):
        other = evidence_bounds(event.evidence)
        if other is None:
            continue
        overlap = min(bounds[1], other[1]) - max(bounds[0], other[0])
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def parse_day(value: str) -> date:
    """A date from ``YYYY-MM-DD``, as a ``CorrectionError`` when it is not one."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CorrectionError(f"{value!r} is not a date (YYYY-MM-DD)") from None
