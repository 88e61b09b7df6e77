from __future__ import annotations

import contextlib
import io
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eventwire.config import Settings, load_settings
from eventwire.errors import (
    BinaryInputError,
    DecodeInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    LanguageError,
    MalformedInputError,
)
from eventwire.ingest import (
    NO_DATE_WARNING,
    InputFailure,
    article_from_html,
    article_from_text,
    decode_bytes,
    is_batch,
    iter_articles,
    parse_published,
    read_meta,
)
from eventwire.records import Article, content_hash

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
#: for hypothesis tests, which cannot take pytest fixtures
SETTINGS = load_settings()

ENGLISH = (
    "Gunmen attacked a police checkpoint on the outskirts of the town on Tuesday, killing three "
    "officers and wounding two others, a police spokesman said."
)
FRENCH = (
    "Des hommes armés ont attaqué un poste de police à la périphérie de la ville mardi, tuant "
    "trois agents et en blessant deux autres, a indiqué un porte-parole de la police."
)
SPANISH = (
    "Hombres armados atacaron un puesto de control de la policía en las afueras de la ciudad el "
    "martes, matando a tres agentes e hiriendo a otros dos, según un portavoz de la policía."
)
GERMAN = (
    "Bewaffnete haben am Dienstag einen Kontrollposten der Polizei am Stadtrand angegriffen und "
    "dabei drei Beamte getötet und zwei weitere verletzt, sagte ein Polizeisprecher."
)
ARABIC = (
    "هاجم مسلحون نقطة تفتيش للشرطة في ضواحي المدينة يوم الثلاثاء، مما أسفر عن مقتل ثلاثة من رجال "
    "الشرطة وإصابة اثنين آخرين، حسبما قال متحدث باسم الشرطة في بيان."
)


def only(items: list[Article | InputFailure]) -> Article | InputFailure:
    assert len(items) == 1
    return items[0]


def ok(item: Article | InputFailure) -> Article:
    assert isinstance(item, Article), getattr(item, "error", item)
    return item


def failed(item: Article | InputFailure) -> InputFailure:
    assert isinstance(item, InputFailure), item
    return item


# --- article_from_text ------------------------------------------------------------------------


def test_text_is_kept_and_described(settings: Settings) -> None:
    text = f"  {ENGLISH}\n\nSecond paragraph follows here.\n"
    article = article_from_text(
        text,
        origin="x.txt",
        published="2024-03-05",
        url="https://example.org/a",
        title="  Checkpoint attack ",
        source="Example Wire",
        settings=settings,
    )
    assert article.text == text
    assert article.published == date(2024, 3, 5)
    assert article.language == "en"
    assert article.title == "Checkpoint attack"
    assert (article.url, article.source, article.origin) == (
        "https://example.org/a",
        "Example Wire",
        "x.txt",
    )
    assert article.id == content_hash(text)
    assert article.warnings == []


def test_explicit_id_wins(settings: Settings) -> None:
    assert article_from_text(ENGLISH, id="story-7", settings=settings).id == "story-7"


def test_newlines_are_normalized_and_nothing_else(settings: Settings) -> None:
    article = article_from_text(
        "Line one,  spaced.\r\nLine two.\rLine three.\t\n", settings=settings
    )
    assert article.text == "Line one,  spaced.\nLine two.\nLine three.\t\n"


def test_missing_date_warns_with_contract_wording(settings: Settings) -> None:
    article = article_from_text(ENGLISH, settings=settings)
    assert article.published is None
    assert NO_DATE_WARNING == "no publication date: relative dates left unresolved"
    assert NO_DATE_WARNING in article.warnings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-08", date(2024, 2, 8)),
        ("2024-02-08T21:30:00", date(2024, 2, 8)),
        ("2024-02-08T21:30:00Z", date(2024, 2, 8)),
        ("2024-02-08 21:30:00+03:00", date(2024, 2, 8)),
        (date(2024, 2, 8), date(2024, 2, 8)),
        (datetime(2024, 2, 8, 23, 59), date(2024, 2, 8)),
        (None, None),
    ],
)
def test_published_forms(value: date | str | None, expected: date | None) -> None:
    assert parse_published(value, "x") == expected


@pytest.mark.parametrize(
    "value", ["08/02/2024", "Feb 8, 2024", "2024-02-30", "20240208", "yesterday", "2024-02-08Tnoon"]
)
def test_bad_published_is_refused_naming_the_input(value: str, settings: Settings) -> None:
    with pytest.raises(MalformedInputError, match=r"^\[E106\] story\.txt: .*YYYY-MM-DD"):
        article_from_text(ENGLISH, origin="story.txt", published=value, settings=settings)


@pytest.mark.parametrize("data", ["", b"", "   \n\t ", b"\n\r\n   ", "\u3000\u00a0"])
def test_empty_and_whitespace_are_refused(data: str | bytes, settings: Settings) -> None:
    with pytest.raises(EmptyInputError, match=r"e\.txt"):
        article_from_text(data, origin="e.txt", settings=settings)


def test_min_chars(settings: Settings) -> None:
    strict = settings.replace({"input.min_chars": 50})
    with pytest.raises(EmptyInputError, match="too short: 9 characters"):
        article_from_text("  Too short  ", settings=strict)


def test_too_large_is_refused_in_bytes_not_characters(settings: Settings) -> None:
    small = settings.replace({"input.max_bytes": 100})
    article_from_text("a" * 100, settings=small)  # exactly at the limit
    with pytest.raises(InputTooLargeError, match=r"120 bytes.*input\.max_bytes"):
        article_from_text("é" * 60, settings=small)  # 60 characters, 120 bytes
    with pytest.raises(InputTooLargeError):
        article_from_text(b"a" * 101, settings=small)


def test_utf8_bom_is_dropped(settings: Settings) -> None:
    article = article_from_text(b"\xef\xbb\xbf" + ENGLISH.encode(), settings=settings)
    assert article.text == ENGLISH


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding: str, settings: Settings) -> None:
    data = ENGLISH.replace("Tuesday", "Tuesday — “today”").encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    article = article_from_text(data, settings=settings)
    assert article.text == ENGLISH.replace("Tuesday", "Tuesday — “today”")


def test_utf16_without_bom_is_binary_with_a_hint(settings: Settings) -> None:
    with pytest.raises(BinaryInputError, match="UTF-16"):
        article_from_text(ENGLISH.encode("utf-16-le"), settings=settings)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"Some text\x00with a NUL byte", "NUL byte at byte offset 9"),
    ],
)
def test_binary_is_refused(data: bytes, what: str, settings: Settings) -> None:
    with pytest.raises(BinaryInputError, match=what):
        article_from_text(data, origin="blob.bin", settings=settings)


def test_control_characters_mean_binary(settings: Settings) -> None:
    noisy = "".join(f"word{i}\x01\x02\x1b" for i in range(40))
    with pytest.raises(BinaryInputError, match="control characters"):
        article_from_text(noisy, settings=settings)
    # A stray control character in real text is kept.
    text = f"{ENGLISH}\x0b"
    assert article_from_text(text, settings=settings).text == text


def test_invalid_utf8_names_the_byte_offset(settings: Settings) -> None:
    # Valid multi-byte UTF-8 ("é") and a stray byte: mixed encodings, never guessed.
    data = "Déjà vu: ".encode() + b"\xff" + ENGLISH.encode()
    with pytest.raises(DecodeInputError, match=r"not valid UTF-8.*0xff at byte offset 11"):
        article_from_text(data, origin="bad.txt", settings=settings)


def test_legacy_windows_1252_is_read_with_a_warning(settings: Settings) -> None:
    text = ENGLISH.replace("a police spokesman said", "\u201ca police spokesman said\u201d")
    article = article_from_text(text.encode("cp1252"), settings=settings)
    assert article.text == text
    assert any("Windows-1252" in w and "byte offset" in w for w in article.warnings)


def test_non_western_legacy_encoding_is_refused(settings: Settings) -> None:
    # KOI8-R Russian: most bytes are non-ASCII, so it is not a Western text in Windows-1252.
    data = "Вооруженные люди напали на полицейский пост на окраине города".encode("koi8-r")
    with pytest.raises(DecodeInputError, match="not valid UTF-8"):
        article_from_text(data, settings=settings)


def test_lone_surrogate_is_refused(settings: Settings) -> None:
    with pytest.raises(DecodeInputError, match="surrogate U\\+D83D"):
        article_from_text(f"{ENGLISH} \ud83d", settings=settings)


@pytest.mark.parametrize(
    ("text", "name"),
    [(FRENCH, "French"), (SPANISH, "Spanish"), (GERMAN, "German"), (ARABIC, "Arabic")],
)
def test_other_languages_are_refused(text: str, name: str, settings: Settings) -> None:
    with pytest.raises(LanguageError) as info:
        article_from_text(text, origin="f.txt", settings=settings)
    message = str(info.value)
    assert message.startswith(f"[E105] f.txt: looks like {name} (confidence ")
    assert message.endswith("; eventwire reads en")


def test_configured_languages_are_accepted(settings: Settings) -> None:
    both = settings.replace({"input.languages": ["en", "fr"]})
    assert article_from_text(FRENCH, settings=both).language == "fr"


def test_unsure_language_is_read_with_a_warning(settings: Settings) -> None:
    lenient = settings.replace({"input.language_min_confidence": 1.0})
    article = article_from_text(FRENCH, settings=lenient)
    assert article.language is None
    assert any(w.startswith("language uncertain: looks like French") for w in article.warnings)


def test_short_text_has_no_language_and_no_language_warning(settings: Settings) -> None:
    article = article_from_text(
        "Three killed in market attack", published="2024-01-01", settings=settings
    )
    assert article.language is None
    assert article.warnings == []


def test_declared_language(settings: Settings) -> None:
    with pytest.raises(LanguageError, match=r"declared language is French \(fr\)"):
        article_from_text(ENGLISH, language="fr", settings=settings)
    article = article_from_text(FRENCH, language="en-GB", settings=settings)
    assert article.language == "en"
    assert any("looks like French" in w for w in article.warnings)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_input_raises_only_input_errors(data: str | bytes) -> None:
    try:
        article = article_from_text(data, settings=SETTINGS)
    except InputError:
        return
    assert article.text.strip()
    assert "\r" not in article.text


# --- decode_bytes -----------------------------------------------------------------------------


def test_decode_bytes_uses_a_declared_charset() -> None:
    text, warnings = decode_bytes("Café Noir".encode("iso-8859-1"), "p.html", declared="iso-8859-1")
    assert (text, warnings) == ("Café Noir", [])


# --- HTML -------------------------------------------------------------------------------------


def test_html_page(settings: Settings) -> None:
    data = (FIXTURES / "page.html").read_bytes()
    article = article_from_html(data, origin="page.html", settings=settings)
    assert article.title == "Clashes near the border leave five dead"
    assert article.published == date(2024, 1, 10)
    assert article.url == "https://example.org/news/border-clashes"
    assert article.source == "Example Wire"
    assert "killed five people on Monday" in article.text
    assert "Privacy policy" not in article.text and "Sport" not in article.text
    assert article.language == "en"
    assert NO_DATE_WARNING not in article.warnings


def test_html_arguments_win_over_page_metadata(settings: Settings) -> None:
    article = article_from_html(
        (FIXTURES / "page.html").read_text(encoding="utf-8"),
        origin="page.html",
        published="2024-01-12",
        url="https://mirror.example.net/x",
        source="Mirror",
        settings=settings,
    )
    assert article.published == date(2024, 1, 12)
    assert (article.url, article.source) == ("https://mirror.example.net/x", "Mirror")


def test_malformed_html_still_gives_its_text(settings: Settings) -> None:
    article = article_from_html(
        (FIXTURES / "broken.html").read_bytes(), origin="b", settings=settings
    )
    assert "Thousands of people marched through the capital" in article.text
    assert article.title == "Protest in the capital"
    assert NO_DATE_WARNING in article.warnings


@pytest.mark.parametrize(
    "html",
    [
        (FIXTURES / "links-only.html").read_text(encoding="utf-8"),
        "<html><body></body></html>",
        "<<<>>> </div></p><",
        "<p>hi</p>",
        "plain words, no markup",
    ],
)
def test_html_without_article_text(html: str, settings: Settings) -> None:
    with pytest.raises(
        EmptyInputError, match=r"^\[E101\] x\.html: no article text found in the HTML"
    ):
        article_from_html(html, origin="x.html", settings=settings)


def test_empty_html(settings: Settings) -> None:
    with pytest.raises(EmptyInputError):
        article_from_html(b"  ", origin="x.html", settings=settings)


def test_french_html_is_refused(settings: Settings) -> None:
    page = (
        "<html><head><title>Attaque</title></head><body><article>"
        f"<p>{FRENCH}</p><p>{FRENCH}</p></article></body></html>"
    )
    with pytest.raises(LanguageError, match="French"):
        article_from_html(page, origin="fr.html", settings=settings)


def test_html_declared_charset(settings: Settings) -> None:
    body = ENGLISH.replace("town", "town of Señora")
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"</head><body><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    article = article_from_html(page.encode("iso-8859-1"), origin="x.html", settings=settings)
    assert "Señora" in article.text
    assert not any("Windows-1252" in w for w in article.warnings)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(["<p>", "</p>", "<div", ">", "<!--", "&amp;", "<html>", "word "])
        ).map("".join),
    )
)
def test_arbitrary_html_raises_only_input_errors(html: str) -> None:
    with contextlib.suppress(InputError):
        article_from_html(html, origin="h.html", settings=SETTINGS)


# --- meta.json --------------------------------------------------------------------------------


def test_read_meta_from_the_article_path() -> None:
    meta = read_meta(FIXTURES / "checkpoint.txt")
    assert meta == {
        "published": date(2024, 3, 5),
        "source": "Example Wire",
        "language": "en",
        "url": "https://example.org/news/checkpoint",
    }
    assert read_meta(FIXTURES / "checkpoint.meta.json") == meta
    assert read_meta(FIXTURES / "marche.txt") == {}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"published": "March 5"}', "YYYY-MM-DD"),
        ('{"source": 7}', '"source" must be a string'),
    ],
)
def test_malformed_meta(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "a.meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(MalformedInputError, match=problem) as info:
        read_meta(tmp_path / "a.txt")
    assert "a.meta.json" in str(info.value)


# --- is_batch ---------------------------------------------------------------------------------


def test_is_batch(tmp_path: Path) -> None:
    assert is_batch(str(FIXTURES / "batch.jsonl"))
    assert is_batch("somewhere/BATCH.JSONL")
    assert is_batch(str(tmp_path))
    assert not is_batch(str(FIXTURES / "checkpoint.txt"))
    assert not is_batch("-")


# --- iter_articles: files ---------------------------------------------------------------------


def test_text_file_with_meta(settings: Settings) -> None:
    path = str(FIXTURES / "checkpoint.txt")
    article = ok(only(list(iter_articles([path], settings=settings))))
    assert article.origin == path
    assert article.published == date(2024, 3, 5)
    assert (article.source, article.language) == ("Example Wire", "en")
    assert article.url == "https://example.org/news/checkpoint"
    assert article.text.startswith("Gunmen attacked a police checkpoint")


def test_published_argument_wins_over_meta(settings: Settings) -> None:
    path = str(FIXTURES / "checkpoint.txt")
    article = ok(only(list(iter_articles([path], published=date(2024, 3, 9), settings=settings))))
    assert article.published == date(2024, 3, 9)


def test_meta_date_wins_over_html_date(tmp_path: Path, settings: Settings) -> None:
    shutil.copy(FIXTURES / "page.html", tmp_path / "page.html")
    path = str(tmp_path / "page.html")
    assert ok(only(list(iter_articles([path], settings=settings)))).published == date(2024, 1, 10)
    (tmp_path / "page.meta.json").write_text('{"published": "2024-01-11"}', encoding="utf-8")
    assert ok(only(list(iter_articles([path], settings=settings)))).published == date(2024, 1, 11)
    item = only(list(iter_articles([path], published=date(2024, 1, 12), settings=settings)))
    assert ok(item).published == date(2024, 1, 12)


def test_missing_file(settings: Settings) -> None:
    failure = failed(only(list(iter_articles(["no/such/file.txt"], settings=settings))))
    assert isinstance(failure.error, MalformedInputError)
    assert str(failure.error) == "[E106] no/such/file.txt: no such file"
    assert failure.article.id == content_hash("no/such/file.txt")
    assert failure.origin == "no/such/file.txt"


def test_file_errors_become_failures_in_order(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "big.txt").write_bytes(b"word " * 100)
    small = settings.replace({"input.max_bytes": 450})
    paths = [str(tmp_path / n) for n in ("empty.txt", "bin.txt", "big.txt")]
    paths.insert(1, str(FIXTURES / "checkpoint.txt"))
    items = list(iter_articles(paths, settings=small))
    assert [type(i.error) if isinstance(i, InputFailure) else Article for i in items] == [
        EmptyInputError,
        Article,
        BinaryInputError,
        InputTooLargeError,
    ]


def test_french_file_fails_with_its_language(settings: Settings) -> None:
    failure = failed(only(list(iter_articles([str(FIXTURES / "marche.txt")], settings=settings))))
    assert isinstance(failure.error, LanguageError)
    assert failure.article.language == "fr"
    assert "looks like French" in failure.error.message


def test_html_sniffed_in_a_file_without_a_known_suffix(tmp_path: Path, settings: Settings) -> None:
    shutil.copy(FIXTURES / "page.html", tmp_path / "page.download")
    article = ok(only(list(iter_articles([str(tmp_path / "page.download")], settings=settings))))
    assert article.title == "Clashes near the border leave five dead"


def test_html_file_with_no_article(settings: Settings) -> None:
    failure = failed(
        only(list(iter_articles([str(FIXTURES / "links-only.html")], settings=settings)))
    )
    assert isinstance(failure.error, EmptyInputError)


# --- iter_articles: JSONL ---------------------------------------------------------------------


def test_jsonl_batch_keeps_order_ids_and_origins(settings: Settings) -> None:
    path = str(FIXTURES / "batch.jsonl")
    items = list(iter_articles([path], settings=settings))
    lines = (FIXTURES / "batch.jsonl").read_text(encoding="utf-8").splitlines()
    nonblank = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert [i.article.origin if isinstance(i, InputFailure) else i.origin for i in items] == [
        f"{path}:{n}" for n in nonblank
    ]
    got = [
        (type(i.error).__name__, i.article.id) if isinstance(i, InputFailure) else ("ok", i.id)
        for i in items
    ]
    assert got == [
        ("ok", "a1"),
        ("MalformedInputError", content_hash(f"{path}:2")),  # not JSON: no id to read
        ("MalformedInputError", content_hash(f"{path}:4")),
        ("MalformedInputError", "a4"),
        ("EmptyInputError", "a5"),
        ("MalformedInputError", "a6"),
        ("MalformedInputError", "a7"),
        ("LanguageError", "a8"),
        ("ok", content_hash(json.loads(lines[9])["text"])),
        ("ok", "11"),
    ]
    first = ok(items[0])
    assert first.published == date(2024, 2, 1)
    assert (first.url, first.title, first.source) == (
        "https://example.org/a1",
        "Twelve arrested",
        "Example Wire",
    )
    assert NO_DATE_WARNING in ok(items[-1]).warnings
    messages = [str(i.error) for i in items if isinstance(i, InputFailure)]
    assert f'{path}:5: missing "text"' in messages[2]
    assert f"{path}:8: \"published\" 'last Friday' is not a date" in messages[5]


def test_jsonl_published_argument_wins(settings: Settings) -> None:
    items = list(
        iter_articles(
            [str(FIXTURES / "batch.jsonl")], published=date(2023, 12, 31), settings=settings
        )
    )
    assert ok(items[0]).published == date(2023, 12, 31)
    # The argument replaces a line's bad date too: that line is read.
    assert ok(items[6]).published == date(2023, 12, 31)


def test_jsonl_line_problems_stay_on_their_line(tmp_path: Path, settings: Settings) -> None:
    small = settings.replace({"input.max_bytes": 600})
    line_limit = 6 * 600 + 65_536
    rows = [
        b'\xef\xbb\xbf{"id": "first", "text": "' + ENGLISH[:150].encode() + b'"}',
        b'{"id": "latin1", "text": "caf\xe9"}',
        b'{"id": "huge", "text": "' + b"x" * (line_limit + 10) + b'"}',
        b'{"id": "toolong", "text": "' + b"word " * 150 + b'"}',
        b'{"id": "deep", "text": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
        b'{"id": "surrogate", "text": "bad \\ud800 text here"}',
        b'{"id": "html", "html": "<html><body><article><p>'
        + ENGLISH.encode()
        + b"</p><p>"
        + ENGLISH.encode()
        + b'</p></article></body></html>"}',
        b'{"id": "last", "text": "' + ENGLISH[:150].encode() + b'"}',
    ]
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"\r\n".join(rows) + b"\r\n")
    items = list(iter_articles([str(path)], settings=small))
    got = [
        (i.article.id, type(i.error).__name__) if isinstance(i, InputFailure) else (i.id, "ok")
        for i in items
    ]
    assert got == [
        ("first", "ok"),
        ("latin1", "DecodeInputError"),
        (content_hash(f"{path}:3"), "InputTooLargeError"),
        ("toolong", "InputTooLargeError"),
        (content_hash(f"{path}:5"), "MalformedInputError"),  # not JSON: no id to read
        ("surrogate", "DecodeInputError"),
        ("html", "ok"),
        ("last", "ok"),
    ]
    assert "0xe9 at byte offset 29" in str(failed(items[1]).error)


def test_jsonl_in_utf16_is_one_failure(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "u.jsonl"
    path.write_bytes(json.dumps({"text": ENGLISH}).encode("utf-16"))
    failure = failed(only(list(iter_articles([str(path)], settings=settings))))
    assert isinstance(failure.error, DecodeInputError)
    assert "must be UTF-8" in str(failure.error)


def test_jsonl_is_streamed(tmp_path: Path, settings: Settings) -> None:
    # A reader that loaded the whole file first would never see a line added after it started.
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"id": "one", "text": ENGLISH}) + "\n", encoding="utf-8")
    items = iter_articles([str(path)], settings=settings)
    assert ok(next(items)).id == "one"
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "two", "text": ENGLISH}) + "\n")
    assert [ok(i).id for i in items] == ["two"]


def test_missing_jsonl(settings: Settings) -> None:
    failure = failed(only(list(iter_articles(["nowhere.jsonl"], settings=settings))))
    assert str(failure.error) == "[E106] nowhere.jsonl: no such file"


# --- iter_articles: directories and stdin -----------------------------------------------------


def test_directory_is_walked_sorted_and_recursive(tmp_path: Path, settings: Settings) -> None:
    root = tmp_path / "in"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(FIXTURES / "checkpoint.txt", root / "c.txt")
    shutil.copy(FIXTURES / "checkpoint.meta.json", root / "c.meta.json")
    (root / "c.expected.json").write_text("{}", encoding="utf-8")
    shutil.copy(FIXTURES / "page.html", root / "a.html")
    (root / "b" / "deeper" / "z.text").write_text(ENGLISH, encoding="utf-8")
    (root / "b" / "list.jsonl").write_text(
        "\n".join(json.dumps({"id": f"j{i}", "text": ENGLISH}) for i in (1, 2)), encoding="utf-8"
    )
    (root / "notes.md").write_text(ENGLISH, encoding="utf-8")
    (root / ".hidden.txt").write_text(ENGLISH, encoding="utf-8")
    (root / ".git" / "x.txt").write_text(ENGLISH, encoding="utf-8")

    items = [ok(i) for i in iter_articles([str(root)], settings=settings)]
    assert [i.origin for i in items] == [
        str(root / "a.html"),
        f"{root / 'b' / 'deeper' / 'z.text'}",
        f"{root / 'b' / 'list.jsonl'}:1",
        f"{root / 'b' / 'list.jsonl'}:2",
        str(root / "c.txt"),
    ]
    assert items[-1].source == "Example Wire"  # its meta.json was applied, not read as an article


def test_several_paths_keep_their_order(settings: Settings) -> None:
    paths = [str(FIXTURES / "page.html"), str(FIXTURES / "checkpoint.txt")]
    items = [ok(i) for i in iter_articles(paths, settings=settings)]
    assert [i.origin for i in items] == paths


def test_stdin_text(settings: Settings) -> None:
    stdin = io.BytesIO(ENGLISH.encode())
    article = ok(
        only(list(iter_articles(["-"], published=date(2024, 5, 1), stdin=stdin, settings=settings)))
    )
    assert (article.origin, article.text, article.published) == (
        "<stdin>",
        ENGLISH,
        date(2024, 5, 1),
    )


def test_stdin_html_is_recognized(settings: Settings) -> None:
    stdin = io.BytesIO((FIXTURES / "page.html").read_bytes())
    article = ok(only(list(iter_articles(["-"], stdin=stdin, settings=settings))))
    assert article.title == "Clashes near the border leave five dead"
    assert "<p>" not in article.text


def test_stdin_problems(settings: Settings) -> None:
    small = settings.replace({"input.max_bytes": 50})
    failure = failed(only(list(iter_articles(["-"], stdin=io.BytesIO(b"x" * 500), settings=small))))
    assert isinstance(failure.error, InputTooLargeError)
    failure = failed(only(list(iter_articles(["-"], stdin=io.BytesIO(b""), settings=settings))))
    assert isinstance(failure.error, EmptyInputError)
    assert failure.origin == "<stdin>"
