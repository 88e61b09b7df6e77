"""Time expressions of articles, resolved against their publication dates (``eventwire dates``).

Inputs are read by :func:`eventwire.ingest.iter_articles`, as ``extract`` reads them (text, HTML,
JSONL batches, directories, stdin; the publication date from ``--published``, else the JSONL line,
else a sibling ``NAME.meta.json``, else the HTML). Only the ``parse`` and ``dates`` stages run, in
one process with one model for every input. Each input gives an :class:`ArticleTimes`: its
expressions in text order, with character offsets into its text as read (the text ``extract``
sees), and its warnings; an input that cannot be read gives its error instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TYPE_CHECKING, Any, TextIO

from .config import Settings, load_settings
from .errors import InputError
from .records import Article, Document, TimeMention

if TYPE_CHECKING:
    from rich.console import Console

    from .ingest import InputFailure

log = logging.getLogger(__name__)

__all__ = ["FORMATS", "ArticleTimes", "Expression", "find_expressions", "writer"]

FORMATS = ("table", "jsonl")
STAGES = ["parse", "dates"]


@dataclass(frozen=True, slots=True)
class Expression:
    """One time expression of one input, as ``eventwire dates --format jsonl`` writes it."""

    #: where the article came from: a path, "<stdin>", or "batch.jsonl:12" for a batch line
    file: str
    text: str
    #: character offsets into the article's text (Python characters, after ingest's newline fix)
    start: int
    end: int
    #: DATE, TIME, DURATION or SET
    type: str
    #: TIMEX3-style: "2024-02-08", "2024-01", "P2D", "PRESENT_REF"; None when unresolved
    value: str | None
    start_date: date | None
    end_date: date | None
    precision: str | None

    @classmethod
    def from_mention(cls, file: str, mention: TimeMention) -> Expression:
        info = mention.date
        return cls(
            file=file,
            text=mention.text,
            start=mention.start,
            end=mention.end,
            type=mention.type,
            value=mention.value,
            start_date=info.start if info else None,
            end_date=info.end if info else None,
            precision=info.precision if info else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "value": self.value,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "precision": self.precision,
        }


@dataclass(slots=True)
class ArticleTimes:
    """The expressions of one input, or the error that kept it from being read."""

    article: Article
    expressions: list[Expression] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: InputError | None = None


def find_expressions(
    paths: Sequence[str],
    *,
    published: date | None = None,
    settings: Settings | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[ArticleTimes]:
    """The time expressions of every article of ``paths``, one :class:`ArticleTimes` per article
    in input order (streamed, a batch of ``nlp.batch_size`` articles parsed at a time).

    ``published`` overrides every input's own publication date. Unreadable inputs come as an
    ``ArticleTimes`` with ``error`` set; the others go on.
    """
    from .ingest import iter_articles
    from .pipeline import Pipeline

    settings = settings or load_settings()
    pipeline = Pipeline(settings, stages=STAGES)
    items = iter_articles(paths, published=published, settings=settings, stdin=stdin)
    pending: list[Article | InputFailure] = []
    articles = 0
    for item in items:
        pending.append(item)
        articles += isinstance(item, Article)
        if articles >= settings.nlp.batch_size:
            yield from _run(pipeline, pending)
            pending, articles = [], 0
    if pending:
        yield from _run(pipeline, pending)


def _run(pipeline: Any, items: list[Article | InputFailure]) -> Iterator[ArticleTimes]:
    docs = iter(pipeline.process([Document(article=i) for i in items if isinstance(i, Article)]))
    for item in items:
        if not isinstance(item, Article):
            yield ArticleTimes(article=item.article, warnings=[], error=item.error)
            continue
        doc: Document = next(docs)
        origin = item.origin
        yield ArticleTimes(
            article=item,
            expressions=[Expression.from_mention(origin, m) for m in doc.times],
            warnings=[*item.warnings, *doc.warnings],
        )


# --------------------------------------------------------------------------------------------------
# Writing


def writer(fmt: str, out: TextIO, err: TextIO) -> Callable[[ArticleTimes], None]:
    """A function that writes one article's expressions as ``fmt`` ("table" or "jsonl") to
    ``out`` as soon as it is given them; warnings go to ``err`` in jsonl (they have no line of
    their own there) and under the article's table otherwise."""
    if fmt == "jsonl":

        def write_jsonl(item: ArticleTimes) -> None:
            for warning in item.warnings:
                err.write(f"eventwire: warning: {item.article.origin}: {warning}\n")
            for expression in item.expressions:
                out.write(json.dumps(expression.to_dict(), ensure_ascii=False) + "\n")
            out.flush()

        return write_jsonl
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    from rich.console import Console

    console = Console(file=out, width=max(120, Console(file=out).width))

    def write_table(item: ArticleTimes) -> None:
        _print_table(console, item)

    return write_table


def _dates(e: Expression) -> str:
    if e.start_date is None:
        return "-"
    if e.end_date is None or e.end_date == e.start_date:
        return e.start_date.isoformat()
    return f"{e.start_date.isoformat()}..{e.end_date.isoformat()}"


def _print_table(console: Console, item: ArticleTimes) -> None:
    from rich.markup import escape
    from rich.table import Table

    article = item.article
    console.rule(f"[bold]{escape(article.origin)}[/] · published {article.published or '?'}")
    if item.expressions:
        table = Table(expand=False)
        for column in ("text", "at", "type", "value", "dates", "precision"):
            table.add_column(column, overflow="fold")
        for e in item.expressions:
            table.add_row(
                escape(e.text),
                f"{e.start}-{e.end}",
                e.type,
                escape(e.value or "-"),
                _dates(e),
                e.precision or "-",
            )
        console.print(table)
    else:
        console.print("[dim]no time expressions[/]")
    for warning in item.warnings:
        console.print(f"[yellow]warning[/]: {escape(warning)}")
