"""The event store: extracted articles and their events in one SQLite file.

One row per article, keyed by the hash of its text, so the same article ingested twice is stored
once; its events, aggregates and quotes hang off it. Every record is also kept whole as JSON
(``data``), so ``results()`` gives back exactly what the pipeline produced, and the columns beside
it exist only to filter and sort. All SQL of eventwire lives in this module.

The schema is built by numbered migrations applied in order, the version kept in
``PRAGMA user_version``: a file written by an older eventwire is upgraded on open, one written by a
newer eventwire is refused rather than misread.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import StoreError
from .records import (
    Aggregate,
    Article,
    ArticleInfo,
    ArticleResult,
    Event,
    Quote,
    content_hash,
)

log = logging.getLogger(__name__)

_SQLITE_HEADER = b"SQLite format 3\x00"

#: Schema migrations: ``MIGRATIONS[n]`` takes a database from version n to n + 1. Append only:
#: a released migration is never edited, since files in the wild already ran it.
MIGRATIONS: list[tuple[str, ...]] = [
    # 1: the tables. ``seq`` gives a stable ingest order (rowids of a table without an INTEGER
    # PRIMARY KEY may change on VACUUM); children are keyed by (article, ordinal) rather than by
    # event id, because ids are only as unique as the pipeline makes them.
    (
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            id TEXT NOT NULL,
            url TEXT,
            title TEXT,
            published TEXT,
            source TEXT,
            language TEXT,
            text TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL,
            pipeline_fingerprint TEXT NOT NULL DEFAULT ''
        )
        """,
        """
        CREATE TABLE events (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            id TEXT NOT NULL,
            event_type TEXT NOT NULL COLLATE NOCASE,
            sub_event_type TEXT NOT NULL COLLATE NOCASE,
            date_start TEXT,
            date_end TEXT,
            date_precision TEXT,
            country_code TEXT,
            latitude REAL,
            longitude REAL,
            fatalities INTEGER,
            actor1_name TEXT,
            actor2_name TEXT,
            data TEXT NOT NULL,
            PRIMARY KEY (article_key, ordinal)
        )
        """,
        """
        CREATE TABLE aggregates (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (article_key, ordinal)
        )
        """,
        """
        CREATE TABLE quotes (
            article_key TEXT NOT NULL REFERENCES articles(key) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (article_key, ordinal)
        )
        """,
    ),
    # 2: indexes for the query filters and for lookups by external ids.
    (
        "CREATE INDEX events_date ON events (date_start, date_end)",
        "CREATE INDEX events_country ON events (country_code)",
        "CREATE INDEX events_event_type ON events (event_type)",
        "CREATE INDEX events_sub_event_type ON events (sub_event_type)",
        "CREATE INDEX events_id ON events (id)",
        "CREATE INDEX articles_id ON articles (id)",
    ),
]


def schema_version() -> int:
    """The schema version this eventwire writes."""
    return len(MIGRATIONS)


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """What ``Store.add`` did."""

    article_key: str
    #: the article was not in the store before
    new_article: bool
    #: events written by this call (0 when the article was already stored as it is)
    events_added: int
    #: the article was stored by another pipeline (fingerprint) and its records were replaced
    replaced: bool


class Store:
    """Extracted articles and events in a SQLite file; a context manager that closes it.

    ``Store(path)`` creates the file if needed and brings its schema up to date. A file that is not
    a SQLite database, or one written by a newer eventwire, is refused with a ``StoreError`` and
    left untouched.
    """

    def __init__(self, path: str | Path, *, timeout: float = 5.0) -> None:
        self.path = str(path)
        self._conn: sqlite3.Connection | None = None
        in_memory = self.path == ":memory:"
        if not in_memory:
            _check_file(Path(self.path))
        try:
            # autocommit mode: transactions are opened explicitly, so that each add is one
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the event store {self.path}: {exc}") from exc
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    # some file systems (network shares) cannot do WAL; the store still works
                    log.warning("%s: journal mode is %s, not WAL", self.path, mode)
                # with WAL, NORMAL is durable against crashes of the process, and much faster
                conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, self.path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{self.path} is not an eventwire event store ({exc}); give another path with --db"
            ) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database; closing twice is harmless."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the event store {self.path} is closed")
        return self._conn

    @property
    def version(self) -> int:
        """The schema version of the open file."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        try:
            # IMMEDIATE takes the write lock now, so the read-then-write in add() cannot race
            # another process doing the same
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the event store {self.path}: {exc}") from exc
        try:
            yield conn
        except BaseException:
            _rollback(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise StoreError(f"cannot write to the event store {self.path}: {exc}") from exc

    # -- writing ---------------------------------------------------------------------------------

    def add(self, article: Article, result: ArticleResult, *, fingerprint: str = "") -> AddOutcome:
        """Store one article and its records, in one transaction.

        The same text with the same ``fingerprint`` (the pipeline's settings and version) is
        already stored: nothing is written. The same text with another fingerprint replaces the
        article's events, aggregates and quotes. A failure part-way leaves the store as it was.
        """
        key = content_hash(article.text)
        try:
            with self._transaction() as conn:
                row = conn.execute(
                    "SELECT pipeline_fingerprint FROM articles WHERE key = ?", (key,)
                ).fetchone()
                if row is not None and row[0] == fingerprint:
                    return AddOutcome(key, new_article=False, events_added=0, replaced=False)
                values = _article_values(article, result, fingerprint)
                if row is None:
                    conn.execute(
                        "INSERT INTO articles (key, id, url, title, published, source, language,"
                        " text, warnings, ingested_at, pipeline_fingerprint)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (key, *values),
                    )
                else:
                    conn.execute(
                        "UPDATE articles SET id = ?, url = ?, title = ?, published = ?,"
                        " source = ?, language = ?, text = ?, warnings = ?, ingested_at = ?,"
                        " pipeline_fingerprint = ? WHERE key = ?",
                        (*values, key),
                    )
                    for table in ("events", "aggregates", "quotes"):
                        conn.execute(f"DELETE FROM {table} WHERE article_key = ?", (key,))
                self._insert_events(conn, key, result.events)
                self._insert_records(conn, "aggregates", key, result.aggregates)
                self._insert_records(conn, "quotes", key, result.quotes)
        except sqlite3.Error as exc:
            raise StoreError(
                f"could not store article {result.article.id} in {self.path}: {exc}"
            ) from exc
        replaced = row is not None
        if replaced:
            log.info("article %s: records replaced (new pipeline fingerprint)", result.article.id)
        return AddOutcome(
            key, new_article=not replaced, events_added=len(result.events), replaced=replaced
        )

    def _insert_events(self, conn: sqlite3.Connection, key: str, events: list[Event]) -> None:
        conn.executemany(
            "INSERT INTO events (article_key, ordinal, id, event_type, sub_event_type, date_start,"
            " date_end, date_precision, country_code, latitude, longitude, fatalities,"
            " actor1_name, actor2_name, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_event_values(key, i, event) for i, event in enumerate(events)),
        )

    def _insert_records(
        self,
        conn: sqlite3.Connection,
        table: str,
        key: str,
        records: list[Aggregate] | list[Quote],
    ) -> None:
        conn.executemany(
            f"INSERT INTO {table} (article_key, ordinal, data) VALUES (?, ?, ?)",
            ((key, i, record.model_dump_json()) for i, record in enumerate(records)),
        )

    # -- reading ---------------------------------------------------------------------------------

    def has_article(self, text: str) -> bool:
        """Whether an article with exactly this text is stored."""
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE key = ?", (content_hash(text),)
        ).fetchone()
        return row is not None

    def fingerprint(self, text: str) -> str | None:
        """The pipeline fingerprint the article with this text was stored with, or None."""
        row = self.conn.execute(
            "SELECT pipeline_fingerprint FROM articles WHERE key = ?", (content_hash(text),)
        ).fetchone()
        return None if row is None else str(row[0])

    def count(self) -> dict[str, int]:
        """How many articles, events, aggregates and quotes are stored."""
        return {
            table: int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("articles", "events", "aggregates", "quotes")
        }

    def query(
        self,
        *,
        country: str | None = None,
        event_type: str | None = None,
        sub_event_type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> Iterator[tuple[ArticleInfo, Event]]:
        """Stored events with their article, by date (undated last), then article, then order.

        ``country`` is an ISO 3166-1 alpha-2 code; ``event_type`` matches an event type or a
        sub-event type, ``sub_event_type`` only a sub-event type, both ignoring case. ``since`` and
        ``until`` keep events whose date range overlaps them (undated events never do). Rows are
        read as they are consumed.
        """
        if limit is not None and limit < 0:
            raise StoreError(f"limit must be 0 or more, not {limit}")
        where: list[str] = []
        params: list[Any] = []
        if country is not None:
            where.append("e.country_code = ?")
            params.append(country.strip().upper())
        if event_type is not None:
            # the columns are COLLATE NOCASE, so these compare ignoring case
            where.append("(e.event_type = ? OR e.sub_event_type = ?)")
            params += [event_type.strip(), event_type.strip()]
        if sub_event_type is not None:
            where.append("e.sub_event_type = ?")
            params.append(sub_event_type.strip())
        if since is not None:
            where.append("e.date_end >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("e.date_start <= ?")
            params.append(until.isoformat())
        sql = (
            "SELECT a.key, a.id, a.url, a.title, a.published, a.source, a.language, e.data"
            " FROM events e JOIN articles a ON a.key = e.article_key"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.date_start IS NULL, e.date_start, a.seq, e.ordinal LIMIT ?"
        params.append(-1 if limit is None else limit)
        info: ArticleInfo | None = None
        info_key = None
        for row in self.conn.execute(sql, params):
            if row[0] != info_key:
                info_key, info = row[0], _article_info(row[1:7])
            assert info is not None
            yield info, Event.model_validate_json(row[7])

    def results(self) -> Iterator[ArticleResult]:
        """Every stored article as its contract result, in ingest order."""
        articles = self.conn.execute(
            "SELECT key, id, url, title, published, source, language, warnings"
            " FROM articles ORDER BY seq"
        )
        for row in articles:
            key = row[0]
            yield ArticleResult(
                article=_article_info(row[1:7]),
                events=[Event.model_validate_json(d) for d in self._children("events", key)],
                aggregates=[
                    Aggregate.model_validate_json(d) for d in self._children("aggregates", key)
                ],
                quotes=[Quote.model_validate_json(d) for d in self._children("quotes", key)],
                warnings=json.loads(row[7]),
            )

    def _children(self, table: str, key: str) -> list[str]:
        rows = self.conn.execute(
            f"SELECT data FROM {table} WHERE article_key = ? ORDER BY ordinal", (key,)
        )
        return [r[0] for r in rows]


# -- helpers -------------------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a path that is not (or cannot become) a database."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory; give a file path for the event store")
    if path.exists():
        try:
            with path.open("rb") as f:
                header = f.read(len(_SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"cannot read the event store {path}: {exc}") from exc
        # an empty file is what SQLite makes of a new database, so it is fine
        if header and header != _SQLITE_HEADER:
            raise StoreError(
                f"{path} is not a SQLite database; it was left untouched. "
                "Give another path for the event store (--db)"
            )
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the event store {path}: {exc}") from exc


def _migrate(conn: sqlite3.Connection, path: str) -> None:
    """Bring the schema to the latest version, all pending migrations in one transaction."""
    latest = schema_version()
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > latest:
        raise StoreError(
            f"{path} was written by a newer eventwire (schema {current}, this one reads up to "
            f"{latest}); upgrade eventwire: pip install -U eventwire"
        )
    if current == latest:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # another process may have migrated between the read above and the lock
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for version in range(current, latest):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            log.debug("%s: schema migrated to version %d", path, version + 1)
        conn.execute(f"PRAGMA user_version = {latest:d}")
    except BaseException:
        _rollback(conn)
        raise
    conn.execute("COMMIT")


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite itself ends the transaction on some errors (a full disk); rolling back again would
    # raise and hide the error that matters
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _article_values(article: Article, result: ArticleResult, fingerprint: str) -> tuple[Any, ...]:
    info = result.article
    return (
        info.id,
        info.url,
        info.title,
        info.published.isoformat() if info.published else None,
        info.source,
        info.language,
        article.text,
        json.dumps(result.warnings, ensure_ascii=False),
        datetime.now(UTC).isoformat(timespec="seconds"),
        fingerprint,
    )


def _event_values(key: str, ordinal: int, event: Event) -> tuple[Any, ...]:
    start = event.date.start
    # an event with only a start lasts that day, so that date filters find it
    end = event.date.end or start
    loc = event.location
    return (
        key,
        ordinal,
        event.id,
        event.event_type,
        event.sub_event_type,
        start.isoformat() if start else None,
        end.isoformat() if end else None,
        event.date.precision,
        loc.country_code.upper() if loc and loc.country_code else None,
        loc.latitude if loc else None,
        loc.longitude if loc else None,
        event.fatalities.count if event.fatalities else None,
        event.actor1.name if event.actor1 else None,
        event.actor2.name if event.actor2 else None,
        event.model_dump_json(),
    )


def _article_info(row: tuple[Any, ...] | sqlite3.Row) -> ArticleInfo:
    id_, url, title, published, source, language = row
    return ArticleInfo(
        id=id_,
        url=url,
        title=title,
        published=date.fromisoformat(published) if published else None,
        source=source,
        language=language,
    )
