from __future__ import annotations

from eventwire.stages.quotes import QuoteFinder


def test_speaker_followed_across_sentences(make_doc) -> None:
    text = (
        "A police spokesman called the attack “a cowardly act against our people.”\n"
        "Colonel Amina Diallo, the spokesman for the national police, said officers were searching the area.\n"
        "“We will find those responsible for this crime,” Diallo added."
    )
    doc = QuoteFinder()(make_doc(text))
    assert len(doc.quotes) == 2
    for quote in doc.quotes:
        assert quote.speaker == "Amina Diallo"
        assert text[quote.start : quote.end] == quote.text
    assert doc.quotes[0].speaker_role is not None and "spokesman" in doc.quotes[0].speaker_role


def test_continued_quote_keeps_its_speaker(make_doc) -> None:
    text = (
        "The governor, John Okafor, said the town was “calm but afraid” after the raid, "
        "and “the army must stay until the roads are safe.”"
    )
    doc = QuoteFinder()(make_doc(text))
    assert [q.speaker for q in doc.quotes] == ["John Okafor", "John Okafor"]


def test_short_scare_quotes_are_not_quotes(make_doc) -> None:
    doc = QuoteFinder()(make_doc("The so-called “peace” lasted a day."))
    assert doc.quotes == []
