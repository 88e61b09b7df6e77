"""Stage ``actors``: actor1 (who acted) and actor2 (who suffered it) for each event, from the parse.

Agent and patient come from the trigger's clause: the subject of an active verb, the "by"-phrase of
a passive one, a possessive or national modifier of a noun trigger ("Israeli airstrike"); the
object, the passive subject, "on/against/targeting" phrases and the victims of a casualty verb
("killed a commander"). Pronouns take the last actor named before them. The phrases are normalized
through the actor dictionary; ACLED's role conventions for protests, riots and violence against
civilians are applied last.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ..actors import ROLE_HEADS, ActorDictionary, country_phrase, get_actor_dictionary
from ..config import Settings
from ..countries import get_countries
from ..gazetteer import Gazetteer, get_gazetteer
from ..pipeline import register_stage
from ..records import Actor, Document, Event, EventMention, Place
from ..syntax import ancestors, governing_verb, phrase_text
from .places import to_place

AGENT_PREPS = frozenset({"by"})
PATIENT_PREPS = frozenset({"on", "against", "targeting", "at", "upon"})
KILL_VERBS = frozenset(
    [
        "kill",
        "wound",
        "injure",
        "abduct",
        "kidnap",
        "arrest",
        "detain",
        "target",
        "hit",
        "execute",
        "shoot",
    ]
)


class ActorFinder:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.dictionary: ActorDictionary = get_actor_dictionary()
        self.gazetteer = gazetteer or get_gazetteer()

    def __call__(self, doc: Document) -> Document:
        if doc.doc is None:
            return doc
        sp = doc.doc
        history: list[tuple[int, Actor]] = []  # actors named so far, by token index
        for mention in sorted(doc.mentions, key=lambda m: m.token_i):
            if mention.event_index is None or mention.aggregate:
                continue
            event = (
                doc.events[mention.event_index] if mention.event_index < len(doc.events) else None
            )
            if event is None:
                continue
            country = event.location.country_code if event.location else None
            agent_tok, patient_tok = self.roles(sp[mention.token_i])
            actor1 = self.resolve(agent_tok, country, history)
            if actor1 is None and _only_event_of_sentence(doc, mention):
                actor1 = self._group_before(sp[mention.token_i], patient_tok, country)
            actor2 = self.resolve(patient_tok, country, history)
            if actor2 is None and _only_event_of_sentence(doc, mention):
                # the parse may hang "that killed X" on another word: the sentence's victims
                for patient_tok in self._victim_candidates(sp[mention.token_i], anywhere=True):
                    actor2 = self.resolve(patient_tok, country, history)
                    if actor2 is not None:
                        break
            if actor1 is not None and actor2 is not None and actor1.name == actor2.name:
                actor2 = None
            if event.actor1 is None and actor1 is not None:
                event.actor1 = actor1
            elif (
                event.event_type == "Battles"
                and actor1 is not None
                and event.actor2 is None
                and event.actor1 is not None
                and actor1.name != event.actor1.name
            ):
                # "Government forces later repelled the attack": the other side of the battle
                event.actor2 = actor1
            if event.actor2 is None and actor2 is not None:
                event.actor2 = actor2
            for actor, tok in ((actor1, agent_tok), (actor2, patient_tok)):
                if actor is not None and tok is not None:
                    history.append((tok.i, actor))
        self._inherit(doc, history)
        for event in doc.events:
            if event.location is None:
                event.location = self._home_country(event)
            _apply_conventions(event)
        return doc

    def _inherit(self, doc: Document, history: list[tuple[int, Actor]]) -> None:
        """An event told as "one of these attacks" has the actors of the attacks counted before."""
        assert doc.doc is not None
        for mention in doc.mentions:
            if mention.antecedent is None or mention.event_index is None:
                continue
            event = (
                doc.events[mention.event_index] if mention.event_index < len(doc.events) else None
            )
            if event is None or event.actor1 is not None:
                continue
            country = event.location.country_code if event.location else None
            source = doc.mentions[mention.antecedent]
            agent, _ = self.roles(doc.doc[source.token_i])
            event.actor1 = self.resolve(agent, country, history)

    def _home_country(self, event: Event) -> Place | None:
        """An event with no place named happened, at least, in the home country of the armed
        group that acted or suffered it ("ISIS executes 4 spies"): the country, precision 3.
        State forces are left out: they act abroad too."""
        for actor in (event.actor1, event.actor2):
            if actor is None or not actor.country_code:
                continue
            if actor.type in ("rebel_group", "political_militia", "identity_militia"):
                country = self.gazetteer.country(actor.country_code)
                if country is not None:
                    return to_place(country)
        return None

    # -- roles --------------------------------------------------------------------------------
    def roles(self, trigger: Token) -> tuple[Token | None, Token | None]:
        verb = governing_verb(trigger)
        agent: Token | None = None
        patient: Token | None = None
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        for child in verb.children:
            if child.dep_ == "nsubj" and not passive:
                agent = child
            elif child.dep_ == "nsubjpass":
                patient = child
            elif child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), agent)
            elif child.dep_ == "dobj" and child.i != trigger.i and patient is None:
                patient = child
        # a relative pronoun subject ("the strike that killed"): the head noun's agent instead
        if agent is not None and agent.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            agent = self.roles(verb.head)[0]
        if agent is not None and agent.i == trigger.i:
            agent = None  # "Israeli strikes killed 12": the act is the subject, not the actor
        if trigger.pos_ == "NOUN":
            for child in trigger.children:
                if child.dep_ == "poss" or (
                    child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG")
                ):
                    agent = agent or child
                if child.dep_ == "prep" and child.lower_ in AGENT_PREPS:
                    agent = next((c for c in child.children if c.dep_ == "pobj"), agent)
                if child.dep_ == "prep" and child.lower_ in PATIENT_PREPS:
                    patient = next((c for c in child.children if c.dep_ == "pobj"), patient)
                if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in KILL_VERBS | {
                    "target"
                }:
                    patient = patient or next((c for c in child.children if c.dep_ == "dobj"), None)
        if patient is None or self._not_actor(patient):
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in PATIENT_PREPS:
                    patient = next((c for c in child.children if c.dep_ == "pobj"), patient)
        # victims of the casualty verb joined to the trigger ("the strike ... that killed X")
        if patient is None or self._not_actor(patient):
            patient = self._victims(trigger) or patient
        if agent is not None and agent.dep_ == "nsubj" and agent.head.lemma_ == "be":
            agent = None
        return agent, patient

    def _victims(self, trigger: Token, anywhere: bool = False) -> Token | None:
        return next(self._victim_candidates(trigger, anywhere), None)

    def _victim_candidates(self, trigger: Token, anywhere: bool = False) -> Iterator[Token]:
        """Victims of casualty words joined to the trigger (or anywhere in its sentence)."""
        for tok in trigger.sent:
            if tok.lemma_.lower() not in KILL_VERBS and tok.lemma_.lower() not in ("death", "die"):
                continue
            if (
                not anywhere
                and tok.i != trigger.i
                and not any(a.i == trigger.i for a in ancestors(tok, limit=4))
                and not any(a.i == tok.i for a in ancestors(trigger, limit=4))
            ):
                continue
            for child in tok.children:
                if child.dep_ in ("dobj", "nsubjpass"):
                    yield child
                if child.dep_ == "prep" and child.lower_ == "of":
                    yield from (c for c in child.children if c.dep_ == "pobj")
                if child.dep_ == "nsubj" and tok.lemma_.lower() == "die":
                    yield child

    def _not_actor(self, tok: Token) -> bool:
        return (
            tok.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "EVENT")
            and tok.pos_ == "PROPN"
        )

    # -- normalization ------------------------------------------------------------------------
    def resolve(
        self, tok: Token | None, country: str | None, history: list[tuple[int, Actor]]
    ) -> Actor | None:
        if tok is None:
            return None
        if tok.pos_ == "PRON":
            # "the U.S. response was last Friday, when they launched": the same sentence first
            named = self._named_before(tok, country, same_sentence=True)
            if named is not None:
                return named
            before = [a for i, a in history if i < tok.i]
            if before:
                return before[-1]
            return self._named_before(tok, country)
        # "a Kata'ib Hezbollah commander", "a leader of an Iranian-backed militia": the group
        if tok.lemma_.lower() in ROLE_HEADS or tok.lower_ in ROLE_HEADS:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        found = self.dictionary.lookup(phrase_text(obj), country)
                        if found is not None:
                            return found
        actor = self.dictionary.lookup(phrase_text(tok), country)
        if actor is not None:
            return actor
        # "Israeli strikes", "Russia's airstrike": a state named on the act is its forces
        if tok.dep_ in ("amod", "compound", "poss") and tok.head.pos_ == "NOUN":
            iso = get_countries().code_of_word(tok.text)
            if iso is not None:
                return self.dictionary.state(iso, "military", tok.text, country)
        for conj in (c for c in tok.children if c.dep_ == "conj"):
            found = self.dictionary.lookup(phrase_text(conj), country)
            if found is not None:
                return found
        return None

    def _group_before(
        self, trigger: Token, patient: Token | None, country: str | None
    ) -> Actor | None:
        """A named armed group before an active trigger that the parse gave no subject ("IS
        executes 15 men", "Members of Tahrir Al-Sham open fire"): the one who acted."""
        if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in trigger.children):
            return None
        sent = trigger.sent
        victims = set(range(patient.left_edge.i, patient.right_edge.i + 1)) if patient else set()
        for start, end in self.dictionary.group_spans(sent):
            span = trigger.doc.char_span(start, end, alignment_mode="expand")
            if span is None or span.end > trigger.i or span.start in victims:
                continue
            return self.dictionary.lookup(span, country)
        return None

    def _named_before(
        self, tok: Token, country: str | None, same_sentence: bool = False
    ) -> Actor | None:
        """The nearest actor phrase before a pronoun (in its sentence, or the one before too)."""
        sent_start = tok.sent.start
        doc = tok.doc
        start = (
            doc[sent_start - 1].sent.start if sent_start > 0 and not same_sentence else sent_start
        )
        for ent in reversed([e for e in doc.ents if start <= e.start < tok.i]):
            if ent.label_ in ("GPE", "ORG", "NORP"):
                actor = self.dictionary.lookup(ent, country)
                if actor is not None:
                    return actor
        return None


def _only_event_of_sentence(doc: Document, mention: EventMention) -> bool:
    same = [
        m for m in doc.mentions if m.sentence.start == mention.sentence.start and not m.aggregate
    ]
    return len({m.event_index for m in same}) == 1


TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")


def _apply_conventions(event: Event) -> None:
    """ACLED's actor order for demonstrations and violence against civilians (coding guide §3),
    and who took a place: state forces regain territory, others overtake it (§1)."""
    if event.sub_event_type in TERRITORY and event.actor1 is not None and event.actor1.type:
        event.sub_event_type = TERRITORY[0] if event.actor1.type == "state_forces" else TERRITORY[1]
    sub = event.sub_event_type
    country = event.location.country_code if event.location else None
    where = country_phrase(country) or "Unknown"
    for role in ("actor1", "actor2"):
        actor = getattr(event, role)
        if actor is not None and actor.name.endswith("(Unknown)") and country:
            # generic actors are named for the event's country, known only once it has a place
            name = actor.name.removesuffix("(Unknown)") + f"({where})"
            setattr(event, role, actor.model_copy(update={"name": name, "country_code": country}))
    protesters = Actor(name=f"Protesters ({where})", type="protesters", country_code=country)
    if sub in ("Peaceful protest", "Protest with intervention"):
        if event.actor1 is None or event.actor1.type != "protesters":
            other = (
                event.actor1
                if event.actor1 is not None and event.actor1.type != "protesters"
                else None
            )
            event.actor1 = (
                event.actor2
                if event.actor2 is not None and event.actor2.type == "protesters"
                else protesters
            )
            event.actor2 = other if sub == "Protest with intervention" else None
    elif sub == "Excessive force against protesters":
        if event.actor2 is None or event.actor2.type != "protesters":
            if event.actor1 is not None and event.actor1.type == "protesters":
                event.actor1, event.actor2 = event.actor2, event.actor1
            else:
                event.actor2 = protesters
    elif event.event_type == "Riots" and (event.actor1 is None or event.actor1.type != "rioters"):
        rioters = Actor(name=f"Rioters ({where})", type="rioters", country_code=country)
        if event.actor1 is not None and event.actor2 is None:
            event.actor2 = event.actor1
        event.actor1 = rioters
    elif event.event_type == "Violence against civilians":
        if (
            event.actor1 is not None
            and event.actor1.type == "civilians"
            and (event.actor2 is None or event.actor2.type != "civilians")
        ):
            event.actor1, event.actor2 = event.actor2, event.actor1
        if event.actor2 is None:
            event.actor2 = Actor(
                name=f"Civilians ({where})", type="civilians", country_code=country
            )


@register_stage("actors", reads=("doc", "mentions", "events"), writes=("events",))
def make_actors(settings: Settings) -> ActorFinder:
    """Find actor1 and actor2 of each event and normalize them through the actor dictionary."""
    return ActorFinder(get_gazetteer(settings))
