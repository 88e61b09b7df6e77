"""The spaCy pipeline's sentence fixes on hand-written headlines."""

from __future__ import annotations

import pytest


def _sentences(nlp, text: str) -> list[str]:
    return [s.text for s in nlp(text).sents]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Troops kill 12 rebels in the hills - army statement", "- army statement"),
        ("Two soldiers killed in a mortar attack on the base: report", ": report"),
        ("Rebels kill 6 police officers near the dam -state media", "-state media"),
    ],
)
def test_a_headlines_source_tag_is_a_sentence_of_its_own(nlp, text: str, tag: str) -> None:
    sents = _sentences(nlp, text)
    assert sents[-1] == tag and len(sents) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Bomb in a crowded market - 5 killed",  # the news itself, with a verb and a number
        "Talks stall on the Russian - Turkish zone",  # the headline goes on across the dash
        "Talks on the al-Bab road",  # a hyphen inside a name
        "Five killed in a market bombing - Tuesday",  # a day, not a source
    ],
)
def test_a_dash_inside_the_news_splits_nothing(nlp, text: str) -> None:
    assert len(_sentences(nlp, text)) == 1


def test_a_line_break_starts_a_sentence(nlp) -> None:
    sents = _sentences(nlp, "Clashes in the north\nPolice said five people were hurt")
    assert len(sents) == 2


def test_a_headlines_items_joined_by_an_ellipsis_are_sentences(nlp) -> None:
    sents = _sentences(
        nlp, "Warplanes strike villages in the north…and 9 fighters killed in clashes"
    )
    assert len(sents) == 2 and sents[1].startswith("and 9")
    # in prose the ellipsis trails off inside a sentence
    assert len(_sentences(nlp, "He said the attack was… terrible. Nobody else spoke.")) == 2


def test_an_item_after_an_ellipsis_is_not_cut_again(nlp) -> None:
    sents = _sentences(nlp, "On charges of spying for the army…Tahrir Al-Sham executes 2 men")
    assert sents[-1] == "Tahrir Al-Sham executes 2 men"
