from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.gazetteer import CACHE_ENV, Gazetteer
from eventwire.records import Article, Document, PlaceMention
from eventwire.stages.places import Places, collect_context, find_places, make_places

POP = 15000


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return Gazetteer.load(POP, directory=tmp_path_factory.mktemp("geo"))


@pytest.fixture(scope="module")
def stage(gaz: Gazetteer) -> Places:
    return Places(gaz)


def places_of(stage: Places, make_doc, text: str) -> list[PlaceMention]:
    return stage(make_doc(text)).places


def by_text(mentions: list[PlaceMention], text: str) -> PlaceMention:
    hits = [m for m in mentions if m.text == text]
    assert hits, f"{text!r} not among {[m.text for m in mentions]}"
    return hits[0]


def test_offsets_point_at_the_text(stage: Places, make_doc) -> None:
    text = "Gunmen attacked a checkpoint in Mosul. Troops from the United States arrived in Jordan."
    mentions = places_of(stage, make_doc, text)
    assert [m.text for m in mentions] == ["Mosul", "United States", "Jordan"]
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.place is not None and m.place.text == m.text


def test_city_and_country_precision(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "Iraqi forces entered Mosul, in northern Iraq.")
    mosul = by_text(mentions, "Mosul")
    assert mosul.feature == "city" and mosul.locational
    assert mosul.place is not None and mosul.place.country_code == "IQ"
    assert mosul.place.precision == 1 and mosul.place.admin1 == "Nineveh"
    iraq = by_text(mentions, "Iraq")
    assert iraq.feature == "country" and iraq.place is not None and iraq.place.precision == 3


def test_near_lowers_precision(stage: Places, make_doc) -> None:
    mosul = by_text(places_of(stage, make_doc, "A bomb exploded near Mosul."), "Mosul")
    assert mosul.place is not None and mosul.place.precision == 2


def test_demonym_is_not_a_location(stage: Places, make_doc) -> None:
    iraqi = by_text(places_of(stage, make_doc, "Iraqi forces entered Mosul on Monday."), "Iraqi")
    assert not iraqi.locational
    assert iraqi.place is not None and iraqi.place.country_code == "IQ"


def test_government_metonyms_are_not_locations(stage: Places, make_doc) -> None:
    mentions = places_of(
        stage, make_doc, "Washington said it would respond. Baghdad condemned the attack."
    )
    assert not by_text(mentions, "Washington").locational
    assert not by_text(mentions, "Baghdad").locational


def test_place_of_an_event_stays_locational(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "A rocket hit a base in Baghdad on Thursday.")
    assert by_text(mentions, "Baghdad").locational


def test_supplement_sites_are_found(stage: Places, make_doc) -> None:
    mentions = places_of(
        stage, make_doc, "A drone struck Tower 22 in Jordan. Militants also fired at al-Tanf."
    )
    tower = by_text(mentions, "Tower 22")
    assert tower.feature == "site" and tower.place is not None
    assert tower.place.country_code == "JO" and tower.place.precision == 1
    tanf = by_text(mentions, "al-Tanf")
    assert tanf.place is not None and tanf.place.country_code == "SY"


def test_article_context_picks_the_city(stage: Places, make_doc) -> None:
    mentions = places_of(
        stage, make_doc, "Clashes broke out in Tripoli, the largest city in northern Lebanon."
    )
    tripoli = by_text(mentions, "Tripoli")
    assert tripoli.place is not None and tripoli.place.country_code == "LB"
    # the same name alone is Libya's capital
    alone = by_text(places_of(stage, make_doc, "Clashes broke out in Tripoli."), "Tripoli")
    assert alone.place is not None and alone.place.country_code == "LY"


def test_province_word_selects_the_division(stage: Places, make_doc) -> None:
    m = by_text(
        places_of(stage, make_doc, "Fighting spread to Kirkuk province."), "Kirkuk province"
    )
    assert m.feature == "admin1" and m.place is not None and m.place.precision == 3


def test_unresolvable_name_keeps_the_others(stage: Places, make_doc) -> None:
    text = "Shelling hit Qzxvbad and Mosul."
    doc = make_doc(text)
    start = text.index("Qzxvbad")
    span = doc.doc.char_span(start, start + len("Qzxvbad"), label="GPE")
    others = [e for e in doc.doc.ents if e.end <= span.start or e.start >= span.end]
    doc.doc.ents = sorted([*others, span], key=lambda e: e.start)
    mentions = stage(doc).places
    unknown = by_text(mentions, "Qzxvbad")
    assert unknown.place is None and unknown.feature is None and unknown.score == 0.0
    mosul = by_text(mentions, "Mosul")
    assert mosul.place is not None and mosul.place.country_code == "IQ"


def test_matcher_finds_names_spacy_missed(stage: Places, make_doc) -> None:
    text = "Aid convoys reached Mosul."
    doc = make_doc(text)
    doc.doc.ents = []  # as if spaCy had tagged nothing
    mosul = by_text(stage(doc).places, "Mosul")
    assert mosul.place is not None and mosul.place.country_code == "IQ"


def test_matcher_ignores_common_words(stage: Places, make_doc) -> None:
    doc = make_doc("Reading the report, Mobile units moved on.")
    doc.doc.ents = []
    assert stage(doc).places == []


def test_collect_context_counts_countries_and_clear_places(gaz: Gazetteer) -> None:
    ctx = collect_context([gaz.rank("Iraq"), gaz.rank("Mosul"), gaz.rank("Xqzv")])
    assert ctx.countries["IQ"] == 3
    assert ctx.admin1[("IQ", "Nineveh")] == 1
    # "Georgia" is also a US state: it does not make the article Georgian
    assert "GE" not in collect_context([gaz.rank("Georgia")]).countries


def test_document_without_parse_is_untouched(stage: Places) -> None:
    doc = Document(article=Article(text="Mosul"))
    assert stage(doc) is doc and doc.places == []


def test_factory_uses_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings, make_doc
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    stage = make_places(settings.replace({"geo.min_population": POP}))
    assert stage.gazetteer.meta["min_population"] == POP
    assert [m.text for m in stage(make_doc("Protesters gathered in Mosul.")).places] == ["Mosul"]


def test_find_places_on_a_bare_spacy_doc(gaz: Gazetteer, nlp) -> None:
    mentions = find_places(nlp("The strike hit Erbil."), gaz)
    assert [m.place.name for m in mentions if m.place] == ["Erbil"]


def test_party_to_a_relation_is_not_a_location(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "The minister held talks with Russia on Monday.")
    assert not by_text(mentions, "Russia").locational


def test_demonym_of_a_border_is_a_location(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "Shells landed near the Syrian border.")
    syrian = by_text(mentions, "Syrian")
    assert syrian.locational and syrian.place is not None and syrian.place.country_code == "SY"


def test_dateline_is_a_location(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "BAGHDAD\nIraq said on Friday it would respond.")
    assert by_text(mentions, "BAGHDAD").locational
    assert not by_text(mentions, "Iraq").locational
