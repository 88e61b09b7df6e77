"""The ``eventwire`` command: a thin layer over the library (ingest, Pipeline, Store, export)."""

from __future__ import annotations

import json
import logging
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from . import __version__
from .config import Settings, default_settings_text, load_settings
from .errors import EventwireError, InputError
from .records import Article, ArticleInfo, ArticleResult, Event, content_hash

if TYPE_CHECKING:
    from rich.console import Console

log = logging.getLogger("eventwire")

FORMATS = ("table", "jsonl", "csv", "geojson")
#: batches longer than this get a progress bar on stderr
PROGRESS_MIN = 5


class _Ctx:
    def __init__(self, config: str | None, model: str | None, workers: int | None) -> None:
        overrides: dict[str, Any] = {"nlp.model": model, "pipeline.workers": workers}
        self.settings: Settings = load_settings(config, overrides)


def _parse_date(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=what) from None


def _fail(exc: EventwireError) -> None:
    click.echo(f"eventwire: error: {exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="eventwire")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    help="TOML file overriding the shipped defaults.",
)
@click.option("--model", help="spaCy pipeline to load (overrides nlp.model).")
@click.option("--workers", type=int, help="Worker processes for batches; 0 = every core.")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.pass_context
def main(
    ctx: click.Context, config: str | None, model: str | None, workers: int | None, verbose: int
) -> None:
    """Turn conflict news into ACLED-style event data."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # trafilatura logs at ERROR on pages without an article; eventwire's own error already says so
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL if verbose < 2 else logging.DEBUG)
    try:
        ctx.obj = _Ctx(config, model, workers)
    except EventwireError as exc:
        _fail(exc)


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj.settings
    return settings


def fingerprint(settings: Settings) -> str:
    """What produced a stored result: a new fingerprint re-extracts an article on re-ingest."""
    return content_hash(__version__, settings.model_dump_json(exclude={"store"}))


# -- running the pipeline over inputs -------------------------------------------------------------


def _run(
    settings: Settings, paths: tuple[str, ...], published: date | None
) -> Iterator[tuple[Article, ArticleResult, InputError | None]]:
    """Results in input order, streamed; unreadable inputs give an empty result and their error."""
    from .ingest import InputFailure, iter_articles
    from .pipeline import Pipeline, failed_result

    pipeline = Pipeline(settings)
    # inputs wait here, in order, until their result is out; failures have no result to wait for
    pending: deque[Article | InputFailure] = deque()

    def feed() -> Iterator[Article]:
        for item in iter_articles(
            list(paths), published=published, settings=settings, stdin=sys.stdin.buffer
        ):
            pending.append(item)
            if isinstance(item, Article):
                yield item

    def failures() -> Iterator[tuple[Article, ArticleResult, InputError | None]]:
        while pending and isinstance(pending[0], InputFailure):
            failure = pending.popleft()
            assert isinstance(failure, InputFailure)
            yield failure.article, failed_result(failure.article, failure.error), failure.error

    with _Progress() as progress:
        for result in pipeline.pipe(feed()):
            yield from failures()
            article = pending.popleft()
            assert isinstance(article, Article)
            progress.advance()
            yield article, result, None
        yield from failures()


class _Progress:
    """A progress bar on stderr, shown once a batch has gone past a few articles."""

    def __init__(self) -> None:
        self.done = 0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        return self

    def advance(self) -> None:
        self.done += 1
        if self.bar is None and self.done > PROGRESS_MIN and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress(
                "extracting",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=_stderr_console(),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("extract", total=None, completed=self.done)
        elif self.bar is not None:
            self.bar.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _single_input(paths: tuple[str, ...]) -> bool:
    from .ingest import is_batch

    return len(paths) == 1 and not is_batch(paths[0])


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--published", help="Publication date (YYYY-MM-DD); overrides any date the inputs carry."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--db", type=click.Path(dir_okay=False), help="Also store the results in this database."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[str, ...],
    published: str | None,
    fmt: str,
    db: str | None,
    output: str | None,
) -> None:
    """Extract events from text, HTML or JSONL files, directories, or - (stdin)."""
    settings = _settings(ctx)
    pub = _parse_date(published, "--published")
    single = _single_input(paths)
    with ExitStack() as stack:
        store = None
        if db:
            from .store import Store

            store = stack.enter_context(Store(db))
        out = stack.enter_context(_open_out(output))
        collected: list[ArticleResult] = []
        writer = _streaming_writer(fmt, out)
        failed = 0
        try:
            for article, result, error in _run(settings, paths, pub):
                if error is not None:
                    failed += 1
                    click.echo(f"eventwire: {'error' if single else 'warning'}: {error}", err=True)
                    if single:
                        sys.exit(1)
                elif store is not None:
                    store.add(article, result, fingerprint=fingerprint(settings))
                if writer is not None:
                    writer(result)
                else:
                    collected.append(result)
        except EventwireError as exc:
            _fail(exc)
        if writer is None:
            _write(fmt, collected, out)


def _open_out(output: str | None) -> AbstractContextManager[TextIO]:
    if output is None:
        return nullcontext(sys.stdout)
    return open(output, "w", encoding="utf-8", newline="")


def _streaming_writer(fmt: str, out: TextIO) -> Callable[[ArticleResult], None] | None:
    """jsonl streams one line per article as it is done; the other formats are written at the end."""
    if fmt != "jsonl":
        return None

    def write(result: ArticleResult) -> None:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        out.flush()

    return write


def _write(fmt: str, results: list[ArticleResult], out: TextIO) -> None:
    from .export import rows_from_results, write_csv, write_geojson, write_jsonl

    if fmt == "jsonl":
        write_jsonl(results, out)
    elif fmt == "csv":
        write_csv(rows_from_results(results), out)
    elif fmt == "geojson":
        write_geojson(rows_from_results(results), out)
    else:
        _print_tables(results, out)


def _write_rows(fmt: str, rows: Iterable[tuple[ArticleInfo, Event]], out: TextIO) -> None:
    from .export import write_csv, write_geojson

    if fmt == "csv":
        write_csv(rows, out)
    elif fmt == "geojson":
        write_geojson(rows, out)
    elif fmt == "jsonl":
        for info, event in rows:
            out.write(
                json.dumps(
                    {"article": info.to_dict(), "event": event.to_dict()}, ensure_ascii=False
                )
                + "\n"
            )
    else:
        _print_event_table(list(rows), out)


# -- tables for people ----------------------------------------------------------------------------


def _when(event: Event) -> str:
    d = event.date
    if d.start is None:
        return "?"
    if d.end and d.end != d.start:
        return f"{d.start}..{d.end}"
    return f"{d.start}" + ("" if d.precision == "day" else f" ({d.precision})")


def _count(c: Any) -> str:
    if c is None:
        return ""
    if c.count is None:
        return "some"
    return (
        "≥"
        if c.qualifier == "at_least"
        else "~"
        if c.qualifier == "approx"
        else "≤"
        if c.qualifier == "at_most"
        else ""
    ) + str(c.count)


def _place(event: Event) -> str:
    loc = event.location
    if loc is None:
        return ""
    return f"{loc.name} ({loc.country_code or '?'}, p{loc.precision})"


def _print_tables(results: list[ArticleResult], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=max(140, Console(file=out).width))
    for result in results:
        a = result.article
        console.rule(f"[bold]{a.title or a.id}[/] · published {a.published or '?'}")
        table = Table(show_lines=False, expand=False)
        for col in (
            "#",
            "date",
            "type",
            "actor1",
            "actor2",
            "location",
            "killed",
            "injured",
            "conf",
        ):
            table.add_column(col, overflow="fold")
        for n, e in enumerate(result.events, 1):
            table.add_row(
                str(n),
                _when(e),
                f"{e.sub_event_type}\n[dim]{e.event_type}[/]",
                f"{e.actor1.name}\n[dim]{e.actor1.type}[/]" if e.actor1 else "",
                f"{e.actor2.name}\n[dim]{e.actor2.type}[/]" if e.actor2 else "",
                _place(e),
                _count(e.fatalities),
                _count(e.injured),
                f"{e.confidence:.2f}",
            )
        console.print(table if result.events else "[dim]no events[/]")
        for agg in result.aggregates:
            console.print(
                f"[bold]aggregate[/]: {agg.description} ({_count(agg)}, {agg.date.start}..{agg.date.end}, {', '.join(agg.countries)})"
            )
        for q in result.quotes:
            who = q.speaker or "?"
            console.print(
                f"[bold]quote[/] {who}{f' ({q.speaker_role})' if q.speaker_role else ''}: “{q.text[:100]}{'…' if len(q.text) > 100 else ''}”"
            )
        for w in result.warnings:
            console.print(f"[yellow]warning[/]: {w}")


def _print_event_table(rows: list[tuple[ArticleInfo, Event]], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for col in ("date", "sub-event type", "actor1", "actor2", "location", "killed", "article"):
        table.add_column(col, overflow="fold")
    for info, e in rows:
        table.add_row(
            _when(e),
            e.sub_event_type,
            e.actor1.name if e.actor1 else "",
            e.actor2.name if e.actor2 else "",
            _place(e),
            _count(e.fatalities),
            info.title or info.id,
        )
    Console(file=out, width=140).print(table)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--published", help="Publication date (YYYY-MM-DD); overrides any date the inputs carry."
)
@click.option(
    "--format", "fmt", type=click.Choice(("table", "jsonl")), default="table", show_default=True
)
@click.pass_context
def dates(ctx: click.Context, paths: tuple[str, ...], published: str | None, fmt: str) -> None:
    """Print the time expressions of text, HTML or JSONL files, directories, or - (stdin),
    resolved against each one's publication date."""
    from .timex import find_expressions, writer

    pub = _parse_date(published, "--published")
    single = _single_input(paths)
    write = writer(fmt, sys.stdout, sys.stderr)
    try:
        for item in find_expressions(
            list(paths), published=pub, settings=_settings(ctx), stdin=sys.stdin.buffer
        ):
            if item.error is not None:
                click.echo(f"eventwire: {'error' if single else 'warning'}: {item.error}", err=True)
                if single:
                    sys.exit(1)
                continue
            write(item)
    except EventwireError as exc:
        _fail(exc)


# -- store commands -------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default: store.path).")
@click.option(
    "--published", help="Publication date (YYYY-MM-DD); overrides any date the inputs carry."
)
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[str, ...], db: str | None, published: str | None
) -> None:
    """Extract and store articles; articles already stored are skipped."""
    from .store import Store

    settings = _settings(ctx)
    pub = _parse_date(published, "--published")
    new = events = skipped = failed = 0
    try:
        with Store(db or settings.store.path) as store:
            for article, result, error in _run(settings, paths, pub):
                if error is not None:
                    failed += 1
                    click.echo(f"eventwire: warning: {error}", err=True)
                    continue
                outcome = store.add(article, result, fingerprint=fingerprint(settings))
                if outcome.new_article or outcome.replaced:
                    new += 1
                    events += outcome.events_added
                else:
                    skipped += 1
    except EventwireError as exc:
        _fail(exc)
    click.echo(
        f"stored {new} article(s) with {events} event(s); {skipped} already stored; {failed} unreadable",
        err=True,
    )
    if failed and _single_input(paths):
        sys.exit(1)


def _filters(
    country: str | None, type_: str | None, since: str | None, until: str | None
) -> dict[str, Any]:
    return {
        "country": country,
        "event_type": type_,
        "since": _parse_date(since, "--since"),
        "until": _parse_date(until, "--until"),
    }


_filter_options = [
    click.option("--country", help="ISO 3166-1 alpha-2 code, e.g. IQ."),
    click.option("--type", "type_", help="Event type or sub-event type, e.g. 'Air/drone strike'."),
    click.option("--since", help="Events on or after this date (YYYY-MM-DD)."),
    click.option("--until", help="Events on or before this date (YYYY-MM-DD)."),
]


def _with_filters(f: Any) -> Any:
    for option in reversed(_filter_options):
        f = option(f)
    return f


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default: store.path).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("jsonl", "csv", "geojson")),
    default="jsonl",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@_with_filters
@click.option(
    "--corrections",
    is_flag=True,
    help="Write the corrected events instead, with article text and evidence offsets (JSONL).",
)
@click.pass_context
def export(
    ctx: click.Context,
    db: str | None,
    fmt: str,
    output: str | None,
    country: str | None,
    type_: str | None,
    since: str | None,
    until: str | None,
    corrections: bool = False,
) -> None:
    """Export stored events: jsonl (one article a line, the contract), ACLED csv, or GeoJSON."""
    from .export import write_jsonl
    from .store import Store

    settings = _settings(ctx)
    filters = _filters(country, type_, since, until)
    if corrections and (fmt != "jsonl" or any(filters.values())):
        raise click.UsageError(
            "--corrections writes JSONL of every correction; it takes no filters"
        )
    try:
        with Store(_existing_db(db or settings.store.path)) as store, _open_out(output) as out:
            if corrections:
                from .export import write_corrections

                write_corrections(store.corrections(), out)
            elif fmt == "jsonl" and not any(filters.values()):
                write_jsonl(store.results(), out)
            else:
                _write_rows(fmt, store.query(**filters), out)
    except EventwireError as exc:
        _fail(exc)


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default: store.path).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=int, help="At most this many events.")
@_with_filters
@click.pass_context
def query(
    ctx: click.Context,
    db: str | None,
    fmt: str,
    limit: int | None,
    country: str | None,
    type_: str | None,
    since: str | None,
    until: str | None,
) -> None:
    """List stored events matching the filters, sorted by date."""
    from .store import Store

    settings = _settings(ctx)
    try:
        with Store(_existing_db(db or settings.store.path)) as store:
            rows = store.query(**_filters(country, type_, since, until), limit=limit)
            _write_rows(fmt, rows, sys.stdout)
    except EventwireError as exc:
        _fail(exc)


@main.command()
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default: store.path).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--token",
    help="Token that writes must send (default: $EVENTWIRE_TOKEN); needed beyond 127.0.0.1.",
)
@click.option("--tiles", help="Online map tiles under the basemap: a URL with {z}/{x}/{y}.")
@click.pass_context
def serve(
    ctx: click.Context,
    db: str | None,
    host: str,
    port: int,
    token: str | None,
    tiles: str | None,
) -> None:
    """Serve the store: a web page to explore and correct events, and a JSON API (/docs)."""
    settings = _settings(ctx)
    try:
        from .server import serve as run_server

        run_server(
            db or settings.store.path,
            host=host,
            port=port,
            token=token,
            tiles=tiles,
            settings=settings,
        )
    except EventwireError as exc:
        _fail(exc)


def _existing_db(path: str) -> str:
    if not Path(path).exists():
        from .errors import StoreError

        raise StoreError(
            f"no database at {path}; create one with `eventwire ingest PATH --db {path}`"
        )
    return path


# -- geocoding ------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(("table", "jsonl")), default="table", show_default=True
)
@click.pass_context
def geocode(ctx: click.Context, paths: tuple[str, ...], fmt: str) -> None:
    """Print every place mention of text, HTML or JSONL files, directories, or - (stdin), with
    what it resolves to (jsonl: one mention a line, offsets into the text as read)."""
    from .geocode import geocode_inputs, print_table, write_jsonl

    single = _single_input(paths)
    try:
        for item in geocode_inputs(paths, _settings(ctx), stdin=sys.stdin.buffer):
            if item.error is not None:
                click.echo(f"eventwire: {'error' if single else 'warning'}: {item.error}", err=True)
                if single:
                    sys.exit(1)
            elif fmt == "jsonl":
                write_jsonl(item, sys.stdout)
            else:
                print_table([item], sys.stdout)
    except EventwireError as exc:
        _fail(exc)


# -- evaluation and settings ----------------------------------------------------------------------


@main.command(name="eval")
@click.argument("dataset", required=False, type=click.Path(exists=True))
@click.option(
    "--example",
    type=click.Path(exists=True, dir_okay=False),
    help="A NAME.expected.json worked example.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--limit", type=int, help="Score only the first N items of each dataset.")
@click.pass_context
def eval_(
    ctx: click.Context, dataset: str | None, example: str | None, as_json: bool, limit: int | None
) -> None:
    """Score the pipeline on gold data (a dataset file or folder) or on a worked example."""
    from .evaluate import evaluate_example, evaluate_path, format_report
    from .pipeline import Pipeline

    if (dataset is None) == (example is None):
        raise click.UsageError("give either a DATASET path or --example PATH.expected.json")
    try:
        pipeline = Pipeline(_settings(ctx))
        if example is not None:
            result = evaluate_example(Path(example), pipeline)
        else:
            assert dataset is not None
            result = evaluate_path(Path(dataset), pipeline, limit=limit)
    except EventwireError as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        from rich.console import Console

        Console(width=120).print(format_report(result))


@main.command()
@click.option("--defaults", is_flag=True, help="Print the shipped, commented defaults instead.")
@click.pass_context
def config(ctx: click.Context, defaults: bool) -> None:
    """Print the settings in effect (defaults + --config file + flags), as JSON."""
    if defaults:
        click.echo(default_settings_text())
        return
    click.echo(json.dumps(_settings(ctx).model_dump(), indent=2))


@main.command()
@click.pass_context
def stages(ctx: click.Context) -> None:
    """List the registered stages, what each reads and writes, and which are in use."""
    from .pipeline import registered_stages

    in_use = _settings(ctx).pipeline.stages
    for name, spec in registered_stages().items():
        mark = "*" if name in in_use else " "
        click.echo(
            f"{mark} {name:<10} reads {', '.join(spec.reads):<28} writes {', '.join(spec.writes):<30} {spec.description}"
        )


if __name__ == "__main__":
    main()
