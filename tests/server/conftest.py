"""Fixtures of the server tests: a small store of hand-made events, and an app over it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server tests need the serve extra")

from fastapi.testclient import TestClient

from eventwire.records import (
    SUB_EVENT_TYPES,
    Actor,
    Article,
    ArticleResult,
    Count,
    DateInfo,
    Event,
    Place,
    Span,
)
from eventwire.server import ServerConfig, create_app
from eventwire.store import Store

STRIKE_TEXT = (
    "A drone strike hit a convoy near Baghdad on Thursday, killing two fighters.\n"
    "Militants clashed with the army in Raqqa for three days."
)
PROTEST_TEXT = (
    "Hundreds of protesters marched in Kirkuk on Friday.\n"
    "Gunmen abducted a journalist in Mosul the next day."
)
UNDATED_TEXT = "Unknown attackers killed a farmer in a village, residents said."


def sentence(text: str, n: int) -> Span:
    start = 0
    for _ in range(n):
        start = text.index("\n", start) + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return Span(text=text[start:end], start=start, end=end)


def make_event(
    id: str,
    sub: str,
    evidence: Span,
    *,
    start: date | None = None,
    end: date | None = None,
    precision: str = "day",
    place: Place | None = None,
    killed: int | None = None,
    actor1: str | None = None,
    actor2: str | None = None,
) -> Event:
    return Event(
        id=id,
        event_type=SUB_EVENT_TYPES[sub],
        sub_event_type=sub,
        date=DateInfo(start=start, end=end or start, precision=precision),  # type: ignore[arg-type]
        actor1=Actor(name=actor1, type="state_forces") if actor1 else None,
        actor2=Actor(name=actor2, text=actor2.lower()) if actor2 else None,
        location=place,
        fatalities=Count(count=killed) if killed is not None else None,
        evidence=[evidence],
        notes=f"note of {id}",
    )


BAGHDAD = Place(name="Baghdad", latitude=33.34, longitude=44.40, country_code="IQ", precision=2)
RAQQA = Place(name="Raqqa", latitude=35.95, longitude=39.01, country_code="SY")
KIRKUK = Place(name="Kirkuk", latitude=35.47, longitude=44.39, country_code="IQ")
MOSUL = Place(name="Mosul", latitude=36.34, longitude=43.13, country_code="IQ")


def fill(store: Store) -> None:
    strike = Article(
        text=STRIKE_TEXT, id="A1", title="Strike and clash", published=date(2024, 2, 9)
    )
    store.add(
        strike,
        ArticleResult(
            article=strike.info(),
            events=[
                make_event(
                    "e-strike",
                    "Air/drone strike",
                    sentence(STRIKE_TEXT, 0),
                    start=date(2024, 2, 8),
                    place=BAGHDAD,
                    killed=2,
                    actor1="Military Forces of Testland",
                    actor2="Islamic State",
                ),
                make_event(
                    "e-clash",
                    "Armed clash",
                    sentence(STRIKE_TEXT, 1),
                    start=date(2024, 2, 5),
                    end=date(2024, 2, 7),
                    precision="range",
                    place=RAQQA,
                    killed=5,
                    actor1="Military Forces of Syria",
                    actor2="Islamic State",
                ),
            ],
        ),
        fingerprint="fp",
    )
    protest = Article(text=PROTEST_TEXT, id="A2", title="Kirkuk", published=date(2024, 3, 4))
    store.add(
        protest,
        ArticleResult(
            article=protest.info(),
            events=[
                make_event(
                    "e-protest",
                    "Peaceful protest",
                    sentence(PROTEST_TEXT, 0),
                    start=date(2024, 3, 1),
                    place=KIRKUK,
                    actor1="Protesters (Iraq)",
                ),
                make_event(
                    "e-abduct",
                    "Abduction/forced disappearance",
                    sentence(PROTEST_TEXT, 1),
                    start=date(2024, 3, 2),
                    place=MOSUL,
                    killed=0,
                    actor1="Unidentified Armed Group (Iraq)",
                    actor2="Journalists (Iraq)",
                ),
            ],
        ),
        fingerprint="fp",
    )
    undated = Article(text=UNDATED_TEXT, id="A3")
    store.add(
        undated,
        ArticleResult(
            article=undated.info(),
            events=[make_event("e-undated", "Attack", sentence(UNDATED_TEXT, 0), killed=1)],
        ),
        fingerprint="fp",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    with Store(path) as store:
        fill(store)
    return path


def client_for(config: ServerConfig) -> TestClient:
    # raise_server_exceptions=False: a bug must show as the 500 a client would get, so that
    # the tests see what clients see
    return TestClient(create_app(config), raise_server_exceptions=False)


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with client_for(ServerConfig(db=str(db), fingerprint="fp")) as c:
        yield c
