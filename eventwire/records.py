"""Typed records at each stage boundary: Article -> Document -> Event/Aggregate/Quote -> ArticleResult.

The output records (Event, Actor, Place, ...) are pydantic models whose field names are the output
contract in ``shared/spec/README.md``: outside scorers read them, so they are never renamed.
``Article`` and ``Document`` are plain dataclasses: they live only inside one process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from spacy.tokens import Doc

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
#: sub-event type -> event type
SUB_EVENT_TYPES: dict[str, str] = {sub: et for et, subs in EVENT_TYPES.items() for sub in subs}

ActorType = Literal[
    "state_forces",
    "rebel_group",
    "political_militia",
    "identity_militia",
    "rioters",
    "protesters",
    "civilians",
    "external_other",
]
#: ACLED's inter codes, used by the ACLED CSV export
INTER_CODES: dict[str, int] = {
    "state_forces": 1,
    "rebel_group": 2,
    "political_militia": 3,
    "identity_militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external_other": 8,
}
Precision = Literal["day", "week", "month", "year", "range"]
Qualifier = Literal["exact", "at_least", "at_most", "approx", "unknown"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Span(_Record):
    """Words of the article, by character offsets into its text."""

    text: str
    start: int
    end: int


class DateInfo(_Record):
    start: date | None = None
    end: date | None = None
    precision: Precision = "day"
    text: str | None = None


class Actor(_Record):
    name: str
    type: ActorType | None = None
    country_code: str | None = None
    text: str | None = None


class Place(_Record):
    name: str
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    country_code: str | None = None
    precision: Literal[1, 2, 3] = 1
    text: str | None = None


class Count(_Record):
    count: int | None
    qualifier: Qualifier = "exact"
    text: str | None = None


class Event(_Record):
    id: str = ""
    event_type: str
    sub_event_type: str
    date: DateInfo = Field(default_factory=DateInfo)
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Place | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    evidence: list[Span] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    notes: str = ""


class Aggregate(_Record):
    description: str
    count: int | None = None
    qualifier: Qualifier = "exact"
    date: DateInfo = Field(default_factory=DateInfo)
    countries: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)


class Quote(_Record):
    speaker: str | None = None
    speaker_role: str | None = None
    text: str
    start: int
    end: int


class ArticleInfo(_Record):
    id: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    language: str | None = None


class ArticleResult(_Record):
    """One article in, one of these out: the ``--format jsonl`` line of the contract."""

    article: ArticleInfo
    events: list[Event] = Field(default_factory=list)
    aggregates: list[Aggregate] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def content_hash(*parts: str | None, length: int = 16) -> str:
    """A short stable key from text: the same inputs always give the same key."""
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(slots=True)
class Article:
    """An input article, read and checked, before any NLP."""

    text: str
    id: str = ""
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    language: str | None = None
    #: where it came from, for messages: a path, "<stdin>" or "batch.jsonl:12"
    origin: str = "<text>"
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.text)

    def info(self) -> ArticleInfo:
        return ArticleInfo(
            id=self.id,
            url=self.url,
            title=self.title,
            published=self.published,
            source=self.source,
            language=self.language,
        )


@dataclass(slots=True)
class PlaceMention:
    """A place named in the text, with its resolution when the gazetteer found one."""

    text: str
    start: int
    end: int
    place: Place | None = None
    #: GeoNames-style feature: "country", "admin1", "city", "site", "continent", "region"
    feature: str | None = None
    score: float = 0.0
    #: False for demonyms and government metonyms ("Baghdad said"): not an event location
    locational: bool = True


@dataclass(slots=True)
class TimeMention:
    """A time expression resolved against the publication date."""

    text: str
    start: int
    end: int
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    #: TIMEX3-style value: "2024-02-08", "2024-01", "P2D", "PRESENT_REF"
    value: str | None = None
    date: DateInfo | None = None


@dataclass(slots=True)
class EventMention:
    """A trigger of an event in one sentence, before mentions are merged into events."""

    trigger: Span
    sentence: Span
    event_type: str
    sub_event_type: str
    #: index of the trigger token in the spaCy Doc
    token_i: int
    score: float = 0.5
    #: the sentence summarizes many events ("more than 165 attacks"): an Aggregate, not an Event
    aggregate: bool = False
    #: which event of the article this mention was merged into (set by the events stage)
    event_index: int | None = None
    #: index in Document.mentions of the mention this one refers back to ("one of these attacks")
    antecedent: int | None = None


@dataclass(slots=True)
class Document:
    """An article being processed: each stage reads some attributes and writes others."""

    article: Article
    doc: Doc | None = None
    places: list[PlaceMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    aggregates: list[Aggregate] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, start: int, end: int) -> Span:
        return Span(text=self.article.text[start:end], start=start, end=end)

    def result(self) -> ArticleResult:
        return ArticleResult(
            article=self.article.info(),
            events=self.events,
            aggregates=self.aggregates,
            quotes=self.quotes,
            warnings=[*self.article.warnings, *self.warnings],
        )
