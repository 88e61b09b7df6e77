"""Geocoding texts: every place mention an article names, with its resolution.

This is the places stage on its own, for people checking what the pipeline makes of an article's
places (``eventwire geocode``): inputs are read by :mod:`eventwire.ingest` exactly as
``extract`` reads them, parsed and geocoded by the ``parse`` and ``places`` stages (the model and
the gazetteer loaded once for all inputs), and every mention comes out with its character offsets
into the article's text (Python string indices into the text as read, UTF-8 decoded).

    for item in geocode_inputs(["article.txt"], settings):
        for m in item.mentions:
            print(m.to_dict())
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, TextIO

from .config import Settings
from .errors import InputError
from .records import Article, Document, PlaceMention

if TYPE_CHECKING:
    from .pipeline import Pipeline

#: the stages geocoding runs
STAGES = ("parse", "places")
#: the fields of a ``--format jsonl`` line, in order
JSONL_FIELDS = (
    "file",
    "text",
    "start",
    "end",
    "name",
    "geonames_id",
    "latitude",
    "longitude",
    "admin1",
    "country_code",
    "feature",
    "score",
)


@dataclass(frozen=True, slots=True)
class GeocodedMention:
    """One place mention of one input, resolved or not (``name`` and the rest are then None)."""

    file: str
    text: str
    start: int
    end: int
    name: str | None
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    admin1: str | None
    country_code: str | None
    feature: str | None
    score: float
    #: False for demonyms and metonyms ("Iraqi", "Baghdad said"): not where anything happened
    locational: bool = True
    #: ACLED's geo precision of the resolution (1 town, 2 near a town or a district, 3 larger)
    precision: int | None = None

    @classmethod
    def from_mention(cls, file: str, m: PlaceMention) -> GeocodedMention:
        p = m.place
        return cls(
            file=file,
            text=m.text,
            start=m.start,
            end=m.end,
            name=p.name if p else None,
            geonames_id=p.geonames_id if p else None,
            latitude=p.latitude if p else None,
            longitude=p.longitude if p else None,
            admin1=p.admin1 if p else None,
            country_code=p.country_code if p else None,
            feature=m.feature,
            score=m.score,
            locational=m.locational,
            precision=p.precision if p else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``--format jsonl`` object: exactly ``JSONL_FIELDS``."""
        return {f: getattr(self, f) for f in JSONL_FIELDS}


@dataclass(slots=True)
class GeocodedInput:
    """The mentions of one input (a file, a JSONL line, stdin), or the error that stopped it."""

    file: str
    mentions: list[GeocodedMention] = field(default_factory=list)
    error: InputError | None = None


def geocoding_pipeline(settings: Settings) -> Pipeline:
    """A pipeline of only the ``parse`` and ``places`` stages, under ``settings``."""
    from .pipeline import Pipeline

    return Pipeline(settings, stages=list(STAGES))


def geocode_articles(
    articles: Iterable[Article], pipeline: Pipeline, *, batch_size: int | None = None
) -> Iterator[tuple[Article, list[PlaceMention]]]:
    """Each article with its place mentions, in order, parsed in batches."""
    size = batch_size or pipeline.settings.nlp.batch_size
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield from _run(batch, pipeline)
            batch = []
    if batch:
        yield from _run(batch, pipeline)


def _run(batch: list[Article], pipeline: Pipeline) -> Iterator[tuple[Article, list[PlaceMention]]]:
    docs = pipeline.process([Document(article=a) for a in batch])
    for article, doc in zip(batch, docs, strict=True):
        yield article, doc.places


def geocode_inputs(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: IO[bytes] | None = None,
    pipeline: Pipeline | None = None,
) -> Iterator[GeocodedInput]:
    """Every input of ``paths`` (files, folders, JSONL batches, ``-``) geocoded, in order.

    An input that cannot be read comes out in its place with its ``error`` and no mentions.
    """
    from .ingest import InputFailure, iter_articles

    pipeline = pipeline or geocoding_pipeline(settings)
    pending: list[Article | InputFailure] = []

    def readable() -> Iterator[Article]:
        for item in iter_articles(list(paths), settings=settings, stdin=stdin):
            pending.append(item)
            if isinstance(item, Article):
                yield item

    def failures() -> Iterator[GeocodedInput]:
        while pending and isinstance(pending[0], InputFailure):
            failure = pending.pop(0)
            assert isinstance(failure, InputFailure)
            yield GeocodedInput(failure.origin, error=failure.error)

    for article, mentions in geocode_articles(readable(), pipeline):
        yield from failures()
        item = pending.pop(0)
        assert item is article
        yield GeocodedInput(
            article.origin, [GeocodedMention.from_mention(article.origin, m) for m in mentions]
        )
    yield from failures()


# ---------------------------------------------------------------------------------------------
# output


def write_jsonl(item: GeocodedInput, out: TextIO) -> None:
    """One JSON object a line per mention of ``item``."""
    for m in item.mentions:
        out.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
    out.flush()


def _coords(m: GeocodedMention) -> str:
    if m.latitude is None or m.longitude is None:
        return ""
    return f"{m.latitude:.4f}, {m.longitude:.4f}"


def print_table(items: Iterable[GeocodedInput], out: TextIO) -> None:
    """A table per input, for people: what each mention resolved to and how sure it is."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=max(140, Console(file=out).width))
    for item in items:
        if item.error is not None:
            continue
        table = Table(title=item.file, title_justify="left")
        for col in ("text", "offsets", "place", "feature", "country", "admin1", "lat, lon"):
            table.add_column(col, overflow="fold", no_wrap=col in ("offsets", "lat, lon"))
        table.add_column("score", justify="right")
        table.add_column("location?")
        for m in item.mentions:
            table.add_row(
                m.text,
                f"{m.start}-{m.end}",
                (m.name or "[red]unresolved[/]")
                + (f" [dim]({m.geonames_id})[/]" if m.geonames_id else ""),
                m.feature or "",
                m.country_code or "",
                m.admin1 or "",
                _coords(m),
                f"{m.score:.2f}",
                "yes" if m.locational else "[dim]no[/]",
            )
        console.print(table if item.mentions else f"[dim]{item.file}: no places[/]")
