from __future__ import annotations

import pytest

from eventwire.errors import PipelineError
from eventwire.pipeline import Pipeline, register_stage, registered_stages
from eventwire.records import Article, Document


def test_builtin_stages_are_registered_with_reads_and_writes() -> None:
    specs = registered_stages()
    for name in ("parse", "places", "dates", "events", "actors", "counts", "quotes", "notes"):
        assert name in specs
        assert specs[name].writes


def test_unknown_stage_is_an_error(settings) -> None:
    with pytest.raises(PipelineError, match="unknown stage 'nope'"):
        Pipeline(settings, stages=["parse", "nope"])


def test_stage_reading_what_nothing_wrote_is_an_error(settings) -> None:
    with pytest.raises(PipelineError, match="reads doc"):
        Pipeline(settings, stages=["events"])


def test_a_user_stage_can_be_added(settings) -> None:
    @register_stage("test_tagger", reads=("events",), writes=("events",))
    def make(_settings):
        def tag(doc: Document) -> Document:
            for event in doc.events:
                event.notes = "tagged"
            return doc

        return tag

    pipeline = Pipeline(settings)
    pipeline.add_stage("test_tagger", after="notes")
    assert pipeline.stage_names[-1] == "test_tagger"
    result = pipeline(Article(text="Rebels shelled the town on Tuesday, killing two civilians."))
    assert result.events and all(e.notes == "tagged" for e in result.events)


def test_a_failing_stage_keeps_the_batch(settings) -> None:
    @register_stage("test_boom", reads=("doc",), writes=())
    def make(_settings):
        def boom(doc: Document) -> Document:
            if "boom" in doc.text:
                raise RuntimeError("kaboom")
            return doc

        return boom

    pipeline = Pipeline(settings)
    pipeline.add_stage("test_boom", after="parse")
    results = list(
        pipeline.pipe(
            [
                Article(text="boom goes the text"),
                Article(text="Police arrested the opposition leader."),
            ]
        )
    )
    assert len(results) == 2
    assert any("test_boom" in w for w in results[0].warnings)
    assert results[1].events


def test_parallel_results_equal_serial(settings) -> None:
    texts = [
        f"Rebels shelled the town of Kesh on {day}, killing {n} civilians."
        for n, day in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday"], start=2)
    ]
    articles = [Article(text=t) for t in texts]
    pipeline = Pipeline(settings)
    serial = [r.to_dict() for r in pipeline.pipe(articles, workers=1)]
    parallel = [r.to_dict() for r in pipeline.pipe(articles, workers=2)]
    assert serial == parallel
