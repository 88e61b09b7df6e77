from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from eventwire.classifier import (
    CORPUS_DIR,
    NO_EVENT_LABELS,
    EventClassifier,
    ModelArrays,
    augment,
    features,
    get_classifier,
    is_event,
    normalize,
    read_context,
    read_corpus,
    train,
)
from eventwire.errors import ModelNotFoundError
from eventwire.records import SUB_EVENT_TYPES

TINY = [
    ("Jets bombed the rebel camp at dawn.", "Air/drone strike"),
    ("Warplanes struck a village, killing four.", "Air/drone strike"),
    ("A drone strike hit a car on the road.", "Air/drone strike"),
    ("Hundreds marched peacefully to the ministry.", "Peaceful protest"),
    ("Teachers held a rally demanding their wages.", "Peaceful protest"),
    ("Students staged a sit-in outside parliament.", "Peaceful protest"),
    ("Floods killed twelve people after heavy rain.", "none:natural_disaster"),
    ("An earthquake destroyed hundreds of homes.", "none:natural_disaster"),
    ("A cyclone forced thousands to evacuate.", "none:natural_disaster"),
]


def test_normalize_and_features() -> None:
    assert normalize("  Killed 12\nPeople ") == "killed 00 people"
    words, chars = features("Jets bombed")
    assert words == ["w jets", "w bombed", "b jets bombed"]
    assert " je" in chars and "bombe" in chars and "ed " in chars
    assert features("Jets bombed") == (words, chars)


def test_shipped_model_loads() -> None:
    clf = get_classifier()
    assert get_classifier() is clf
    assert set(clf.labels) == set(SUB_EVENT_TYPES) | set(NO_EVENT_LABELS)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "Fighter jets bombed a militant training camp in the mountains on Sunday, killing 14.",
            "Air/drone strike",
        ),
        (
            "A suicide bomber detonated his explosive vest at the gate of the police academy.",
            "Suicide bomb",
        ),
        (
            "Thousands of nurses marched peacefully through the capital to demand higher pay.",
            "Peaceful protest",
        ),
        (
            "Police arrested the leader of the main opposition party at his home on Tuesday.",
            "Arrests",
        ),
        (
            "A magnitude 6.8 earthquake struck the region overnight, flattening villages.",
            "none:natural_disaster",
        ),
        (
            "Gunmen kidnapped eight passengers from a bus and took them into the forest.",
            "Abduction/forced disappearance",
        ),
        (
            "Bomb disposal experts defused an explosive device found near the market.",
            "Disrupted weapons use",
        ),
    ],
)
def test_predicts_clear_sentences(text: str, label: str) -> None:
    assert get_classifier().top(text)[0] == label


def test_probabilities_sum_to_one() -> None:
    clf = get_classifier()
    probs = clf.predict_proba(["Rebels shelled the town.", "", "Talks ended without a deal."])
    assert probs.shape == (3, len(clf.labels))
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert (probs >= 0).all()
    assert clf.predict_proba([]).shape == (0, len(clf.labels))
    p_none = clf.no_event_proba(["Floods killed 40 people.", "Rebels shelled the town."])
    assert p_none[0] > 0.5 > p_none[1]
    label, p = clf.top("Rebels shelled the town.")
    assert label in clf.labels and 0.0 < p <= 1.0


def test_is_event() -> None:
    assert is_event("Armed clash")
    assert not is_event("none:crime")


def test_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"scripts/train_classifier\.py"):
        EventClassifier.from_path(tmp_path / "absent.npz")


def test_training_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    texts, labels = zip(*TINY, strict=True)
    context = ["Officials gave no details.", "The area is remote."]
    first = train(texts, labels, min_df=1, context=context)
    second = train(texts, labels, min_df=1, context=context)
    assert first.labels == second.labels
    assert first.vocab == second.vocab
    assert np.array_equal(first.coef, second.coef)
    assert np.array_equal(first.intercept, second.intercept)

    path = tmp_path / "model.npz"
    first.save(path)
    loaded = EventClassifier.from_path(path)
    direct = EventClassifier(first)
    probe = ["Warplanes bombed a camp.", "An earthquake and floods killed people."]
    assert np.allclose(loaded.predict_proba(probe), direct.predict_proba(probe), atol=1e-2)
    assert loaded.top(probe[0])[0] == "Air/drone strike"
    assert loaded.top(probe[1])[0] == "none:natural_disaster"


def test_model_of_another_feature_version_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    texts, labels = zip(*TINY, strict=True)
    path = tmp_path / "model.npz"
    train(texts, labels, min_df=1).save(path)
    with np.load(path) as z:
        arrays = dict(z)
    arrays["version"] = np.array(-1)
    np.savez(path, **arrays)
    with pytest.raises(ModelNotFoundError, match="features version"):
        ModelArrays.load(path)


def test_augment_adds_background_deterministically() -> None:
    texts, labels = ["Jets bombed a camp."], ["Air/drone strike"]
    context = ["Officials gave no details.", "The area is remote."]
    once = augment(texts, labels, context, copies=2, seed=5)
    assert once == augment(texts, labels, context, copies=2, seed=5)
    out_texts, out_labels = once
    assert out_texts[0] == texts[0] and len(out_texts) == 3
    assert out_labels == labels * 3
    assert all(t != texts[0] and texts[0] in t for t in out_texts[1:])
    assert augment(texts, labels, [], copies=2) == (texts, labels)


def test_read_corpus_rejects_unknown_labels(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "Something happened.", "label": "Skirmish"}) + "\n")
    with pytest.raises(ValueError, match="Skirmish"):
        read_corpus([bad])


def test_corpus_covers_every_label() -> None:
    items = read_corpus([CORPUS_DIR])
    counts = Counter(item["label"] for item in items)
    assert set(counts) == set(SUB_EVENT_TYPES) | set(NO_EVENT_LABELS)
    assert min(counts.values()) >= 60
    texts = [item["text"].strip().lower() for item in items]
    assert len(texts) == len(set(texts)), "duplicate snippets in the corpus"
    assert len(read_context()) >= 20


def test_hyphenated_words_read_as_one() -> None:
    assert normalize("A cease-fire took hold") == "a ceasefire took hold"
    assert normalize("20-30 dead") == "00-00 dead"
