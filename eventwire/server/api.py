"""The JSON API: events, articles, corrections, exports and counts, over ``eventwire.store``.

Handlers hold no SQL: they turn query strings into an ``EventFilter`` and records into JSON. They
are plain functions (FastAPI runs them in its thread pool), each with its own connection to the
store, so that slow exports do not hold up other requests (SQLite's WAL lets readers run beside
the writer).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from .. import __version__
from ..corrections import CorrectionInfo, CorrectionRecord, make_patch
from ..export import iter_csv, iter_geojson, iter_raw_event_jsonl
from ..records import EVENT_TYPES, Aggregate, ArticleInfo, Event, Quote, content_hash
from ..store import EventFilter, EventRow, Store, StoredArticle, check_filter
from .app import ApiError, ServerState

log = logging.getLogger(__name__)

router = APIRouter()

MAX_PAGE = 1000
DEFAULT_PAGE = 100


# -- schemas (for /docs; responses are built as plain JSON, for speed) ---------------------------


class EventOut(Event):
    """An event as the API gives it: corrected where an analyst corrected it."""

    corrected: bool = False
    correction: CorrectionInfo | None = None
    not_event: bool = False
    article: ArticleInfo


class EventsPage(BaseModel):
    events: list[EventOut]
    #: pass back as ``cursor`` for the next page; null on the last page
    next_cursor: str | None
    #: how many events match the filters in all
    total: int
    limit: int


class ArticleOut(ArticleInfo):
    key: str = Field(description="the store's key of the article: a hash of its text")
    text: str
    warnings: list[str] = Field(default_factory=list)
    ingested_at: str | None = None


class EventDetail(BaseModel):
    event: EventOut
    machine: Event = Field(description="the event as the machine extracted it")
    corrections: list[CorrectionRecord]
    article: ArticleOut


class ArticleDetail(BaseModel):
    article: ArticleOut
    events: list[EventOut]
    aggregates: list[Aggregate]
    quotes: list[Quote]


class ArticleIn(BaseModel):
    """An article to extract and store."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article's plain text")
    id: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=2000)
    published: date | None = Field(
        default=None, description="publication date: relative dates are resolved against it"
    )
    source: str | None = Field(default=None, max_length=500)


class ArticleStored(BaseModel):
    stored: Literal["new", "replaced", "unchanged"]
    article: ArticleOut
    events: list[EventOut]
    aggregates: list[Aggregate]
    quotes: list[Quote]


class CorrectionIn(BaseModel):
    """A correction: a JSON merge patch (RFC 7396) over the event's correctable fields.

    A field left out is unchanged; ``null`` clears it; an object (``date``, ``location``, an
    actor, a count) is merged into the current one, so ``{"fatalities": {"count": 7}}`` changes
    the count alone. Setting ``sub_event_type`` alone also sets its ``event_type``.
    """

    model_config = ConfigDict(extra="forbid")

    event_type: str | None = None
    sub_event_type: str | None = None
    date: dict[str, Any] | None = None
    actor1: dict[str, Any] | None = None
    actor2: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    fatalities: dict[str, Any] | None = None
    injured: dict[str, Any] | None = None
    notes: str | None = Field(default=None, max_length=5000)
    not_event: StrictBool | None = Field(default=None, description='true marks it "not an event"')
    reason: str | None = Field(default=None, max_length=2000, description="why, for the record")


class Stats(BaseModel):
    total: int
    fatalities: int
    first_date: str | None
    last_date: str | None
    corrected: int
    by_type: dict[str, int]
    by_sub_event_type: dict[str, int]
    by_country: dict[str, int]
    by_week: list[dict[str, Any]]
    by_day: list[dict[str, Any]]


class Meta(BaseModel):
    version: str
    event_types: dict[str, list[str]]
    write_token_required: bool
    tiles: str | None
    counts: dict[str, int]


# -- dependencies --------------------------------------------------------------------------------


def server(request: Request) -> ServerState:
    state: ServerState = request.app.state.eventwire
    return state


def open_store(state: Annotated[ServerState, Depends(server)]) -> Iterator[Store]:
    # check_same_thread=False: FastAPI may run a dependency and its handler on different threads
    store = Store(state.config.db, check_same_thread=False)
    try:
        yield store
    finally:
        store.close()


def require_token(request: Request, state: Annotated[ServerState, Depends(server)]) -> None:
    token = state.config.token
    if not token:
        return
    given = request.headers.get("authorization", "")
    if given[:7].lower() == "bearer ":
        given = given[7:].strip()
    else:
        given = request.headers.get("x-eventwire-token", "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "this server needs its token for writes: send Authorization: Bearer TOKEN",
        )


def event_filter(
    country: Annotated[
        str | None,
        Query(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. IQ"),
    ] = None,
    event_type: Annotated[
        str | None,
        Query(max_length=100, description="an event type or a sub-event type (ignoring case)"),
    ] = None,
    sub_event_type: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="text in either actor's name or words")
    ] = None,
    since: Annotated[date | None, Query(description="events on or after (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="events on or before (YYYY-MM-DD)")] = None,
    bbox: Annotated[
        str | None,
        Query(
            max_length=200, description="west,south,east,north in degrees", examples=["38,29,49,38"]
        ),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=500, description="words that must all be in the evidence")
    ] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    corrected: Annotated[
        bool | None, Query(description="only corrected (true) or uncorrected (false) events")
    ] = None,
    include_not_events: Annotated[
        bool, Query(description='also events an analyst marked "not an event"')
    ] = False,
) -> EventFilter:
    if since is not None and until is not None and since > until:
        raise ApiError(422, "invalid", f"since ({since}) is after until ({until})")
    box = None
    if bbox is not None:
        try:
            parts = tuple(float(p) for p in bbox.split(","))
        except ValueError:
            parts = ()
        if len(parts) != 4:
            raise ApiError(422, "invalid", "bbox is four numbers: west,south,east,north")
        box = (parts[0], parts[1], parts[2], parts[3])
    flt = EventFilter(
        country=country,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor=actor,
        since=since,
        until=until,
        bbox=box,
        text=q,
        min_fatalities=min_fatalities,
        corrected=corrected,
        include_not_events=include_not_events,
    )
    check_filter(flt)  # a QueryError (422) now, not half-way through a streamed export
    return flt


StoreDep = Annotated[Store, Depends(open_store)]
StateDep = Annotated[ServerState, Depends(server)]
FilterDep = Annotated[EventFilter, Depends(event_filter)]


# -- JSON ----------------------------------------------------------------------------------------


def event_json(row: EventRow) -> dict[str, Any]:
    data = row.event.to_dict()
    data.setdefault("corrected", False)
    data.setdefault("correction", None)
    data["not_event"] = row.not_event
    data["article"] = row.article.to_dict()
    return data


def article_json(article: StoredArticle) -> dict[str, Any]:
    return {
        **article.info.to_dict(),
        "key": article.key,
        "text": article.text,
        "warnings": article.warnings,
        "ingested_at": article.ingested_at,
    }


def article_detail(article: StoredArticle) -> dict[str, Any]:
    return {
        "article": article_json(article),
        "events": [event_json(r) for r in article.events],
        "aggregates": [a.to_dict() for a in article.aggregates],
        "quotes": [q.to_dict() for q in article.quotes],
    }


# -- events --------------------------------------------------------------------------------------


@router.get("/api/events", response_model=EventsPage, tags=["events"])
def list_events(
    store: StoreDep,
    flt: FilterDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    order: Annotated[Literal["asc", "desc"], Query(description="by date")] = "asc",
) -> JSONResponse:
    """Events matching the filters, by date (undated last), a page at a time."""
    page = store.page(flt, limit=limit, cursor=cursor, descending=order == "desc")
    return JSONResponse(
        {
            "events": [event_json(r) for r in page.rows],
            "next_cursor": page.next_cursor,
            "total": store.count_events(flt),
            "limit": limit,
        }
    )


def locate(store: Store, event_id: str, article: str | None) -> tuple[str, str]:
    """The (article key, event id) an id names; 404 when none, 409 when several."""
    found = store.find_events(event_id)
    if article is not None:
        keys = set(store.find_articles(article))
        found = [f for f in found if f[0] in keys]
    if not found:
        raise ApiError(404, "not_found", f"no stored event has the id {event_id!r}")
    if len(found) > 1:
        raise ApiError(
            409,
            "ambiguous",
            f"{len(found)} stored events have the id {event_id!r}; add ?article=ARTICLE_ID",
        )
    return found[0]


def event_detail(store: Store, key: str, event_id: str) -> dict[str, Any]:
    stored = store.event(key, event_id)
    if stored is None:
        raise ApiError(404, "not_found", f"no stored event has the id {event_id!r}")
    article = store.article(key)
    assert article is not None
    return {
        "event": event_json(stored.row),
        "machine": stored.machine.to_dict(),
        "corrections": [c.model_dump(mode="json") for c in stored.corrections],
        "article": article_json(article),
    }


ArticleParam = Annotated[
    str | None, Query(max_length=500, description="the article's id, when event ids repeat")
]


@router.get("/api/events/{event_id}", response_model=EventDetail, tags=["events"])
def get_event(store: StoreDep, event_id: str, article: ArticleParam = None) -> JSONResponse:
    """One event with its evidence, the machine's version, its corrections and its article."""
    key, found = locate(store, event_id, article)
    return JSONResponse(event_detail(store, key, found))


@router.patch(
    "/api/events/{event_id}",
    response_model=EventDetail,
    tags=["corrections"],
    dependencies=[Depends(require_token)],
)
def correct_event(
    store: StoreDep, event_id: str, body: CorrectionIn, article: ArticleParam = None
) -> JSONResponse:
    """Correct an event by hand, or mark it "not an event", with an optional reason.

    The machine's output is kept; the correction is stored apart, with when and why, and is
    applied again when the article is extracted again.
    """
    patch = make_patch(body.model_dump(exclude_unset=True))
    key, found = locate(store, event_id, article)
    store.correct(key, found, patch)
    return JSONResponse(event_detail(store, key, found))


# -- articles ------------------------------------------------------------------------------------


@router.get("/api/articles/{article_id}", response_model=ArticleDetail, tags=["articles"])
def get_article(store: StoreDep, article_id: str) -> JSONResponse:
    """One stored article, by its id or key, with its text, events, aggregates and quotes."""
    keys = store.find_articles(article_id)
    if not keys:
        raise ApiError(404, "not_found", f"no stored article has the id {article_id!r}")
    if len(keys) > 1:
        raise ApiError(
            409, "ambiguous", f"{len(keys)} stored articles have the id {article_id!r}; use a key"
        )
    article = store.article(keys[0])
    assert article is not None
    return JSONResponse(article_detail(article))


@router.post(
    "/api/articles",
    response_model=ArticleStored,
    status_code=201,
    tags=["articles"],
    dependencies=[Depends(require_token)],
    responses={200: {"description": "the same article was already stored as it is"}},
)
def post_article(store: StoreDep, state: StateDep, body: ArticleIn) -> JSONResponse:
    """Extract the events of an article, store them, and return them (201 when new)."""
    from ..ingest import article_from_text

    article = article_from_text(
        body.text,
        origin="the posted article",
        published=body.published,
        id=body.id or None,
        url=body.url,
        title=body.title,
        source=body.source,
        settings=state.settings,
    )
    if store.fingerprint(article.text) == state.fingerprint:
        stored, status = "unchanged", 200
        key = content_hash(article.text)
    else:
        with state.lock:
            result = state.pipeline()(article)
        outcome = store.add(article, result, fingerprint=state.fingerprint)
        key = outcome.article_key
        stored, status = ("replaced", 200) if outcome.replaced else ("new", 201)
    saved = store.article(key)
    assert saved is not None
    return JSONResponse({"stored": stored, **article_detail(saved)}, status_code=status)


# -- exports and counts --------------------------------------------------------------------------

_EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "geojson": ("application/geo+json", "geojson"),
}


@router.get(
    "/api/export",
    tags=["export"],
    response_class=StreamingResponse,
    responses={200: {"description": "the events, streamed", "content": {"text/csv": {}}}},
)
def export(
    state: StateDep,
    flt: FilterDep,
    format: Annotated[Literal["csv", "jsonl", "geojson"], Query()] = "csv",
) -> StreamingResponse:
    """The matching events as ACLED-style CSV, JSON lines (one event a line) or GeoJSON.

    Streamed as it is read from the store, so any number of events fits in little memory;
    corrected values are written, with a ``corrected`` column or property.
    """
    media_type, extension = _EXPORTS[format]
    db = state.config.db

    def chunks() -> Iterator[str]:
        # its own connection: the response outlives the request's dependencies, and its
        # chunks are read on whatever thread the server has free
        with Store(db, check_same_thread=False) as store:
            if format == "jsonl":
                # the events' JSON as stored: nothing to parse, nothing to build
                yield from iter_raw_event_jsonl(store.export_json(flt))
            elif format == "csv":
                yield from iter_csv(store.export_rows(flt))
            else:
                yield from iter_geojson(store.export_rows(flt))

    return StreamingResponse(
        chunks(),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="events.{extension}"'},
    )


@router.get(
    "/api/corrections",
    tags=["export"],
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def corrections(state: StateDep) -> StreamingResponse:
    """Every corrected event with its article text and evidence offsets, as JSON lines."""
    db = state.config.db

    def lines() -> Iterator[str]:
        with Store(db, check_same_thread=False) as store:
            for item in store.corrections():
                yield json.dumps(item, ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.get("/api/stats", response_model=Stats, tags=["events"])
def stats(store: StoreDep, flt: FilterDep) -> JSONResponse:
    """Counts of the matching events: by type, sub-type, country, week (from Monday) and day."""
    return JSONResponse(store.stats(flt))


@router.get("/api/meta", response_model=Meta, tags=["events"])
def meta(store: StoreDep, state: StateDep) -> JSONResponse:
    """What the page needs to start: the taxonomy, whether writes need a token, tiles, counts."""
    return JSONResponse(
        {
            "version": __version__,
            "event_types": {k: list(v) for k, v in EVENT_TYPES.items()},
            "write_token_required": bool(state.config.token),
            "tiles": state.config.tiles,
            "counts": {**store.count(), "corrections": store.correction_count()},
        }
    )
