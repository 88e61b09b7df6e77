"""The page in a real browser: Debian's Chromium, driven by Playwright's Python API.

Playwright's own browser download does not work everywhere, so the tests drive an installed
Chromium (``EVENTWIRE_CHROMIUM``, else ``chromium`` on the PATH, else /usr/bin/chromium). Where
there is none they skip, saying so; with ``EVENTWIRE_BROWSER_TESTS=required`` (CI) they fail.
``EVENTWIRE_SCREENSHOT=PATH`` saves the README's screenshot there.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventwire.records import Actor, Article, ArticleResult, Count, DateInfo, Event, Place, Span
from eventwire.server import ServerConfig, create_app
from eventwire.store import Store

REQUIRED = os.environ.get("EVENTWIRE_BROWSER_TESTS") == "required"
#: the flags a root user in a closed network needs (no sandbox, no calls home)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS_TITLE = "<script>window.__pwned = 'title'</script>Kirkuk market"
XSS_TEXT = (
    "Gunmen attacked a market in Kirkuk on Monday. <img src=x onerror=\"window.__pwned='text'\">"
    " Witnesses said <script>window.__pwned = 'script'</script> two people were hurt."
)
XSS_ACTOR = "<img src=x onerror=\"window.__pwned='actor'\">Gunmen"


def find_chromium() -> str | None:
    candidates = [
        os.environ.get("EVENTWIRE_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable(why: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser tests are required here, but {why}")
    pytest.skip(f"browser tests skipped: {why}")


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[dev]')")
    chromium = find_chromium()
    if chromium is None:
        unavailable("no Chromium found (apt-get install chromium, or set EVENTWIRE_CHROMIUM)")
    with sync_playwright() as pw:
        # Playwright gives each launch a fresh, empty profile (user data dir) of its own
        instance = pw.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield instance
        instance.close()


def xss_article() -> tuple[Article, ArticleResult]:
    article = Article(
        text=XSS_TEXT,
        id="xss-1",
        title=XSS_TITLE,
        url="javascript:alert(1)",
        published=date(2024, 3, 5),
    )
    sentence = XSS_TEXT.index(" Witnesses")
    event = Event(
        id="xss-event",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        date=DateInfo(start=date(2024, 3, 4), end=date(2024, 3, 4)),
        actor1=Actor(name=XSS_ACTOR),
        location=Place(name="Kirkuk", latitude=35.47, longitude=44.39, country_code="IQ"),
        injured=Count(count=2),
        evidence=[Span(text=XSS_TEXT[:sentence], start=0, end=sentence)],
        notes="<b>bold</b> note",
    )
    return article, ArticleResult(article=article.info(), events=[event])


@pytest.fixture(scope="module")
def site(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from eventwire.cli import fingerprint
    from eventwire.ingest import article_from_text
    from eventwire.pipeline import Pipeline

    example = shared_dir / "examples" / "baghdad-strike.txt"
    meta = json.loads(example.with_suffix(".meta.json").read_text(encoding="utf-8"))
    pipeline = Pipeline()
    article = article_from_text(
        example.read_text(encoding="utf-8"),
        published=meta["published"],
        source=meta.get("source"),
        title="U.S. strike in Baghdad kills militia commander",
        url="https://example.org/baghdad-strike",
        settings=pipeline.settings,
    )
    db = tmp_path_factory.mktemp("site") / "events.db"
    with Store(db) as store:
        store.add(article, pipeline(article), fingerprint=fingerprint(pipeline.settings))
        store.add(*xss_article())
    app = create_app(ServerConfig(db=str(db), pipeline=pipeline))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    tab.problems = problems
    yield tab
    context.close()


def api(page: Any, site: str, path: str) -> Any:
    response = page.request.get(site + path)
    assert response.ok, response.text()
    return response.json()


def loaded(page: Any) -> None:
    page.wait_for_selector("body[data-loaded]")
    page.wait_for_selector("body[data-basemap='loaded']")


def rows(page: Any) -> int:
    return int(page.locator("#list tbody tr").count())


def test_map_list_filters_and_timeline_brush(page: Any, site: str) -> None:
    total = api(page, site, "/api/events")["total"]
    assert total >= 3, "the worked example and the test article give several events"
    page.goto(site + "/")
    loaded(page)
    assert rows(page) == total
    plotted = int(page.locator("#map").get_attribute("data-plotted"))
    assert plotted >= 2
    assert page.locator("path.ev-marker, .ev-cluster").count() >= 1
    assert page.locator("#legend li").count() == 6

    # filter by type: the list, the map and the URL follow
    page.select_option("#f-type", "Violence against civilians")
    expect(page.locator("#list tbody tr")).to_have_count(1)
    expect(page.locator("#map")).to_have_attribute("data-plotted", "1")
    assert "event_type=Violence+against+civilians" in page.url
    page.select_option("#f-type", "")
    expect(page.locator("#list tbody tr")).to_have_count(total)

    # brush a period on the timeline: from about a third to three quarters of its width
    box = page.locator("#timeline-svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.45, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.up()
    # (the page's policy forbids eval, so waits are Playwright's locators, not wait_for_function)
    page.wait_for_url(lambda url: "since=" in url and "until=" in url)
    expect(page.locator("#timeline-svg rect.brush")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    since = page.input_value("input[name=since]")
    until = page.input_value("input[name=until]")
    assert since and until and since <= until
    expected = api(page, site, f"/api/events?since={since}&until={until}")["total"]
    assert 1 <= expected < total
    expect(page.locator("#list tbody tr")).to_have_count(expected)
    brushed = rows(page)
    assert page.locator("#timeline-svg rect.brush").count() == 1

    # the URL carries the view: a reload shows the same
    page.reload()
    loaded(page)
    assert page.input_value("input[name=since]") == since
    assert rows(page) == brushed

    # sort the list by fatalities, most first
    page.goto(site + "/")
    loaded(page)
    page.click("#list th[data-sort=fatalities]")
    page.click("#list th[data-sort=fatalities]")
    assert "sort=-fatalities" in page.url
    assert page.get_attribute("#list th[data-sort=fatalities]", "aria-sort") == "descending"
    assert page.problems == []


def test_open_event_see_evidence_and_correct_it(page: Any, site: str) -> None:
    events = api(page, site, "/api/events?event_type=Explosions/Remote%20violence")["events"]
    # the strike the article reports first: its evidence is the first sentence
    event = min(events, key=lambda e: e["evidence"][0]["start"])
    page.goto(site + "/")
    loaded(page)
    page.click(f"#list tbody tr[data-id='{event['id']}']")
    page.wait_for_selector("#panel:not([hidden]) mark.evidence")
    marks = page.locator("#panel mark.evidence")
    assert marks.first.inner_text() == event["evidence"][0]["text"]
    assert f"event={event['id']}" in page.url

    page.fill("#c-fatalities", "7")
    page.fill("#c-reason", "the ministry's count")
    page.click("#c-save")
    expect(page.locator("#correction-status")).to_have_text("Saved.")
    assert page.locator("#corrected-badge").count() == 1
    assert page.inner_text("#panel dd[data-field=Killed]") == "7"
    page.wait_for_selector(f"#list tbody tr[data-id='{event['id']}'] .badge")

    screenshot = os.environ.get("EVENTWIRE_SCREENSHOT")
    if screenshot:
        page.wait_for_timeout(500)  # let the map settle after the list redraw
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=screenshot)

    # after a reload the URL reopens the event, and the correction is there
    page.reload()
    loaded(page)
    page.wait_for_selector("#panel:not([hidden]) #corrected-badge")
    assert page.inner_text("#panel dd[data-field=Killed]") == "7"
    assert "the ministry's count" in page.inner_text("#panel .history")
    stored = api(page, site, f"/api/events/{event['id']}")
    assert stored["event"]["fatalities"]["count"] == 7 and stored["event"]["corrected"]
    assert stored["machine"]["fatalities"] != stored["event"]["fatalities"]
    assert page.problems == []


def test_untrusted_title_and_text_are_shown_as_text(page: Any, site: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site + "/?event=xss-event")
    loaded(page)
    page.wait_for_selector("#panel:not([hidden]) mark.evidence")
    assert page.inner_text("#article-title") == XSS_TITLE
    text = page.inner_text("#panel .article-text")
    assert "<img src=x onerror=" in text and "<script>" in text
    assert XSS_ACTOR in page.inner_text("#list tbody")
    assert XSS_ACTOR in page.inner_text("#panel-fields")
    assert "<b>bold</b> note" in page.inner_text("#panel-fields")
    # nothing became markup, nothing ran, and the javascript: URL made no link
    assert page.locator("#panel img, #list img, #panel script, #panel b").count() == 0
    assert page.locator("#panel a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
