"""Stage ``counts``: fatalities and injured for each event, with qualifiers (spec conventions).

Victims are read from the parse of the casualty word: the object of "killed", the passive subject
of "were killed", the subject of "died", "the deaths of N", "N dead", "N others who were wounded".
The count is the quantity that modifies the victims ("more than 40" -> 40 at_least; "dozens" -> 12
at_least; "a commander" -> 1). Where the parse gives nothing, the largest number within a few tokens
of a death word that is nearer it than any injury word is taken. Numbers of targets, munitions,
days or places are never casualties; injured are never added to fatalities.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..config import Settings
from ..lexicon import Lexicon, load_lexicon
from ..pipeline import register_stage
from ..records import Count, Document, Qualifier
from ..syntax import Quantity, ancestors, quantity_at, quantity_of, tree_distance
from .dates import TOTAL_WORDS, period_days
from .events import (
    MASSACRE_WORDS,
    background_of,
    casualties_are_deaths,
    cumulative,
    in_background,
    is_irrealis,
    lives_taken,
)

NOT_PEOPLE = frozenset(
    [
        "target",
        "munition",
        "facility",
        "missile",
        "rocket",
        "drone",
        "shell",
        "round",
        "bomb",
        "day",
        "week",
        "month",
        "year",
        "hour",
        "minute",
        "km",
        "kilometer",
        "mile",
        "site",
        "building",
        "house",
        "vehicle",
        "time",
        "percent",
        "attack",
        "strike",
        "raid",
        "village",
        "town",
        "city",
        "area",
        "province",
        "district",
        "incident",
        "operation",
    ]
)
WINDOW = 10
#: casualty words that name the people themselves ("dozens of casualties", "hundreds of bodies")
PERSON_WORDS = frozenset({"casualty", "fatality", "body", "corpse", "martyr"})


class CountFinder:
    def __init__(self) -> None:
        self.lex: Lexicon = load_lexicon()

    def __call__(self, doc: Document) -> Document:
        if doc.doc is None or not doc.events:
            return doc
        sp = doc.doc
        by_event: dict[int, list[int]] = {}
        for m in doc.mentions:
            if m.event_index is not None and not m.aggregate:
                by_event.setdefault(m.event_index, []).append(m.token_i)
        taken: set[int] = set()  # casualty words already counted for an event
        # sentences with a death count of their own, and events counted only by a running total
        counted: set[int] = set()
        by_total: dict[int, set[int]] = {}
        for index, event in enumerate(doc.events):
            triggers = [sp[i] for i in by_event.get(index, [])]
            # a mention in an "after ..." clause tells what the incident followed, not its toll
            background = background_of(triggers)
            triggers = [t for t in triggers if t.i not in background] or triggers
            deaths: list[tuple[Quantity, Token]] = []
            injuries: list[tuple[Quantity, Token]] = []
            running: list[tuple[Quantity, Token]] = []
            for trigger in triggers:
                for word in trigger.sent:
                    if word.i in taken or not self._belongs(word, trigger, doc, index, by_event):
                        continue
                    kind = self._kind(word)
                    if kind is None or is_irrealis(word, self.lex) or cumulative(word):
                        continue
                    q = (
                        self._victim_count(word)
                        or self._subject_count(word)
                        or self._window_count(word, trigger.sent)
                    )
                    if q is None:
                        continue
                    if kind == "death" and self._shared_with_injured(word):
                        # "15 casualties and injuries", "left 20 dead and wounded": one number for
                        # both, so the dead are uncounted
                        q = Quantity(None, "unknown", q.start, q.end)
                    taken.add(word.i)
                    if (period_days(doc, word.i) or 0.0) > 1.0:
                        # "left 2,350 dead in 5 days", "raise the toll to 190 within 27 days": the
                        # toll of many days' events, split by day only where the days are told
                        continue
                    if kind == "death" and _running_total(word):
                        running.append((q, word))
                    else:
                        (deaths if kind == "death" else injuries).append((q, word))
            # "kills 3 and raises the death toll to 133": the toll counts earlier deaths too, so it
            # is the event's own count only when nothing else gives one ("raise the toll to 9")
            own = deaths or running
            if deaths and running:
                last = max(w.sent.start for _, w in deaths)
                # "a bomb killed five ... The death toll rose to eight": later deaths update the
                # same event (coding guide §4)
                own = deaths + [r for r in running if r[1].sent.start > last]
            event.fatalities = _total(own, sp)
            event.injured = _total(injuries, sp)
            counted.update(w.sent.start for _, w in deaths)
            if running and not deaths:
                by_total[index] = {w.sent.start for _, w in running}
        for index, sents in by_total.items():
            if sents & counted:
                # "mines kill 7 ... and raise the death toll to 11": the 7 told beside the total
                # are the incident's; the total counts earlier deaths too
                doc.events[index].fatalities = None
        _split_among_places(doc, by_event)
        return doc

    def _kind(self, tok: Token) -> str | None:
        lemma = _lemma(tok)
        if lemma in self.lex.injury_words or tok.lower_ in self.lex.injury_words:
            if lemma == "casualty":
                # "casualties" is not a death count (ACLED), nor surely an injury one, unless the
                # sentence sets it against the wounded ("7 casualties and several wounded")
                return "death" if casualties_are_deaths(tok, self.lex) else None
            return "injury"
        if lemma in self.lex.death_words or tok.lower_ in ("killed", "dead"):
            if lemma in ("body", "toll", "corpse"):
                return "death"
            if lemma == "life" and not lives_taken(tok):
                return None
            return "death"
        return None

    def _belongs(
        self, word: Token, trigger: Token, doc: Document, index: int, by_event: dict[int, list[int]]
    ) -> bool:
        """A casualty word belongs to the nearest event trigger of its sentence, and not to it
        when it tells the background ("after 230 members were killed by explosions")."""
        if in_background(word, trigger):
            return False
        own = tree_distance(word, trigger)
        for other_index, tokens in by_event.items():
            if other_index == index:
                continue
            for t in tokens:
                other = doc.doc[t] if doc.doc is not None else None
                if (
                    other is not None
                    and other.sent.start == trigger.sent.start
                    and tree_distance(word, other) < own
                ):
                    return False
        return True

    def _victim_count(self, word: Token) -> Quantity | None:
        victims: list[Token] = []
        lemma = _lemma(word)
        if (
            word.dep_ == "pobj"
            and word.head.lower_ == "of"
            and (word.pos_ in ("ADJ", "VERB") or lemma in PERSON_WORDS)
        ):
            own = quantity_of(word)  # "dozens of wounded", "hundreds of dead"
            if own is not None:
                return own
        for child in word.children:
            if child.dep_ in ("dobj", "nsubjpass") or (
                child.dep_ == "nsubj" and (lemma in ("die", "perish") or _headline_passive(word))
            ):
                victims.append(child)
            elif child.dep_ == "prep" and child.lower_ == "of" and word.pos_ == "NOUN":
                victims.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "nummod" and lemma not in MASSACRE_WORDS:  # "2 massacres": events
                count = quantity_at(child)
                if count is not None:
                    return count
        if word.dep_ in ("oprd", "xcomp") and word.head.pos_ == "VERB":
            # "left 13 soldiers of the garrison dead": the object of "left" is who died
            victims.extend(c for c in word.head.children if c.dep_ == "dobj")
        # "3 dead", "others who were wounded", "soldiers killed in ..."
        elif word.dep_ in ("amod", "acl", "relcl") or (word.pos_ == "ADJ" and word.dep_ != "ROOT"):
            head = word.head
            if head.tag_ in ("WP", "WDT"):
                head = head.head
            victims.append(head)
        if word.dep_ == "relcl":
            victims.append(word.head)
        if word.dep_ == "conj" and not victims:
            victims.extend(c for c in word.head.children if c.dep_ in ("dobj", "nsubjpass"))
        total: Quantity | None = None
        victims = [_outer(v) for v in victims]
        for victim in victims:
            if victim.lemma_.lower() in NOT_PEOPLE:
                continue
            if victim.pos_ == "PRON" and victim.lower_ in ("him", "her", "he", "she"):
                q: Quantity | None = Quantity(1, "exact", victim.i, victim.i + 1)
            else:
                q = quantity_of(victim) or self._bare_one(victim)
            conj_total = [q] if q is not None else []
            for conj in (c for c in victim.children if c.dep_ == "conj"):
                cq = quantity_of(conj)
                if cq is not None and conj.lemma_.lower() not in NOT_PEOPLE:
                    conj_total.append(cq)
            if conj_total:
                total = _add(conj_total)
                break
        return total

    def _subject_count(self, word: Token) -> Quantity | None:
        """ "12 members at least of the regime forces, their allies and ISIS were killed": a long
        subject the parse breaks up; its one number of people, before the passive verb, counts the
        dead."""
        if word.pos_ != "VERB" or not any(c.dep_ == "auxpass" for c in word.children):
            return None
        if any(c.dep_ == "nsubjpass" and c.pos_ == "PRON" for c in word.children):
            return None  # "they were executed": told before, not here
        people = self.lex.armed_words | self.lex.civilian_words
        found = [
            tok
            for tok in word.subtree
            if tok.i < word.i
            and tok.like_num
            and tok.ent_type_ not in ("DATE", "TIME", "ORDINAL", "PERCENT", "MONEY")
            and tok.head.lemma_.lower() in people
        ]
        if len(found) != 1:
            return None
        return quantity_of(found[0].head)

    def _bare_one(self, victim: Token) -> Quantity | None:
        """ "Soldier killed in blast", "LeT militant killed": a headline drops the article, so a
        bare singular noun for a person is one person."""
        lemma = victim.lemma_.lower()
        if (
            victim.tag_ != "NN"
            or lemma in COLLECTIVE
            or lemma not in self.lex.armed_words | self.lex.civilian_words
            or any(c.dep_ in ("det", "poss", "nummod") for c in victim.children)
        ):
            return None
        return Quantity(1, "exact", victim.i, victim.i + 1)

    def _window_count(self, word: Token, sent: SpacySpan) -> Quantity | None:
        """The largest number near a casualty word, skipping numbers nearer another casualty word."""
        doc = word.doc
        best: Quantity | None = None
        for tok in doc[max(sent.start, word.i - WINDOW) : min(sent.end, word.i + WINDOW + 1)]:
            if not (tok.like_num or tok.lower_ in ("dozens", "hundreds", "tens", "scores")):
                continue
            if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"):
                continue
            if tok.head.lemma_.lower() in NOT_PEOPLE | MASSACRE_WORDS:
                continue  # "2 massacres" counts massacres
            if self._counts_other(tok, word):
                continue  # "killed, 5 lightly wounded": the number is the other toll's
            if in_background(tok, word):
                continue  # "executed ... in revenge for the deaths of 20": an earlier toll
            nearer = [
                w
                for w in doc[min(tok.i, word.i) : max(tok.i, word.i) + 1]
                if w.i != word.i
                and self._kind(w) is not None
                and abs(w.i - tok.i) < abs(word.i - tok.i)
            ]
            if nearer:
                continue
            q = quantity_at(tok)
            if (
                q is not None
                and q.count is not None
                and (best is None or (best.count or 0) < q.count)
            ):
                best = q
        return best

    def _shared_with_injured(self, word: Token) -> bool:
        """The death word is coordinated with an injury word that has no number of its own."""
        partners = [c for c in word.children if c.dep_ == "conj"]
        if word.dep_ == "conj":
            partners.append(word.head)
        if word.dep_ in ("oprd", "xcomp"):  # "left 20 dead and wounded": "wounded" joins "left"
            partners.extend(c for c in word.head.children if c.dep_ == "conj" and c.i > word.i)
        for partner in partners:
            if self._kind(partner) != "injury" or quantity_of(partner) is not None:
                continue
            # "and wounded others", "and injures their father": the wounded have their own words
            if not any(c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in partner.children):
                return True
        return False

    def _counts_other(self, number: Token, word: Token) -> bool:
        """The number's own head words reach another casualty word before this one."""
        own = self._kind(word)
        for node in [number, *ancestors(number, limit=3)]:
            if node.i == word.i:
                return False
            if node.i != number.i and self._kind(node) not in (None, own):
                return True
        return False


def _split_among_places(doc: Document, by_event: dict[int, list[int]]) -> None:
    """Events that one mention gave for several places ("shelling on X and Y killed 7") share its
    toll: split evenly, the extra to the first (coding guide §4: 7 = 3/2/2)."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for index in range(len(doc.events)):
        tokens = tuple(sorted(by_event.get(index, [])))
        if tokens:
            groups.setdefault(tokens, []).append(index)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        events = [doc.events[i] for i in indexes]
        for field in ("fatalities", "injured"):
            told = next((getattr(e, field) for e in events if getattr(e, field) is not None), None)
            if told is None:
                continue
            share, extra = divmod(told.count, len(events)) if told.count is not None else (0, 0)
            for n, event in enumerate(events):
                count = None if told.count is None else share + (extra if n == 0 else 0)
                setattr(event, field, told.model_copy(update={"count": count}))


RISE_VERBS = frozenset({"raise", "rise", "climb", "increase", "reach", "bring", "jump", "mount"})


def _running_total(word: Token) -> bool:
    """ "raises the death toll to 133", "the toll rose to 31": a total that moved."""
    if word.lemma_.lower() not in TOTAL_WORDS:
        return False
    return any(a.lemma_.lower() in RISE_VERBS for a in ancestors(word, limit=3))


#: singular nouns that name several people ("police killed", "family killed")
COLLECTIVE = frozenset(
    {
        "police",
        "family",
        "staff",
        "crew",
        "personnel",
        "group",
        "unit",
        "patrol",
        "convoy",
        "force",
        "army",
        "militia",
        "team",
        "people",
        "security",
        "military",
        "cell",
        "household",
        "squad",
    }
)


def _lemma(tok: Token) -> str:
    # spaCy reads "corpses" as a plural of "corps"
    return "corpse" if tok.lower_ == "corpses" else tok.lemma_.lower()


def _headline_passive(verb: Token) -> bool:
    """ "One soldier killed in clashes": a headline's participle with its victim as subject (no
    object, no auxiliary, nobody "by" whom)."""
    if verb.tag_ not in ("VBN", "VBD") or verb.dep_ not in ("ROOT", "conj"):
        return False
    return not any(
        c.dep_ in ("dobj", "aux", "auxpass", "agent") or (c.dep_ == "prep" and c.lower_ == "by")
        for c in verb.children
    )


def _outer(victim: Token) -> Token:
    """The whole victim phrase: "3 young men of one family", "64 members ..., the tribal forces
    and ISIS" (the first conjunct carries the number)."""
    while True:
        if victim.dep_ == "conj" and victim.head.pos_ in ("NOUN", "PROPN", "NUM"):
            victim = victim.head
        elif (
            victim.dep_ == "pobj"
            and victim.head.lower_ == "of"
            and (victim.head.head.tag_ in ("NNS", "NNPS") or victim.head.head.pos_ == "NUM")
            and quantity_of(victim.head.head) is not None
        ):
            victim = victim.head.head
        else:
            return victim


def _add(parts: list[Quantity]) -> Quantity:
    if len(parts) == 1:
        return parts[0]
    known = [p for p in parts if p.count is not None]
    if not known:
        return parts[0]
    quals = {p.qualifier for p in parts}
    qualifier: Qualifier = (
        "exact"
        if quals == {"exact"}
        else ("at_least" if "unknown" in quals or "at_least" in quals else parts[0].qualifier)
    )
    return Quantity(
        sum(p.count or 0 for p in known),
        qualifier,
        min(p.start for p in parts),
        max(p.end for p in parts),
    )


def _total(found: list[tuple[Quantity, Token]], sp) -> Count | None:
    if not found:
        return None
    # the words of one sentence count different victims ("after killing a commander, they slew
    # three"), and a later sentence updates the toll: the largest figure stands
    known = [(q, w) for q, w in found if q.count is not None]
    q, word = max(known, key=lambda x: x[0].count or 0) if known else found[0]
    first, last = min(q.start, word.i), max(q.end - 1, word.i)
    text = sp[first : last + 1].text if last - first < 25 else sp[q.start : q.end].text
    return Count(count=q.count, qualifier=q.qualifier, text=text)


@register_stage("counts", reads=("doc", "mentions", "events"), writes=("events",))
def make_counts(settings: Settings) -> CountFinder:
    """Find fatalities and injured for each event, with ACLED's qualifiers."""
    return CountFinder()
