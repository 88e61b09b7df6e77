"""A small learned sub-event classifier: which ACLED sub-event type a snippet reports, if any.

A linear model over word 1-2-grams and character 3-5-grams (TF-IDF, sublinear counts), trained by
``scripts/train_classifier.py`` on the hand-written corpus in ``data/training/`` and shipped as one
compressed ``.npz`` in ``data/classifier/``. Its labels are the 25 ACLED sub-event types and six
"no event" classes (``none:natural_disaster``, ``none:crime``, ...), kept apart so that each can learn
its own cues; any ``none:*`` label means an ACLED coder would record no event.

The features are computed here, in plain Python, for training and inference alike, so the shipped
model needs only numpy at run time; scikit-learn is needed to train (the ``train`` extra).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelNotFoundError, OptionalDependencyError

log = logging.getLogger(__name__)

#: labels meaning "no ACLED event" start with this
NO_EVENT_PREFIX = "none:"
NO_EVENT_LABELS: tuple[str, ...] = (
    "none:natural_disaster",
    "none:man_made_disaster",
    "none:crime",
    "none:diplomacy",
    "none:attribution",
    "none:statement",
)
DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA_DIR / "classifier" / "model.npz"
CORPUS_DIR = DATA_DIR / "training"
#: neutral background sentences (one a line) attached to training snippets; see ``augment``
CONTEXT_PATH = CORPUS_DIR / "context.txt"
#: bumped whenever the features change, so an old model file is refused rather than misread
FEATURES_VERSION = 2

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_DIGIT = re.compile(r"[0-9]")
_SPACE = re.compile(r"\s+")
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def normalize(text: str) -> str:
    """Lower case, every digit as 0 (a count's size is not a type cue), one space between words,
    hyphenated words joined ("cease-fire" reads as "ceasefire", not as "cease" and "fire")."""
    return _SPACE.sub(" ", _HYPHEN.sub("", _DIGIT.sub("0", text.lower()))).strip()


def features(text: str) -> tuple[list[str], list[str]]:
    """The word 1-2-gram and character 3-5-gram features of ``text``, with repeats.

    Character n-grams are taken inside each space-padded word (as scikit-learn's ``char_wb``), so
    they carry stems and affixes ("shell", "bomb", "-ed ") across inflections and compounds.
    """
    norm = normalize(text)
    words = _WORD.findall(norm)
    word_feats = [f"w {w}" for w in words]
    word_feats.extend(f"b {a} {b}" for a, b in pairwise(words))
    char_feats: list[str] = []
    for token in norm.split(" "):
        padded = f" {token} "
        size = len(padded)
        for n in (3, 4, 5):
            if size < n:
                break
            char_feats.extend(padded[i : i + n] for i in range(size - n + 1))
    return word_feats, char_feats


def _weights(
    feats: list[str], vocab: dict[str, int], idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and L2-normalized TF-IDF values (sublinear tf) of one feature group."""
    counts = Counter(vocab[f] for f in feats if f in vocab)
    if not counts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    vals = (1.0 + np.log(tf)) * idf[idx]
    norm = math.sqrt(float(vals @ vals))
    return idx, vals / norm if norm else vals


def vectorize(text: str, vocab: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sparse feature vector of ``text``: (column indices, values); each group normalized apart."""
    word_feats, char_feats = features(text)
    wi, wv = _weights(word_feats, vocab, idf)
    ci, cv = _weights(char_feats, vocab, idf)
    return np.concatenate([wi, ci]), np.concatenate([wv, cv])


@dataclass(frozen=True)
class ModelArrays:
    """Everything inference needs: the vocabulary, IDF weights and the linear model."""

    labels: tuple[str, ...]
    vocab: tuple[str, ...]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # float16 weights: the model stays small enough for the wheel; the scores move by ~1e-3
        np.savez_compressed(
            path,
            version=np.array(FEATURES_VERSION),
            labels=np.array(self.labels),
            vocab=np.array("\n".join(self.vocab)),
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> ModelArrays:
        with np.load(path, allow_pickle=False) as z:
            version = int(z["version"])
            if version != FEATURES_VERSION:
                raise ModelNotFoundError(
                    f"the classifier model {path} was built for features version {version}, "
                    f"this eventwire reads version {FEATURES_VERSION}: "
                    "rebuild it with `python scripts/train_classifier.py`"
                )
            return cls(
                labels=tuple(str(s) for s in z["labels"]),
                vocab=tuple(str(z["vocab"]).split("\n")),
                idf=z["idf"].astype(np.float64),
                coef=z["coef"].astype(np.float32),
                intercept=z["intercept"].astype(np.float32),
            )


class EventClassifier:
    """Scores a snippet against every label; ``none:*`` labels mean no ACLED event."""

    def __init__(self, model: ModelArrays) -> None:
        self.model = model
        self.labels: tuple[str, ...] = model.labels
        self._vocab = {f: i for i, f in enumerate(model.vocab)}

    @classmethod
    def from_path(cls, path: Path) -> EventClassifier:
        if not path.is_file():
            raise ModelNotFoundError(
                f"no classifier model at {path}: build it with "
                "`pip install 'eventwire[train]'` and `python scripts/train_classifier.py`"
            )
        return cls(ModelArrays.load(path))

    def scores(self, text: str) -> np.ndarray:
        """The linear scores (logits) of one text, one per label."""
        idx, vals = vectorize(text, self._vocab, self.model.idf)
        out = self.model.intercept.astype(np.float64)
        if len(idx):
            out = out + vals @ self.model.coef[idx]
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text and one column per label in ``labels``; rows sum to 1."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        logits = np.stack([self.scores(t) for t in texts])
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs

    def no_event_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The probability of "no ACLED event" per text: the ``none:*`` labels' sum."""
        none_cols = [i for i, label in enumerate(self.labels) if not is_event(label)]
        return self.predict_proba(texts)[:, none_cols].sum(axis=1)

    def top(self, text: str) -> tuple[str, float]:
        """The most probable label of ``text`` and its probability."""
        probs = self.predict_proba([text])[0]
        best = int(probs.argmax())
        return self.labels[best], float(probs[best])


def is_event(label: str) -> bool:
    """True for an ACLED sub-event type, False for a ``none:*`` label."""
    return not label.startswith(NO_EVENT_PREFIX)


@lru_cache(maxsize=1)
def get_classifier() -> EventClassifier:
    """The shipped classifier, loaded once per process."""
    clf = EventClassifier.from_path(MODEL_PATH)
    log.debug(
        "loaded classifier %s: %d labels, %d features",
        MODEL_PATH,
        len(clf.labels),
        len(clf.model.vocab),
    )
    return clf


# --- training (needs scikit-learn: the ``train`` extra) ---------------------------------------


def read_corpus(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Corpus lines ``{"text", "label", "note"?}`` from JSONL files (``.jsonl`` files of folders)."""
    import json

    from .records import SUB_EVENT_TYPES

    known = set(SUB_EVENT_TYPES) | set(NO_EVENT_LABELS)
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    items: list[dict[str, Any]] = []
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("label") not in known:
                raise ValueError(f"{file}:{n}: unknown label {item.get('label')!r}")
            items.append(item)
    return items


def read_context(path: Path = CONTEXT_PATH) -> list[str]:
    """The background sentences used by ``augment``, one a line."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def augment(
    texts: Sequence[str],
    labels: Sequence[str],
    context: Sequence[str],
    copies: int = 2,
    seed: int = 13,
) -> tuple[list[str], list[str]]:
    """The snippets plus ``copies`` more of each with one background sentence before or after it.

    Written snippets are short and on point; news snippets carry background ("The region has seen
    a rise in violence") that says nothing about the type. Training on both teaches the model to
    give such sentences no weight. Deterministic for a given ``seed``.
    """
    import random

    out_texts, out_labels = list(texts), list(labels)
    if not context:
        return out_texts, out_labels
    rng = random.Random(seed)
    for _ in range(copies):
        for text, label in zip(texts, labels, strict=True):
            extra = rng.choice(context)
            out_texts.append(f"{text} {extra}" if rng.random() < 0.5 else f"{extra} {text}")
            out_labels.append(label)
    return out_texts, out_labels


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    context: Sequence[str] = (),
    copies: int = 2,
    seed: int = 13,
    c: float = 10.0,
    min_df: int = 2,
    max_iter: int = 2000,
) -> ModelArrays:
    """Fit the model: TF-IDF over features seen in >= ``min_df`` texts, class-weighted logistic
    regression (L2, inverse strength ``c``), on the snippets augmented with ``context`` (see
    ``augment``). Deterministic: same inputs, same weights."""
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise OptionalDependencyError("training the classifier", "train") from None

    # vocabulary and IDF from the written snippets alone: augmented copies would let every
    # feature of a single snippet pass ``min_df`` and double the model's size
    df: Counter[str] = Counter()
    for word_feats, char_feats in map(features, texts):
        df.update(set(word_feats) | set(char_feats))
    vocab = tuple(sorted(f for f, n in df.items() if n >= min_df))
    index = {f: i for i, f in enumerate(vocab)}
    idf = np.array([math.log((1 + len(texts)) / (1 + df[f])) + 1.0 for f in vocab])
    texts, labels = augment(texts, labels, context, copies=copies, seed=seed)
    n_docs = len(texts)

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for r, text in enumerate(texts):
        idx, val = vectorize(text, index, idf)
        rows.append(np.full(len(idx), r))
        cols.append(idx)
        vals.append(val)
    x = csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_docs, len(vocab)),
    )
    label_set = tuple(sorted(set(labels)))
    y = np.array([label_set.index(label) for label in labels])
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=max_iter, tol=1e-6)
    lr.fit(x, y)
    coef = lr.coef_.T
    intercept = lr.intercept_
    if len(label_set) == 2:  # scikit-learn keeps one column for two classes
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return ModelArrays(labels=label_set, vocab=vocab, idf=idf, coef=coef, intercept=intercept)
