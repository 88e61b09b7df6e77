"""The event store: extracted articles and their events in one SQLite file.

One row per article, keyed by the hash of its text, so the same article ingested twice is stored
once; its events, aggregates and quotes hang off it. Every record is also kept whole as JSON
(``data``), so ``results()`` gives back exactly what the pipeline produced, and the columns beside
it exist only to filter and sort. All SQL of eventwire lives in this module.

The schema is built by numbered migrations applied in order, the version kept in
``PRAGMA user_version``: a file written by an older eventwire is upgraded on open, one written by a
newer eventwire is refused rather than misread.

Corrections made by hand (``correct``) are kept in their own table, apart from the machine's
output: an event row keeps the machine's JSON in ``data``, the corrected JSON in ``effective``,
and its filter columns hold the corrected values, so that filters see what the analyst decided.
When an article is extracted again its corrections are applied again to the new events
(``eventwire.corrections.match_event`` finds where each belongs).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from .corrections import (
    CorrectedEvent,
    CorrectionError,
    CorrectionRecord,
    Patch,
    apply_patches,
    evidence_bounds,
    match_event,
)
from .errors import StoreError
from .records import (
    EVENT_TYPES,
    SUB_EVENT_TYPES,
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

#: Sorts after every ISO date: undated events come last in date order.
UNDATED = "~"
#: The most events one article may have (it keys the full-text index: see migration 3).
EVENTS_PER_ARTICLE = 1_000_000

#: A migration step: an SQL statement, or a function for what SQL alone cannot compute.
Step = str | Callable[[sqlite3.Connection], None]

#: Schema migrations: ``MIGRATIONS[n]`` takes a database from version n to n + 1. Append only:
#: a released migration is never edited, since files in the wild already ran it.
MIGRATIONS: list[tuple[Step, ...]] = [
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
    # 3: corrections by hand, and what the API's filters and pages need: the order of events as
    # columns (so that a page can start after a given event: keyset pagination), the actors as
    # one searchable text, and the evidence in a full-text index. ``effective`` is the corrected
    # event's JSON (NULL when never corrected); ``data`` stays the machine's.
    (
        "ALTER TABLE events ADD COLUMN article_seq INTEGER NOT NULL DEFAULT 0",
        # article_seq * EVENTS_PER_ARTICLE + ordinal: an integer key that VACUUM keeps (rowids of
        # a table without INTEGER PRIMARY KEY may change), the rowid of the full-text index
        "ALTER TABLE events ADD COLUMN uid INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE events ADD COLUMN sort_date TEXT NOT NULL DEFAULT '{UNDATED}'",
        "ALTER TABLE events ADD COLUMN actor_text TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE events ADD COLUMN effective TEXT",
        "ALTER TABLE events ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE events ADD COLUMN not_event INTEGER NOT NULL DEFAULT 0",
        """
        CREATE TABLE corrections (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            article_key TEXT NOT NULL,
            event_id TEXT NOT NULL,
            machine_event_id TEXT NOT NULL,
            evidence_start INTEGER,
            evidence_end INTEGER,
            machine TEXT NOT NULL,
            changes TEXT NOT NULL,
            not_event INTEGER,
            reason TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX corrections_event ON corrections (article_key, event_id)",
        # the evidence sentences of each event; diacritics folded so "Kata'ib" finds "Kataib"
        "CREATE VIRTUAL TABLE events_fts USING fts5("
        " evidence, tokenize = 'unicode61 remove_diacritics 2')",
        lambda conn: _backfill_v3(conn),
        "CREATE INDEX events_order ON events (sort_date, article_seq, ordinal)",
        "CREATE UNIQUE INDEX events_uid ON events (uid)",
        "CREATE INDEX events_country_order ON events (country_code, sort_date, article_seq, ordinal)",
        "CREATE INDEX events_type_order ON events (event_type, sort_date, article_seq, ordinal)",
        "CREATE INDEX events_sub_type_order"
        " ON events (sub_event_type, sort_date, article_seq, ordinal)",
        "CREATE INDEX events_fatalities ON events (fatalities)",
        "CREATE INDEX events_latitude ON events (latitude)",
        "CREATE INDEX events_corrected ON events (corrected)",
    ),
]


def schema_version() -> int:
    """The schema version this eventwire writes."""
    return len(MIGRATIONS)


class QueryError(StoreError):
    """A query the store cannot answer as asked: a bad cursor, bounding box or limit."""

    code = "E007"


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


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which stored events a query keeps; every field left None keeps all.

    ``country`` is an ISO 3166-1 alpha-2 code; ``event_type`` matches an event type or a
    sub-event type, ``sub_event_type`` only a sub-event type, both ignoring case; ``actor`` is
    text found in either actor's name or words (ignoring case); ``since``/``until`` keep events
    whose date range overlaps them (undated events never do); ``bbox`` is (west, south, east,
    north) in degrees, west > east crossing the antimeridian; ``text`` is words that must all be
    in the evidence; ``min_fatalities`` a least count. Events marked "not an event" are left out
    unless ``include_not_events``; ``corrected`` keeps only corrected (True) or uncorrected (False)
    events.
    """

    country: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    since: date | None = None
    until: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str | None = None
    min_fatalities: int | None = None
    corrected: bool | None = None
    include_not_events: bool = False

    def without_dates(self) -> EventFilter:
        """The same filter over every date (a timeline shows what a date brush can select)."""
        return replace(self, since=None, until=None)


@dataclass(frozen=True, slots=True)
class EventRow:
    """A stored event as queries give it: corrected where corrected, with its article."""

    article: ArticleInfo
    article_key: str
    event: Event
    not_event: bool
    #: where the event sits in date order: the keyset of the pagination cursor
    position: tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class EventPage:
    rows: list[EventRow]
    #: give it back as ``cursor`` for the next page; None on the last page
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One event in full: the machine's output, the corrected event, and its article."""

    row: EventRow
    machine: Event
    corrections: list[CorrectionRecord]
    text: str


@dataclass(frozen=True, slots=True)
class StoredArticle:
    key: str
    info: ArticleInfo
    text: str
    warnings: list[str]
    ingested_at: str
    events: list[EventRow] = field(default_factory=list)
    aggregates: list[Aggregate] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


_ROW_COLUMNS = (
    "a.key, a.id, a.url, a.title, a.published, a.source, a.language,"
    " e.data, e.effective, e.not_event, e.sort_date, e.article_seq, e.ordinal"
)
_WORD = re.compile(r"\w+")


class Store:
    """Extracted articles and events in a SQLite file; a context manager that closes it.

    ``Store(path)`` creates the file if needed and brings its schema up to date. A file that is not
    a SQLite database, or one written by a newer eventwire, is refused with a ``StoreError`` and
    left untouched. ``check_same_thread=False`` lets a connection move between threads (as a
    streamed HTTP response does); it must still be used by one thread at a time.
    """

    def __init__(
        self, path: str | Path, *, timeout: float = 5.0, check_same_thread: bool = True
    ) -> None:
        self.path = str(path)
        self._conn: sqlite3.Connection | None = None
        in_memory = self.path == ":memory:"
        if not in_memory:
            _check_file(Path(self.path))
        try:
            # autocommit mode: transactions are opened explicitly, so that each add is one
            conn = sqlite3.connect(
                self.path,
                timeout=timeout,
                isolation_level=None,
                check_same_thread=check_same_thread,
            )
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
                # reads of a large store: map the file rather than copy pages through read(),
                # and keep more of it cached (both are per connection, not in the file)
                conn.execute("PRAGMA mmap_size = 268435456")
                conn.execute("PRAGMA cache_size = -32768")
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
        article's events, aggregates and quotes, and applies its corrections to the new events.
        A failure part-way leaves the store as it was.
        """
        key = content_hash(article.text)
        try:
            with self._transaction() as conn:
                row = conn.execute(
                    "SELECT pipeline_fingerprint, seq FROM articles WHERE key = ?", (key,)
                ).fetchone()
                if row is not None and row[0] == fingerprint:
                    return AddOutcome(key, new_article=False, events_added=0, replaced=False)
                values = _article_values(article, result, fingerprint)
                if row is None:
                    cursor = conn.execute(
                        "INSERT INTO articles (key, id, url, title, published, source, language,"
                        " text, warnings, ingested_at, pipeline_fingerprint)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (key, *values),
                    )
                    seq = int(cursor.lastrowid or 0)
                else:
                    seq = int(row[1])
                    conn.execute(
                        "UPDATE articles SET id = ?, url = ?, title = ?, published = ?,"
                        " source = ?, language = ?, text = ?, warnings = ?, ingested_at = ?,"
                        " pipeline_fingerprint = ? WHERE key = ?",
                        (*values, key),
                    )
                    for table in ("events", "aggregates", "quotes"):
                        conn.execute(f"DELETE FROM {table} WHERE article_key = ?", (key,))
                    conn.execute(
                        "DELETE FROM events_fts WHERE rowid BETWEEN ? AND ?",
                        (_uid(seq, 0), _uid(seq, EVENTS_PER_ARTICLE - 1)),
                    )
                self._insert_events(conn, key, result.events, seq)
                self._insert_records(conn, "aggregates", key, result.aggregates)
                self._insert_records(conn, "quotes", key, result.quotes)
                if row is not None:
                    _reapply_corrections(conn, key)
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

    def _insert_events(
        self, conn: sqlite3.Connection, key: str, events: list[Event], seq: int = 0
    ) -> None:
        if len(events) > EVENTS_PER_ARTICLE:
            raise StoreError(
                f"an article has {len(events)} events; the store keeps at most {EVENTS_PER_ARTICLE}"
            )
        conn.executemany(
            f"INSERT INTO events ({_INSERT_COLUMNS}) VALUES ({', '.join('?' * 19)})",
            (_event_values(key, i, event, seq) for i, event in enumerate(events)),
        )
        conn.executemany(
            "INSERT INTO events_fts (rowid, evidence) VALUES (?, ?)",
            ((_uid(seq, i), _evidence_text(event)) for i, event in enumerate(events)),
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

    def correct(self, article_key: str, event_id: str, patch: Patch) -> StoredEvent:
        """Record a correction of one event and return the event as corrected.

        The correction is kept beside the earlier ones of the event, with the time it was made;
        the machine's output is left as it was. A patch that would make the event invalid is a
        ``CorrectionError`` and nothing is written; an unknown event a ``StoreError``.
        """
        try:
            with self._transaction() as conn:
                found = conn.execute(
                    "SELECT ordinal, data FROM events WHERE article_key = ? AND id = ?"
                    " ORDER BY ordinal LIMIT 1",
                    (article_key, event_id),
                ).fetchone()
                if found is None:
                    raise StoreError(f"no stored event {event_id!r} in article {article_key}")
                ordinal, data = found
                machine = Event.model_validate_json(data)
                records = [*_correction_records(conn, article_key, event_id)]
                now = datetime.now(UTC).replace(microsecond=0)
                record = CorrectionRecord(
                    at=now, changes=patch.changes, not_event=patch.not_event, reason=patch.reason
                )
                # raises CorrectionError, before anything is written, if the result is invalid
                effective = apply_patches(machine, [*records, record])
                bounds = evidence_bounds(machine.evidence)
                conn.execute(
                    "INSERT INTO corrections (article_key, event_id, machine_event_id,"
                    " evidence_start, evidence_end, machine, changes, not_event, reason,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article_key,
                        event_id,
                        event_id,
                        bounds[0] if bounds else None,
                        bounds[1] if bounds else None,
                        data,
                        json.dumps(patch.changes, ensure_ascii=False),
                        None if patch.not_event is None else int(patch.not_event),
                        patch.reason,
                        now.isoformat(),
                    ),
                )
                _write_effective(conn, article_key, ordinal, effective)
        except sqlite3.Error as exc:
            raise StoreError(f"could not store the correction in {self.path}: {exc}") from exc
        stored = self.event(article_key, event_id)
        assert stored is not None
        return stored

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
        **more: Any,
    ) -> Iterator[tuple[ArticleInfo, Event]]:
        """Stored events with their article, by date (undated last), then article, then order.

        The filters are those of ``EventFilter`` (``more`` takes its other fields); events are
        corrected where an analyst corrected them. Rows are read as they are consumed.
        """
        flt = EventFilter(
            country=country,
            event_type=event_type,
            sub_event_type=sub_event_type,
            since=since,
            until=until,
            **more,
        )
        for row in self.rows(flt, limit=limit):
            yield row.article, row.event

    def rows(
        self,
        flt: EventFilter | None = None,
        *,
        limit: int | None = None,
        after: tuple[str, int, int] | None = None,
        descending: bool = False,
    ) -> Iterator[EventRow]:
        """``EventRow``s matching ``flt`` in date order, starting after the position ``after``."""
        if limit is not None and limit < 0:
            raise QueryError(f"limit must be 0 or more, not {limit}")
        where, params = _where(flt or EventFilter())
        if after is not None:
            where.append(
                f"(e.sort_date, e.article_seq, e.ordinal) {'<' if descending else '>'} (?, ?, ?)"
            )
            params += list(after)
        direction = "DESC" if descending else ""
        sql = f"SELECT {_ROW_COLUMNS} FROM events e JOIN articles a ON a.key = e.article_key"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (
            f" ORDER BY e.sort_date {direction}, e.article_seq {direction},"
            f" e.ordinal {direction} LIMIT ?"
        )
        params.append(-1 if limit is None else limit)
        info: ArticleInfo | None = None
        info_key = None
        for row in self.conn.execute(sql, params):
            if row[0] != info_key:
                info_key, info = row[0], _article_info(row[1:7])
            assert info is not None
            yield _event_row(row, info)

    def export_rows(
        self, flt: EventFilter | None = None
    ) -> Iterator[tuple[ArticleInfo, dict[str, Any]]]:
        """Like ``rows``, but each event as its JSON dict (corrected where corrected): what the
        exporters take, read without building the records again."""
        for info, _, event in self._raw_rows(flt):
            yield info, json.loads(event)

    def export_json(self, flt: EventFilter | None = None) -> Iterator[tuple[str, str]]:
        """Like ``rows``, but as ``(article JSON, event JSON)`` strings, as they are stored."""
        for _info, info_json, event in self._raw_rows(flt):
            yield info_json, event

    def _raw_rows(self, flt: EventFilter | None) -> Iterator[tuple[ArticleInfo, str, str]]:
        where, params = _where(flt or EventFilter())
        sql = (
            "SELECT a.key, a.id, a.url, a.title, a.published, a.source, a.language,"
            " coalesce(e.effective, e.data) FROM events e JOIN articles a ON a.key = e.article_key"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.sort_date, e.article_seq, e.ordinal"
        info_key = None
        info: ArticleInfo | None = None
        info_json = ""
        for row in self.conn.execute(sql, params):
            if row[0] != info_key:
                info_key, info = row[0], _article_info(row[1:7])
                info_json = info.model_dump_json()
            assert info is not None
            yield info, info_json, row[7]

    def page(
        self,
        flt: EventFilter | None = None,
        *,
        limit: int = 100,
        cursor: str | None = None,
        descending: bool = False,
    ) -> EventPage:
        """One page of events in date order; ``next_cursor`` continues after its last event.

        A cursor is opaque: it holds the position of the last event of a page and the direction,
        so the next page is right even when events were added meanwhile.
        """
        if limit < 1:
            raise QueryError(f"limit must be 1 or more, not {limit}")
        after = None
        if cursor:
            after, cursor_descending = decode_cursor(cursor)
            if cursor_descending != descending:
                raise QueryError("the cursor was made for the other sort order; start again")
        rows = list(self.rows(flt, limit=limit + 1, after=after, descending=descending))
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].position, descending) if more and rows else None
        return EventPage(rows, next_cursor)

    def count_events(self, flt: EventFilter | None = None) -> int:
        """How many stored events match ``flt``."""
        where, params = _where(flt or EventFilter())
        sql = "SELECT count(*) FROM events e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return int(self.conn.execute(sql, params).fetchone()[0])

    def stats(self, flt: EventFilter | None = None) -> dict[str, Any]:
        """Counts of the matching events: in all, by type, sub-type, country, week and day.

        ``by_week`` and ``by_day`` are lists of ``{"start": "YYYY-MM-DD", "counts": {type: n}}``,
        oldest first, weeks starting on Monday; undated events are in no week.
        """
        where, params = _where(flt or EventFilter())
        clause = (" WHERE " + " AND ".join(where)) if where else ""

        def grouped(column: str) -> dict[str, int]:
            sql = f"SELECT {column}, count(*) FROM events e{clause} GROUP BY 1 ORDER BY 2 DESC, 1"
            return {
                str(k) if k is not None else "": int(n) for k, n in self.conn.execute(sql, params)
            }

        def periods(expression: str) -> list[dict[str, Any]]:
            dated = clause + (" AND " if clause else " WHERE ") + "e.date_start IS NOT NULL"
            sql = (
                f"SELECT {expression} AS period, e.event_type, count(*) FROM events e{dated}"
                " GROUP BY 1, 2 ORDER BY 1"
            )
            out: dict[str, dict[str, int]] = {}
            for period, event_type, n in self.conn.execute(sql, params):
                out.setdefault(period, {})[event_type] = int(n)
            return [{"start": p, "counts": c} for p, c in out.items()]

        totals = self.conn.execute(
            "SELECT count(*), coalesce(sum(e.fatalities), 0), min(e.date_start),"
            f" max(coalesce(e.date_end, e.date_start)), coalesce(sum(e.corrected), 0)"
            f" FROM events e{clause}",
            params,
        ).fetchone()
        return {
            "total": int(totals[0]),
            "fatalities": int(totals[1]),
            "first_date": totals[2],
            "last_date": totals[3],
            "corrected": int(totals[4]),
            "by_type": grouped("e.event_type"),
            "by_sub_event_type": grouped("e.sub_event_type"),
            "by_country": grouped("e.country_code"),
            # SQLite's 'weekday 0' moves to the next Sunday (or stays on one): 6 days before it
            # is the Monday that starts the ISO week
            "by_week": periods("date(e.date_start, 'weekday 0', '-6 days')"),
            "by_day": periods("e.date_start"),
        }

    def find_events(self, event_id: str) -> list[tuple[str, str]]:
        """``(article_key, event_id)`` of every stored event with this id (ids may repeat)."""
        rows = self.conn.execute(
            "SELECT article_key, id FROM events WHERE id = ? ORDER BY article_seq, ordinal",
            (event_id,),
        )
        return [(str(k), str(i)) for k, i in rows]

    def event(self, article_key: str, event_id: str) -> StoredEvent | None:
        """One event in full: machine output, corrections, corrected event, article and text."""
        row = self.conn.execute(
            f"SELECT {_ROW_COLUMNS}, a.text FROM events e JOIN articles a"
            " ON a.key = e.article_key WHERE e.article_key = ? AND e.id = ?"
            " ORDER BY e.ordinal LIMIT 1",
            (article_key, event_id),
        ).fetchone()
        if row is None:
            return None
        return StoredEvent(
            row=_event_row(row, _article_info(row[1:7])),
            machine=Event.model_validate_json(row[7]),
            corrections=list(_correction_records(self.conn, article_key, event_id)),
            text=row[13],
        )

    def find_articles(self, article_id: str) -> list[str]:
        """Keys of the stored articles with this id, or with this key."""
        rows = self.conn.execute(
            "SELECT key FROM articles WHERE id = ? OR key = ? ORDER BY seq",
            (article_id, article_id),
        )
        return [str(r[0]) for r in rows]

    def article(self, key: str) -> StoredArticle | None:
        """One stored article with its text and records (events corrected, "not events" too)."""
        row = self.conn.execute(
            "SELECT key, id, url, title, published, source, language, text, warnings,"
            " ingested_at FROM articles WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        info = _article_info(row[1:7])
        events = [
            _event_row(r, info)
            for r in self.conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM events e JOIN articles a ON a.key = e.article_key"
                " WHERE e.article_key = ? ORDER BY e.ordinal",
                (key,),
            )
        ]
        return StoredArticle(
            key=key,
            info=info,
            text=row[7],
            warnings=json.loads(row[8]),
            ingested_at=row[9],
            events=events,
            aggregates=[
                Aggregate.model_validate_json(d) for d in self._children("aggregates", key)
            ],
            quotes=[Quote.model_validate_json(d) for d in self._children("quotes", key)],
        )

    def results(self) -> Iterator[ArticleResult]:
        """Every stored article as its contract result, in ingest order.

        Events are as corrected; an event marked "not an event" is left out.
        """
        articles = self.conn.execute(
            "SELECT key, id, url, title, published, source, language, warnings"
            " FROM articles ORDER BY seq"
        )
        for row in articles:
            key = row[0]
            events = self.conn.execute(
                "SELECT data, effective FROM events WHERE article_key = ? AND not_event = 0"
                " ORDER BY ordinal",
                (key,),
            )
            yield ArticleResult(
                article=_article_info(row[1:7]),
                events=[_event(data, effective) for data, effective in events],
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

    def corrections(self) -> Iterator[dict[str, Any]]:
        """Every corrected event, one dict each, ready to train and evaluate on.

        Each holds the article (with its text), the machine's event, the corrected event (None
        when marked "not an event"), the evidence as offsets into the text, the corrected fields
        and every correction with when and why. ``attached`` is False for corrections whose event
        a re-extraction no longer finds: their ``machine`` is the event as it was corrected.
        """
        keys = self.conn.execute(
            "SELECT a.key FROM articles a WHERE EXISTS"
            " (SELECT 1 FROM corrections c WHERE c.article_key = a.key) ORDER BY a.seq"
        ).fetchall()
        for (key,) in keys:
            stored = self.article(key)
            assert stored is not None
            groups: dict[str, list[Any]] = {}
            for row in self.conn.execute(
                "SELECT event_id, machine FROM corrections WHERE article_key = ? ORDER BY seq",
                (key,),
            ):
                groups.setdefault(row[0], []).append(row[1])
            by_id = {r.event.id: r for r in stored.events}
            for event_id, machines in groups.items():
                records = list(_correction_records(self.conn, key, event_id))
                row = by_id.get(event_id)
                if row is not None:
                    found = self.event(key, event_id)
                    assert found is not None
                    machine, corrected, attached = found.machine, row.event, True
                    not_event = row.not_event
                else:
                    machine = Event.model_validate_json(machines[-1])
                    try:
                        corrected = apply_patches(machine, records)
                    except CorrectionError:
                        corrected = machine
                    attached = False
                    not_event = isinstance(corrected, CorrectedEvent) and (
                        corrected.correction.not_event
                    )
                info = corrected.correction if isinstance(corrected, CorrectedEvent) else None
                yield {
                    "article": {**stored.info.to_dict(), "text": stored.text},
                    "event_id": event_id,
                    "attached": attached,
                    "not_event": not_event,
                    "fields": info.fields if info else [],
                    "evidence": [s.to_dict() for s in machine.evidence],
                    "machine": machine.to_dict(),
                    "corrected": None if not_event else _plain(corrected).to_dict(),
                    "corrections": [r.model_dump(mode="json") for r in records],
                }

    def correction_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM corrections").fetchone()[0])


# -- cursors -------------------------------------------------------------------------------------


def encode_cursor(position: tuple[str, int, int], descending: bool) -> str:
    raw = json.dumps([*position, int(descending)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[tuple[str, int, int], bool]:
    """The position and direction in a cursor, or a ``QueryError`` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort_date, seq, ordinal, descending = json.loads(raw)
        if not (
            isinstance(sort_date, str)
            and isinstance(seq, int)
            and isinstance(ordinal, int)
            and descending in (0, 1)
        ):
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise QueryError(
            "the cursor is not one this server gave; use next_cursor from a previous page"
        ) from None
    return (sort_date, seq, ordinal), bool(descending)


# -- filters -------------------------------------------------------------------------------------


def check_filter(flt: EventFilter) -> None:
    """Raise the ``QueryError`` a query with this filter would, without running it."""
    _where(flt)


def _where(flt: EventFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``events e`` for a filter, and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if not flt.include_not_events:
        where.append("e.not_event = 0")
    if flt.corrected is not None:
        where.append("e.corrected = ?")
        params.append(int(flt.corrected))
    if flt.country:
        where.append("e.country_code = ?")
        params.append(flt.country.strip().upper())
    if flt.event_type:
        # the columns are COLLATE NOCASE, so these compare ignoring case; a known name is looked
        # up in its own column only, so that SQLite uses that column's index
        name = flt.event_type.strip()
        if name.casefold() in _TYPES:
            where.append("e.event_type = ?")
            params.append(name)
        elif name.casefold() in _SUB_TYPES:
            where.append("e.sub_event_type = ?")
            params.append(name)
        else:
            where.append("(e.event_type = ? OR e.sub_event_type = ?)")
            params += [name, name]
    if flt.sub_event_type:
        where.append("e.sub_event_type = ?")
        params.append(flt.sub_event_type.strip())
    if flt.actor and flt.actor.strip():
        where.append("e.actor_text LIKE ? ESCAPE '\\'")
        params.append(f"%{_like_escape(flt.actor.strip().casefold())}%")
    if flt.since is not None:
        where.append("e.date_end >= ?")
        params.append(flt.since.isoformat())
    if flt.until is not None:
        where.append("e.date_start <= ?")
        params.append(flt.until.isoformat())
    if flt.bbox is not None:
        west, south, east, north = _check_bbox(flt.bbox)
        where.append("e.latitude BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            where.append("e.longitude BETWEEN ? AND ?")
            params += [west, east]
        else:  # across the antimeridian
            where.append("(e.longitude >= ? OR e.longitude <= ?)")
            params += [west, east]
    if flt.text is not None:
        words = _WORD.findall(flt.text)
        if words:
            # each word quoted: FTS5 syntax in user text (AND, *, quotes) is read as words
            match = " ".join('"' + w.replace('"', "") + '"' for w in words)
            where.append("e.uid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            params.append(match)
    if flt.min_fatalities is not None:
        if flt.min_fatalities < 0:
            raise QueryError(f"min_fatalities must be 0 or more, not {flt.min_fatalities}")
        if flt.min_fatalities > 0:
            where.append("e.fatalities >= ?")
            params.append(flt.min_fatalities)
    return where, params


_TYPES = {t.casefold() for t in EVENT_TYPES}
_SUB_TYPES = {t.casefold() for t in SUB_EVENT_TYPES}


def _check_bbox(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if len(bbox) != 4 or not all(isinstance(v, int | float) and math.isfinite(v) for v in bbox):
        raise QueryError("bbox is four numbers: west, south, east, north (degrees)")
    west, south, east, north = (float(v) for v in bbox)
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise QueryError("bbox longitudes (west, east) must be within -180..180")
    if not (-90 <= south <= north <= 90):
        raise QueryError("bbox latitudes must be within -90..90, south before north")
    return west, south, east, north


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- corrections ---------------------------------------------------------------------------------


def _correction_records(
    conn: sqlite3.Connection, article_key: str, event_id: str
) -> Iterator[CorrectionRecord]:
    rows = conn.execute(
        "SELECT created_at, changes, not_event, reason FROM corrections"
        " WHERE article_key = ? AND event_id = ? ORDER BY seq",
        (article_key, event_id),
    )
    for at, changes, not_event, reason in rows:
        yield CorrectionRecord(
            at=datetime.fromisoformat(at),
            changes=json.loads(changes),
            not_event=None if not_event is None else bool(not_event),
            reason=reason,
        )


def _write_effective(conn: sqlite3.Connection, key: str, ordinal: int, event: Event) -> None:
    """Make an event row show ``event`` (a corrected event) to filters and reads."""
    not_event = isinstance(event, CorrectedEvent) and event.correction.not_event
    conn.execute(
        f"UPDATE events SET {', '.join(f'{c} = ?' for c in _FILTER_COLUMNS)}, effective = ?,"
        " corrected = ?, not_event = ? WHERE article_key = ? AND ordinal = ?",
        (
            *_filter_values(event),
            event.model_dump_json() if isinstance(event, CorrectedEvent) else None,
            int(isinstance(event, CorrectedEvent)),
            int(not_event),
            key,
            ordinal,
        ),
    )


def _reapply_corrections(conn: sqlite3.Connection, key: str) -> None:
    """After a re-extraction: apply each stored correction to the event it now belongs to."""
    rows = conn.execute(
        "SELECT seq, event_id, evidence_start, evidence_end FROM corrections"
        " WHERE article_key = ? ORDER BY seq",
        (key,),
    ).fetchall()
    if not rows:
        return
    events = [
        (int(ordinal), Event.model_validate_json(data))
        for ordinal, data in conn.execute(
            "SELECT ordinal, data FROM events WHERE article_key = ? ORDER BY ordinal", (key,)
        )
    ]
    candidates = [event for _, event in events]
    targets: dict[int, list[int]] = {}
    for seq, event_id, start, end in rows:
        bounds = (start, end) if start is not None and end is not None else None
        index = match_event(event_id, bounds, candidates)
        if index is None:
            log.warning(
                "article %s: the event corrected as %s is gone after re-extraction; its"
                " correction is kept (export --corrections lists it as not attached)",
                key,
                event_id,
            )
            continue
        targets.setdefault(index, []).append(seq)
    for index, seqs in targets.items():
        ordinal, machine = events[index]
        bounds = evidence_bounds(machine.evidence)
        marks = ", ".join("?" * len(seqs))
        # the corrections now point at the event they were matched to
        conn.execute(
            f"UPDATE corrections SET event_id = ?, evidence_start = ?, evidence_end = ?"
            f" WHERE seq IN ({marks})",
            (machine.id, bounds[0] if bounds else None, bounds[1] if bounds else None, *seqs),
        )
        records = list(_correction_records(conn, key, machine.id))
        try:
            effective = apply_patches(machine, records)
        except CorrectionError as exc:
            log.warning(
                "article %s: a correction of event %s no longer applies after re-extraction"
                " (%s); the machine's event is shown",
                key,
                machine.id,
                exc.message,
            )
            continue
        _write_effective(conn, key, ordinal, effective)


def _plain(event: Event) -> Event:
    """The contract's fields of an event, without the correction flag."""
    if isinstance(event, CorrectedEvent):
        return Event.model_validate(event.model_dump(exclude={"corrected", "correction"}))
    return event


def _event(data: str, effective: str | None) -> Event:
    if effective is not None:
        return CorrectedEvent.model_validate_json(effective)
    return Event.model_validate_json(data)


def _event_row(row: tuple[Any, ...] | sqlite3.Row, info: ArticleInfo) -> EventRow:
    return EventRow(
        article=info,
        article_key=row[0],
        event=_event(row[7], row[8]),
        not_event=bool(row[9]),
        position=(row[10], int(row[11]), int(row[12])),
    )


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
            for step in MIGRATIONS[version]:
                if callable(step):
                    step(conn)
                else:
                    conn.execute(step)
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


#: the columns that filters and sorting read, computed from the (corrected) event
_FILTER_COLUMNS = (
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "country_code",
    "latitude",
    "longitude",
    "fatalities",
    "actor1_name",
    "actor2_name",
    "sort_date",
    "actor_text",
)
_INSERT_COLUMNS = ", ".join(
    ("article_key", "ordinal", "id", *_FILTER_COLUMNS, "data", "article_seq", "uid")
)


def _filter_values(event: Event) -> tuple[Any, ...]:
    start = event.date.start
    # an event with only a start lasts that day, so that date filters find it
    end = event.date.end or start
    loc = event.location
    actors = [
        part
        for actor in (event.actor1, event.actor2)
        if actor is not None
        for part in (actor.name, actor.text)
        if part
    ]
    return (
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
        start.isoformat() if start else UNDATED,
        # one text to search both actors, names and words; casefolded as the query is
        " | ".join(actors).casefold(),
    )


def _event_values(key: str, ordinal: int, event: Event, seq: int) -> tuple[Any, ...]:
    return (
        key,
        ordinal,
        event.id,
        *_filter_values(event),
        event.model_dump_json(),
        seq,
        _uid(seq, ordinal),
    )


def _uid(seq: int, ordinal: int) -> int:
    return seq * EVENTS_PER_ARTICLE + ordinal


def _evidence_text(event: Event) -> str:
    return "\n".join(span.text for span in event.evidence)


def _backfill_v3(conn: sqlite3.Connection) -> None:
    """Fill migration 3's new columns and full-text index for the events already stored."""
    rows = conn.execute(
        "SELECT e.article_key, e.ordinal, e.data, a.seq FROM events e"
        " JOIN articles a ON a.key = e.article_key"
    ).fetchall()
    for key, ordinal, data, seq in rows:
        event = Event.model_validate_json(data)
        values = _filter_values(event)
        conn.execute(
            "UPDATE events SET sort_date = ?, actor_text = ?, article_seq = ?, uid = ?"
            " WHERE article_key = ? AND ordinal = ?",
            (values[-2], values[-1], seq, _uid(seq, ordinal), key, ordinal),
        )
        conn.execute(
            "INSERT INTO events_fts (rowid, evidence) VALUES (?, ?)",
            (_uid(seq, ordinal), _evidence_text(event)),
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
