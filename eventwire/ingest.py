"""Reading inputs into checked ``Article`` records: plain text, HTML, JSONL batches, directories.

Every check that can refuse an input runs here, before any NLP, and refuses it with an
``InputError`` subclass naming the input: too large, binary, undecodable, empty, not English, a
malformed batch line or date. Readers of many inputs (``iter_articles``) never raise those: they
yield an ``InputFailure`` in the failed input's place, so one bad line never stops a batch and the
output keeps one item per input, in input order.

Decoding policy: UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with a byte-order
mark. Bytes that are not valid UTF-8 are read as Windows-1252 only when they look like a legacy
Western text file (no valid multi-byte UTF-8 sequence anywhere, at most 10% non-ASCII bytes), and
the article then carries a warning saying so; anything else is refused with the byte offset of the
first bad byte. There is no silent Latin-1 fallback. HTML may also declare its charset. A JSONL
batch is JSON, so UTF-8 only: a line that is not is refused on its own.

The text is kept exactly as given except that ``\\r\\n`` and lone ``\\r`` become ``\\n`` (and a
leading byte-order mark is dropped): every offset in the output is into this text.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from .config import Settings, load_settings
from .errors import (
    BinaryInputError,
    DecodeInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    LanguageError,
    MalformedInputError,
)
from .language import UNKNOWN, guess_language, language_name
from .records import Article, content_hash

__all__ = [
    "NO_DATE_WARNING",
    "InputFailure",
    "article_from_html",
    "article_from_text",
    "decode_bytes",
    "is_batch",
    "iter_articles",
    "parse_published",
    "read_meta",
]

log = logging.getLogger(__name__)

#: the contract's wording (shared/spec/README.md)
NO_DATE_WARNING = "no publication date: relative dates left unresolved"

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
BATCH_SUFFIXES = (".jsonl",)
#: sidecar files next to articles, never articles themselves
SIDECAR_SUFFIXES = (".meta.json", ".expected.json")

# Longest share of non-ASCII bytes for which undecodable bytes may be Windows-1252 text: an
# English or Western European file has a few accented letters and curly quotes; text in a
# legacy Cyrillic or East Asian encoding has far more.
_CP1252_MAX_NON_ASCII = 0.10
# C0 controls other than tab, newline, form feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.02
_NEWLINES = re.compile(r"\r\n?")
_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")
_DECODED_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDS = re.compile(r"[^\W\d_]+")
#: fewer words extracted from a page than this means it holds no article
_MIN_PAGE_WORDS = 10
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (or a .docx/.xlsx/.epub)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "Microsoft Office (.doc/.xls) file"),
    (b"\x7fELF", "program (ELF) file"),
    (b"SQLite format 3\x00", "SQLite database"),
)


@dataclass(slots=True)
class InputFailure:
    """An input that could not be read, in its place in a batch.

    ``article`` carries what is known (id, origin, url, ...; ``text`` may be empty) so the output
    can keep one record per input: see ``pipeline.failed_result``.
    """

    article: Article
    error: InputError

    @property
    def origin(self) -> str:
        return self.article.origin


@lru_cache(maxsize=1)
def _default_settings() -> Settings:
    return load_settings()


# --- small checks -------------------------------------------------------------------------------


def parse_published(
    value: date | str | None, origin: str, what: str = "publication date"
) -> date | None:
    """A date from ``YYYY-MM-DD`` or a full ISO datetime (its date part); else an error."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise MalformedInputError(
            origin, f"{what} must be a string YYYY-MM-DD, not {type(value).__name__}"
        )
    s = value.strip()
    if not s:
        return None
    try:
        if _ISO_DATE.fullmatch(s):
            return date.fromisoformat(s)
        if _ISO_DATE.match(s) and s[10] in "T ":
            return datetime.fromisoformat(s).date()
    except ValueError:
        pass
    raise MalformedInputError(
        origin, f"{what} {value!r} is not a date: write it as YYYY-MM-DD (or a full ISO datetime)"
    )


def _size_error(origin: str, size: int, limit: int, unit: str = "bytes") -> InputTooLargeError:
    return InputTooLargeError(
        origin,
        f"too large: {size} {unit}, more than the limit of {limit} bytes (input.max_bytes); "
        "split it into articles or raise the limit",
    )


def _refuse_binary_bytes(data: bytes, origin: str) -> None:
    head = data[:32]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise BinaryInputError(origin, f"this is a {kind}, not text: extract its text first")
    nul = data.find(b"\x00")
    if nul >= 0:
        sample = data[:4096]
        hint = ""
        # Every other byte NUL: UTF-16 text that lost its byte-order mark.
        if sample.count(b"\x00") * 3 >= len(sample):
            hint = " (if it is UTF-16 text without a byte-order mark, re-save it as UTF-8)"
        raise BinaryInputError(
            origin, f"binary data, not text: NUL byte at byte offset {nul}{hint}"
        )


def _refuse_controls(text: str, origin: str) -> None:
    if "\x00" in text:
        raise BinaryInputError(
            origin, f"binary data, not text: NUL character at offset {text.index(chr(0))}"
        )
    controls = len(_CONTROL.findall(text))
    if controls > max(2, _MAX_CONTROL_SHARE * len(text)):
        raise BinaryInputError(
            origin,
            f"binary data, not text: {controls} control characters in {len(text)} characters",
        )


def _decode_error(
    origin: str, encoding: str, exc: UnicodeDecodeError, skip: int
) -> DecodeInputError:
    bad = exc.object[exc.start : exc.start + 1]
    shown = f" 0x{bad[0]:02x}" if bad else ""
    return DecodeInputError(
        origin,
        f"not valid {encoding}: {exc.reason} (byte{shown} at byte offset {exc.start + skip}); "
        "re-save it as UTF-8",
    )


def decode_bytes(data: bytes, origin: str, *, declared: str | None = None) -> tuple[str, list[str]]:
    """Text and warnings from bytes, else a ``BinaryInputError``/``DecodeInputError``.

    ``declared`` is a charset the container names (an HTML ``<meta charset>``); it is used when
    the bytes are not valid UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _decode_error(origin, encoding.upper(), exc, len(bom)) from None
            return text, []
    _refuse_binary_bytes(data, origin)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared and not declared.lower().replace("_", "-").startswith("utf"):
        try:
            return data.decode(declared), []
        except LookupError:  # unknown, or not a text encoding ("base64")
            log.debug("%s: unknown declared charset %r", origin, declared)
        except UnicodeDecodeError as exc:
            raise _decode_error(origin, f"{declared} (the charset it declares)", exc, 0) from None
        except (UnicodeError, ValueError) as exc:
            raise DecodeInputError(
                origin, f"not valid {declared} (the charset it declares): {exc}"
            ) from None
    non_ascii = len(_NON_ASCII_BYTE.findall(data))
    legacy = non_ascii <= _CP1252_MAX_NON_ASCII * len(data) and not _DECODED_NON_ASCII.search(
        data.decode("utf-8", "replace")
    )
    if legacy:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            bad = data[utf8_error.start]
            return text, [
                f"not valid UTF-8 (byte 0x{bad:02x} at byte offset {utf8_error.start}): "
                "read as Windows-1252; re-save it as UTF-8 to be sure"
            ]
    raise _decode_error(origin, "UTF-8", utf8_error, 0)


def _encoded_size(text: str, origin: str) -> int:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        # Lone surrogates: JSON's "\ud800" escapes can make them; no file can hold them.
        raise DecodeInputError(
            origin,
            f"invalid text: lone surrogate U+{ord(text[exc.start]):04X} at offset {exc.start}",
        ) from None


def _to_str(data: str | bytes, origin: str, settings: Settings) -> tuple[str, list[str]]:
    """Size-checked, decoded, binary-checked text with normalized newlines."""
    limit = settings.input.max_bytes
    warnings: list[str] = []
    if isinstance(data, bytes):
        if len(data) > limit:
            raise _size_error(origin, len(data), limit)
        text, warnings = decode_bytes(data, origin)
    else:
        size = _encoded_size(data, origin)
        if size > limit:
            raise _size_error(origin, size, limit)
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    _refuse_controls(text, origin)
    return text, warnings


def _refuse_empty(text: str, origin: str, settings: Settings) -> None:
    stripped = len(text.strip())
    if stripped == 0:
        raise EmptyInputError(
            origin, "empty: no text to read" if not text else "only whitespace: no text to read"
        )
    if stripped < settings.input.min_chars:
        raise EmptyInputError(
            origin,
            f"too short: {stripped} characters, at least {settings.input.min_chars} needed "
            "(input.min_chars)",
        )


def _primary_subtag(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def _check_language(article: Article, declared: str | None, settings: Settings) -> None:
    """Set ``article.language``; refuse another language; warn when unsure."""
    accepted = [_primary_subtag(c) for c in settings.input.languages]
    reads = ", ".join(accepted)
    min_conf = settings.input.language_min_confidence
    guess = guess_language(article.text, settings.input.language_min_words)
    if declared:
        code = _primary_subtag(declared)
        if code not in accepted:
            raise LanguageError(
                article.origin,
                f"declared language is {language_name(code)} ({code}); eventwire reads {reads}",
            )
        article.language = code
        if guess.code not in (None, UNKNOWN, code) and guess.confidence >= min_conf:
            article.warnings.append(
                f"declared language {code}, but the text looks like {guess.name} "
                f"(confidence {guess.confidence:g})"
            )
        return
    if guess.code is None:
        article.language = None
    elif guess.code in accepted:
        article.language = guess.code
    elif guess.code != UNKNOWN and guess.confidence >= min_conf:
        article.language = guess.code  # shown in the failed record's article info
        raise LanguageError(
            article.origin,
            f"looks like {guess.name} (confidence {guess.confidence:g}); eventwire reads {reads}",
        )
    else:
        article.language = None
        what = (
            "language not recognized"
            if guess.code == UNKNOWN
            else f"language uncertain: looks like {guess.name} (confidence {guess.confidence:g})"
        )
        article.warnings.append(f"{what}; read as {accepted[0] if accepted else 'en'}")


# --- single articles ----------------------------------------------------------------------------


def _draft(
    origin: str,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Article:
    # The id is provisional until the text is known (content hash) or the input fails (origin hash).
    return Article(
        text="",
        id=id or content_hash(origin),
        url=url or None,
        title=(title or "").strip() or None,
        source=source or None,
        origin=origin,
    )


def _fill_text(
    article: Article,
    data: str | bytes,
    *,
    published: date | str | None,
    language: str | None,
    explicit_id: bool,
    settings: Settings,
) -> Article:
    origin = article.origin
    article.published = parse_published(published, origin)
    text, warnings = _to_str(data, origin, settings)
    article.warnings.extend(warnings)
    article.text = text
    _refuse_empty(text, origin, settings)
    if not explicit_id:
        article.id = content_hash(text)
    _check_language(article, language, settings)
    if article.published is None:
        article.warnings.append(NO_DATE_WARNING)
    return article


def article_from_text(
    text: str | bytes,
    *,
    origin: str = "<text>",
    published: date | str | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    language: str | None = None,
    settings: Settings | None = None,
) -> Article:
    """A checked ``Article`` from plain text (or its bytes), or an ``InputError`` naming ``origin``.

    ``language`` is a declared language (from a ``.meta.json``): it must be one the settings
    accept, and it is trusted over the detector, which then only adds a warning if it disagrees.
    """
    article = _draft(origin, id=id, url=url, title=title, source=source)
    return _fill_text(
        article,
        text,
        published=published,
        language=language,
        explicit_id=bool(id),
        settings=settings or _default_settings(),
    )


@dataclass(frozen=True, slots=True)
class _Page:
    text: str
    title: str | None
    date: str | None
    url: str | None
    sitename: str | None


def _extract_html(html: str, origin: str) -> _Page:
    import trafilatura  # imported here: plain-text runs never pay for it

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            # Dates from markup and metadata only: a date found in the running text is often an
            # event date, not the publication date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a third-party parser on untrusted markup: any failure is bad input
        log.debug("%s: trafilatura failed", origin, exc_info=True)
        raise MalformedInputError(
            origin, f"could not parse the HTML: {type(exc).__name__}: {exc}"
        ) from None
    text = getattr(doc, "text", None) if doc is not None else None
    # trafilatura's fallbacks can return a menu ("Home | World | Sport") for a page with no
    # article: a few words are not an article.
    if not text or len(_WORDS.findall(text)) < _MIN_PAGE_WORDS:
        raise EmptyInputError(
            origin,
            "no article text found in the HTML (a page of links, a script-only page, or too "
            "short); pass the text itself as .txt instead",
        )

    def field(name: str) -> str | None:
        value = getattr(doc, name, None)
        return (value.strip() or None) if isinstance(value, str) else None

    return _Page(text, field("title"), field("date"), field("url"), field("sitename"))


def _fill_html(
    article: Article,
    data: str | bytes,
    *,
    published: date | str | None,
    language: str | None,
    explicit_id: bool,
    settings: Settings,
) -> Article:
    origin = article.origin
    pub = parse_published(published, origin)
    limit = settings.input.max_bytes
    if isinstance(data, bytes):
        if len(data) > limit:
            raise _size_error(origin, len(data), limit)
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "replace") if match else None
        markup, warnings = decode_bytes(data, origin, declared=declared)
        article.warnings.extend(warnings)
    else:
        size = _encoded_size(data, origin)
        if size > limit:
            raise _size_error(origin, size, limit)
        markup = data
    if not markup.strip():
        raise EmptyInputError(origin, "empty: no HTML to read")
    _refuse_controls(markup, origin)
    page = _extract_html(markup, origin)
    article.title = article.title or page.title
    article.url = article.url or page.url
    article.source = article.source or page.sitename
    if pub is None and page.date:
        try:
            pub = parse_published(page.date, origin)
        except MalformedInputError:
            log.debug("%s: ignoring unreadable HTML date %r", origin, page.date)
    return _fill_text(
        article,
        page.text,
        published=pub,
        language=language,
        explicit_id=explicit_id,
        settings=settings,
    )


def article_from_html(
    html: str | bytes,
    *,
    origin: str = "<html>",
    published: date | str | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    language: str | None = None,
    settings: Settings | None = None,
) -> Article:
    """A checked ``Article`` from a web page: its main text, title and date (via trafilatura).

    Arguments win over what the page says: ``published`` over its metadata date, ``url``,
    ``title`` and ``source`` over its canonical URL, title and site name.
    """
    article = _draft(origin, id=id, url=url, title=title, source=source)
    return _fill_html(
        article,
        html,
        published=published,
        language=language,
        explicit_id=bool(id),
        settings=settings or _default_settings(),
    )


# --- files, batches, directories ----------------------------------------------------------------


def _meta_path(path: Path) -> Path:
    if path.name.endswith(".meta.json"):
        return path
    return path.with_name(f"{path.stem}.meta.json")


def read_meta(path: Path) -> dict[str, Any]:
    """The fields of ``NAME.meta.json`` beside ``NAME.txt``/``NAME.html`` (``{}`` if none).

    Keys kept: id, url, title, source, language (strings) and published (a ``date``); unknown
    keys are ignored. A meta file that is not a JSON object of those types is a
    ``MalformedInputError`` naming it.
    """
    meta_path = _meta_path(Path(path))
    origin = str(meta_path)
    try:
        raw = meta_path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise MalformedInputError(origin, f"cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _decode_error(origin, "UTF-8", exc, 0) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MalformedInputError(origin, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedInputError(origin, f"must be a JSON object, not {type(data).__name__}")
    return _record_fields(data, origin)


def _record_fields(data: dict[str, Any], origin: str, *, dated: bool = True) -> dict[str, Any]:
    """The article fields of a meta object or JSONL line, type-checked (the date if ``dated``)."""
    out: dict[str, Any] = {}
    for key in ("id", "url", "title", "source", "language"):
        value = data.get(key)
        if value is None or value == "":
            continue
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise MalformedInputError(
                origin, f'"{key}" must be a string, not {type(value).__name__}'
            )
        out[key] = value
    if dated and data.get("published") is not None:
        out["published"] = parse_published(data["published"], origin, '"published"')
    return out


def is_batch(path: str) -> bool:
    """True for inputs that hold many articles: a ``.jsonl`` file or a directory."""
    if path == STDIN:
        return False
    return path.lower().endswith(BATCH_SUFFIXES) or Path(path).is_dir()


def _read_file(path: Path, origin: str, limit: int) -> bytes:
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise _size_error(origin, size, limit)
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise MalformedInputError(origin, "no such file") from None
    except IsADirectoryError:
        raise MalformedInputError(origin, "is a directory, not a file") from None
    except PermissionError:
        raise MalformedInputError(origin, "cannot read: permission denied") from None
    except OSError as exc:
        raise MalformedInputError(origin, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew, or is not a regular file
        raise _size_error(origin, len(data), limit, "bytes or more")
    return data


def _looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:2048]))


def _fail(article: Article, error: InputError, explicit_id: str | None) -> InputFailure:
    # A failed input is keyed by where it came from: its text may be unreadable or absent.
    article.id = explicit_id or content_hash(article.origin)
    return InputFailure(article, error)


def _from_bytes(
    data: bytes,
    origin: str,
    *,
    html: bool | None,
    published: date | str | None,
    meta: dict[str, Any],
    settings: Settings,
) -> Article | InputFailure:
    article = _draft(
        origin,
        id=meta.get("id"),
        url=meta.get("url"),
        title=meta.get("title"),
        source=meta.get("source"),
    )
    if html is None:
        html = _looks_like_html(data)
    fill = _fill_html if html else _fill_text
    try:
        return fill(
            article,
            data,
            published=published if published is not None else meta.get("published"),
            language=meta.get("language"),
            explicit_id="id" in meta,
            settings=settings,
        )
    except InputError as err:
        return _fail(article, err, meta.get("id"))


def _single_file(
    path: Path, origin: str, published: date | None, settings: Settings
) -> Article | InputFailure:
    try:
        meta = read_meta(path)
    except InputError as err:
        return _fail(_draft(origin), err, None)
    try:
        data = _read_file(path, origin, settings.input.max_bytes)
    except InputError as err:
        article = _draft(
            origin, url=meta.get("url"), title=meta.get("title"), source=meta.get("source")
        )
        article.published = meta.get("published") if published is None else published
        return _fail(article, err, meta.get("id"))
    suffix = path.suffix.lower()
    html = True if suffix in HTML_SUFFIXES else False if suffix in TEXT_SUFFIXES else None
    return _from_bytes(data, origin, html=html, published=published, meta=meta, settings=settings)


def _lines(f: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs; a line over ``limit`` bytes comes as None, skipped unread."""
    lineno = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the overlong line in bounded pieces
                chunk = f.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None
        else:
            yield lineno, line


def _line_id(obj: dict[str, Any]) -> str | None:
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
        return None
    return str(raw_id)


def _salvage_id(raw: bytes) -> str | None:
    """The id of a line whose text is not UTF-8, so its failure can still be matched to it."""
    try:
        obj = json.loads(raw.decode("utf-8", "replace"))
    except (json.JSONDecodeError, RecursionError):
        return None
    return _line_id(obj) if isinstance(obj, dict) else None


def _jsonl_line(
    raw: bytes | None, origin: str, published: date | None, settings: Settings, line_limit: int
) -> Article | InputFailure:
    if raw is None:
        return _fail(
            _draft(origin), _size_error(origin, line_limit + 1, line_limit, "bytes or more"), None
        )
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _fail(_draft(origin), _decode_error(origin, "UTF-8", exc, 0), _salvage_id(raw))
    try:
        obj = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return _fail(
            _draft(origin),
            MalformedInputError(origin, f"not valid JSON: {exc.msg} at column {exc.pos + 1}"),
            None,
        )
    except RecursionError:
        return _fail(
            _draft(origin), MalformedInputError(origin, "not valid JSON: nested too deeply"), None
        )
    if not isinstance(obj, dict):
        return _fail(
            _draft(origin),
            MalformedInputError(
                origin,
                f'each line must be a JSON object with a "text" field, not {type(obj).__name__}',
            ),
            None,
        )
    line_id = _line_id(obj)
    article = _draft(origin, id=line_id)
    try:
        # A date given for the whole batch replaces each line's, even one that is not a date.
        fields = _record_fields(obj, origin, dated=published is None)
        article.url, article.title, article.source = (
            fields.get("url"),
            fields.get("title"),
            fields.get("source"),
        )
        if "text" in obj:
            body, fill = obj["text"], _fill_text
        elif "html" in obj:
            body, fill = obj["html"], _fill_html
        else:
            raise MalformedInputError(origin, 'missing "text": each line needs {"text": "..."}')
        if not isinstance(body, str):
            key = "text" if fill is _fill_text else "html"
            raise MalformedInputError(
                origin, f'"{key}" must be a string, not {type(body).__name__}'
            )
        return fill(
            article,
            body,
            published=published if published is not None else fields.get("published"),
            language=fields.get("language"),
            explicit_id=line_id is not None,
            settings=settings,
        )
    except InputError as err:
        return _fail(article, err, line_id)


def _iter_jsonl(
    path: Path, origin: str, published: date | None, settings: Settings
) -> Iterator[Article | InputFailure]:
    # JSON escapes ("\u00e9") make a line longer than the text it holds: allow for them here, and
    # let the text itself be held to max_bytes.
    line_limit = 6 * settings.input.max_bytes + 65_536
    try:
        f = path.open("rb")
    except FileNotFoundError:
        yield _fail(_draft(origin), MalformedInputError(origin, "no such file"), None)
        return
    except OSError as exc:
        yield _fail(
            _draft(origin), MalformedInputError(origin, f"cannot read: {exc.strerror or exc}"), None
        )
        return
    with f:
        head = f.peek(4)[:4]  # peek, not read+seek: the path may be a pipe
        for bom, encoding in _BOMS:
            if encoding != "utf-8" and head.startswith(bom):
                yield _fail(
                    _draft(origin),
                    DecodeInputError(
                        origin,
                        f"a JSONL batch must be UTF-8, this one is {encoding.upper()}: "
                        "re-save it as UTF-8",
                    ),
                    None,
                )
                return
        for lineno, raw in _lines(f, line_limit):
            if lineno == 1 and raw is not None and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if raw is not None and not raw.strip():
                continue
            yield _jsonl_line(raw, f"{origin}:{lineno}", published, settings, line_limit)


def _walk(root: Path) -> list[Path]:
    """Article files under ``root``, sorted; hidden files and folders and sidecars left out."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            low = name.lower()
            if name.startswith(".") or low.endswith(SIDECAR_SUFFIXES):
                continue
            if low.endswith(TEXT_SUFFIXES + HTML_SUFFIXES + BATCH_SUFFIXES):
                found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.parts)


def _iter_path(
    path_str: str, published: date | None, settings: Settings
) -> Iterator[Article | InputFailure]:
    path = Path(path_str)
    if path.is_dir():
        for child in _walk(path):
            yield from _iter_path(str(child), published, settings)
    elif path_str.lower().endswith(BATCH_SUFFIXES):
        yield from _iter_jsonl(path, path_str, published, settings)
    else:
        yield _single_file(path, path_str, published, settings)


def _iter_stdin(
    stream: IO[bytes], published: date | None, settings: Settings
) -> Article | InputFailure:
    limit = settings.input.max_bytes
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        return _fail(
            _draft(STDIN_ORIGIN), MalformedInputError(STDIN_ORIGIN, f"cannot read: {exc}"), None
        )
    if len(data) > limit:
        return _fail(
            _draft(STDIN_ORIGIN), _size_error(STDIN_ORIGIN, len(data), limit, "bytes or more"), None
        )
    return _from_bytes(
        data, STDIN_ORIGIN, html=None, published=published, meta={}, settings=settings
    )


def iter_articles(
    paths: Sequence[str],
    *,
    published: date | None = None,
    settings: Settings | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | InputFailure]:
    """Every article of every input, in order; an unreadable input yields an ``InputFailure``.

    A path is ``-`` (standard input, HTML when it starts like a page), a text file, an
    ``.html``/``.htm`` file, a ``.jsonl`` batch (one item per non-blank line, streamed), or a
    directory (its .txt, .text, .html, .htm and .jsonl files, recursively, sorted).
    ``published`` wins over a JSONL ``published`` field or a ``.meta.json``, which win over the
    date in an HTML page.
    """
    settings = settings or _default_settings()
    if published is not None:
        published = parse_published(published, "--published")
    for path_str in paths:
        if path_str == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield _iter_stdin(stream, published, settings)
        else:
            yield from _iter_path(path_str, published, settings)
