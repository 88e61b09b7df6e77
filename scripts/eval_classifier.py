"""Measure the sub-event classifier alone on the CASE 2021 Task 2 snippets (measurement only).

The CASE snippets have no licence: they are read here to measure, never to train. For each item
the classifier's first label is the prediction; a ``none:*`` label means "no event".

Figures (ACLED-labelled items unless said otherwise):
- weighted F1 over the 25 ACLED sub-types (CASE subtask 1 style: per-type F1 weighted by gold
  support; a "no event" answer on an ACLED item is a miss), macro-F1 (mean over the gold types
  present) and accuracy;
- the same with the answer restricted to the 25 ACLED types (the shared task's subtask 1, where
  every item is known to report an event);
- on the non-ACLED items: the share answered ``none:*``; over all items, precision and recall of
  "no event";
- the most frequent confusions, and throughput.

    .venv/bin/python scripts/eval_classifier.py [--data FILE] [--model FILE] [--errors] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from eventwire.classifier import MODEL_PATH, EventClassifier, is_event
from eventwire.records import SUB_EVENT_TYPES

DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/events/case2021-task2.dev.jsonl"
NONE = "none"


def f1_scores(gold: list[str], pred: list[str], labels: list[str]) -> dict[str, float]:
    """Per-label F1 for ``labels``; a prediction outside them counts against recall only."""
    out = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def summary(gold: list[str], pred: list[str]) -> dict[str, float]:
    support = Counter(gold)
    present = sorted(support)
    f1 = f1_scores(gold, pred, present)
    return {
        "weighted_f1": sum(f1[label] * support[label] for label in present) / len(gold),
        "macro_f1": sum(f1.values()) / len(present),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
    }


def line(figures: dict[str, float]) -> str:
    return (
        "  weighted F1 {weighted_f1:.3f}  macro-F1 {macro_f1:.3f}  accuracy {accuracy:.3f}".format(
            **figures
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--errors", action="store_true", help="print each wrong item")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    items = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    clf = EventClassifier.from_path(args.model)
    texts = [item["text"] for item in items]
    start = time.perf_counter()
    probs = clf.predict_proba(texts)
    took = time.perf_counter() - start

    acled_cols = np.array([is_event(label) for label in clf.labels])
    gold, pred, pred_acled = [], [], []
    for item, row in zip(items, probs, strict=True):
        events = item.get("events") or []
        gold.append(events[0]["sub_event_type"] if events else NONE)
        label = clf.labels[int(row.argmax())]
        pred.append(label if is_event(label) else NONE)
        pred_acled.append(clf.labels[int(np.where(acled_cols, row, -1.0).argmax())])

    on_acled = [i for i, g in enumerate(gold) if g != NONE]
    off_acled = [i for i, g in enumerate(gold) if g == NONE]
    first = summary([gold[i] for i in on_acled], [pred[i] for i in on_acled])
    forced = summary([gold[i] for i in on_acled], [pred_acled[i] for i in on_acled])
    none_share = sum(pred[i] == NONE for i in off_acled) / max(1, len(off_acled))
    said_none = [i for i, p in enumerate(pred) if p == NONE]
    none_precision = sum(gold[i] == NONE for i in said_none) / max(1, len(said_none))
    acled_missed = sum(pred[i] == NONE for i in on_acled) / max(1, len(on_acled))
    assert set(gold) - {NONE} <= set(SUB_EVENT_TYPES)

    n_on, n_off = len(on_acled), len(off_acled)
    print(f"{args.data.name}: {len(items)} items, {n_on} ACLED, {n_off} non-ACLED")
    print(f"model {args.model} ({len(clf.labels)} labels)")
    print("ACLED items, first label (none:* = no event):")
    print(line(first))
    print(f"  answered no event: {acled_missed:.3f}")
    print("ACLED items, best of the 25 ACLED types (subtask 1):")
    print(line(forced))
    print(f"non-ACLED items answered no event: {none_share:.3f}")
    print(f"'no event' over all items: precision {none_precision:.3f}, recall {none_share:.3f}")
    print(f"speed: {len(items) / took:.0f} snippets/s ({1000 * took / len(items):.2f} ms each)")

    # "no event" when the none:* labels together pass a threshold, else the best ACLED type
    p_none = probs[:, ~acled_cols].sum(axis=1)
    print("'no event' when P(none:*) > t (t = 0.5 is close to, not the same as, the first label):")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        by_t = [NONE if p_none[i] > t else pred_acled[i] for i in range(len(items))]
        f = summary([gold[i] for i in on_acled], [by_t[i] for i in on_acled])
        share = sum(by_t[i] == NONE for i in off_acled) / max(1, len(off_acled))
        print(f"  t={t:.1f}: weighted F1 {f['weighted_f1']:.3f}, non-ACLED no event {share:.3f}")

    confusions = Counter((gold[i], pred[i]) for i in range(len(items)) if gold[i] != pred[i])
    print("most frequent confusions (gold -> predicted):")
    for (g, p), n in confusions.most_common(25):
        src = g if g != NONE else "non-ACLED"
        print(f"  {n:3d}  {src} -> {p}")
    per_type = f1_scores(
        [gold[i] for i in on_acled], [pred[i] for i in on_acled], sorted(SUB_EVENT_TYPES)
    )
    support = Counter(gold[i] for i in on_acled)
    print("per-type F1 (first label), support:")
    for label in sorted(per_type, key=per_type.__getitem__):
        if support[label]:
            print(f"  {per_type[label]:.2f}  {support[label]:3d}  {label}")

    if args.errors:
        for i, item in enumerate(items):
            if gold[i] != pred[i]:
                src = item.get("source_label") or gold[i]
                top = clf.labels[int(probs[i].argmax())]
                print(f"--- {src} -> {pred[i]} ({top})\n{item['text']}")
    if args.json:
        figures = {
            "data": str(args.data),
            "items": len(items),
            "first_label": first,
            "acled_answered_no_event": acled_missed,
            "acled_only": forced,
            "non_acled_no_event": none_share,
            "no_event_precision": none_precision,
            "snippets_per_second": len(items) / took,
            "per_type_f1": per_type,
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
