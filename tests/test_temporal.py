from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.temporal import Resolution, duration_days, resolve

THU = date(2024, 2, 8)  # a Thursday
D = date.fromisoformat


def _check(r: Resolution | None, type_: str, value: str | None, start, end, precision: str):
    assert r is not None
    assert (r.type, r.value, r.date.start, r.date.end, r.date.precision) == (
        type_,
        value,
        D(start) if start else None,
        D(end) if end else None,
        precision,
    )


# --- the worked example's expressions, read as published on Thursday 2024-02-08 -----------------


def test_worked_example_expressions():
    cases = {
        "Thursday": ("2024-02-08", "2024-02-08", "day"),
        "last Friday": ("2024-02-02", "2024-02-02", "day"),
        "Jan. 28": ("2024-01-28", "2024-01-28", "day"),
        "early January": ("2024-01-01", "2024-01-10", "range"),
        "since mid-October": ("2023-10-11", "2024-02-08", "range"),
        "last August": ("2023-08-01", "2023-08-31", "month"),
    }
    for text, (start, end, precision) in cases.items():
        r = resolve(text, THU)
        assert r is not None, text
        assert (r.date.start, r.date.end, r.date.precision) == (D(start), D(end), precision), text
        assert r.date.text == text
        assert r.relative


# --- one pattern at a time ------------------------------------------------------------------------

CASES = [
    # weekdays: the latest on or before publication; "last" is the week before's
    ("on Thursday", THU, "DATE", "2024-02-08", "2024-02-08", "2024-02-08", "day"),
    ("Wednesday", THU, "DATE", "2024-02-07", "2024-02-07", "2024-02-07", "day"),
    ("Friday", THU, "DATE", "2024-02-02", "2024-02-02", "2024-02-02", "day"),
    ("Thursday night", THU, "TIME", "2024-02-08TNI", "2024-02-08", "2024-02-08", "day"),
    ("on Monday night", THU, "TIME", "2024-02-05TNI", "2024-02-05", "2024-02-05", "day"),
    ("Sunday morning", THU, "TIME", "2024-02-04TMO", "2024-02-04", "2024-02-04", "day"),
    ("last Thursday", THU, "DATE", "2024-02-01", "2024-02-01", "2024-02-01", "day"),
    ("last Monday", THU, "DATE", "2024-01-29", "2024-01-29", "2024-01-29", "day"),
    # "last Friday" read on a Saturday is still the Friday of the week before
    ("last Friday", D("2024-02-10"), "DATE", "2024-02-02", "2024-02-02", "2024-02-02", "day"),
    ("Friday", D("2024-02-10"), "DATE", "2024-02-09", "2024-02-09", "2024-02-09", "day"),
    # deictic days
    ("yesterday", THU, "DATE", "2024-02-07", "2024-02-07", "2024-02-07", "day"),
    ("today", THU, "DATE", "2024-02-08", "2024-02-08", "2024-02-08", "day"),
    ("tonight", THU, "TIME", "2024-02-08TNI", "2024-02-08", "2024-02-08", "day"),
    ("last night", THU, "TIME", "2024-02-07TNI", "2024-02-07", "2024-02-07", "day"),
    ("two days ago", THU, "DATE", "2024-02-06", "2024-02-06", "2024-02-06", "day"),
    ("three weeks ago", THU, "DATE", "2024-W03", "2024-01-15", "2024-01-21", "week"),
    ("a month ago", THU, "DATE", "2024-01", "2024-01-01", "2024-01-31", "month"),
    # weeks, months, years (a period that runs past publication ends on it)
    ("this week", THU, "DATE", "2024-W06", "2024-02-05", "2024-02-08", "week"),
    ("last week", THU, "DATE", "2024-W05", "2024-01-29", "2024-02-04", "week"),
    ("this month", THU, "DATE", "2024-02", "2024-02-01", "2024-02-08", "month"),
    ("last month", THU, "DATE", "2024-01", "2024-01-01", "2024-01-31", "month"),
    ("earlier this month", THU, "DATE", "2024-02", "2024-02-01", "2024-02-08", "range"),
    ("last year", THU, "DATE", "2023", "2023-01-01", "2023-12-31", "year"),
    ("this year", THU, "DATE", "2024", "2024-01-01", "2024-02-08", "year"),
    ("in 2023", THU, "DATE", "2023", "2023-01-01", "2023-12-31", "year"),
    ("over the weekend", THU, "DATE", "2024-W05-WE", "2024-02-03", "2024-02-04", "range"),
    ("the past two weeks", THU, "DURATION", "P2W", "2024-01-26", "2024-02-08", "range"),
    ("the past week", THU, "DURATION", "P1W", "2024-02-02", "2024-02-08", "range"),
    ("in the last 24 hours", THU, "DURATION", "PT24H", "2024-02-07", "2024-02-08", "range"),
    # month-days and months without a year: the latest not after publication
    ("January 28", THU, "DATE", "2024-01-28", "2024-01-28", "2024-01-28", "day"),
    ("28 January", THU, "DATE", "2024-01-28", "2024-01-28", "2024-01-28", "day"),
    ("Jan 28th", THU, "DATE", "2024-01-28", "2024-01-28", "2024-01-28", "day"),
    ("Feb. 8", THU, "DATE", "2024-02-08", "2024-02-08", "2024-02-08", "day"),
    ("Feb. 9", THU, "DATE", "2023-02-09", "2023-02-09", "2023-02-09", "day"),
    ("in August", THU, "DATE", "2023-08", "2023-08-01", "2023-08-31", "month"),
    ("February", THU, "DATE", "2024-02", "2024-02-01", "2024-02-08", "month"),
    ("last February", THU, "DATE", "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("last January", THU, "DATE", "2024-01", "2024-01-01", "2024-01-31", "month"),
    ("Jan. 28-30", THU, "DATE", "2024-01-28/2024-01-30", "2024-01-28", "2024-01-30", "range"),
    # parts of months and years
    ("mid-October", THU, "DATE", "2023-10", "2023-10-11", "2023-10-20", "range"),
    ("late January", THU, "DATE", "2024-01", "2024-01-21", "2024-01-31", "range"),
    ("the end of January", THU, "DATE", "2024-01", "2024-01-21", "2024-01-31", "range"),
    ("in early January", THU, "DATE", "2024-01", "2024-01-01", "2024-01-10", "range"),
    ("late last year", THU, "DATE", "2023", "2023-09-01", "2023-12-31", "range"),
    ("since early 2023", THU, "DATE", "2023", "2023-01-01", "2024-02-08", "range"),
    ("since Jan. 28", THU, "DATE", "2024-01-28", "2024-01-28", "2024-02-08", "range"),
    # absolute dates do not need publication
    ("Jan. 28, 2024", THU, "DATE", "2024-01-28", "2024-01-28", "2024-01-28", "day"),
    ("January 28, 2022", THU, "DATE", "2022-01-28", "2022-01-28", "2022-01-28", "day"),
    ("2024-01-28", THU, "DATE", "2024-01-28", "2024-01-28", "2024-01-28", "day"),
    ("January 2024", THU, "DATE", "2024-01", "2024-01-01", "2024-01-31", "month"),
    ("March 2025", THU, "DATE", "2025-03", "2025-03-01", "2025-03-31", "month"),
    ("the 1990s", THU, "DATE", "199", "1990-01-01", "1999-12-31", "range"),
    ("the third quarter of 2023", THU, "DATE", "2023-Q3", "2023-07-01", "2023-09-30", "range"),
    (
        "from Jan. 28 to Feb. 2",
        THU,
        "DATE",
        "2024-01-28/2024-02-02",
        "2024-01-28",
        "2024-02-02",
        "range",
    ),
    ("between 2019 and 2021", THU, "DATE", "2019/2021", "2019-01-01", "2021-12-31", "range"),
    # times of day, durations, frequencies, references
    ("9:30 p.m.", THU, "TIME", "T21:30", None, None, "day"),
    ("9:30 p.m. local time", THU, "TIME", "T21:30", None, None, "day"),
    ("Thursday at 9:30 p.m.", THU, "TIME", "2024-02-08T21:30", "2024-02-08", "2024-02-08", "day"),
    ("for two hours", THU, "DURATION", "PT2H", None, None, "range"),
    ("more than three years", THU, "DURATION", "P3Y", None, None, "range"),
    ("every week", THU, "SET", "P1W", None, None, "range"),
    ("now", THU, "DATE", "PRESENT_REF", "2024-02-08", "2024-02-08", "day"),
    ("recently", THU, "DATE", "PAST_REF", None, None, "day"),
    # forward-looking words keep their real, later dates
    ("tomorrow", THU, "DATE", "2024-02-09", "2024-02-09", "2024-02-09", "day"),
    ("next week", THU, "DATE", "2024-W07", "2024-02-12", "2024-02-18", "week"),
    ("the end of this week", THU, "DATE", "2024-W06", "2024-02-10", "2024-02-11", "range"),
    # durations as TimeML writes them: halves in the next unit, vague lengths with X
    ("two and a half years", THU, "DURATION", "P2Y6M", None, None, "range"),
    ("2 1/2 years", THU, "DURATION", "P2Y6M", None, None, "range"),
    ("a minute and a half", THU, "DURATION", "PT1M30S", None, None, "range"),
    ("at least 20 more years", THU, "DURATION", "P20Y", None, None, "range"),
    ("barely a month", THU, "DURATION", "P1M", None, None, "range"),
    ("the last twenty four hours", THU, "DURATION", "PT24H", "2024-02-07", "2024-02-08", "range"),
    ("in recent weeks", THU, "DATE", "PAST_REF", None, None, "day"),
    ("the coming months", THU, "DATE", "FUTURE_REF", None, None, "day"),
    ("the days ahead", THU, "DATE", "FUTURE_REF", None, None, "day"),
    ("past years", THU, "DATE", "PAST_REF", None, None, "day"),
    ("centuries", THU, "DURATION", "PXCE", None, None, "range"),
    ("each July", THU, "SET", "XXXX-07", None, None, "range"),
    ("every Friday", THU, "SET", "XXXX-WXX-5", None, None, "range"),
    # parts of a day: before their day too; alone, a time of an unnamed day
    ("mid-afternoon yesterday", THU, "TIME", "2024-02-07TAF", "2024-02-07", "2024-02-07", "day"),
    ("the night of Jan. 28", THU, "TIME", "2024-01-28TNI", "2024-01-28", "2024-01-28", "day"),
    ("late Friday night", THU, "TIME", "2024-02-02TNI", "2024-02-02", "2024-02-02", "day"),
    ("the morning", THU, "TIME", "TMO", None, None, "day"),
    ("noon Saturday", THU, "TIME", "2024-02-03T12:00", "2024-02-03", "2024-02-03", "day"),
    # a year named before its quarter or half
    ("this year's third quarter", THU, "DATE", "2024-Q3", "2024-07-01", "2024-09-30", "range"),
    ("the 2023 second quarter", THU, "DATE", "2023-Q2", "2023-04-01", "2023-06-30", "range"),
    ("last year's second half", THU, "DATE", "2023-H2", "2023-07-01", "2023-12-31", "range"),
    # the end of the current period
    ("the end of the month", THU, "DATE", "2024-02", "2024-02-21", "2024-02-29", "range"),
    ("by year-end", THU, "DATE", "2024", "2024-09-01", "2024-12-31", "range"),
]


@pytest.mark.parametrize(
    ("text", "published", "type_", "value", "start", "end", "precision"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_pattern(text, published, type_, value, start, end, precision):
    _check(resolve(text, published), type_, value, start, end, precision)


# --- crossing a year ------------------------------------------------------------------------------

JAN5 = D("2024-01-05")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Dec. 30", "2023-12-30", "2023-12-30"),
        ("December", "2023-12-01", "2023-12-31"),
        ("Jan. 2", "2024-01-02", "2024-01-02"),
        ("Jan. 28", "2023-01-28", "2023-01-28"),
        ("late January", "2023-01-21", "2023-01-31"),
        ("early January", "2024-01-01", "2024-01-05"),
        ("last January", "2023-01-01", "2023-01-31"),
        ("last week", "2023-12-25", "2023-12-31"),
        ("last month", "2023-12-01", "2023-12-31"),
        ("three days ago", "2024-01-02", "2024-01-02"),
        ("the past two weeks", "2023-12-23", "2024-01-05"),
        ("Dec. 30 to Jan. 2", "2023-12-30", "2024-01-02"),
    ],
)
def test_year_crossing(text, start, end):
    r = resolve(text, JAN5)
    assert r is not None
    assert (r.date.start, r.date.end) == (D(start), D(end))


def test_month_day_on_leap_day_goes_back_to_a_leap_year():
    r = resolve("Feb. 29", D("2023-03-01"))
    assert r is not None and r.date.start == D("2020-02-29")


def test_weekday_named_with_its_date_picks_the_year_it_falls_in():
    # 8 March 1998 was a Sunday; read on 5 March 1998 the plain rule would give March 1997
    r = resolve("this coming Sunday, March eighth", D("1998-03-05"))
    assert r is not None and r.value == "1998-03-08"


# --- without a publication date -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Thursday", "last Friday", "Jan. 28", "early January", "since mid-October", "last August",
     "yesterday", "two days ago", "this week", "the past two weeks", "Thursday night"],
)  # fmt: skip
def test_relative_without_publication_stays_unresolved(text):
    r = resolve(text, None)
    assert r is not None, text
    assert r.relative
    assert r.value is None
    assert r.date.start is None and r.date.end is None


def test_relative_without_publication_keeps_its_precision():
    assert resolve("last August", None).date.precision == "month"
    assert resolve("Thursday", None).date.precision == "day"


@pytest.mark.parametrize(
    ("text", "start"),
    [("Jan. 28, 2024", "2024-01-28"), ("January 2024", "2024-01-01"), ("2023", "2023-01-01"),
     ("2024-01-28", "2024-01-28"), ("28 January 2024", "2024-01-28")],
)  # fmt: skip
def test_absolute_without_publication_still_resolves(text, start):
    r = resolve(text, None)
    assert r is not None and not r.relative
    assert r.date.start == D(start)


def test_present_reference_keeps_its_value_without_publication():
    r = resolve("now", None)
    assert r is not None and r.value == "PRESENT_REF" and r.date.start is None


def test_durations_do_not_need_publication():
    r = resolve("for two hours", None)
    assert r is not None and (r.type, r.value) == ("DURATION", "PT2H")


# --- anaphoric expressions ------------------------------------------------------------------------


def test_next_day_counts_from_the_anchor():
    r = resolve("the next day", THU, anchor=D("2024-01-28"))
    assert r is not None and r.date.start == D("2024-01-29")
    r = resolve("two days later", THU, anchor=D("2024-01-28"))
    assert r is not None and r.date.start == D("2024-01-30")


def test_next_day_without_anchor_is_unresolved():
    r = resolve("the following day", THU)
    assert r is not None and r.date.start is None and r.value is None


def test_anchor_works_without_publication():
    r = resolve("the day before", None, anchor=D("2024-01-28"))
    assert r is not None and r.date.start == D("2024-01-27")


# --- not time expressions -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["25-year-old", "", "   ", "the 10th anniversary", "Ramadan"])
def test_not_read(text):
    assert resolve(text, THU) is None


def test_punctuation_and_case_do_not_matter():
    a = resolve("LAST FRIDAY,", THU)
    b = resolve("last Friday", THU)
    assert a is not None and b is not None and a.date.start == b.date.start
    assert a.date.text == "LAST FRIDAY,"


def test_unusual_absolute_format_goes_to_dateparser():
    pytest.importorskip("dateparser")
    r = resolve("28.01.2024", None)
    assert r is not None and r.date.start == D("2024-01-28")


# --- properties -----------------------------------------------------------------------------------

PUBLISHED = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
WEEKDAYS = list(calendar.day_name)
MONTHS = list(calendar.month_name)[1:]
PAST_EXPRESSIONS = [
    "Thursday", "on Monday", "Sunday night", "last Friday", "last Sunday", "yesterday", "today",
    "tonight", "last night", "two days ago", "three weeks ago", "a year ago", "this week",
    "last week", "this month", "last month", "earlier this month", "earlier this week",
    "this year", "last year", "the past two weeks", "the past week", "the past 24 hours",
    "over the weekend", "last weekend", "since mid-October", "early January", "mid-March",
    "late December", "last August", "in August", "Jan. 28", "Dec. 30", "28 February",
    "Feb. 29", "the end of January", "since early January", "late last year", "the summer",
    "last winter", "the fourth quarter", "Jan. 28-30", "the first half", "since last week",
]  # fmt: skip


@given(published=PUBLISHED, text=st.sampled_from(PAST_EXPRESSIONS))
def test_relative_date_never_after_publication(published, text):
    r = resolve(text, published)
    assert r is not None
    assert r.date.start is not None and r.date.end is not None
    assert r.date.start <= r.date.end <= published


@given(published=PUBLISHED, text=st.sampled_from([*PAST_EXPRESSIONS, "tomorrow", "next week"]))
def test_start_never_after_end(published, text):
    r = resolve(text, published)
    assert r is not None and r.date.start <= r.date.end


@given(
    published=PUBLISHED,
    weekday=st.integers(0, 6),
    form=st.sampled_from(["{}", "on {}", "{} night", "{} morning", "last {}", "on {} evening"]),
)
def test_weekday_lands_on_that_weekday(published, weekday, form):
    r = resolve(form.format(WEEKDAYS[weekday]), published)
    assert r is not None
    assert r.date.start == r.date.end
    assert r.date.start.weekday() == weekday
    if form.startswith("last"):
        monday = published - timedelta(days=published.weekday())
        assert monday - timedelta(days=7) <= r.date.start < monday
    else:
        assert published - timedelta(days=6) <= r.date.start <= published


@given(published=PUBLISHED, day=st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)))
def test_month_day_is_the_latest_not_after_publication(published, day):
    r = resolve(f"{MONTHS[day.month - 1]} {day.day}", published)
    assert r is not None
    got = r.date.start
    assert (got.month, got.day) == (day.month, day.day)
    assert got <= published
    # nothing later: the same day one year on (or the next leap year) is after publication
    later = got.replace(year=got.year + 4 if (got.month, got.day) == (2, 29) else got.year + 1)
    assert later > published


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), pub=PUBLISHED)
def test_written_dates_do_not_depend_on_publication(day, pub):
    month = MONTHS[day.month - 1]
    for text in (
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        day.isoformat(),
    ):
        for published in (pub, None):
            r = resolve(text, published)
            assert r is not None and (r.date.start, r.date.end) == (day, day), text


@given(
    published=PUBLISHED, part=st.sampled_from(["early", "mid", "late"]), month=st.integers(1, 12)
)
def test_parts_of_a_month(published, part, month):
    r = resolve(f"{part} {MONTHS[month - 1]}", published)
    assert r is not None and r.date.precision == "range"
    start = r.date.start
    assert start.month == month
    assert start.day == {"early": 1, "mid": 11, "late": 21}[part]
    assert start <= r.date.end <= published


WORDS = (  # noqa: SIM905 (a sentence of words reads better than a list)
    "since early mid late last this next the past two 3 days weeks ago later earlier of in on "
    "January Feb. 30 29 2024 9999 Monday night 9:30 p.m. 25:00 2/30/2024 quarter half summer "
    "weekend year month week day following '90s 20th century Christmas to - and between now"
    " year-end mid-afternoon morning recent coming ahead and a half 1/2 year's third each"
).split()


@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
    published=st.one_of(st.none(), st.dates(min_value=date(2, 1, 1), max_value=date(9998, 1, 1))),
)
def test_any_word_salad_resolves_or_not_without_error(words, published):
    r = resolve(" ".join(words), published, anchor=date(2024, 1, 31))
    if r is not None and r.date.start is not None and r.date.end is not None:
        assert r.date.start <= r.date.end


# --- reading forward: a clause that looks ahead ("talks will resume Monday") ----------------------


@given(published=PUBLISHED, weekday=st.integers(0, 6))
def test_forward_weekday_is_the_next_one(published, weekday):
    r = resolve(WEEKDAYS[weekday], published, forward=True)
    assert r is not None and r.date.start == r.date.end
    assert r.date.start.weekday() == weekday
    assert published < r.date.start <= published + timedelta(days=7)


@given(published=PUBLISHED, day=st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)))
def test_forward_month_day_is_the_earliest_not_before_publication(published, day):
    r = resolve(f"{MONTHS[day.month - 1]} {day.day}", published, forward=True)
    assert r is not None
    got = r.date.start
    assert (got.month, got.day) == (day.month, day.day)
    assert got >= published
    earlier = got.replace(year=got.year - 4 if (got.month, got.day) == (2, 29) else got.year - 1)
    assert earlier < published


@given(published=PUBLISHED, month=st.integers(1, 12))
def test_forward_month_is_this_one_or_a_later_one(published, month):
    r = resolve(f"in {MONTHS[month - 1]}", published, forward=True)
    assert r is not None and r.date.start.month == month
    assert r.date.end >= published
    assert r.date.start <= published + timedelta(days=366)


@given(
    published=PUBLISHED, text=st.sampled_from(["since mid-October", "since Jan. 28", "since May"])
)
def test_since_looks_back_even_forward(published, text):
    back, ahead = resolve(text, published), resolve(text, published, forward=True)
    assert back is not None and ahead is not None
    assert ahead.date == back.date
    assert ahead.date.start <= ahead.date.end == published


def test_forward_leaves_words_with_their_own_direction_alone():
    for text in ("last Friday", "yesterday", "two days ago", "Jan. 28, 2024", "last week"):
        assert resolve(text, THU, forward=True) == resolve(text, THU), text


def test_noon_is_a_word_not_part_of_afternoon():
    r = resolve("the afternoon of Jan. 28", THU)
    assert r is not None and r.value == "2024-01-28TAF"


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("P2W", 14.0),
        ("P27D", 27.0),
        ("PT24H", 1.0),
        ("P1.5Y", 547.8),
        ("PXD", None),
        ("2024-01", None),
    ],
)
def test_duration_days(value: str, days: float | None) -> None:
    assert duration_days(value) == (pytest.approx(days) if days is not None else None)


@pytest.mark.parametrize(
    ("text", "value"), [("three consecutive days", "P3D"), ("5 bloody days", "P5D")]
)
def test_a_word_for_how_the_days_went(text: str, value: str) -> None:
    res = resolve(text, date(2024, 2, 8))
    assert res is not None and res.type == "DURATION" and res.value == value
