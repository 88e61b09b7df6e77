"""The pipeline: small named stages, each declaring which Document attributes it reads and writes.

A stage is made by a factory registered under a name::

    @register_stage("places", reads=("doc",), writes=("places",))
    def make_places(settings: Settings) -> Stage:
        ...

A stage is a callable ``Document -> Document``; it may also offer ``pipe(docs)`` to work on a batch
at once (the parse stage does, to use spaCy's ``nlp.pipe``). ``Pipeline`` checks at construction that
every attribute a stage reads is written by an earlier stage, so a swapped or added stage fails early
with a message instead of late with an AttributeError.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from .config import Settings, load_settings
from .errors import EventwireError, InputError, PipelineError
from .records import Article, ArticleResult, Document

log = logging.getLogger(__name__)

#: attributes every Document has before the first stage runs
BASE_ATTRIBUTES = ("article", "warnings")


@runtime_checkable
class Stage(Protocol):
    def __call__(self, doc: Document) -> Document: ...


@dataclass(frozen=True)
class StageSpec:
    name: str
    factory: Callable[[Settings], Stage]
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    description: str


_REGISTRY: dict[str, StageSpec] = {}
_BUILTIN_MODULES = ("parse", "places", "dates", "events", "actors", "counts", "quotes", "notes")


def register_stage(
    name: str, *, reads: Iterable[str], writes: Iterable[str]
) -> Callable[[Callable[[Settings], Stage]], Callable[[Settings], Stage]]:
    """Register a stage factory under ``name`` (a later registration replaces an earlier one)."""

    def decorate(factory: Callable[[Settings], Stage]) -> Callable[[Settings], Stage]:
        doc = (factory.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = StageSpec(
            name, factory, tuple(reads), tuple(writes), doc[0] if doc else ""
        )
        return factory

    return decorate


def _load_builtins() -> None:
    for module in _BUILTIN_MODULES:
        importlib.import_module(f"eventwire.stages.{module}")


def registered_stages() -> dict[str, StageSpec]:
    _load_builtins()
    return dict(_REGISTRY)


def get_stage_spec(name: str) -> StageSpec:
    if name not in _REGISTRY and name in _BUILTIN_MODULES:
        importlib.import_module(f"eventwire.stages.{name}")
    if name not in _REGISTRY:
        specs = registered_stages()
        raise PipelineError(
            f"unknown stage {name!r}; registered stages: {', '.join(sorted(specs))}. "
            "Register a new one with eventwire.register_stage."
        )
    return _REGISTRY[name]


def _check_order(specs: list[StageSpec]) -> None:
    available = set(BASE_ATTRIBUTES)
    for spec in specs:
        missing = [r for r in spec.reads if r not in available]
        if missing:
            raise PipelineError(
                f"stage {spec.name!r} reads {', '.join(missing)}, which no earlier stage writes; "
                "put a stage that writes it before this one in pipeline.stages"
            )
        available.update(spec.writes)


class Pipeline:
    """Articles in, ``ArticleResult`` out, through the stages named in ``settings.pipeline.stages``."""

    def __init__(self, settings: Settings | None = None, stages: list[str] | None = None) -> None:
        self.settings = settings or load_settings()
        names = stages if stages is not None else list(self.settings.pipeline.stages)
        self.specs = [get_stage_spec(n) for n in names]
        _check_order(self.specs)
        self._stages: dict[str, Stage] = {}

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.specs]

    def stage(self, name: str) -> Stage:
        """The stage object, made on first use (so a CLI that only exports loads no model)."""
        if name not in self._stages:
            spec = next((s for s in self.specs if s.name == name), None)
            if spec is None:
                raise PipelineError(f"stage {name!r} is not in this pipeline: {self.stage_names}")
            self._stages[name] = spec.factory(self.settings)
        return self._stages[name]

    def add_stage(self, name: str, *, before: str | None = None, after: str | None = None) -> None:
        names = self.stage_names
        if before is not None:
            names.insert(names.index(before), name)
        elif after is not None:
            names.insert(names.index(after) + 1, name)
        else:
            names.append(name)
        specs = [get_stage_spec(n) for n in names]
        _check_order(specs)
        self.specs = specs

    def replace_stage(self, name: str, new_name: str) -> None:
        specs = [get_stage_spec(new_name if s.name == name else s.name) for s in self.specs]
        _check_order(specs)
        self._stages.pop(name, None)
        self.specs = specs

    def remove_stage(self, name: str) -> None:
        specs = [s for s in self.specs if s.name != name]
        _check_order(specs)
        self._stages.pop(name, None)
        self.specs = specs

    def __call__(self, article: Article) -> ArticleResult:
        return next(iter(self.pipe([article])))

    def process(self, docs: list[Document]) -> list[Document]:
        """Run every stage over a batch; an article that breaks a stage keeps going, with a warning."""
        for spec in self.specs:
            stage = self.stage(spec.name)
            pipe = getattr(stage, "pipe", None)
            if pipe is not None:
                docs = list(pipe(docs))
            else:
                docs = [_run_stage(stage, spec.name, d) for d in docs]
        return docs

    def pipe(
        self, articles: Iterable[Article], *, workers: int | None = None
    ) -> Iterator[ArticleResult]:
        """Results in input order. ``workers`` > 1 (or 0 for every core) uses worker processes."""
        n = self.settings.pipeline.workers if workers is None else workers
        if n == 0:
            n = os.cpu_count() or 1
        if n > 1:
            yield from self._pipe_parallel(articles, n)
            return
        batch_size = self.settings.nlp.batch_size
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Article]) -> list[ArticleResult]:
        docs = [Document(article=a) for a in batch]
        return [d.result() for d in self.process(docs)]

    def _pipe_parallel(self, articles: Iterable[Article], n: int) -> Iterator[ArticleResult]:
        chunk = max(1, self.settings.nlp.batch_size // 2)
        ctx = multiprocessing.get_context("spawn" if os.name != "posix" else "fork")
        with ctx.Pool(
            n, initializer=_init_worker, initargs=(self.settings, self.stage_names)
        ) as pool:
            batches = _chunks(articles, chunk)
            for results in pool.imap(_work, batches):
                yield from (ArticleResult.model_validate(r) for r in results)


def _run_stage(stage: Stage, name: str, doc: Document) -> Document:
    try:
        return stage(doc)
    except EventwireError as exc:
        doc.warnings.append(f"stage {name}: {exc.message}")
        log.warning("%s: stage %s: %s", doc.article.origin, name, exc.message)
    except Exception as exc:  # a bug in one stage must not lose the rest of a batch
        doc.warnings.append(f"stage {name} failed on this article: {type(exc).__name__}: {exc}")
        log.exception("%s: stage %s failed", doc.article.origin, name)
    return doc


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_WORKER: Pipeline | None = None


def _init_worker(settings: Settings, stages: list[str]) -> None:
    global _WORKER
    _WORKER = Pipeline(settings, stages=stages)


def _work(batch: list[Article]) -> list[dict[str, Any]]:
    assert _WORKER is not None
    return [r.to_dict() for r in _WORKER._run_batch(batch)]


def failed_result(article: Article, error: InputError) -> ArticleResult:
    """The result of an article that could not be read: no events, the error as a warning."""
    return ArticleResult(article=article.info(), warnings=[*article.warnings, error.message])
