"""Train the sub-event classifier on the hand-written corpus and write the shipped model.

Reads every ``.jsonl`` in ``eventwire/data/training/`` (``{"text", "label", "note"?}`` a line), fits
TF-IDF word 1-2-grams + character 3-5-grams with a class-weighted logistic regression (see
``eventwire.classifier.train``) and writes ``eventwire/data/classifier/model.npz``. Deterministic:
the same corpus and options give the same file. ``--cv K`` first reports stratified K-fold accuracy
and macro-F1 on the corpus itself (a check of the corpus, not a score on real news).

Needs scikit-learn: ``pip install -e '.[train]'``.

    .venv/bin/python scripts/train_classifier.py [--corpus DIR|FILE ...] [--out FILE] [--c C]
        [--min-df N] [--cv K]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from eventwire.classifier import CORPUS_DIR, MODEL_PATH, EventClassifier, read_corpus, train

SEED = 13


def cross_validate(texts: list[str], labels: list[str], k: int, c: float, min_df: int) -> None:
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    pred = ["" for _ in texts]
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(texts, labels):
        model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], c=c, min_df=min_df)
        clf = EventClassifier(model)
        probs = clf.predict_proba([texts[i] for i in test_idx])
        for i, row in zip(test_idx, probs, strict=True):
            pred[i] = clf.labels[int(row.argmax())]
    acc = accuracy_score(labels, pred)
    macro = f1_score(labels, pred, average="macro")
    print(f"{k}-fold CV on the corpus: accuracy {acc:.3f}, macro-F1 {macro:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[CORPUS_DIR])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--c", type=float, default=10.0, help="inverse L2 strength")
    parser.add_argument("--min-df", type=int, default=2, help="keep features seen in >= N texts")
    parser.add_argument("--cv", type=int, default=0, help="report K-fold CV on the corpus first")
    args = parser.parse_args(argv)

    items = read_corpus(args.corpus)
    texts = [item["text"] for item in items]
    labels = [item["label"] for item in items]
    counts = Counter(labels)
    print(f"corpus: {len(items)} snippets, {len(counts)} labels")
    for label, n in sorted(counts.items()):
        print(f"  {n:4d}  {label}")
    if args.cv:
        cross_validate(texts, labels, args.cv, args.c, args.min_df)

    start = time.perf_counter()
    model = train(texts, labels, c=args.c, min_df=args.min_df)
    model.save(args.out)
    took = time.perf_counter() - start
    size = args.out.stat().st_size
    nonzero = int(np.count_nonzero(np.abs(model.coef).max(axis=1) > 1e-4))
    print(
        f"wrote {args.out} ({size / 1e6:.2f} MB): {len(model.vocab)} features "
        f"({nonzero} with weight), {len(model.labels)} labels, trained in {took:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
