"""The trigger lexicon as compiled from data/triggers.toml."""

from __future__ import annotations

from eventwire.lexicon import load_lexicon


def test_hyphenated_phrases_are_split_like_spacy_tokens() -> None:
    # spaCy splits "cease-fire" into cease - fire: the phrase must be looked up the same way
    phrases = load_lexicon().phrases
    assert any(p.lemmas == ("cease", "-", "fire") for p in phrases["cease"])
    assert "cease-fire" not in phrases


def test_a_verb_and_its_object_can_tell_a_new_armed_unit() -> None:
    subs = {sub for _, _, sub in load_lexicon().verb_objects}
    assert "Change to group/activity" in subs
