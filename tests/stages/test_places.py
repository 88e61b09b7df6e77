from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.gazetteer import CACHE_ENV, Candidate, Gazetteer
from eventwire.records import Article, Document, PlaceMention
from eventwire.stages.places import Places, _home, collect_context, find_places, make_places

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
    mosul = by_text(mentions, "Mosul")
    assert mosul.place is not None and mosul.place.country_code == "IQ"
    # a name the gazetteer does not know lies, at best, near the article's main town
    unknown = by_text(mentions, "Qzxvbad")
    assert unknown.place is not None and unknown.place.name == mosul.place.name
    assert unknown.place.precision == 2 and unknown.score < mosul.score


def test_unresolvable_name_alone_stays_unresolved(stage: Places, make_doc) -> None:
    text = "Shelling hit Qzxvbad."
    doc = make_doc(text)
    start = text.index("Qzxvbad")
    doc.doc.ents = [doc.doc.char_span(start, start + len("Qzxvbad"), label="GPE")]
    unknown = by_text(stage(doc).places, "Qzxvbad")
    assert unknown.place is None and unknown.feature is None and unknown.score == 0.0


def test_unknown_facility_lies_in_the_article_town(stage: Places, make_doc) -> None:
    text = (
        "KIRKUK (Reuters) - A bomb exploded in Kirkuk on Monday. "
        "The blast hit Zanqorat Street near the market in Kirkuk."
    )
    doc = make_doc(text)
    start = text.index("Zanqorat Street")
    span = doc.doc.char_span(start, start + len("Zanqorat Street"), label="FAC")
    others = [e for e in doc.doc.ents if e.end <= span.start or e.start >= span.end]
    doc.doc.ents = sorted([*others, span], key=lambda e: e.start)
    street = by_text(stage(doc).places, "Zanqorat Street")
    assert street.place is not None and street.place.name == "Kirkuk"
    assert street.place.precision == 2


def test_unknown_name_resolves_by_the_place_inside_it(stage: Places, make_doc) -> None:
    text = "Rockets landed near the Mosul Qzxv Institute, officials said."
    doc = make_doc(text)
    start = text.index("Mosul Qzxv Institute")
    span = doc.doc.char_span(start, start + len("Mosul Qzxv Institute"), label="FAC")
    others = [e for e in doc.doc.ents if e.end <= span.start or e.start >= span.end]
    doc.doc.ents = sorted([*others, span], key=lambda e: e.start)
    inst = by_text(stage(doc).places, "Mosul Qzxv Institute")
    assert inst.place is not None and inst.place.name == "Mosul" and inst.place.precision == 2


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


# -- qualifiers, coherence, counties and gold spans (issue 5)


def test_qualifier_after_a_comma(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "A storm hit Paris, Texas, on Monday.")
    paris = by_text(mentions, "Paris")
    assert paris.place is not None and paris.place.admin1 == "Texas"
    texas = by_text(mentions, "Texas")
    assert texas.feature == "admin1" and texas.place is not None
    assert texas.place.country_code == "US"


def test_qualifier_turns_a_countrys_name_into_a_town(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "The fair opened in Lebanon, Tenn., on Saturday.")
    lebanon = by_text(mentions, "Lebanon")
    assert lebanon.feature == "city" and lebanon.place is not None
    assert lebanon.place.country_code == "US" and lebanon.place.admin1 == "Tennessee"


def test_qualifier_picks_the_state_not_the_country(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "Police in Atlanta, Georgia, arrested two men.")
    georgia = by_text(mentions, "Georgia")
    assert georgia.feature == "admin1" and georgia.place is not None
    assert georgia.place.country_code == "US"


def test_a_list_of_countries_is_no_qualifier(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "Militias attacked bases in Syria, Iraq, and Jordan.")
    assert [m.feature for m in mentions] == ["country", "country", "country"]


def test_county_is_a_district_with_precision_two(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "The bridge in Laurel County collapsed.")
    laurel = by_text(mentions, "Laurel County")
    assert laurel.feature == "admin2" and laurel.place is not None
    assert laurel.place.precision == 2 and laurel.place.admin1 == "Kentucky"


def test_places_of_one_article_hold_together(stage: Places, make_doc) -> None:
    # two ambiguous names whose only close readings are each other's (Dublin and Laurens
    # County, Georgia): the Irish capital gives way
    mentions = places_of(
        stage, make_doc, "Residents of Dublin and Laurens County gathered for the fair."
    )
    dublin = by_text(mentions, "Dublin")
    assert dublin.place is not None and dublin.place.country_code == "US"
    assert dublin.place.admin1 == "Georgia"


def test_gold_spans_are_resolved_in_context(gaz: Gazetteer, nlp) -> None:
    text = "Clashes broke out in Tripoli, the largest city in northern Lebanon."
    doc = nlp(text)
    start = text.index("Tripoli")
    spans = [(start, start + len("Tripoli")), (0, 7), (5, 9)]
    mentions = find_places(doc, gaz, spans=spans)
    assert [(m.start, m.end) for m in mentions] == spans
    tripoli = mentions[0]
    assert tripoli.place is not None and tripoli.place.country_code == "LB"
    assert mentions[1].place is None  # "Clashes" is no place
    assert mentions[2].text == text[5:9]  # a span inside a token keeps its own offsets


def test_a_body_of_a_continent_stands_for_the_continent(gaz: Gazetteer, nlp) -> None:
    # a name the gazetteer does not know, opened by a continent's word, is not put at the town
    # the story is about
    text = "Farmers in Tampere met officials of the European Regional Fund on Monday."
    doc = nlp(text)
    start = text.index("European Regional Fund")
    (fund,) = find_places(doc, gaz, spans=[(start, start + len("European Regional Fund"))])
    assert fund.place is not None and fund.place.name == "Europe"


def test_an_agency_dateline_names_a_town(stage: Places, make_doc) -> None:
    # a dateline is a town, even one named like a country, in a story about its state
    text = "LEBANON (AP) - A fire destroyed a barn on a farm in Ohio on Sunday, deputies said."
    town = by_text(places_of(stage, make_doc, text), "LEBANON")
    assert town.place is not None and town.feature == "city"
    assert town.place.country_code == "US" and town.place.admin1 == "Ohio"


def test_transliterated_name_in_context(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "Syrian forces shelled Dayr az Zawr on Monday.")
    deir = by_text(mentions, "Dayr az Zawr")
    assert deir.place is not None and deir.place.country_code == "SY"


def test_name_in_a_place_position_is_found_by_its_spelling(stage: Places, make_doc) -> None:
    # spaCy's small model often takes Arab town names for people; "in"/"on" after an attack, or
    # "the city of", make them places, and a near spelling of a known town resolves them
    text = "Government aircraft bombed Menbej and the city of Rakka overnight."
    doc = make_doc(text)
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Menbej", "Rakka")]
    doc.doc.ents = [doc.doc.char_span(s, e, label="PERSON") for s, e in spans]
    mentions = stage(doc).places
    manbij = by_text(mentions, "Menbej")
    assert manbij.place is not None and manbij.place.name == "Manbij"
    assert manbij.place.country_code == "SY"
    assert manbij.score <= 0.6  # a reading by spelling is a guess
    assert by_text(mentions, "Rakka").place is not None


def test_person_outside_a_place_position_stays_a_person(stage: Places, make_doc) -> None:
    text = "Menbej said the talks would go on."
    doc = make_doc(text)
    doc.doc.ents = [doc.doc.char_span(0, len("Menbej"), label="PERSON")]
    assert all(m.text != "Menbej" for m in stage(doc).places)


def test_countryside_of_a_town_has_precision_2(stage: Places, make_doc) -> None:
    m = by_text(places_of(stage, make_doc, "Rockets fell on the Kirkuk countryside."), "Kirkuk")
    assert m.place is not None and m.place.country_code == "IQ"
    assert m.feature == "city" and m.place.precision == 2


def test_region_named_by_its_town(stage: Places, make_doc) -> None:
    text = "Militants hid in the Mosul Qzxv Mountains."
    doc = make_doc(text)
    start = text.index("Mosul Qzxv Mountains")
    span = doc.doc.char_span(start, start + len("Mosul Qzxv Mountains"), label="LOC")
    doc.doc.ents = [span]
    m = by_text(stage(doc).places, "Mosul Qzxv Mountains")
    assert m.place is not None and m.place.name == "Mosul" and m.place.precision == 2


def test_a_feature_name_is_not_guessed_as_a_town(stage: Places, make_doc) -> None:
    # "X Valley" names a valley: no town of a like spelling stands for it
    text = "Fighting raged in the Qzxvbad Valley."
    doc = make_doc(text)
    start = text.index("Qzxvbad Valley")
    doc.doc.ents = [doc.doc.char_span(start, start + len("Qzxvbad Valley"), label="LOC")]
    m = by_text(stage(doc).places, "Qzxvbad Valley")
    assert m.place is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The war between Russia and Ukraine entered its third year.", "Russia"),
        ("Iran has the right to respond, the envoy said.", "Iran"),
    ],
)
def test_parties_are_not_locations(stage: Places, make_doc, text: str, name: str) -> None:
    m = by_text(places_of(stage, make_doc, text), name)
    assert m.place is not None and not m.locational


def test_main_town_is_where_the_clear_places_gather() -> None:
    # a far town named twice (a product named after it, say) and three towns of one county:
    # the county's towns are where the story is
    def town(name: str, lat: float, lon: float, cc: str, admin1: str) -> list:
        return [(Candidate(None, name, lat, lon, cc, admin1, "city", 20_000), 1.0)]

    far = town("Farley", 51.4, -0.1, "GB", "England")
    ranked = [
        far,
        town("Alpha", 38.8, -77.6, "US", "Virginia"),
        far,
        town("Beta", 38.9, -77.3, "US", "Virginia"),
        town("Gamma", 38.8, -77.4, "US", "Virginia"),
    ]
    home = _home(ranked, collect_context(ranked))
    assert home is not None and home.country_code == "US"


def test_main_town_is_named_by_its_own_name_rather_than_by_common_ones() -> None:
    # a city with one reading against two names that many towns share (street names, often)
    # and a neighbourhood named twice: the city with one reading is where the story is
    def reading(name: str, lat: float, lon: float, admin1: str, rivals: int = 0) -> list:
        c = Candidate(None, name, lat, lon, "US", admin1, "city", 20_000)
        others = [
            (Candidate(None, name, 40.0 + k, -100.0, "US", "Kansas", "city", 5_000), 0.5)
            for k in range(rivals)
        ]
        return [(c, 1.5), *others]

    ranked = [
        reading("Harbor City", 30.0, -90.1, "Louisiana"),
        reading("Lafitte", 30.2, -92.0, "Louisiana", rivals=12),
        reading("Lafitte", 30.2, -92.0, "Louisiana", rivals=12),
        reading("Franks", 29.8, -91.5, "Louisiana", rivals=30),
        reading("Elm Square", 40.0, -75.2, "Pennsylvania", rivals=1),
        reading("Elm Square", 40.0, -75.2, "Pennsylvania", rivals=1),
    ]
    home = _home(ranked, collect_context(ranked))
    assert home is not None and home.name == "Harbor City"


def test_a_county_name_of_one_country_says_the_country_though_it_is_ambiguous() -> None:
    # "Lorton County" is a county of three states: no one of them is clear, but the story is in
    # the United States; a town name shared across countries says nothing
    def county(admin1: str, lat: float) -> Candidate:
        return Candidate(None, "Lorton County", lat, -85.0, "US", admin1, "admin2", 50_000)

    counties = [(county("Ohio", 39.4), 4.0), (county("Kansas", 37.8), 3.8)]
    counties.append((county("Iowa", 41.0), 3.5))
    ctx = collect_context([counties])
    assert ctx.countries["US"] == 1 and not ctx.admin1 and not ctx.anchors
    towns = [
        (Candidate(None, "Marlow", 51.6, -0.8, "GB", "England", "city", 15_000), 4.0),
        (Candidate(None, "Marlow", 34.6, -97.9, "US", "Oklahoma", "city", 4_000), 3.8),
    ]
    assert not collect_context([towns])


def test_unknown_name_is_not_put_in_a_country_the_article_never_names(
    stage: Places, make_doc
) -> None:
    text = (
        "HOUSTON (AP) - A fire broke out in Houston, Texas, on Sunday. "
        "Firefighters said it started in the Kerry Riding Centre in Houston."
    )
    doc = make_doc(text)
    start = text.index("Kerry Riding Centre")
    span = doc.doc.char_span(start, start + len("Kerry Riding Centre"), label="FAC")
    others = [e for e in doc.doc.ents if e.end <= span.start or e.start >= span.end]
    doc.doc.ents = sorted([*others, span], key=lambda e: e.start)
    centre = by_text(stage(doc).places, "Kerry Riding Centre")
    assert centre.place is not None and centre.place.country_code == "US"


def test_town_name_spacy_took_for_a_person(stage: Places, make_doc) -> None:
    # the small model tags "Khan Shaykhun" a person here; the whole name is a town's
    mentions = places_of(stage, make_doc, "Khan Shaykhun residents buried twelve people on Friday.")
    town = by_text(mentions, "Khan Shaykhun")
    assert town.place is not None and town.place.country_code == "SY"


def test_one_word_person_is_not_a_town(stage: Places, make_doc) -> None:
    mentions = places_of(stage, make_doc, "Jackson said the vote would come on Friday.")
    assert all(m.text != "Jackson" for m in mentions)


def test_unknown_name_lies_in_the_articles_province_when_no_town_is_clear(
    stage: Places, make_doc
) -> None:
    text = (
        "Fighting spread across Idlib province on Monday. "
        "Families fled from the Zarzuri Farm compound overnight."
    )
    doc = make_doc(text)
    start = text.index("Zarzuri Farm")
    span = doc.doc.char_span(start, start + len("Zarzuri Farm"), label="FAC")
    others = [e for e in doc.doc.ents if e.end <= span.start or e.start >= span.end]
    doc.doc.ents = sorted([*others, span], key=lambda e: e.start)
    farm = by_text(stage(doc).places, "Zarzuri Farm")
    assert farm.place is not None and farm.place.country_code == "SY"
    assert farm.place.admin1 == "Idlib" and farm.place.precision == 3
