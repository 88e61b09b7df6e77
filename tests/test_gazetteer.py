from __future__ import annotations

import logging
import pickle
from collections import Counter
from pathlib import Path

import pytest

from eventwire.gazetteer import (
    CACHE_ENV,
    Gazetteer,
    cache_dir,
    cache_path,
    confidence,
    get_gazetteer,
    haversine_km,
    normalize,
)

# cities of 15,000 people or more keep the index small and quick to compile in tests
POP = 15000


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return Gazetteer.load(POP, directory=tmp_path_factory.mktemp("geo"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Al-Ḥasakah", "al Hasakah"),
        ("HASAKAH", "hasakah"),
        ("Sana’a", "Sanaa"),
        ("Sana'a", "Sanaa"),
        ("Deir ez-Zor", "Deir ez Zor"),
        ("the United States", "United States"),
        ("U.S.", "US"),
        ("N.Y.", "NY"),
        ("St. Louis", "Saint Louis"),
        ("Iraq's", "Iraq"),
        ("Zürich", "Zurich"),
        ("el-Fasher", "Fasher"),
    ],
)
def test_normalize_makes_variants_equal(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_normalize_keeps_different_names_apart() -> None:
    assert normalize("Mosul") != normalize("Basra")
    # an article alone is a name, not a prefix to drop
    assert normalize("The") == "the"
    assert normalize("Al Anbar") == "anbar"


def test_country_wins_over_town_of_same_name(gaz: Gazetteer) -> None:
    # several US towns are called Lebanon or Jordan; the name is still the country
    assert any(c.feature == "city" and c.country_code == "US" for c in gaz.candidates("Lebanon"))
    for name, cc in [("Jordan", "JO"), ("Lebanon", "LB"), ("Mexico", "MX")]:
        best = gaz.resolve(name, context_countries=Counter({"US": 5}))
        assert best is not None
        assert (best.feature, best.country_code) == ("country", cc)


def test_country_aliases(gaz: Gazetteer) -> None:
    for name in ("U.S.", "US", "USA", "America", "the United States"):
        best = gaz.resolve(name)
        assert best is not None and best.country_code == "US" and best.feature == "country"
    uk = gaz.resolve("Britain")
    assert uk is not None and uk.country_code == "GB"
    # "the Gulf" is a sea, never a country
    gulf = gaz.resolve("the Gulf")
    assert gulf is None or gulf.feature != "country"


def test_state_or_country_by_context(gaz: Gazetteer) -> None:
    alone = gaz.resolve("Georgia")
    assert alone is not None and alone.feature == "country" and alone.country_code == "GE"
    in_us = gaz.resolve("Georgia", context_countries=Counter({"US": 3}))
    assert in_us is not None and in_us.feature == "admin1" and in_us.country_code == "US"


def test_context_picks_the_city_in_the_articles_country(gaz: Gazetteer) -> None:
    # Tripoli is the capital of Libya and a city of northern Lebanon
    default = gaz.resolve("Tripoli")
    assert default is not None and default.country_code == "LY"
    lebanon = gaz.resolve("Tripoli", context_countries=Counter({"LB": 2}))
    assert lebanon is not None and lebanon.country_code == "LB"
    assert haversine_km(lebanon.latitude, lebanon.longitude, 34.44, 35.85) < 20


def test_division_and_its_big_city(gaz: Gazetteer) -> None:
    city = gaz.resolve("Baghdad")
    assert city is not None and city.feature == "city" and city.country_code == "IQ"
    province = gaz.resolve("Kirkuk province")
    assert province is not None and province.feature == "admin1"
    assert gaz.resolve("Kirkuk", prefer="admin1").feature == "admin1"  # type: ignore[union-attr]
    anbar = gaz.resolve("al-Anbar")
    assert anbar is not None and anbar.feature == "admin1" and anbar.country_code == "IQ"
    # a state is never a small town of its own country with the same name
    california = gaz.resolve("California", context_countries=Counter({"US": 4}))
    assert california is not None and california.feature == "admin1"


def test_cities_know_their_division(gaz: Gazetteer) -> None:
    mosul = gaz.resolve("Mosul")
    assert mosul is not None and mosul.admin1 == "Nineveh" and mosul.geonames_id == 99072


def test_demonyms(gaz: Gazetteer) -> None:
    assert gaz.demonym_country("Iraqi") == "IQ"
    assert gaz.demonym_country("Iraqis") == "IQ"
    assert gaz.demonym_country("Iraq") is None
    best = gaz.resolve("Syrian")
    assert best is not None and best.country_code == "SY" and best.match == "demonym"


def test_supplement_sites(gaz: Gazetteer) -> None:
    tower = gaz.resolve("Tower 22")
    assert tower is not None and tower.feature == "site" and tower.country_code == "JO"
    assert haversine_km(tower.latitude, tower.longitude, 33.32, 38.70) < 5
    for name in ("al-Tanf", "Al Tanf", "At Tanf"):
        tanf = gaz.resolve(name)
        assert tanf is not None and tanf.name == "Al-Tanf" and tanf.country_code == "SY"
    asad = gaz.resolve("Ain al-Asad")
    assert asad is not None and asad.country_code == "IQ" and asad.feature == "site"
    gaza = gaz.resolve("Gaza Strip")
    assert gaza is not None and gaza.feature == "region"


def test_unknown_name(gaz: Gazetteer) -> None:
    assert gaz.candidates("Xqzvville") == []
    assert gaz.resolve("Xqzvville") is None
    assert gaz.rank("") == []


def test_continent(gaz: Gazetteer) -> None:
    africa = gaz.resolve("Africa")
    assert africa is not None and africa.feature == "continent" and africa.country_code is None


def test_country_record(gaz: Gazetteer) -> None:
    iraq = gaz.country("iq")
    assert iraq is not None and iraq.name == "Iraq" and iraq.geonames_id == 99237
    assert 29 < iraq.latitude < 37 and 39 < iraq.longitude < 48
    assert gaz.country("ZZ") is None


def test_confidence_follows_margin(gaz: Gazetteer) -> None:
    assert confidence([]) == 0.0
    clear = confidence(gaz.rank("Baghdad"))
    close = confidence(gaz.rank("Tripoli"))
    assert clear > close


# -- the compiled cache


def test_cache_is_written_then_reused(tmp_path: Path) -> None:
    first = Gazetteer.load(POP, directory=tmp_path)
    assert not first.from_cache
    assert first.path is not None and first.path.exists()
    assert first.path == cache_path(POP, tmp_path)
    second = Gazetteer.load(POP, directory=tmp_path)
    assert second.from_cache and second.path == first.path
    assert len(second) == len(first)
    assert second.resolve("Mosul") == first.resolve("Mosul")


def test_cache_key_depends_on_settings(tmp_path: Path) -> None:
    assert cache_path(15000, tmp_path) != cache_path(5000, tmp_path)
    assert "pop15000" in cache_path(15000, tmp_path).name


def test_broken_cache_is_rebuilt(tmp_path: Path) -> None:
    path = cache_path(POP, tmp_path)
    path.write_bytes(b"not a pickle")
    gaz = Gazetteer.load(POP, directory=tmp_path)
    assert not gaz.from_cache and gaz.resolve("Mosul") is not None
    # rewritten whole: the next process reads it
    assert Gazetteer.load(POP, directory=tmp_path).from_cache


def test_foreign_pickle_is_rebuilt(tmp_path: Path) -> None:
    path = cache_path(POP, tmp_path)
    path.write_bytes(pickle.dumps({"something": "else"}))
    assert not Gazetteer.load(POP, directory=tmp_path).from_cache


def test_unwritable_cache_dir_builds_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, logger="eventwire.gazetteer"):
        gaz = Gazetteer.load(POP, directory=blocker / "cache")
    assert gaz.path is None and not gaz.from_cache
    assert gaz.resolve("Mosul") is not None
    assert any("cannot write the gazetteer cache" in r.getMessage() for r in caplog.records)


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "ew"))
    assert cache_dir() == tmp_path / "ew"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "eventwire"


def test_get_gazetteer_is_cached_per_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    small = settings.replace({"geo.min_population": POP})
    first = get_gazetteer(small)
    assert get_gazetteer(small) is first
    assert first.path is not None and first.path.parent == tmp_path
