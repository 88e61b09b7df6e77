"""The JSON API through the ASGI test client: every endpoint, filter and error."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventwire.server import ServerConfig

from .conftest import client_for

ALL = ["e-clash", "e-strike", "e-protest", "e-abduct", "e-undated"]


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["events"]]


def assert_json_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error


# -- GET /api/events -----------------------------------------------------------------------------


def test_events_sorted_by_date_undated_last(client: TestClient) -> None:
    response = client.get("/api/events")
    assert ids(response) == ALL
    body = response.json()
    assert body["total"] == 5 and body["next_cursor"] is None and body["limit"] == 100
    first = body["events"][0]
    assert first["article"]["id"] == "A1"
    assert first["corrected"] is False and first["not_event"] is False
    assert first["evidence"][0]["text"].startswith("Militants clashed")


def test_events_newest_first(client: TestClient) -> None:
    assert ids(client.get("/api/events?order=desc")) == list(reversed(ALL))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=SY", ["e-clash"]),
        ("country=iq", ["e-strike", "e-protest", "e-abduct"]),
        ("event_type=Battles", ["e-clash"]),
        ("event_type=air/drone%20strike", ["e-strike"]),
        ("event_type=Violence%20against%20civilians", ["e-abduct", "e-undated"]),
        ("sub_event_type=Peaceful%20protest", ["e-protest"]),
        ("sub_event_type=Protests", []),
        ("actor=islamic", ["e-clash", "e-strike"]),
        ("actor=journalists%20(iraq)", ["e-abduct"]),
        ("actor=100%25", []),
        ("since=2024-02-06&until=2024-02-07", ["e-clash"]),
        ("since=2024-03-01", ["e-protest", "e-abduct"]),
        ("until=2024-02-05", ["e-clash"]),
        ("bbox=43,33,45,36", ["e-strike", "e-protest"]),
        ("bbox=38,30,50,40", ["e-clash", "e-strike", "e-protest", "e-abduct"]),
        ("bbox=170,-10,-170,10", []),
        ("q=convoy", ["e-strike"]),
        ("q=clashed%20army", ["e-clash"]),
        ("q=army%20convoy", []),
        ("q=%22OR%20*", []),
        ("min_fatalities=2", ["e-clash", "e-strike"]),
        ("min_fatalities=0", ALL),
        ("country=IQ&event_type=Air/drone%20strike", ["e-strike"]),
        ("country=IQ&min_fatalities=1", ["e-strike"]),
        ("corrected=true", []),
        ("corrected=false", ALL),
    ],
)
def test_event_filters(client: TestClient, query: str, expected: list[str]) -> None:
    response = client.get(f"/api/events?{query}")
    assert ids(response) == expected
    assert response.json()["total"] == len(expected)


def test_cursor_pagination_walks_every_event_once(client: TestClient) -> None:
    for order in ("asc", "desc"):
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 2, "order": order}
            if cursor:
                params["cursor"] = cursor
            body = client.get("/api/events", params=params).json()
            seen += [e["id"] for e in body["events"]]
            assert body["total"] == 5
            cursor = body["next_cursor"]
            pages += 1
            if cursor is None:
                break
        assert pages == 3
        assert seen == (ALL if order == "asc" else list(reversed(ALL)))


def test_cursor_keeps_the_filters(client: TestClient) -> None:
    first = client.get("/api/events?country=IQ&limit=1").json()
    rest = client.get(f"/api/events?country=IQ&limit=5&cursor={first['next_cursor']}")
    assert ids(rest) == ["e-protest", "e-abduct"]


@pytest.mark.parametrize(
    "query",
    [
        "since=2024-02-30",
        "until=yesterday",
        "since=2024-03-01&until=2024-02-01",
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "bbox=0,50,10,40",
        "bbox=-200,0,10,10",
        "limit=0",
        "limit=1001",
        "min_fatalities=-1",
        "country=IRQ",
        "order=sideways",
        "cursor=not-a-cursor",
        "corrected=maybe",
    ],
)
def test_bad_queries_are_422(client: TestClient, query: str) -> None:
    assert_json_error(client.get(f"/api/events?{query}"), 422)


def test_cursor_of_the_other_order_is_refused(client: TestClient) -> None:
    cursor = client.get("/api/events?limit=1").json()["next_cursor"]
    error = assert_json_error(client.get(f"/api/events?order=desc&cursor={cursor}"), 422)
    assert "order" in error["message"]


# -- GET /api/events/{id}, /api/articles/{id} ----------------------------------------------------


def test_event_with_evidence_and_article(client: TestClient) -> None:
    body = client.get("/api/events/e-abduct").json()
    event, article = body["event"], body["article"]
    assert event["sub_event_type"] == "Abduction/forced disappearance"
    (span,) = event["evidence"]
    assert article["text"][span["start"] : span["end"]] == span["text"]
    assert article["id"] == "A2" and article["title"] == "Kirkuk"
    assert body["machine"]["id"] == "e-abduct" and body["corrections"] == []


def test_unknown_event_and_article_are_404(client: TestClient) -> None:
    assert_json_error(client.get("/api/events/nope"), 404, "not_found")
    assert_json_error(client.get("/api/events/e-strike?article=A2"), 404)
    assert_json_error(client.get("/api/articles/nope"), 404, "not_found")
    assert_json_error(client.patch("/api/events/nope", json={"notes": "x"}), 404)


def test_article_by_id_or_key(client: TestClient) -> None:
    body = client.get("/api/articles/A1").json()
    assert body["article"]["text"].startswith("A drone strike")
    assert [e["id"] for e in body["events"]] == ["e-strike", "e-clash"]
    by_key = client.get(f"/api/articles/{body['article']['key']}").json()
    assert by_key == body


def test_repeated_ids_ask_for_the_article(db: Path, client: TestClient) -> None:
    from eventwire.records import Article, ArticleResult
    from eventwire.store import Store

    from .conftest import make_event, sentence

    text = "Another report of a strike.\nIt hit a house."
    article = Article(text=text, id="A1")
    with Store(db) as store:
        store.add(
            article,
            ArticleResult(
                article=article.info(),
                events=[make_event("e-strike", "Air/drone strike", sentence(text, 0))],
            ),
        )
    assert_json_error(client.get("/api/events/e-strike"), 409, "ambiguous")
    assert_json_error(client.get("/api/articles/A1"), 409, "ambiguous")
    # both articles are A1: their keys tell them apart
    assert_json_error(client.get("/api/events/e-strike?article=A1"), 409)
    key = client.get("/api/events?q=another").json()["events"][0]["article"]["id"]
    assert key == "A1"
    from eventwire.records import content_hash

    found = client.get("/api/events/e-strike", params={"article": content_hash(text)})
    assert found.status_code == 200
    assert found.json()["article"]["text"] == text
    assert client.get(f"/api/articles/{content_hash(text)}").status_code == 200


# -- stats, meta, docs ---------------------------------------------------------------------------


def test_stats_count_by_type_country_and_week(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["total"] == 5 and stats["fatalities"] == 8
    assert stats["by_type"] == {
        "Violence against civilians": 2,
        "Battles": 1,
        "Explosions/Remote violence": 1,
        "Protests": 1,
    }
    assert stats["by_country"] == {"IQ": 3, "": 1, "SY": 1}
    assert stats["by_week"] == [
        {"start": "2024-02-05", "counts": {"Battles": 1, "Explosions/Remote violence": 1}},
        {"start": "2024-02-26", "counts": {"Protests": 1, "Violence against civilians": 1}},
    ]
    assert [d["start"] for d in stats["by_day"]] == [
        "2024-02-05",
        "2024-02-08",
        "2024-03-01",
        "2024-03-02",
    ]
    assert (stats["first_date"], stats["last_date"]) == ("2024-02-05", "2024-03-02")
    filtered = client.get("/api/stats?country=SY").json()
    assert filtered["total"] == 1 and filtered["by_type"] == {"Battles": 1}


def test_meta_and_openapi(client: TestClient) -> None:
    meta = client.get("/api/meta").json()
    assert meta["write_token_required"] is False
    assert "Air/drone strike" in meta["event_types"]["Explosions/Remote violence"]
    assert meta["counts"]["events"] == 5 and meta["counts"]["corrections"] == 0
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles", "/api/export"):
        assert path in paths
    assert "patch" in paths["/api/events/{event_id}"]
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"country", "event_type", "actor", "bbox", "q", "min_fatalities", "cursor"} <= params
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text


# -- the page and its guards ---------------------------------------------------------------------


def test_page_and_static_files_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    # no inline script and nothing from another origin in the page
    assert "<script>" not in page.text
    assert "http://" not in page.text and "https://" not in page.text
    for path in (
        "/static/app.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/world-atlas/countries-50m.json",
        "/static/vendor/leaflet/LICENSE",
    ):
        assert client.get(path).status_code == 200, path


def test_app_js_never_parses_markup() -> None:
    from eventwire.server.app import STATIC

    for name in ("app.js", "docs.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{name} uses {sink}"


def test_unknown_route_and_method_are_json(client: TestClient) -> None:
    assert_json_error(client.get("/api/nothing"), 404)
    assert_json_error(client.delete("/api/events/e-strike"), 415)  # a write, not JSON
    assert_json_error(client.put("/api/events/e-strike", json={}), 405, "method_not_allowed")


def test_tiles_option_widens_the_image_policy(db: Path) -> None:
    config = ServerConfig(db=str(db), tiles="https://tiles.example.org/{z}/{x}/{y}.png")
    with client_for(config) as c:
        assert (
            "img-src 'self' data: https://tiles.example.org"
            in c.get("/").headers["content-security-policy"]
        )
        assert c.get("/api/meta").json()["tiles"].startswith("https://tiles.example.org/")


def test_host_check_on_loopback(db: Path) -> None:
    config = ServerConfig(db=str(db), allowed_hosts=["127.0.0.1", "localhost"])
    with client_for(config) as c:
        assert_json_error(c.get("/api/meta"), 400, "bad_host")  # Host: testserver
        assert c.get("/api/meta", headers={"host": "127.0.0.1:8000"}).status_code == 200


# -- export --------------------------------------------------------------------------------------


def test_export_csv_with_filters(client: TestClient) -> None:
    response = client.get("/api/export?format=csv&country=IQ")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["event_id"] for r in rows] == ["e-strike", "e-protest", "e-abduct"]
    assert {r["corrected"] for r in rows} == {"false"}


def test_export_jsonl_and_geojson(client: TestClient) -> None:
    lines = client.get("/api/export?format=jsonl").text.splitlines()
    assert [json.loads(line)["event"]["id"] for line in lines] == ALL
    geo = client.get("/api/export?format=geojson&event_type=Battles")
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert [f["properties"]["event_id"] for f in features] == ["e-clash"]
    assert features[0]["geometry"]["coordinates"] == [39.01, 35.95]


def test_export_bad_format_or_filter_is_422_before_streaming(client: TestClient) -> None:
    assert_json_error(client.get("/api/export?format=xlsx"), 422)
    assert_json_error(client.get("/api/export?bbox=0,50,10,40"), 422)


# -- corrections ---------------------------------------------------------------------------------


def test_correct_fatalities(client: TestClient) -> None:
    response = client.patch(
        "/api/events/e-strike",
        json={"fatalities": {"count": 7}, "reason": "the ministry said seven"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    event = body["event"]
    assert event["fatalities"] == {"count": 7, "qualifier": "exact", "text": None}
    assert event["corrected"] is True
    assert event["correction"]["fields"] == ["fatalities", "notes"]
    assert event["correction"]["reason"] == "the ministry said seven"
    assert "7 fatalities" in event["notes"]
    assert body["machine"]["fatalities"]["count"] == 2  # the machine's output is kept
    (record,) = body["corrections"]
    assert record["changes"] == {"fatalities": {"count": 7}} and record["at"]
    # the list, the filters and the exports see the corrected value
    listed = client.get("/api/events?min_fatalities=6").json()["events"]
    assert [e["id"] for e in listed] == ["e-strike"] and listed[0]["corrected"] is True
    assert ids(client.get("/api/events?corrected=true")) == ["e-strike"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export?format=csv").text)))
    strike = next(r for r in rows if r["event_id"] == "e-strike")
    assert (strike["fatalities"], strike["corrected"]) == ("7", "true")
    line = next(
        json.loads(x)
        for x in client.get("/api/export?format=jsonl").text.splitlines()
        if "e-strike" in x
    )
    assert line["event"]["corrected"] is True and line["event"]["fatalities"]["count"] == 7
    geo = client.get("/api/export?format=geojson").json()
    props = next(
        f["properties"] for f in geo["features"] if f["properties"]["event_id"] == "e-strike"
    )
    assert props["corrected"] is True and props["fatalities"] == 7


def test_correct_type_place_date_actors(client: TestClient) -> None:
    response = client.patch(
        "/api/events/e-clash",
        json={
            "sub_event_type": "Shelling/artillery/missile attack",
            "location": {"name": "Deir ez-Zor", "latitude": 35.33, "longitude": 40.14},
            "date": {"start": "2024-02-06", "end": "2024-02-06", "precision": "day"},
            "actor2": None,
        },
    )
    assert response.status_code == 200, response.text
    event = response.json()["event"]
    assert event["event_type"] == "Explosions/Remote violence"  # follows the sub-type
    assert event["location"]["name"] == "Deir ez-Zor"
    assert event["location"]["country_code"] == "SY"  # merged, not replaced
    assert event["actor2"] is None
    assert set(event["correction"]["fields"]) >= {
        "event_type",
        "sub_event_type",
        "location",
        "date",
        "actor2",
    }
    assert ids(client.get("/api/events?event_type=Battles")) == []
    assert ids(client.get("/api/events?since=2024-02-06&until=2024-02-06")) == ["e-clash"]
    assert ids(client.get("/api/events?bbox=40,35,41,36")) == ["e-clash"]


def test_not_an_event(client: TestClient) -> None:
    response = client.patch("/api/events/e-protest", json={"not_event": True, "reason": "a plan"})
    assert response.status_code == 200
    assert response.json()["event"]["not_event"] is True
    assert "e-protest" not in ids(client.get("/api/events"))
    assert "e-protest" in ids(client.get("/api/events?include_not_events=true"))
    assert "e-protest" not in client.get("/api/export?format=csv").text
    assert client.get("/api/stats").json()["total"] == 4
    # and back
    client.patch("/api/events/e-protest", json={"not_event": False})
    assert "e-protest" in ids(client.get("/api/events"))


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"id": "other"}, 422),
        ({"evidence": []}, 422),
        ({"confidence": 1}, 422),
        ({"event_type": "Weather"}, 422),
        ({"event_type": "Battles"}, 422),  # the sub-type is not a battle's
        ({"sub_event_type": "Picnic"}, 422),
        ({"fatalities": {"count": -3}}, 422),
        ({"fatalities": {"count": "many"}}, 422),
        ({"date": {"start": "2024-02-31"}}, 422),
        ({"date": {"start": "2024-02-10", "end": "2024-02-01"}}, 422),
        ({"location": {"latitude": 95}}, 422),
        ({"not_event": "yes"}, 422),
        ({"reason": "x" * 5000, "notes": "y"}, 422),
        ([1, 2], 422),
    ],
)
def test_bad_corrections_are_422_and_store_nothing(
    client: TestClient, body: Any, status: int
) -> None:
    response = client.patch("/api/events/e-strike", json=body)
    assert_json_error(response, status)
    assert client.get("/api/meta").json()["counts"]["corrections"] == 0


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.patch(
        "/api/events/e-strike", content=b'{"notes": ', headers={"content-type": "application/json"}
    )
    assert_json_error(response, 400, "malformed_json")
    response = client.post(
        "/api/articles", content=b"\xff\xfe", headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert "Traceback" not in response.text


def test_writes_must_be_json_from_this_origin(client: TestClient) -> None:
    plain = client.patch(
        "/api/events/e-strike", content=b'{"notes": "x"}', headers={"content-type": "text/plain"}
    )
    assert_json_error(plain, 415, "unsupported_media_type")
    foreign = client.patch(
        "/api/events/e-strike", json={"notes": "x"}, headers={"origin": "https://evil.example"}
    )
    assert_json_error(foreign, 403, "cross_origin")
    same = client.patch(
        "/api/events/e-strike", json={"notes": "x"}, headers={"origin": "http://testserver"}
    )
    assert same.status_code == 200
    merge = client.patch(
        "/api/events/e-strike",
        content=b'{"notes": "y"}',
        headers={"content-type": "application/merge-patch+json"},
    )
    assert merge.status_code == 200 and merge.json()["event"]["notes"] == "y"


def test_writes_need_the_token_when_the_server_has_one(db: Path) -> None:
    with client_for(ServerConfig(db=str(db), token="s3cret")) as c:
        assert c.get("/api/meta").json()["write_token_required"] is True
        assert c.get("/api/events").status_code == 200  # reads need none
        assert_json_error(c.patch("/api/events/e-strike", json={"notes": "x"}), 401, "unauthorized")
        wrong = c.patch(
            "/api/events/e-strike", json={"notes": "x"}, headers={"authorization": "Bearer nope"}
        )
        assert_json_error(wrong, 401)
        assert_json_error(c.post("/api/articles", json={"text": "Some text."}), 401)
        ok = c.patch(
            "/api/events/e-strike",
            json={"notes": "x"},
            headers={"authorization": "Bearer s3cret"},
        )
        assert ok.status_code == 200
        other = c.patch(
            "/api/events/e-strike", json={"notes": "z"}, headers={"x-eventwire-token": "s3cret"}
        )
        assert other.status_code == 200


def test_oversized_body_is_413(db: Path) -> None:
    with client_for(ServerConfig(db=str(db), max_body_bytes=1000)) as c:
        big = {"text": "word " * 1000}
        assert_json_error(c.post("/api/articles", json=big), 413, "body_too_large")

        # without a Content-Length (chunked), the limit holds while the body is read
        def chunks() -> Any:
            for _ in range(10):
                yield b" " * 500

        streamed = c.post(
            "/api/articles", content=chunks(), headers={"content-type": "application/json"}
        )
        assert_json_error(streamed, 413)


# -- POST /api/articles: the real pipeline --------------------------------------------------------

KIRKUK = (
    "Gunmen killed five civilians in an attack on a market in Kirkuk on Monday, police said. "
    "The attackers fled before security forces arrived, and no group claimed responsibility."
)


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from eventwire.pipeline import Pipeline

    return Pipeline()


def test_post_article_extracts_and_stores(db: Path, pipeline: Any) -> None:
    with client_for(ServerConfig(db=str(db), pipeline=pipeline)) as c:
        before = c.get("/api/meta").json()["counts"]
        response = c.post(
            "/api/articles",
            json={"text": KIRKUK, "title": "Market attack", "published": "2024-03-05", "id": "K1"},
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["stored"] == "new" and body["article"]["id"] == "K1"
        assert body["events"], "the pipeline found no event in a plain report of an attack"
        event = body["events"][0]
        assert event["date"]["start"] == "2024-03-04"  # Monday before publication
        assert event["corrected"] is False
        stored = c.get(f"/api/events/{event['id']}").json()
        assert stored["article"]["title"] == "Market attack"
        after = c.get("/api/meta").json()["counts"]
        assert after["articles"] == before["articles"] + 1
        # the same article again: nothing new
        again = c.post("/api/articles", json={"text": KIRKUK, "published": "2024-03-05"})
        assert again.status_code == 200 and again.json()["stored"] == "unchanged"
        assert c.get("/api/meta").json()["counts"] == after


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   "},
        {"title": "no text"},
        {"text": "Some text.", "published": "2024-13-01"},
        {"text": "Some text.", "colour": "red"},
        {"text": 42},
    ],
)
def test_bad_articles_are_422(db: Path, pipeline: Any, body: dict[str, Any]) -> None:
    with client_for(ServerConfig(db=str(db), pipeline=pipeline)) as c:
        assert_json_error(c.post("/api/articles", json=body), 422)
        assert c.get("/api/meta").json()["counts"]["articles"] == 3
