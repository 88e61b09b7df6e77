from __future__ import annotations

import json
from datetime import date

import pytest

from eventwire.pipeline import registered_stages
from eventwire.records import Article, Document
from eventwire.stages.dates import (
    clause_tense,
    find_times,
    governing_time,
    make_dates,
    period_days,
)

THU = date(2024, 2, 8)


@pytest.fixture
def dated(make_doc, settings):
    stage = make_dates(settings)

    def run(text: str, published: date | None = THU) -> Document:
        return stage(make_doc(text, published))

    return run


def _token(doc: Document, word: str, nth: int = 0):
    hits = [t.i for t in doc.doc if t.text == word]
    return hits[nth]


def _by_text(doc: Document) -> dict:
    return {m.text: m for m in doc.times}


def test_registered_with_its_reads_and_writes():
    spec = registered_stages()["dates"]
    assert spec.reads == ("doc",)
    assert spec.writes == ("times",)


def test_unparsed_document_is_returned_untouched(settings):
    doc = Document(article=Article(text="On Thursday, troops attacked.", published=THU))
    out = make_dates(settings)(doc)
    assert out is doc and out.times == []


def test_offsets_point_into_the_article_text(dated):
    text = (
        "Gunmen attacked a checkpoint on Thursday night, police said.\n"
        "Since mid-October there have been 165 attacks; the last one was on Jan. 28.\n"
        "A week ago, on Feb. 1, 2024, troops shelled the town for two hours at 9:30 p.m."
    )
    doc = dated(text)
    assert len(doc.times) >= 5
    for m in doc.times:
        assert text[m.start : m.end] == m.text
        assert m.text == m.text.strip(" ,;")
        assert m.date is not None and m.date.text == m.text
    texts = [m.text for m in doc.times]
    assert "Jan. 28" in texts  # the sentence's full stop is not part of it
    assert "9:30 p.m." in texts  # but the abbreviation's is
    assert "Since mid-October" in texts
    starts = [m.start for m in doc.times]
    assert starts == sorted(starts)
    ends = [m.end for m in doc.times]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))  # no overlaps


def test_modifier_before_a_spacy_span_is_kept(dated):
    doc = dated(
        "Militias have carried out more than 165 attacks since mid-October. "
        "One strike in early January targeted a leader. The response was last Friday."
    )
    times = _by_text(doc)
    since = times["since mid-October"]
    assert (str(since.date.start), str(since.date.end)) == ("2023-10-11", "2024-02-08")
    early = times["early January"]
    assert (str(early.date.start), str(early.date.end)) == ("2024-01-01", "2024-01-10")
    assert times["last Friday"].value == "2024-02-02"
    assert "mid-October" not in times  # the shorter reading gave way


def test_types_and_values(dated):
    doc = dated(
        "The strike came at 9:30 p.m. local time. Fighting lasted for two hours. "
        "Three days ago, rebels took the town. Officials now meet every week."
    )
    by_type = {m.type for m in doc.times}
    assert {"TIME", "DURATION", "DATE"} <= by_type
    three = next(m for m in doc.times if m.text.lower().startswith("three days ago"))
    assert three.value == "2024-02-05"


def test_day_and_clock_time_join(dated):
    doc = dated("Police opened fire on Sunday at 10 a.m. near the square.")
    joined = [m for m in doc.times if "Sunday" in m.text]
    assert len(joined) == 1
    assert joined[0].type == "TIME"
    assert joined[0].value == "2024-02-04T10:00"


def test_next_day_counts_from_the_date_before_it(dated):
    doc = dated("Protesters marched on Jan. 28. The next day, police fired tear gas at them.")
    nxt = next(m for m in doc.times if m.text.lower().endswith("next day"))
    assert nxt.date.start == date(2024, 1, 29)


def test_no_publication_date_leaves_relative_dates_open(dated):
    doc = dated("Militants attacked the base on Thursday and again on Jan. 30, 2024.", None)
    times = _by_text(doc)
    assert times["Thursday"].date.start is None
    assert times["Thursday"].value is None
    assert times["Jan. 30, 2024"].date.start == date(2024, 1, 30)


def test_words_that_are_no_date_are_dropped(dated):
    doc = dated("A 25-year-old man was among the victims, on the group's 10th anniversary.")
    assert [m.text for m in doc.times if "year" in m.text or "anniversary" in m.text] == []


def test_month_words_that_are_not_months(dated):
    doc = dated("Thousands march in the capital. They may return to the square.")
    assert doc.times == []


# --- the clause's tense: dates that look forward --------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "words", "tense"),
    [
        ("Talks will resume on Monday in Belfast.", "Monday", "future"),
        ("The deal is scheduled to close Monday.", "Monday", "future"),
        ("The company plans to redeem the bonds on Nov. 16.", "Nov. 16", "future"),
        ("He said the army would withdraw by March.", "March", "future"),
        ("Rebels attacked the base on Monday.", "Monday", "past"),
        ("Troops have shelled the town since Monday.", "since Monday", "past"),
        ("The rights expire Nov. 21.", "Nov. 21", "present"),
        ("The dividend is payable Dec. 7.", "Dec. 7", "present"),
        ("The attack on Monday will not deter them.", "Monday", None),
        ("They signed a June agreement to end the war.", "June", None),
    ],
)
def test_clause_tense(make_doc, sentence, words, tense):
    doc = make_doc(sentence, THU)
    start = sentence.index(words)
    assert clause_tense(doc.doc, start, start + len(words)) == tense


def test_a_future_clause_reads_forward_and_a_past_one_back(dated):
    doc = dated("Rebels attacked the base on Monday. Talks will resume on Monday in Geneva.")
    first, second = (m for m in doc.times if m.text == "Monday")
    assert first.value == "2024-02-05"
    assert second.value == "2024-02-12"


def test_a_date_far_back_without_a_year_is_the_next_one_unless_the_clause_is_past(dated):
    published = date(2023, 10, 30)
    doc = dated("The offer expires Nov. 21, the company said.", published)
    assert _by_text(doc)["Nov. 21"].value == "2023-11-21"
    # in the past tense it stays the latest not after publication (events report the past)
    doc = dated("Fighters stormed the town on Nov. 21, the army said.", published)
    assert _by_text(doc)["Nov. 21"].value == "2022-11-21"
    # and a recent one stays recent whatever the tense
    doc = dated("The offer expires Oct. 21, the company said.", published)
    assert _by_text(doc)["Oct. 21"].value == "2023-10-21"


def test_frequency_adjectives_before_nouns_are_not_time_expressions(dated):
    doc = dated("The company cut its quarterly dividend. Prices will be adjusted quarterly.")
    sets = [m for m in doc.times if m.type == "SET"]
    assert [m.text for m in sets] == ["quarterly"]
    assert sets[0].start > doc.text.index("adjusted")


def test_bare_clock_time_takes_the_day_last_named_and_dates_no_event(dated):
    doc = dated("Troops entered the town on Jan. 28. The shelling began at 9:30 p.m.")
    clock = _by_text(doc)["9:30 p.m."]
    assert clock.value == "2024-01-28T21:30" and clock.date.start == date(2024, 1, 28)
    assert governing_time(doc, _token(doc, "shelling")) is None


def test_weekday_and_its_date_are_one_expression(dated):
    doc = dated("About $14 million seeped out Friday, Oct. 13 alone.", date(2023, 10, 30))
    assert [(m.text, m.value) for m in doc.times] == [("Friday, Oct. 13", "2023-10-13")]


def test_words_around_a_spacy_entity_do_not_hide_it(dated):
    doc = dated("Earnings will rise by about 9% in both 2025 and 2026.")
    assert {m.value for m in doc.times} >= {"2025", "2026"}


def test_durations_are_found_but_ages_are_not(dated):
    doc = dated(
        "The fleet stays in Crimea for at least 20 more years. "
        "Mr. Smith, 52 years old, fought for two and a half years."
    )
    times = _by_text(doc)
    assert times["at least 20 more years"].value == "P20Y"
    assert times["two and a half years"].value == "P2Y6M"
    assert not any(m.text.startswith("52") for m in doc.times)


# --- governing_time -------------------------------------------------------------------------------


def test_the_clause_date_wins_over_another_in_the_sentence(dated):
    doc = dated("Officials said on Monday that gunmen killed five villagers on Saturday.")
    killed = governing_time(doc, _token(doc, "killed"))
    said = governing_time(doc, _token(doc, "said"))
    assert killed is not None and killed.text == "Saturday"
    assert said is not None and said.text == "Monday"


def test_clause_date_wins_over_a_nearer_one(dated):
    # "Monday" is nearer to "killed" but belongs to the relative clause about the gunmen
    doc = dated(
        "Gunmen who had been released on Monday killed five villagers in an attack on Saturday."
    )
    killed = governing_time(doc, _token(doc, "killed"))
    released = governing_time(doc, _token(doc, "released"))
    assert killed is not None and killed.text == "Saturday"
    assert released is not None and released.text == "Monday"


def test_coordinated_clauses_keep_their_dates(dated):
    doc = dated("Troops killed five fighters on Sunday and rebels attacked a base on Monday.")
    assert governing_time(doc, _token(doc, "killed")).text == "Sunday"
    assert governing_time(doc, _token(doc, "attacked")).text == "Monday"


def test_conjoined_verb_shares_the_first_verbs_date(dated):
    doc = dated("Militants stormed the village on Sunday and killed 12 people.")
    assert governing_time(doc, _token(doc, "killed")).text == "Sunday"


def test_each_event_gets_its_own_date(dated):
    doc = dated("The attack on Tuesday came two weeks after a bombing on Jan. 5 killed 12 people.")
    attack = governing_time(doc, _token(doc, "attack"))
    bombing = governing_time(doc, _token(doc, "bombing"))
    assert attack is not None and attack.text == "Tuesday"
    assert bombing is not None and bombing.text == "Jan. 5"


def test_when_clause_takes_the_date_it_hangs_from(dated):
    doc = dated(
        "The first part of the response was last Friday, when they launched a significant number "
        "of strikes in both Iraq and Syria."
    )
    found = governing_time(doc, _token(doc, "strikes"))
    assert found is not None and found.value == "2024-02-02"


def test_nearest_date_in_the_sentence_when_the_parse_does_not_say(dated):
    doc = dated(
        "Only one of these attacks took place in Jordan, and it targeted Tower 22 on Jan. 28."
    )
    found = governing_time(doc, _token(doc, "attacks"))
    assert found is not None and found.text == "Jan. 28"


def test_durations_and_clock_times_date_nothing(dated):
    doc = dated("Fighting raged for two hours. The strike came at 9:30 p.m. local time.")
    assert governing_time(doc, _token(doc, "Fighting")) is None
    assert governing_time(doc, _token(doc, "strike")) is None


def test_dates_in_other_sentences_are_not_used(dated):
    doc = dated("Rebels attacked the town on Monday.\nTroops shelled the area.")
    assert governing_time(doc, _token(doc, "attacked")).text == "Monday"
    assert governing_time(doc, _token(doc, "shelled")) is None


def test_unresolved_date_still_governs_without_publication(dated):
    doc = dated("Gunmen killed four people on Thursday.", None)
    found = governing_time(doc, _token(doc, "killed"))
    assert found is not None and found.text == "Thursday" and found.date.start is None


def test_governing_time_without_parse_or_times(make_doc):
    doc = make_doc("Gunmen killed four people.", THU)
    assert governing_time(doc, 1) is None
    bare = Document(article=Article(text="x", published=THU))
    assert governing_time(bare, 0) is None


# --- the worked example ---------------------------------------------------------------------------


def test_worked_example(shared_dir, make_doc, settings):
    folder = shared_dir / "examples"
    text = (folder / "baghdad-strike.txt").read_text(encoding="utf-8")
    meta = json.loads((folder / "baghdad-strike.meta.json").read_text(encoding="utf-8"))
    doc = make_dates(settings)(make_doc(text, date.fromisoformat(meta["published"])))
    times = _by_text(doc)
    expected = {
        "Thursday": ("2024-02-08", "2024-02-08", "day"),
        "last August": ("2023-08-01", "2023-08-31", "month"),
        "since mid-October": ("2023-10-11", "2024-02-08", "range"),
        "Jan. 28": ("2024-01-28", "2024-01-28", "day"),
        "last Friday": ("2024-02-02", "2024-02-02", "day"),
        "early January": ("2024-01-01", "2024-01-10", "range"),
    }
    for words, (start, end, precision) in expected.items():
        m = times[words]
        assert (str(m.date.start), str(m.date.end), m.date.precision) == (start, end, precision)
    strike = governing_time(doc, _token(doc, "airstrike"))
    assert strike is not None and strike.text == "Thursday"


def test_find_times_is_usable_on_its_own(make_doc):
    doc = make_doc("Clashes erupted in late December.", date(2024, 1, 5))
    (m,) = find_times(doc)
    assert (m.text, str(m.date.start), str(m.date.end)) == (
        "late December",
        "2023-12-21",
        "2023-12-31",
    )


@pytest.mark.parametrize(
    ("text", "word", "days"),
    [
        ("In two weeks, gunmen killed 28 villagers in the hills.", "killed", 14.0),
        ("Raids raised the toll to 190 within 27 days of bombing.", "toll", 27.0),
        ("Clashes killed 5 fighters over three months.", "killed", 91.2),
        # how long one act lasted is no period it covers
        ("Fighters killed 5 soldiers in a three-hour battle.", "killed", None),
        ("Fighters killed 5 soldiers on Monday.", "killed", None),
    ],
)
def test_the_period_a_clause_covers(dated, text: str, word: str, days: float | None) -> None:
    doc = dated(text)
    found = period_days(doc, _token(doc, word))
    assert found == pytest.approx(days) if days is not None else found is None


@pytest.mark.parametrize(
    ("text", "dated_on"),
    [
        # what the incident followed is not its day
        ("After the deployment of the army patrols on Monday, rebels killed 13 soldiers.", None),
        ("After they deployed patrols on Monday, rebels attacked the base.", None),
        # "after" with the date as its object dates the event
        ("Rebels attacked the base after Monday.", "Monday"),
    ],
)
def test_a_date_of_what_came_before_does_not_date_the_event(
    dated, text: str, dated_on: str | None
) -> None:
    doc = dated(text)
    word = "killed" if "killed" in text else "attacked"
    time = governing_time(doc, _token(doc, word))
    assert (time.text if time else None) == dated_on


def test_a_period_of_a_coordinated_noun_clause_is_not_shared(dated) -> None:
    # the parse may make "explosions" the root and "raise" its conjunct: the period is the total's
    doc = dated(
        "Mine explosions from the remnants of the war cause massacre of 7 citizens and raise "
        "the death toll to 11 people during the last 72 hours"
    )
    assert period_days(doc, _token(doc, "massacre")) is None


def test_a_sentence_that_opens_with_a_period_of_events(dated):
    from eventwire.stages.dates import opening_period

    doc = dated("Two months of clashes in the north: the army retakes 40 villages.")
    assert opening_period(doc, next(iter(doc.doc.sents))) == pytest.approx(60, abs=2)
    doc = dated("Clashes in the north for two months: the army retakes 40 villages.")
    assert opening_period(doc, next(iter(doc.doc.sents))) is None
