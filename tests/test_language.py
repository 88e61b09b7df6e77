from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.language import (
    UNKNOWN,
    detect_language,
    guess_language,
    language_name,
)

ENGLISH = (
    "Gunmen attacked a police checkpoint on the outskirts of the city on Tuesday, killing three "
    "officers and wounding two others, a police spokesman said."
)

# The same report in other languages (hand translations).
OTHERS = {
    "fr": "Des hommes armés ont attaqué un poste de police à la périphérie de la ville mardi, "
    "tuant trois agents et en blessant deux autres, a indiqué un porte-parole de la police.",
    "es": "Hombres armados atacaron un puesto de control de la policía en las afueras de la ciudad "
    "el martes, matando a tres agentes e hiriendo a otros dos, según un portavoz de la policía.",
    "de": "Bewaffnete haben am Dienstag einen Kontrollposten der Polizei am Stadtrand angegriffen "
    "und dabei drei Beamte getötet und zwei weitere verletzt, sagte ein Polizeisprecher.",
    "pt": "Homens armados atacaram um posto de controle da polícia nos arredores da cidade na "
    "terça-feira, matando três agentes e ferindo outros dois, disse um porta-voz da polícia.",
    "it": "Uomini armati hanno attaccato un posto di blocco della polizia alla periferia della "
    "città martedì, uccidendo tre agenti e ferendone altri due, ha detto un portavoce.",
    "nl": "Gewapende mannen hebben dinsdag een controlepost van de politie aan de rand van de stad "
    "aangevallen, waarbij drie agenten werden gedood en twee anderen gewond, zei een woordvoerder.",
    "id": "Orang-orang bersenjata menyerang sebuah pos pemeriksaan polisi di pinggiran kota "
    "pada hari Selasa, menewaskan tiga petugas dan melukai dua lainnya, kata juru bicara polisi.",
    "ar": "هاجم مسلحون نقطة تفتيش للشرطة في ضواحي المدينة يوم الثلاثاء، مما أسفر عن مقتل ثلاثة "
    "من رجال الشرطة وإصابة اثنين آخرين، حسبما قال متحدث باسم الشرطة في بيان.",
    "fa": "مردان مسلح روز سه شنبه به یک ایست بازرسی پلیس در حومه شهر حمله کردند و سه مامور را "
    "کشتند و دو نفر دیگر را زخمی کردند، این را سخنگوی پلیس گفت که در محل بود.",
    "ru": "Вооруженные люди во вторник напали на полицейский пост на окраине города, убив трех "
    "сотрудников и ранив еще двоих, сообщил представитель полиции в своем заявлении.",
    "zh": "周二，武装分子袭击了城市郊区的一个警察检查站，打死三名警察，打伤另外两人。"
    "警方发言人说，袭击者随后逃离了现场。",
    "ja": "火曜日、武装した男たちが市の郊外にある警察の検問所を襲撃し、警察官三人が死亡、"
    "二人が負傷したと警察の報道官が述べた。",
}


def test_english_is_english() -> None:
    code, confidence = detect_language(ENGLISH)
    assert code == "en"
    assert confidence >= 0.5


@pytest.mark.parametrize("code", sorted(OTHERS))
def test_other_languages_are_named(code: str) -> None:
    guess = guess_language(OTHERS[code])
    assert guess.code == code
    assert guess.confidence >= 0.5


def test_script_is_reported() -> None:
    assert guess_language(OTHERS["ru"]).script == "Cyrillic"
    assert guess_language(OTHERS["ar"]).script == "Arabic"
    assert guess_language(ENGLISH).script == "Latin"
    assert "Cyrillic" in guess_language(OTHERS["ru"]).name
    assert guess_language(OTHERS["fr"]).name == "French"


def test_too_few_words_is_undetermined() -> None:
    assert detect_language("Three killed in attack", min_words=12) == (None, 0.0)
    assert detect_language("   ", min_words=1) == (None, 0.0)
    code, _ = detect_language("Three people were killed in the attack on the market", min_words=5)
    assert code == "en"


def test_unspaced_scripts_count_words_by_length() -> None:
    # A Chinese paragraph has few "tokens" between punctuation but plenty of words.
    code, _ = detect_language(OTHERS["zh"], min_words=12)
    assert code == "zh"


def test_telegraphic_english_is_never_confidently_foreign() -> None:
    headlines = [
        "BAGHDAD (AP) — Iraqi Prime Minister Mohammed Shia al-Sudani condemned Thursday's U.S. "
        "drone strike",
        "Nigeria: Boko Haram fighters kill 12 farmers near Maiduguri, Borno State officials say",
        "UPDATE 2-Israeli strikes kill 20 in Gaza as ceasefire talks stall - medics",
        "Sudan RSF shells El Fasher market; dozens dead, MSF says",
    ]
    for headline in headlines:
        guess = guess_language(headline, min_words=5)
        assert guess.code in ("en", UNKNOWN) or guess.confidence < 0.5, (headline, guess)


def test_unknown_latin_language_is_xx() -> None:
    text = " ".join(["zorblat kwenix marupo sildra venkot pralim"] * 4)
    assert detect_language(text)[0] == UNKNOWN


def test_english_with_a_foreign_quote_is_english() -> None:
    text = (
        f"{ENGLISH} Protesters chanted «الشعب يريد إسقاط النظام» as they marched, and the crowd "
        "grew through the afternoon until police closed the square."
    )
    assert detect_language(text)[0] == "en"


def test_long_text_is_sampled_but_still_read() -> None:
    text = "\n".join([OTHERS["de"]] * 400)
    assert len(text) > 20_000
    assert detect_language(text)[0] == "de"


def test_language_name() -> None:
    assert language_name("fr") == "French"
    assert language_name("qq") == "qq"
    assert language_name(None) == "an undetermined language"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=1, max_value=30))
def test_never_raises_and_stays_in_range(text: str, min_words: int) -> None:
    guess = guess_language(text, min_words)
    assert 0.0 <= guess.confidence <= 1.0
    assert (guess.code is None) == (guess.words < min_words)
