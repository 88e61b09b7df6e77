"""eventwire: conflict news in, ACLED-style event records out.

    >>> import eventwire
    >>> result = eventwire.extract(text, published="2024-02-08")
    >>> [e.sub_event_type for e in result.events]

The public API is what this module exports; everything else is internal and may change.
"""

from __future__ import annotations

from datetime import date

from .config import Settings, load_settings
from .errors import EventwireError, InputError
from .pipeline import Pipeline, register_stage, registered_stages
from .records import (
    Actor,
    Aggregate,
    Article,
    ArticleInfo,
    ArticleResult,
    Count,
    DateInfo,
    Document,
    Event,
    Place,
    Quote,
    Span,
)

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Aggregate",
    "Article",
    "ArticleInfo",
    "ArticleResult",
    "Count",
    "DateInfo",
    "Document",
    "Event",
    "EventwireError",
    "InputError",
    "Pipeline",
    "Place",
    "Quote",
    "Settings",
    "Span",
    "__version__",
    "extract",
    "load_settings",
    "register_stage",
    "registered_stages",
]

_DEFAULT: Pipeline | None = None


def extract(
    text: str | bytes,
    published: date | str | None = None,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    pipeline: Pipeline | None = None,
) -> ArticleResult:
    """Events, aggregates and quotes of one article.

    Raises an ``InputError`` subclass for input the pipeline cannot read (empty, binary, too large,
    not English, a malformed date); the default pipeline is built once and reused.
    """
    from .ingest import article_from_text

    global _DEFAULT
    if pipeline is None:
        if _DEFAULT is None:
            _DEFAULT = Pipeline()
        pipeline = _DEFAULT
    article = article_from_text(
        text,
        published=published,
        id=id,
        url=url,
        title=title,
        source=source,
        settings=pipeline.settings,
    )
    return pipeline(article)
