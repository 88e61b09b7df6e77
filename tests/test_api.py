"""The public API: eventwire.extract on arbitrary input raises only the documented input errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventwire
from eventwire.errors import InputError

HTML_BITS = st.sampled_from(
    ["<p>", "</p>", "<script>alert(1)</script>", "<b>", "&amp;", "<div><span>", "<!--", "]]>"]
)
WORDS = st.sampled_from(
    ["the", "army", "shelled", "Kesh", "on", "Tuesday", "killing", "3", "rebels", "“", "”", "\n"]
)


def _extract(text: str) -> None:
    try:
        result = eventwire.extract(text, published="2023-05-12")
    except InputError:
        return
    for event in result.events:
        for ev in event.evidence:
            assert text.replace("\r\n", "\n")[ev.start : ev.end] == ev.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_unicode(text: str) -> None:
    _extract(text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(HTML_BITS, WORDS), max_size=80).map(" ".join))
def test_html_fragments_and_news_words(text: str) -> None:
    _extract(text)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(min_value=1, max_value=3))
def test_huge_inputs(n: int) -> None:
    huge = "Rebels shelled the town on Tuesday. " * (80_000 * n)
    with pytest.raises(InputError):
        eventwire.extract(huge)


def test_extract_returns_the_contract() -> None:
    result = eventwire.extract(
        "Gunmen killed seven farmers in their fields on Monday.", published="2023-05-12"
    )
    assert result.events
    event = result.events[0]
    assert event.event_type == "Violence against civilians"
    assert event.fatalities is not None and event.fatalities.count == 7
    assert str(event.date.start) == "2023-05-08"
