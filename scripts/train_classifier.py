"""Train the sub-event classifier on the hand-written corpus and write the shipped model.

Reads every ``.jsonl`` in ``eventwire/data/training/`` (``{"text", "label", "note"?}`` a line), adds
``--copies`` copies of each snippet with a background sentence from ``context.txt`` attached (see
``eventwire.classifier.augment``), fits TF-IDF word 1-2-grams + character 3-5-grams with a
class-weighted logistic regression (``eventwire.classifier.train``) and writes
``eventwire/data/classifier/model.npz``. Deterministic: the same corpus and options (``--seed``)
give the same weights. ``--cv K`` first reports stratified K-fold accuracy
and macro-F1 on the corpus itself (a check of the corpus, not a score on real news).

Needs scikit-learn: ``pip install -e '.[train]'``.

    .venv/bin/python scripts/train_classifier.py [--corpus DIR|FILE ...] [--context FILE]
        [--copies N] [--seed N] [--out FILE] [--c C] [--min-df N] [--cv K]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.classifier import (
    CONTEXT_PATH,
    CORPUS_DIR,
    MODEL_PATH,
    EventClassifier,
    read_context,
    read_corpus,
    train,
)


def cross_validate(texts: list[str], labels: list[str], k: int, options: dict[str, Any]) -> None:
    """Stratified K-fold on the corpus: each fold trains (with augmentation) on the rest."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    pred = ["" for _ in texts]
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=options["seed"])
    for train_idx, test_idx in folds.split(texts, labels):
        fold = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], **options)
        clf = EventClassifier(fold)
        probs = clf.predict_proba([texts[i] for i in test_idx])
        for i, row in zip(test_idx, probs, strict=True):
            pred[i] = clf.labels[int(row.argmax())]
    acc = accuracy_score(labels, pred)
    macro = f1_score(labels, pred, average="macro")
    print(f"{k}-fold CV on the corpus: accuracy {acc:.3f}, macro-F1 {macro:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[CORPUS_DIR])
    parser.add_argument("--context", type=Path, default=CONTEXT_PATH, help="background sentences")
    parser.add_argument("--copies", type=int, default=2, help="augmented copies of each snippet")
    parser.add_argument("--seed", type=int, default=13)
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
    options: dict[str, Any] = {
        "context": read_context(args.context) if args.copies else [],
        "copies": args.copies,
        "seed": args.seed,
        "c": args.c,
        "min_df": args.min_df,
    }
    if args.cv:
        cross_validate(texts, labels, args.cv, options)

    start = time.perf_counter()
    model = train(texts, labels, **options)
    model.save(args.out)
    took = time.perf_counter() - start
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size / 1e6:.2f} MB): {len(model.vocab)} features, "
        f"{len(model.labels)} labels, trained in {took:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
