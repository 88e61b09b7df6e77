"""Stage ``parse``: spaCy tokens, sentences, parse and entities for each article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..config import Settings
from ..nlp import load_model
from ..pipeline import register_stage
from ..records import Document


class Parse:
    def __init__(self, settings: Settings) -> None:
        self.nlp = load_model(settings.nlp.model, settings.input.max_bytes)
        self.batch_size = settings.nlp.batch_size

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        items = list(docs)
        for item, parsed in zip(
            items, self.nlp.pipe((d.text for d in items), batch_size=self.batch_size), strict=True
        ):
            item.doc = parsed
            yield item


@register_stage("parse", reads=("article",), writes=("doc",))
def make_parse(settings: Settings) -> Parse:
    """Tokenize, tag, parse and find entities with the configured spaCy model."""
    return Parse(settings)
