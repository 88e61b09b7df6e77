"""Stage ``quotes``: direct quotes with their speaker, followed across sentences.

A quote's speaker is the subject of the speech verb of its sentence ("Rasool added", "an Iraqi
military spokesman described ... as"), or, for a quote that continues a speaker's words, the
previous quote's speaker. A speaker named only by role ("a spokesman") takes the name of the person
the article gives that role ("Yehia Rasool, the spokesman for ..."); a surname or a pronoun takes
the full name said before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..config import Settings
from ..pipeline import register_stage
from ..records import Document, Quote
from ..syntax import phrase_text, quoted_regions

SPEECH_VERBS = frozenset(
    [
        "say",
        "add",
        "describe",
        "tell",
        "state",
        "call",
        "note",
        "warn",
        "claim",
        "announce",
        "write",
        "accuse",
        "insist",
        "declare",
        "explain",
        "stress",
        "argue",
        "allege",
        "vow",
        "threaten",
        "urge",
        "affirm",
        "confirm",
        "deny",
        "report",
        "quote",
    ]
)
MIN_QUOTE_CHARS = 8


@dataclass
class _Person:
    name: str
    role: str | None
    role_head: str | None


class QuoteFinder:
    def __call__(self, doc: Document) -> Document:
        if doc.doc is None:
            return doc
        sp = doc.doc
        people = _people(sp)
        quotes: list[Quote] = []
        last_speaker: tuple[str | None, str | None] = (None, None)
        last_end = -1
        for start, end in quoted_regions(doc.text):
            inner_start, inner_end = start + 1, end - 1
            # American style puts the sentence's comma or period inside the marks: not quoted words
            while inner_end > inner_start and doc.text[inner_end - 1] in " ,;:":
                inner_end -= 1
            while inner_start < inner_end and doc.text[inner_start].isspace():
                inner_start += 1
            text = doc.text[inner_start:inner_end]
            if len(text) < MIN_QUOTE_CHARS:
                continue
            speaker, role = self._speaker(sp, start, end, people)
            if (
                speaker is None
                and role is None
                and last_end >= 0
                and _same_paragraph(doc.text, last_end, start)
            ):
                speaker, role = last_speaker
            quotes.append(
                Quote(
                    speaker=speaker, speaker_role=role, text=text, start=inner_start, end=inner_end
                )
            )
            if speaker or role:
                last_speaker = (speaker, role)
            last_end = end
        doc.quotes = quotes
        return doc

    def _speaker(
        self, sp: Doc, start: int, end: int, people: list[_Person]
    ) -> tuple[str | None, str | None]:
        span = sp.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None, None
        sents = {span[0].sent.start: span[0].sent, span[-1].sent.start: span[-1].sent}
        inside = range(span.start, span.end)
        for sent in sents.values():
            for tok in sent:
                if tok.i in inside or tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ != "VERB":
                    continue
                subj = next(
                    (c for c in tok.children if c.dep_ == "nsubj" and c.i not in inside), None
                )
                if subj is None and tok.dep_ == "relcl":
                    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if subj is not None:
                    return _name_speaker(subj, people)
        return None, None


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return "\n" not in text[a:b]


def _people(sp: Doc) -> list[_Person]:
    """Every person the article names, with the role an apposition gives them."""
    people: list[_Person] = []
    for ent in sp.ents:
        if ent.label_ != "PERSON":
            continue
        role = None
        role_head = None
        for tok in ent.root.children:
            if tok.dep_ == "appos":
                role_span = phrase_text(tok, stop_deps=("relcl",))
                role = (
                    role_span.text
                    if role_span[0].dep_ != "det"
                    else sp[role_span.start + 1 : role_span.end].text
                )
                role_head = tok.lemma_.lower()
        people.append(_Person(ent.text, role, role_head))
    return people


def _name_speaker(subj: Token, people: list[_Person]) -> tuple[str | None, str | None]:
    sp = subj.doc
    person = next((e for e in sp.ents if e.label_ == "PERSON" and e.start <= subj.i < e.end), None)
    if person is None:
        person = next(
            (
                e
                for e in sp.ents
                if e.label_ == "PERSON"
                and subj.left_edge.i <= e.start
                and e.end <= subj.right_edge.i + 1
            ),
            None,
        )
    if person is not None:
        full = _full_name(person.text, people)
        role = next((p.role for p in people if p.name == full and p.role), None)
        return full, role
    if subj.pos_ == "PROPN":
        named = [p for p in people if p.name.split()[-1] == subj.text]
        if named:
            return named[-1].name, named[-1].role
    if subj.pos_ == "PRON" and subj.lower_ in ("he", "she"):
        named = [p for p in people if _before(p, subj)]
        if named:
            return named[-1].name, named[-1].role
        return None, None
    role_span = phrase_text(subj, stop_deps=("relcl", "appos"))
    role_text = role_span.text
    head = subj.lemma_.lower()
    match = next((p for p in people if p.role_head == head), None)
    if match is not None:
        return match.name, match.role or role_text
    return (role_text if subj.ent_type_ in ("ORG", "GPE", "NORP") else None), role_text


def _before(person: _Person, tok: Token) -> bool:
    text = tok.doc.text
    pos = text.find(person.name)
    return 0 <= pos < tok.idx


def _full_name(name: str, people: list[_Person]) -> str:
    """ "Rasool" -> "Yehia Rasool" when the article named them in full."""
    for p in people:
        if p.name != name and p.name.endswith(" " + name):
            return p.name
    return name


@register_stage("quotes", reads=("doc",), writes=("quotes",))
def make_quotes(settings: Settings) -> QuoteFinder:
    """Find direct quotes and attribute them to their speakers."""
    return QuoteFinder()
