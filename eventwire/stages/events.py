"""Stage ``events``: find event mentions, drop what is not an event, merge mentions into events.

Reads the parse, the places and the times; writes ``mentions``, ``events`` (with type, sub-type,
date, location, evidence and confidence; actors and counts come from later stages) and
``aggregates``. The rules follow ``shared/spec/acled-coding.md``:

- a trigger is a phrase from the lexicon (``data/triggers.toml``) or a generic word ("attack",
  "strike") whose sub-type is decided by the weapon or target named around it;
- statements, threats, plans, denials, hypotheticals and quotes are not events (a modal, a negation
  or a planning verb governs the trigger, or the trigger stands inside quotation marks);
- a plural trigger with a count ("more than 165 attacks") or over a long period is an Aggregate;
- triggers joined in the parse are one mention; a later mention that refers back ("the strike",
  "they struck") with no date or place of its own joins the earlier event of the same type;
- when one incident fits several types, ACLED's hierarchy decides.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..actors import get_actor_dictionary
from ..classifier import get_classifier
from ..config import Settings
from ..gazetteer import AREA_WORDS, haversine_km
from ..lexicon import Lexicon, load_lexicon
from ..pipeline import register_stage
from ..records import (
    EVENT_TYPES,
    SUB_EVENT_TYPES,
    Aggregate,
    DateInfo,
    Document,
    Event,
    EventMention,
    Place,
    PlaceMention,
    Span,
    TimeMention,
    content_hash,
)
from ..syntax import (
    Quantity,
    ancestors,
    governing_verb,
    in_regions,
    quantity_of,
    quoted_regions,
    tree_distance,
)
from .dates import TOTAL_WORDS, governing_time, opening_period, period_days

log = logging.getLogger(__name__)
_LEX = load_lexicon()

#: ACLED's hierarchy of types for one incident (coding guide §0), highest first
TYPE_RANK = {
    "Battles": 0,
    "Protests": 1,
    "Riots": 2,
    "Explosions/Remote violence": 3,
    "Violence against civilians": 4,
    "Strategic developments": 5,
}
#: inside a type, the heading order is the ranking
SUB_RANK = {sub: n for subs in EVENT_TYPES.values() for n, sub in enumerate(subs)}

PLACE_PREPS = {
    "in": 1,
    "at": 1,
    "on": 1,
    "inside": 1,
    "into": 1,
    "across": 1,
    "of": 1,
    "near": 2,
    "outside": 1,
    "around": 2,
    "close": 2,
    "between": 2,
    "off": 2,
}
#: texts of this many sentences or fewer are read whole by the classifier too
SNIPPET_SENTENCES = 3
REPORTING_VERBS = frozenset(
    {"say", "tell", "add", "state", "declare", "announce", "warn", "claim", "report", "describe"}
    | {"insist", "note", "vow", "threaten"}
)
#: who is to blame, not what happened ("denied its jets carried out the strikes")
ATTRIBUTION_VERBS = frozenset(["deny", "accuse", "blame", "attribute", "suspect"])
#: reporting verbs that vouch for what they report (unlike "claim", "warn", "threaten")
NEUTRAL_REPORTING = frozenset(["say", "tell", "report", "add", "state", "note", "confirm"])
#: the rules' weight against the classifier's "no event" (see _arbitrate)
VETO_RULE_WEIGHT = 0.5
#: a rule reading this strong stands even where the classifier reads no event
STRONG_RULE = 0.9
#: the classifier alone makes an event of a sentence with no trigger from this probability on
CLASSIFIER_ALONE = 0.6
DEMONSTRATION_TYPES = frozenset(["Protests", "Riots"])
PROTEST_SUBS = frozenset(
    ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"]
)
DEMONSTRATION_SUBS = PROTEST_SUBS | {"Violent demonstration"}
#: what a demonstration became, weakest first: merged reports of one keep the strongest
DEMONSTRATION_ORDER = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
)
#: people of a demonstration, as victims of force
PROTEST_PEOPLE = frozenset(
    [
        "protester",
        "protestor",
        "demonstrator",
        "marcher",
        "protest",
        "demonstration",
        "rally",
        "crowd",
        "sit-in",
        "participant",
    ]
)
#: what a demonstration is called, as against who takes part in it
PROTEST_EVENTS = frozenset(["protest", "demonstration", "rally", "sit-in"])
#: what is done to people only: a protest is "held" by those who stage it
PERSON_VERBS = frozenset(["hold", "detain", "arrest", "round", "drag"])
#: force that kills or seriously hurts, done to someone (ACLED: excessive force)
HARM_WORDS = frozenset(["shoot", "shot", "beat", "wound", "stab", "club", "whip", "fire", "attack"])
#: what is fired that kills ("fired live rounds at"), unlike tear gas or water
LETHAL_ROUNDS = frozenset(["shot", "bullet", "round", "ammunition", "gun", "weapon", "rifle"])
#: interference with a demonstration short of serious harm (ACLED: protest with intervention)
INTERVENTION_WORDS = frozenset(
    [
        "suppress",
        "chase",
        "disperse",
        "kettle",
        "detain",
        "arrest",
        "pepper-spray",
        "tear-gas",
        "break",
        "round",
        "push",
        "hold",
        "crack",
        "drag",
        "remove",
        "expel",
        "evict",
    ]
)
#: what demonstrators do that makes a riot: destroy, storm, block (coding guide: barricades)
RIOT_VERBS = frozenset(
    [
        "storm",
        "smash",
        "destroy",
        "damage",
        "vandalize",
        "vandalise",
        "burn",
        "torch",
        "loot",
        "block",
        "blockade",
        "barricade",
        "shut",
        "tear",
        "pull",
        "topple",
        "ransack",
        "attack",
    ]
)
#: fights that a crowd can have with the police or a rival crowd
CROWD_CLASH = frozenset(["clash", "scuffle", "confrontation", "skirmish", "brawl", "melee"])
#: things, not people, as the target of an attack
PROPERTY_WORDS = frozenset(
    ["property", "car", "vehicle", "truck", "warehouse", "crop", "livestock"]
)
#: how bad an injury was, when it is serious
SERIOUS_WORDS = frozenset(
    ["serious", "seriously", "critical", "critically", "severe", "severely", "grave", "gravely"]
)
#: what turns violent when a demonstration does
GATHERINGS = frozenset(["march", "gathering", "situation", "demo", "event"])
#: who take a side in the streets
PARTISANS = frozenset(["supporter", "activist", "youth", "partisan"])
#: police lines and barriers that demonstrators breach ("broke through the cordon")
BARRIERS = frozenset(["fence", "barrier", "cordon", "barricade", "gate", "line"])
BREACH_VERBS = frozenset(["remove", "break", "push", "breach", "force", "dismantle", "knock"])
#: people, in numbers
CROWD_PEOPLE = frozenset(["people", "hundred", "thousand", "dozen", "youth", "man", "crowd"])
#: what is done to property, not to people: torched, set on fire, smashed, vandalized
PROPERTY_HARM = frozenset(["torch", "arson", "smash", "vandalize", "vandalise", "burn"])
#: who demonstrates, besides the words for demonstrators
PROTESTING = frozenset(["youth", "supporter", "activist", "student", "farmer", "resident"])
ROADS = frozenset(
    [
        "road",
        "street",
        "highway",
        "motorway",
        "railway",
        "rail",
        "railroad",
        "bridge",
        "route",
        "traffic",
        "junction",
        "intersection",
        "entrance",
        "port",
        "border",
        "crossing",
    ]
)
TERRITORY_SUBS = frozenset(
    [
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Non-violent transfer of territory",
    ]
)
TERRITORY_FAMILY = TERRITORY_SUBS | {"Change to group/activity", "Agreement"}
#: what is taken when territory is taken
TERRAIN = frozenset(
    [
        "town",
        "city",
        "village",
        "district",
        "area",
        "region",
        "province",
        "base",
        "post",
        "position",
        "hill",
        "airport",
        "bridge",
        "crossing",
        "checkpoint",
        "headquarters",
        "control",
        "territory",
        "camp",
        "garrison",
        "outpost",
        "neighbourhood",
        "neighborhood",
        "locality",
        "county",
        "centre",
        "center",
        "stronghold",
        "port",
        "island",
        "road",
        "highway",
        "oilfield",
        "field",
        "mountain",
        "valley",
        "suburb",
        "outskirts",
    ]
)
#: the holders of a place leaving it
WITHDRAW_WORDS = frozenset(["withdraw", "pull", "leave", "abandon", "evacuate", "retreat"])
#: what a transfer "without ..." lacked
FIGHT_WORDS = frozenset(
    ["fight", "fighting", "resistance", "clash", "battle", "bloodshed", "shot", "opposition"]
)
EXPLOSION_WORDS = frozenset(["explosion", "blast", "explode", "detonate"])
#: generic triggers whose sub-type is the weapon named beside them ("a rocket attack")
GENERIC_BY_WEAPON = (
    frozenset(["attack", "strike", "target", "bomb", "raid", "assault"]) | EXPLOSION_WORDS
)
POLICE_WORDS = frozenset({"police", "policeman", "officer"})
MASSACRE_WORDS = frozenset({"massacre", "execution", "slaughter"})
#: the dead themselves ("7 bodies found"): a plural of these counts victims, not events; "corpses"
#: is also read under the lemma "corps"
BODY_WORDS = frozenset({"body", "corpse", "corps", "corpses", "remains"})
VERB_CUES = frozenset({"drown", "collapse", "derail", "capsize", "hospitalize", "leak", "smuggle"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
STATE_VERBS = frozenset(
    [
        "be",
        "continue",
        "remain",
        "rise",
        "increase",
        "grow",
        "become",
        "happen",
        "occur",
        "persist",
        "surge",
    ]
)
TIME_UNITS = frozenset(["day", "week", "month", "year", "hour", "night", "weekend"])
REFERRING_DETS = frozenset(["the", "this", "that", "these", "those", "its", "their", "his", "her"])
LONG_PRECISIONS = frozenset({"month", "year"})
#: a span longer than this is a period of many events, not one event's short range (ACLED's
#: time precision 2 is a week at most)
LONG_DAYS = 7


@dataclass
class _Trigger:
    start: int  # token index
    end: int
    head: int  # the token that carries the syntax
    sub: str
    weight: float
    kind: str  # "phrase", "generic" or "casualty"


@dataclass
class _Group:
    """Triggers of one sentence that the parse joins into one mention."""

    triggers: list[_Trigger]
    sent: SpacySpan
    sub: str = ""
    score: float = 0.0
    aggregate: bool = False
    anchor: int = -1  # token that stands for the event ("one" in "including one in Baghdad")
    places: list[PlaceMention] = field(default_factory=list)
    time: TimeMention | None = None
    refers_back: bool = False
    #: the classifier's reading of the sentence: ACLED sub-type -> probability, and P(no event)
    reading: dict[str, float] = field(default_factory=dict)
    no_event: float = 0.0
    #: found by the classifier alone, with no trigger from the lexicon
    alone: bool = False
    #: told only by a running total of deaths ("the death toll rose to 9")
    running_total: bool = False


class EventDetector:
    def __init__(self, settings: Settings) -> None:
        self.lex: Lexicon = load_lexicon()
        self.min_confidence = settings.extract.min_confidence
        self.classifier_weight = settings.extract.classifier_weight
        self.classifier = get_classifier() if self.classifier_weight > 0 else None

    # -- triggers -----------------------------------------------------------------------------
    def find_triggers(self, sent: SpacySpan, quotes: list[tuple[int, int]]) -> list[_Trigger]:
        lex = self.lex
        doc = sent.doc
        found: list[_Trigger] = []
        long_words = [t for t in sent if t.is_alpha and len(t) > 3]
        # "Idlib Militants Execute Three Civilians": in a title-case headline, capitals mark no name
        headline = len(long_words) >= 3 and sum(t.is_title for t in long_words) >= 0.7 * len(
            long_words
        )
        i = sent.start
        while i < sent.end:
            tok = doc[i]
            if in_regions(tok.idx, quotes) or (not headline and _is_name_part(tok)):
                i += 1
                continue
            if tok.lower_ == "according" and i + 1 < sent.end and doc[i + 1].lower_ == "to":
                i += 2  # "according to officials": a source, not an accord
                continue
            lemma = tok.lemma_.lower()
            matched = None
            for key in _forms(tok):
                for phrase in lex.phrases.get(key, ()):
                    n = len(phrase.lemmas)
                    if i + n > sent.end:
                        continue
                    words = doc[i : i + n]
                    if all(p in _forms(w) for w, p in zip(words, phrase.lemmas, strict=True)):
                        if matched is None or n > matched[1] - i:
                            matched = (phrase, i + n)
                        break
            if matched is not None:
                phrase, end = matched
                span = doc[i:end]
                found.append(
                    _Trigger(i, end, span.root.i, phrase.sub_event_type, phrase.weight, "phrase")
                )
                i = end
                continue
            two = f"{lemma} {doc[i + 1].lemma_.lower()}" if i + 1 < sent.end else ""
            if two in lex.generic:
                found.append(_Trigger(i, i + 2, i, lex.generic[two], 0.55, "generic"))
                i += 2
                continue
            if lemma in lex.generic and _generic_pos_ok(lemma, tok):
                found.append(_Trigger(i, i + 1, i, lex.generic[lemma], 0.55, "generic"))
            elif (lemma in lex.death_words and _is_casualty_use(tok)) or _names_casualties(
                tok, lex
            ):
                found.append(_Trigger(i, i + 1, i, "", 0.4, "casualty"))
            i += 1
        found = [
            t
            for t in found
            if not _figurative(doc[t.head], t)
            and not _negated(doc[t.head])
            and not _named_by_year(doc[t.head])
        ]
        taken = {t.head: t for t in found}
        if any(_enters_place(tok) for tok in sent) and self._without_fighting([], sent):
            # "the fighters entered the town and met no resistance": no trigger names the
            # taking, the entry and the missing fight do
            for tok in (t for t in sent if _enters_place(t) and t.i not in taken):
                found.append(
                    _Trigger(
                        tok.i, tok.i + 1, tok.i, "Non-violent transfer of territory", 0.9, "phrase"
                    )
                )
        # partisans who block roads or storm offices riot (coding guide §1); residents or
        # farmers who attack someone are a mob, unless the report is of a demonstration
        rioters = PROTEST_PEOPLE | PARTISANS
        demonstration = _is_snippet(doc) and _names_protest(doc[:])
        if demonstration:
            # in a short report of a demonstration, "hundreds of people" are its people
            rioters = rioters | PROTESTING | CROWD_PEOPLE
        for tok in sent:
            if (
                tok.i not in taken
                and not in_regions(tok.idx, quotes)
                and (demonstration or tok.lemma_.lower() != "attack")
                and _riot_act(tok, rioters)
            ):
                # no word for a demonstration, but its people rioting
                found.append(
                    _Trigger(tok.i, tok.i + 1, tok.i, "Violent demonstration", 0.85, "phrase")
                )
        for tok in sent:
            sub = self._verb_object(tok)
            if sub is None or in_regions(tok.idx, quotes):
                continue
            if tok.i in taken:  # "seized" weapons, not territory
                trig = taken[tok.i]
                trig.sub, trig.weight, trig.kind = sub, 0.9, "phrase"
            else:
                found.append(_Trigger(tok.i, tok.i + 1, tok.i, sub, 0.9, "phrase"))
        return found

    def _verb_object(self, tok: Token) -> str | None:
        """The sub-type of an event told by a verb and its object ("seized nine pistols", "set up
        an observation post"), or None."""
        if tok.pos_ != "VERB":
            return None
        lemma = tok.lemma_.lower()
        for verbs, objects, sub in self.lex.verb_objects:
            if lemma not in verbs:
                continue
            if lemma == "detonate" and not _controlled_blast(tok):
                continue  # "militants detonated two bombs": an attack, not one disrupted
            done_to = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD"):
                done_to.append(tok.head)  # "a stash of rockets found in a cave"
            for child in done_to:
                heads = [child, *(c for c in child.children if c.dep_ == "conj")]
                of = [
                    g
                    for h in heads
                    for p in h.children
                    if p.dep_ == "prep" and p.lower_ == "of"
                    for g in p.children
                ]
                if any(h.lemma_.lower() in objects or h.lower_ in objects for h in [*heads, *of]):
                    return sub
        return None

    def is_irrealis(self, tok: Token) -> bool:
        return is_irrealis(tok, self.lex)

    def _separate_findings(self, groups: list[_Group], sent: SpacySpan) -> list[_Group]:
        """Bodies found are the dead of an event their clause names ("the bodies of four workers
        were found on the island the shelling hit"), else a finding of their own ("clashes go on
        and 2 bodies were found in the next province"): Strategic developments/Other."""
        doc = sent.doc
        finds = [t for g in groups for t in g.triggers if self._finding(t, sent)]
        if not finds:
            return groups
        strong = [
            t
            for g in groups
            for t in g.triggers
            if t.kind != "casualty" and not self._finding(t, sent)
        ]
        if not strong:
            return groups
        named = any(doc[s.head] in doc[f.head].subtree for f in finds for s in strong)
        kept = []
        for g in groups:
            own = [t for t in g.triggers if self._finding(t, sent)]
            rest = [t for t in g.triggers if t not in own]
            if rest:
                g.triggers = rest
                kept.append(g)
            if own and not named:
                kept.append(_Group(own, sent))
        return kept

    def _finding(self, trig: _Trigger, sent: SpacySpan) -> bool:
        """A trigger telling of bodies found (Strategic developments/Other)."""
        finding = next(v for v, _, sub in self.lex.verb_objects if sub == "Other")
        return trig.sub == "Other" and sent.doc[trig.head].lemma_.lower() in finding

    # -- grouping -----------------------------------------------------------------------------
    def group(self, triggers: list[_Trigger], sent: SpacySpan) -> list[_Group]:
        doc = sent.doc
        # what the incident followed is not the incident ("after killing 55 ..., warplanes kill
        # 18"): a trigger in an "after ..." clause gives way to one outside it
        background = background_of([doc[t.head] for t in triggers])
        foreground = [t for t in triggers if t.head not in background]
        tolled = any(t.kind == "casualty" and t.head in background for t in triggers)
        if (
            tolled
            and foreground
            and all(
                t.kind != "casualty" and SUB_EVENT_TYPES.get(t.sub) == "Strategic developments"
                for t in foreground
            )
        ):
            # "people flee the village after a massacre of 15": a development that followed
            # violence tells no violence of its own; what it followed, with its toll, is the event
            background = set()
            triggers = sorted(triggers, key=lambda t: t in foreground)
        if len(background) < len({t.head for t in triggers}):
            # its toll is not the incident's; its type may still tell what the incident was
            triggers = [t for t in triggers if t.kind != "casualty" or t.head not in background]
            triggers.sort(key=lambda t: t.head in background)
        amid = {t.head for t in triggers if _amid(doc[t.head])}
        if any(t.kind != "casualty" and t.head not in amid for t in triggers):
            # "a grenade explosion amid clashes": the fighting around is the setting, not the
            # incident told
            triggers = [t for t in triggers if t.head not in amid]
        strong = [t for t in triggers if t.kind != "casualty"]
        casualty = [t for t in triggers if t.kind == "casualty"]
        groups: list[_Group] = []
        for trig in strong:
            tok = doc[trig.head]
            home = None
            for g in groups:
                if any(_joined(tok, doc[o.head]) for o in g.triggers):
                    home = g
                    break
            if home is None and groups and _pronoun_subject(tok):
                home = groups[
                    -1
                ]  # "one of these attacks took place in Jordan, and it targeted ..."
            if home is None:
                groups.append(_Group([trig], sent))
            else:
                home.triggers.append(trig)
        running = [c for c in casualty if cumulative(doc[c.head])]
        casualty = [c for c in casualty if c not in running]
        if not groups and running:
            # "more deaths raised the toll in the town to 9": later deaths update an event (coding
            # guide §4); told alone, the running total is the only word of that event
            groups.append(_Group(casualty or running, sent, running_total=True))
        elif not groups and casualty:
            groups.append(_Group(list(casualty), sent))
        elif casualty:
            for c in casualty:
                best = min(
                    groups,
                    key=lambda g: min(tree_distance(doc[c.head], doc[t.head]) for t in g.triggers),
                )
                best.triggers.append(c)
        return groups

    # -- classification -----------------------------------------------------------------------
    def classify(self, group: _Group) -> tuple[str, float]:
        doc = group.sent.doc
        phrases = [t for t in group.triggers if t.kind == "phrase"]
        generic = [t for t in group.triggers if t.kind == "generic"]
        if phrases:
            # "seized the town after the troops withdrew": a place taken as its holders left
            seized = [t for t in generic if _seized_place(doc[t.head])]
            if seized and self._without_fighting(phrases, group.sent):
                return "Non-violent transfer of territory", 0.9
            return self._rank(phrases, group.sent)
        if generic:
            # "raided the village and attacked its people": the trigger that names its target
            # says most
            decisions = [self._decide_generic(t, group.sent) for t in generic]
            return max(decisions, key=lambda d: d[1])
        trig = group.triggers[0]
        return self._decide_casualty(doc[trig.head], group.sent)

    def _rank(self, triggers: list[_Trigger], sent: SpacySpan) -> tuple[str, float]:
        for t in triggers:
            if t.sub in TERRITORY_SUBS and _captive(sent.doc[t.head]):
                # "captured a senior commander": people taken, not a place (coding guide §1)
                state = _state_agent(sent.doc[t.head])
                t.sub = "Arrests" if state else "Abduction/forced disappearance"
        subs = {t.sub for t in triggers}
        if subs & DEMONSTRATION_SUBS:
            demo = self._demonstration(triggers, sent)
            if demo is not None:
                return demo, 0.9
        if "Excessive force against protesters" in subs and not _names_protest(sent):
            # "troops fired live rounds at the rebels": force against protesters needs protesters
            triggers = [t for t in triggers if t.sub != "Excessive force against protesters"]
            if not triggers:
                return "Armed clash", 0.55
            subs = {t.sub for t in triggers}
        if subs & TERRITORY_SUBS and self._without_fighting(triggers, sent):
            return "Non-violent transfer of territory", 0.9
        # a device defused or a missile intercepted: the explosion it names did not happen
        if "Disrupted weapons use" in subs:
            if not _went_off_anyway(triggers, sent):
                return "Disrupted weapons use", 0.9
            return self._context_sub(sent) or "Remote explosive/landmine/IED", 0.9
        best = min(
            triggers,
            key=lambda t: (TYPE_RANK[SUB_EVENT_TYPES[t.sub]], -t.weight, SUB_RANK[t.sub]),
        )
        # a strong weapon phrase beats a weak generic type from the hierarchy ("clash" vs "airstrike")
        top = max(triggers, key=lambda t: t.weight)
        if top.weight - best.weight >= 0.1:
            best = top
        if best.sub == "Shelling/artillery/missile attack" and _fired_from_air(sent.doc[best.head]):
            # "jets fired missiles at the village": launched from the air, not from the ground
            # or sea (coding guide §1)
            return "Air/drone strike", best.weight
        return best.sub, best.weight

    def _demonstration(self, triggers: list[_Trigger], sent: SpacySpan) -> str | None:
        """What a demonstration became, read from who did what to whom (coding guide §1):
        demonstrators who clash, burn or smash riot, whatever was done to them; lethal or
        seriously harmful force against them is excessive force; dispersal, detention or any
        other interference is intervention. None when the triggers tell no demonstration."""
        subs = {t.sub for t in triggers}
        doc = sent.doc
        burned = subs == {"Violent demonstration"} and all(
            _forms(doc[t.head]) & PROPERTY_HARM or doc[t.head].lower_ == "set" for t in triggers
        )
        if burned and (
            not _names_crowd(doc[:])
            or (
                not _names_demonstration(doc[:])
                and all(_armed_agent(doc[t.head], organized=True) for t in triggers)
            )
        ):
            # cars torched or shops smashed with no demonstrators or crowd anywhere in the
            # report, or homes burned by soldiers or militiamen: property destroyed, not a riot
            # (coding guide §1)
            return "Looting/property destruction"
        if "Violent demonstration" in subs:
            return "Violent demonstration"
        if not subs & PROTEST_SUBS:
            return None
        if subs & {"Armed clash", "Looting/property destruction"}:
            return "Violent demonstration"  # "protesters clashed with police", "looted shops"
        if self._protesters_rioted(sent):
            return "Violent demonstration"
        if "Excessive force against protesters" in subs or self._protesters_harmed(sent):
            if _mob_attacked(sent):
                # "a group of men attacked the rally": a crowd's violence, not force used on
                # protesters by the state or an armed group (coding guide §1)
                return "Mob violence"
            return "Excessive force against protesters"
        if "Protest with intervention" in subs or self._done_to_protesters(
            sent, INTERVENTION_WORDS
        ):
            return "Protest with intervention"
        return "Peaceful protest"

    def _without_fighting(self, triggers: list[_Trigger], sent: SpacySpan) -> bool:
        """A place taken as its holders left, or without a fight ("rebels entered the town after
        the army pulled out", "took control ... without any clashes"): a non-violent transfer
        of territory (coding guide §1)."""
        doc = sent.doc
        # a withdrawal after "fierce fighting" was no handover
        fought = any(
            t.lemma_.lower() in FIGHT_WORDS
            and not _denied(t)
            and not any(a.lower_ == "without" for a in ancestors(t, limit=3))
            for t in sent
        )
        if not fought and any(
            t.sub == "Change to group/activity" and doc[t.head].lemma_.lower() in WITHDRAW_WORDS
            for t in triggers
        ):
            return True
        for tok in sent:
            if tok.lower_ in ("unopposed", "peacefully"):
                return True
            if tok.lower_ == "without" and any(
                t.lemma_.lower() in FIGHT_WORDS for t in tok.subtree
            ):
                return True
            if tok.lemma_.lower() in FIGHT_WORDS and _denied(tok):
                return True  # "met no resistance", "had not encountered any resistance"
        return False

    def _protesters_harmed(self, sent: SpacySpan) -> bool:
        """Demonstrators killed, shot or beaten ("two protesters were killed", "police beat a
        demonstrator", "troops opened fire on the marchers"): force causing death or serious
        injury (ACLED: excessive force)."""
        if self._done_to_protesters(sent, self.lex.death_words | HARM_WORDS):
            return True
        return any(_serious_injury(tok) for tok in sent) and self._done_to_protesters(
            sent, self.lex.injury_words
        )

    def _done_to_protesters(self, sent: SpacySpan, verbs: frozenset[str]) -> bool:
        """A word of ``verbs`` whose object or victim is the demonstrators ("detained dozens of
        protesters", "protesters were killed", "fired on the crowd")."""
        for tok in sent:
            lemma = tok.lemma_.lower()
            opened_fire = lemma == "open" and any(
                c.dep_ == "dobj" and c.lemma_.lower() == "fire" for c in tok.children
            )
            if not (
                lemma in verbs
                or (tok.pos_ == "VERB" and _forms(tok) & verbs)
                or (opened_fire and "fire" in verbs)
            ):
                continue
            if lemma == "fire" and any(
                c.dep_ == "dobj" and c.lemma_.lower() not in LETHAL_ROUNDS for c in tok.children
            ):
                continue  # "fired tear gas at protesters": not lethal force
            victims: list[Token] = []
            for child in tok.children:
                if child.dep_ in ("dobj", "nsubjpass") or (
                    child.dep_ == "nsubj" and lemma in ("die", "perish")
                ):
                    victims.append(child)
                elif child.dep_ == "prep" and child.lower_ in (
                    "on",
                    "at",
                    "into",
                    "against",
                    "among",
                ):
                    victims.extend(c for c in child.children if c.dep_ == "pobj")
            if tok.dep_ in ("amod", "acl") and tok.head.pos_ == "NOUN":
                victims.append(tok.head)  # "protesters killed by police"
            for victim in victims:
                words = [
                    victim,
                    *victim.children,
                    *(c for c in victim.children if c.dep_ == "conj"),
                ]
                for word in words:
                    if lemma in PERSON_VERBS and word.lemma_.lower() in PROTEST_EVENTS:
                        continue
                    if word.lemma_.lower() in PROTEST_PEOPLE:
                        return True
                    if (  # "dozens of protesters"
                        word.dep_ == "prep"
                        and word.lower_ == "of"
                        and any(g.lemma_.lower() in PROTEST_PEOPLE for g in word.children)
                    ):
                        return True
        return False

    def _protesters_rioted(self, sent: SpacySpan) -> bool:
        """Demonstrators who destroy, storm or block ("protesters stormed the parliament",
        "demonstrators blocked the highway"): violent or destructive, so a riot (ACLED)."""
        for tok in sent:
            agents = _agents(tok)
            if _turned_violent(tok) and (
                not agents  # the parse lost the subject of a sentence about a demonstration
                or any(a.lemma_.lower() in PROTEST_PEOPLE | GATHERINGS for a in agents)
            ):
                return True  # "the protest turned violent", "the march descended into chaos"
            if _riot_act(tok):
                return True
        return False

    def _context_sub(self, sent: SpacySpan | list[Token]) -> str | None:
        votes: dict[str, int] = {}
        for tok in sent:
            for sub in self.lex.context.get(tok.lemma_.lower(), ()):
                votes[sub] = votes.get(sub, 0) + 1
        if not votes:
            return None
        return max(votes, key=lambda s: (votes[s], -SUB_RANK[s]))

    def _decide_generic(self, trig: _Trigger, sent: SpacySpan) -> tuple[str, float]:
        tok = sent.doc[trig.head]
        lemma = tok.lemma_.lower()
        by_weapon = self._context_sub(sent)
        if by_weapon and lemma in GENERIC_BY_WEAPON:
            return by_weapon, 0.7
        told_later = self._weapon_told_later(tok, sent) if lemma in GENERIC_BY_WEAPON else None
        if told_later:
            return told_later, 0.85
        if lemma in EXPLOSION_WORDS:
            # ACLED codes a blast of no stated kind as a remote explosive; the classifier and the
            # sentence's cues still tell an accident apart
            return trig.sub, 0.7
        target = _target_kind(tok)
        if lemma in ("attack", "target", "shoot", "shooting", "open fire", "assault"):
            if target == "civilian":
                return "Attack", 0.6
            if target == "property" and lemma in ("shoot", "shooting", "open fire"):
                # "a shooting attack on a car": gunfire at a vehicle is at the people in it
                return "Attack", 0.6
            if target == "property":
                # "attacks on properties", "attacked parked cars": no one to fight back or be hurt
                return "Looting/property destruction", 0.55
            return "Armed clash", 0.55
        if lemma == "seize" and target == "civilian":
            return "Abduction/forced disappearance", 0.55
        if lemma == "seize" and not _seized_place(tok):
            # "police seized counterfeit goods": neither a place nor people (weapons have their
            # own verb-object rule)
            return trig.sub, 0.0
        return trig.sub, 0.55

    def _weapon_told_later(self, tok: Token, sent: SpacySpan) -> str | None:
        """The weapon a short report names as the means of the same attack in a later sentence
        ("attacks hit 13 police posts ... The attacks were carried out with grenades"): the
        back-reference's weapon is the first mention's sub-type."""
        doc = sent.doc
        if not _is_snippet(doc):
            return None
        lemma = tok.lemma_.lower()
        for other in doc[sent.end :]:
            if other.lemma_.lower() == lemma and _refers_back(other):
                verb = governing_verb(other)
                # the clause's own words, not those of a clause joined to it by "and"
                joined = {t.i for c in verb.children if c.dep_ == "conj" for t in c.subtree}
                return self._context_sub([t for t in verb.subtree if t.i not in joined])
        return None

    def _decide_casualty(self, tok: Token, sent: SpacySpan) -> tuple[str, float]:
        """A toll with no other trigger ("Gunmen killed seven farmers", "5 killed in Zahra") is an
        event unless the sentence tells a disaster, an accident or a crime (coding guide §2)."""
        lemmas = {t.lemma_.lower() for t in sent}
        victims = _target_kind(tok)
        armed_agent = _armed_agent(tok)
        if lemmas & self.lex.non_event_words and not armed_agent:
            return "Armed clash", 0.0
        by_weapon = self._context_sub(sent)
        if by_weapon:
            return by_weapon, 0.55
        if victims == "armed" or (armed_agent and victims != "civilian"):
            return "Armed clash", 0.45
        if victims == "civilian" or armed_agent or lemmas & self.lex.means_words:
            return "Attack", 0.45
        return "Armed clash", 0.35

    def _civil_context(self, group: _Group) -> bool:
        """A disaster, accident, crime or diplomatic row told with no armed actor (§2): an
        explosion at a chemical plant, smugglers intercepted, diplomats expelled. A demonstration
        is one whatever it is about ("protests over a road accident")."""
        if SUB_EVENT_TYPES[group.sub] in DEMONSTRATION_TYPES and not group.alone:
            return False  # but the classifier's riot in a story of a hacked website is none
        span: SpacySpan = group.sent
        doc = span.doc
        if (
            all(t.kind != "phrase" for t in group.triggers)
            and _is_snippet(doc)
            and self._context_sub(span) is None
        ):
            # "an explosion" named in a short report whose other sentence tells the furnace or
            # the gas tank that blew up: the snippet's sentences tell one story
            span = doc[:]
        # nouns only: "a chemical plant" is a cue, "planted a bomb" is not
        lemmas = _noun_lemmas(span, ("NOUN", "PROPN", "ADJ"))
        lemmas |= {t.lemma_.lower() for t in span if t.pos_ == "VERB"} & VERB_CUES
        # the police are in every crime story: only soldiers and armed groups make it political
        if not lemmas & self.lex.non_event_words or lemmas & (self.lex.armed_words - POLICE_WORDS):
            return False
        if any(t.pos_ == "NOUN" and t.lemma_.lower() in WEAPON_CUES for t in group.sent):
            return False  # "a bomb exploded near a factory": no factory accident
        return not any(
            ent.label_ in ("ORG", "NORP") and _names_armed_group(ent) for ent in span.ents
        )

    # -- the learned classifier ---------------------------------------------------------------
    def _readings(
        self, doc: Document, sents: list[SpacySpan]
    ) -> list[tuple[dict[str, float], float]]:
        """The classifier's reading of each sentence. A short text (a snippet, a headline and its
        lead) is read whole as well, since its sentences tell one story."""
        if self.classifier is None:
            return [({}, 0.0)] * len(sents)
        texts = [s.text for s in sents]
        probs = self.classifier.predict_proba(texts)
        if 1 < len(sents) <= SNIPPET_SENTENCES:
            whole = self.classifier.predict_proba([doc.text])[0]
            probs = (probs + whole) / 2
        labels = self.classifier.labels
        out = []
        for row in probs:
            reading = {
                lab: float(p) for lab, p in zip(labels, row, strict=True) if lab in SUB_EVENT_TYPES
            }
            out.append((reading, float(1.0 - sum(reading.values()))))
        return out

    def _arbitrate(self, group: _Group) -> tuple[str, float]:
        """The rules' candidates and the classifier's reading, together: each candidate sub-type
        scores its probability plus the rules' weight for it; a weak rule reading that the
        classifier takes for no event is dropped (score 0)."""
        w = self.classifier_weight
        rule = {t.sub: t.weight for t in group.triggers if t.kind == "phrase"}
        rule[group.sub] = max(rule.get(group.sub, 0.0), group.score)
        combined = {sub: p + w * rule.get(sub, 0.0) for sub, p in group.reading.items()}
        if group.sub not in CROWD_SUBS and any(
            _armed_agent(group.sent.doc[t.head], organized=True) for t in group.triggers
        ):
            # rebels or soldiers who attack do not riot or protest (coding guide §1): the
            # classifier's crowd reading of a short sentence gives way to who acted
            combined = {sub: v for sub, v in combined.items() if sub not in CROWD_SUBS}
        if group.sub not in DEMONSTRATION_SUBS and not _names_demonstration(group.sent.doc[:]):
            # a demonstration needs demonstrators: "clashes broke out in the town" names none
            combined = {sub: v for sub, v in combined.items() if sub not in DEMONSTRATION_SUBS}
        best = max(combined, key=lambda sub: combined[sub])
        if self._rules_decide(group, best, rule):
            # what a demonstration became, or whether a place changed hands by fighting, the
            # parse tells (who was violent, who left, what was done to whom) better than the
            # words around it
            best = group.sub
        if best in ("Government regains territory", "Non-state actor overtakes territory"):
            best = _territory_taker(group) or best
        # that there is an event at all, the rules' trigger says louder than which type it is
        support = max(
            group.reading[sub] + VETO_RULE_WEIGHT * rule[sub]
            for sub in rule
            if sub in group.reading
        )
        if group.no_event > max(support, combined[best]) and group.score < STRONG_RULE:
            return best, 0.0
        # both agreeing is surer than either alone; either alone is as sure as it says
        agree = group.reading[best] * rule.get(best, 0.0)
        # a trigger the classifier retypes still says there is an event, as surely as the
        # classifier allows ("kills 55 fighters" read as an air strike is no weaker an event)
        exists = min(max(rule.values()), 1.0 - group.no_event)
        confidence = max(rule.get(best, 0.0), group.reading[best], exists) + 0.5 * agree
        return best, round(min(1.0, confidence), 3)

    def _crowd_clash(self, group: _Group) -> bool:
        """Clashes or scuffles in a short report of a demonstration, with no soldiers or armed
        group named: the demonstration turned violent ("Thousands marched ... There were scuffles
        with police"), a riot (coding guide §1), not a battle."""
        doc = group.sent.doc
        if not any(doc[t.head].lemma_.lower() in CROWD_CLASH for t in group.triggers):
            return False
        if not _is_snippet(doc) or not _names_protest(doc[:]):
            return False
        return not self._armed_context(group)

    def _rules_decide(self, group: _Group, best: str, rule: dict[str, float]) -> bool:
        """Where the rules' reading of the parse (who did what to whom, with what) beats the
        classifier's reading of the words: neighbouring types the parse tells apart."""
        sub = group.sub
        doc = group.sent.doc
        heads = [doc[t.head] for t in group.triggers]
        specific = rule.get(sub, 0.0)
        if _same_family(sub, best):
            return True
        if best == "Armed clash":
            # victims who could not fight back, or an act done to them by name ("abducted",
            # "executed"): a clash needs two armed sides
            if sub == "Attack" and group.score >= 0.6:
                return True
            if SUB_EVENT_TYPES[sub] == "Violence against civilians" and specific >= 0.8:
                return True
            # the weapon named ("a landmine attack", "attacked ... with mortars") is the type; the
            # rules already let a clash named beside it outrank it (coding guide §0)
            if SUB_EVENT_TYPES[sub] == "Explosions/Remote violence" and specific >= 0.85:
                return True
            # prisoners exchanged, weapons seized, a base set up: with no word of fighting in
            # the mention, the fighters named around it do not make it a battle
            if SUB_EVENT_TYPES[sub] == "Strategic developments" and specific >= 0.8:
                return True
        # a place taken, named by a specific phrase, against a weapon no trigger names: the
        # classifier read a weapon in the background ("captured five villages near the scene of
        # the 2017 chemical attack")
        if (
            sub in TERRITORY_SUBS
            and specific >= 0.85
            and best not in rule
            and SUB_EVENT_TYPES[best] == "Explosions/Remote violence"
        ):
            return True
        # a weapon type needs its weapon: the classifier's air strike or roadside bomb, with no
        # aircraft or bomb named anywhere in the report, gives way to the rules' reading (the
        # grenade they found, or no weapon at all)
        report = doc[:] if _is_snippet(doc) else group.sent
        if (
            SUB_EVENT_TYPES[best] == "Explosions/Remote violence"
            and sub != "Armed clash"
            and group.score >= 0.55
            and not any(best in self.lex.context.get(t.lemma_.lower(), ()) for t in report)
        ):
            if SUB_EVENT_TYPES[sub] == "Explosions/Remote violence":
                # a weapon the rules found ("grenade explosion") against the classifier's other
                if all(t.sub != best for t in group.triggers if t.kind == "phrase"):
                    return True
            elif all(t.sub != best for t in group.triggers) and self._context_sub(report) is None:
                return True
        # who launched it decides: missiles fired by jets are an air strike (coding guide §1)
        if (
            sub == "Air/drone strike"
            and best == "Shelling/artillery/missile attack"
            and any(_fired_from_air(h) for h in heads)
        ):
            return True
        # the agent decides, not the delivery: shells carrying poison gas (coding guide §1)
        if (
            sub == "Chemical weapon"
            and specific >= 0.9
            and SUB_EVENT_TYPES[best] == "Explosions/Remote violence"
        ):
            return True
        # a violent act or a demonstration the rules name by a specific phrase outranks the
        # non-violent context the classifier reads around it (coding guide §0); a weapon named
        # may be one found or seized, which the classifier tells better
        if (
            SUB_EVENT_TYPES[best] == "Strategic developments"
            and best != "Disrupted weapons use"
            and SUB_EVENT_TYPES[sub] != "Strategic developments"
            and best not in rule
            and specific >= 0.8
        ):
            return True
        # a base or post set up is the specific development; the troops or vehicles moved in
        # with it are the general one (coding guide §1)
        if (
            sub == "Headquarters or base established"
            and best == "Change to group/activity"
            and specific >= 0.9
        ):
            return True
        # people captured, not a place: the parse saw whom
        if best in TERRITORY_SUBS and any(_captive(h) for h in heads):
            return True
        # a device defused or a missile intercepted: the weapon it names did not go off
        if (
            SUB_EVENT_TYPES[best] == "Explosions/Remote violence"
            and best in rule
            and any(_disrupts(h) for h in heads)
        ):
            return True
        # a mob where no one demonstrates is no riot of demonstrators
        return (
            sub == "Mob violence" and best == "Violent demonstration" and not _names_protest(doc[:])
        )

    def _armed_context(self, group: _Group) -> bool:
        """Soldiers, militants or a named armed group in the sentence: a rule reading there stands
        against the classifier's doubt ("ISIS executes 3 people on charges of spying")."""
        lemmas = _noun_lemmas(group.sent, ("NOUN", "PROPN"))
        if lemmas & (self.lex.armed_words - POLICE_WORDS):
            return True
        # executions, gunfire, ambushes: organized violence even with no one named
        if {t.lemma_.lower() for t in group.sent} & self.lex.means_words:
            return True
        return any(
            ent.label_ in ("ORG", "NORP", "PERSON") and _names_armed_group(ent)
            for ent in group.sent.ents
        )

    def _classified_group(
        self,
        sent: SpacySpan,
        reading: dict[str, float],
        no_event: float,
        quotes: list[tuple[int, int]],
    ) -> list[_Group]:
        """A sentence with no trigger that the classifier reads, with confidence, as an event
        ("Turkish forces set up a new observation post"): anchored on the sentence's main verb."""
        best = max(reading, key=lambda sub: reading[sub])
        root = sent.root
        if root.lemma_.lower() in NEUTRAL_REPORTING:
            # "an official says the government released 30 rebels": the reported act is the event
            said = [c for c in root.children if c.dep_ == "ccomp"]
            if said:
                root = said[0]
        if (
            reading[best] < CLASSIFIER_ALONE
            or no_event > reading[best]
            or in_regions(root.idx, quotes)
        ):
            return []
        if root.pos_ not in ("VERB", "AUX", "NOUN") or self.is_irrealis(root):
            return []
        # "“We will strike back,” the commander said": words reported, not an act
        quoted = sum(
            min(end, sent.end_char) - max(start, sent.start_char)
            for start, end in quotes
            if start < sent.end_char and end > sent.start_char
        )
        if root.lemma_.lower() in REPORTING_VERBS | ATTRIBUTION_VERBS or quoted > 0.3 * len(
            sent.text
        ):
            return []
        if any(c.dep_ == "dobj" and c.lemma_.lower() in CLAIM_NOUNS for c in root.children):
            return []  # "took credit for ...": who did it, told of an event already known
        trigger = _Trigger(root.i, root.i + 1, root.i, best, reading[best], "phrase")
        return [_Group([trigger], sent, alone=True)]

    # -- aggregates and plural references -----------------------------------------------------
    def plural_status(self, group: _Group) -> str:
        """'event', 'aggregate', or 'generic' (a habitual or back-reference: no new event)."""
        doc = group.sent.doc
        if all(t.kind == "casualty" for t in group.triggers) and _long_period(group.time):
            return "aggregate"  # "1,000 people have been killed across the country since January"
        strong = [doc[t.head] for t in group.triggers if t.kind != "casualty"]
        if strong and all(_days_of(tok) for tok in strong):
            return "aggregate"  # "two months of fighting", "three days of clashes" (§5)
        for trig in group.triggers:
            tok = doc[trig.head]
            if (
                trig.kind == "casualty"
                or tok.tag_ not in ("NNS", "NNPS")
                or tok.lemma_.lower() in self.lex.instrument_words
                or tok.lemma_.lower() in BODY_WORDS
                or tok.lower_ in BODY_WORDS
            ):
                continue
            coordinated = [tok, *[c for c in tok.children if c.dep_ == "conj"]]
            heads = {t.head for t in group.triggers}
            if tok.dep_ == "conj" and tok.head.i in heads:
                # "3 airstrikes and shelling": the number counts the events; in "kill 7 people and
                # continuous clashes" it counts the dead
                coordinated.append(tok.head)
            q = next((quantity_of(t) for t in coordinated if quantity_of(t) is not None), None)
            if tok.dep_ == "pobj" and tok.head.lower_ == "of":
                owner = tok.head.head
                if owner.lower_ in ("one", "another") or owner.lemma_ == "one":
                    group.anchor = owner.i
                    return "event"
                if owner.lemma_.lower() in TIME_UNITS and quantity_of(owner):
                    return "aggregate"
                if owner.lemma_.lower() in ("series", "wave", "spate", "string", "dozen"):
                    if (
                        group.time is None
                        and owner.lemma_.lower() in ("series", "string")
                        and not any(t.lemma_.lower() in TIME_UNITS for t in group.sent)
                    ):
                        # "carried out a string of airstrikes on the town", no period told: one
                        # operation reported as it happened, not a tally
                        return "event"
                    return "event" if self._one_place_and_day(group, tok) else "aggregate"
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "including":
                    for obj in child.children:
                        if obj.lower_ == "one":
                            group.anchor = obj.i
                            return "event"
            if q is not None and (q.count is None or q.count >= 3):
                return "event" if self._one_place_and_day(group, tok) else "aggregate"
            if any(
                c.dep_ == "det" and c.lower_ in ("these", "those", "such") for c in tok.children
            ):
                return "generic"
            if group.time is not None and group.time.date is not None:
                if group.time.date.precision in LONG_PRECISIONS or (
                    group.time.date.precision == "range"
                    and group.time.text is not None
                    and group.time.text.lower().startswith("since")
                ):
                    return "aggregate"
                return "event"
            # "attacks on aid workers are rising": a statement about many events, not a report of
            # one (a headline's "airstrikes kill 20" is one)
            verb = governing_verb(tok)
            if (
                verb.lemma_.lower() in STATE_VERBS
                and not any(c.dep_ == "expl" for c in verb.children)
                and not any(_told_death(doc[t.head]) for t in group.triggers)
            ):
                return "generic"  # but "there were clashes" reports them, as "a woman was killed"
        return "event"

    @staticmethod
    def _one_place_and_day(group: _Group, tok: Token) -> bool:
        """ "30 airstrikes hit Hama countryside", "dozens of shells fell on the town on Monday":
        strikes on one place in one day are one event (coding guide §5), unlike a tally."""
        return _one_day(group.time) or _reported_as_news(governing_verb(tok))

    # -- places and dates for one group -------------------------------------------------------
    def assign_places(self, doc: Document, group: _Group) -> list[tuple[PlaceMention, int]]:
        """Locational places of the sentence near the trigger, best first, with a precision."""
        sp = doc.doc
        assert sp is not None
        anchor = sp[group.anchor] if group.anchor >= 0 else _typing_trigger(group, sp)
        verb = governing_verb(anchor)
        # triggers of another type that the group took in: a place nearer one of them is its place
        others = [
            sp[t.head]
            for t in group.triggers
            if t.kind != "casualty" and t.sub != group.sub and t.head != anchor.i
        ]
        scored: list[tuple[int, int, PlaceMention, int]] = []
        names = None
        for pm in doc.places:
            if pm.place is None:
                continue
            if not (group.sent.start_char <= pm.start < group.sent.end_char):
                continue
            span = sp.char_span(pm.start, pm.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            part = _country_part(root, pm)
            local = not part and _local_group(root, pm)
            if not (pm.locational or part or local):
                continue
            if names is None:
                names = get_actor_dictionary().group_spans(group.sent)
            if any(start <= pm.start and pm.end <= end for start, end in names):
                continue  # "Hayat Tahrir al-Sham": a group's name, not Damascus
            if not (part or local) and (_modifier_use(root) or _actor_use(root, pm)):
                continue
            dist = min(tree_distance(root, anchor), tree_distance(root, verb) + 1)
            if any(tree_distance(root, other) < dist for other in others):
                dist += (
                    2  # "kill 6 in a village east of Hama and shelling on Daraa": the shelling's
                )
            precision = pm.place.precision
            # "from Madaya town", "near the Hama countryside": the phrase the name stands in
            phrase = root.head if root.dep_ == "compound" and _place_word(root.head) else root
            prep = phrase.head if phrase.dep_ == "pobj" else None
            if prep is not None and prep.lower_ in ("near", "around", "close", "between"):
                precision = max(precision, 2)
            if _area_of(root):
                precision = max(precision, 2)
            if prep is not None and prep.lower_ == "from":
                dist += 3  # where people came from, not where it happened
            if _across_border(root):
                dist += 100  # the land across a border: only when nothing else is named
            if local:
                dist += 50  # "Idlib militants": where they are from, when nothing else is named
                precision = max(precision, 2)
            # a town or site in the clause says more than the country named beside it
            scored.append((dist + (1 if precision == 3 else 0), pm.start, pm, precision))
        scored.sort(key=lambda s: (s[0], s[1]))
        # "Syria's al-Bab", "clashes in Syria ... in Eastern Ghouta": a place inside the country
        # named says where in it
        inside = {
            pm.place.country_code
            for _, _, pm, _ in scored
            if pm.place is not None and pm.feature != "country"
        }
        return sorted(
            ((pm, prec) for _, _, pm, prec in scored),
            key=lambda c: (
                c[0].feature == "country"
                and c[0].place is not None
                and c[0].place.country_code in inside
            ),
        )

    # -- the stage ----------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        if doc.doc is None:
            return doc
        sp = doc.doc
        quotes = quoted_regions(doc.text)
        events: list[_Event] = []
        sents = list(sp.sents)
        readings = self._readings(doc, sents)
        tally = period = False
        for sent, (reading, no_event) in zip(sents, readings, strict=True):
            # "Two months of clashes…40 villages taken…350 killed": a headline that opens with a
            # period tallies it in every item after its ellipses (coding guide §2: an Aggregate)
            if sp.text[: sent.start_char].rstrip().endswith(("…", "...")):
                tally = period
            else:
                tally, period = False, (opening_period(doc, sent) or 0.0) > 1.0
            triggers = [
                t for t in self.find_triggers(sent, quotes) if not self.is_irrealis(sp[t.head])
            ]
            groups = self.group(triggers, sent)
            groups = self._separate_findings(groups, sent)
            if not groups and reading:
                groups = self._classified_group(sent, reading, no_event, quotes)
            for group in groups:
                group.reading, group.no_event = reading, no_event
                self._build(doc, group, events, tally=tally)
        events = _consolidate(events)
        fallback = _article_place(doc)
        finished: list[Event] = []
        for ev in events:
            if not ev.places and fallback is not None:
                ev.places = [fallback]
            event = ev.finish(doc, len(finished))
            kept = event.confidence >= self.min_confidence
            for m in ev.mentions:
                m.event_index = len(finished) if kept else None
            if not kept:
                continue
            if event.date.text is None and event.date.start is not None:
                doc.warnings.append(
                    f"event {event.id}: no date expression governs it; dated to the week before "
                    "publication (precision week)"
                )
            finished.append(event)
        doc.events = finished
        return doc

    def _build(
        self, doc: Document, group: _Group, events: list[_Event], *, tally: bool = False
    ) -> None:
        sp = doc.doc
        assert sp is not None
        group.sub, group.score = self.classify(group)
        if group.score <= 0.0 or self._civil_context(group):
            return
        if group.sub == "Armed clash" and self._crowd_clash(group):
            group.sub = "Violent demonstration"
        vetoed = False
        if group.reading:
            rule_sub, rule_score = group.sub, group.score
            group.sub, group.score = self._arbitrate(group)
            if group.score <= 0.0:
                # soldiers named beside a non-violent development (troops helping flood victims)
                # do not make it one
                peaceful = SUB_EVENT_TYPES[rule_sub] == "Strategic developments"
                # a violent act told with the dead or hurt it left happened: its toll vouches
                # for it as an armed actor named would ("clashes ... leaving 5 casualties")
                # (an explosion that killed may have been a gas tank's: that needs a phrase)
                tolled = any(t.kind == "casualty" for t in group.triggers) and any(
                    t.kind == "phrase" for t in group.triggers
                )
                if peaceful or not (self._armed_context(group) or tolled):
                    vetoed = True  # kept only if it tells more of an event already found
                group.sub, group.score = rule_sub, rule_score
        head = sp[group.triggers[0].head]
        group.time = governing_time(doc, head.i)
        status = self.plural_status(group)
        if status == "event" and (tally or _toll_over_period(doc, group)):
            status = "aggregate"
        if status == "generic":
            return
        sent_span = doc.span(group.sent.start_char, group.sent.end_char)
        trigger_span = doc.span(
            sp[group.triggers[0].start].idx,
            sp[group.triggers[0].end - 1].idx + len(sp[group.triggers[0].end - 1]),
        )
        if status == "aggregate":
            doc.aggregates.append(self._aggregate(doc, group, sent_span))
            doc.mentions.append(
                EventMention(
                    trigger_span,
                    sent_span,
                    SUB_EVENT_TYPES[group.sub],
                    group.sub,
                    head.i,
                    group.score,
                    aggregate=True,
                )
            )
            return
        antecedent = _antecedent_aggregate(doc, group) if group.anchor >= 0 else None
        if antecedent is not None and group.score < 0.7:
            # "one of these attacks" is one of the "strikes and attacks" counted before: their type
            group.sub, group.score = doc.mentions[antecedent].sub_event_type, 0.6
        places = self.assign_places(doc, group)
        group.refers_back = _refers_back(head) or all(t.kind == "casualty" for t in group.triggers)
        own_place = places[0] if places and _owns_place(places[0][0], group, sp) else None
        mention = EventMention(
            trigger_span, sent_span, SUB_EVENT_TYPES[group.sub], group.sub, head.i, group.score
        )
        mention.antecedent = antecedent
        doc.mentions.append(mention)
        target = None
        if events and group.refers_back and (group.time is None or group.running_total):
            target = _antecedent(events, group, own_place[0] if own_place else None)
        if group.running_total and events and target is None:
            doc.mentions.pop()  # a toll raised by later deaths updates an event, not a new one
            return
        if vetoed and target is None and not (group.running_total and places):
            # deaths counted in a named place are an event there whatever the classifier reads
            # of a bare toll
            doc.mentions.pop()
            return
        if target is not None:
            target.absorb(mention, group, places)
            mention.event_index = events.index(target)
            return
        for n, place_list in enumerate(_split_by_place(places, group, sp)):
            if n > 0:  # one mention per event, so later stages find each event's words
                mention = dataclasses.replace(mention)
                doc.mentions.append(mention)
            ev = _Event(group.sub, group.score, group.time, place_list, [mention], sent_span)
            events.append(ev)
            mention.event_index = len(events) - 1

    def _aggregate(self, doc: Document, group: _Group, sent_span: Span) -> Aggregate:
        sp = doc.doc
        assert sp is not None
        tok = sp[group.triggers[0].head]
        if tok.dep_ == "conj":
            tok = tok.head
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            tok = tok.head.head  # "three days of protests": the period is what is counted
        q = quantity_of(tok)
        if all(t.kind == "casualty" for t in group.triggers):
            # a toll over a period: the clause says it all ("1,000 people killed since January")
            tok = governing_verb(tok)
            found = (
                quantity_of(c) or _quantity_of_whom(c)
                for c in tok.children
                if c.dep_ in ("nsubjpass", "dobj", "nsubj")
            )
            q = next((f for f in found if f is not None), None)
            clause = [t.i for t in tok.subtree]
        else:
            clause = [t.i for t in tok.subtree]
        first, last = min(clause), max(clause)
        if tok.head.i != tok.i and tok.dep_ in ("nsubj", "nsubjpass"):
            # the subject and its verb: "three days of protests left 23 dead"
            first, last = min(first, tok.head.i), max(last, max(t.i for t in tok.head.subtree))
        if q is not None:
            first = min(first, q.start)
        desc = sp[first : last + 1].text.rstrip(" .,;")
        if tok.lemma_.lower() in TIME_UNITS:
            q = None  # "three days of protests": days, not the number of events
        countries = []
        for pm in doc.places:
            span = sp.char_span(pm.start, pm.end, alignment_mode="expand")
            if span is None or _modifier_use(span.root) or not pm.locational:
                continue
            if (
                pm.place is not None
                and pm.place.country_code
                and group.sent.start_char <= pm.start < group.sent.end_char
                and pm.place.country_code not in countries
            ):
                countries.append(pm.place.country_code)
        return Aggregate(
            description=desc,
            count=q.count if q else None,
            qualifier=q.qualifier if q else "unknown",
            date=group.time.date if group.time and group.time.date else DateInfo(precision="range"),
            countries=countries,
            evidence=[sent_span],
        )


@dataclass
class _Event:
    sub: str
    score: float
    time: TimeMention | None
    places: list[tuple[PlaceMention, int]]
    mentions: list[EventMention]
    first_sentence: Span
    evidence: list[Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.evidence = [self.first_sentence]

    def merge(self, other: _Event) -> None:
        """Fold in another event found to be the same incident (type, place and day agree)."""
        for mention in other.mentions:
            self.mentions.append(mention)
        for span in other.evidence:
            if span not in self.evidence:
                self.evidence.append(span)
        self.evidence.sort(key=lambda sp: sp.start)
        if self.time is None:
            self.time = other.time
        if not self.places or (other.places and other.places[0][1] < self.places[0][1]):
            self.places = other.places
        # the more specific trigger names the incident ("clashes" ... "an ambush")
        if _demonstration_rank(other.sub) > _demonstration_rank(self.sub) or (
            other.score > self.score
            and _demonstration_rank(other.sub) >= _demonstration_rank(self.sub)
        ):
            self.sub, self.score = other.sub, other.score

    def absorb(
        self, mention: EventMention, group: _Group, places: list[tuple[PlaceMention, int]]
    ) -> None:
        self.mentions.append(mention)
        if mention.sentence not in self.evidence:
            self.evidence.append(mention.sentence)
        if self.time is None and group.time is not None:
            self.time = group.time
        if not self.places and places:
            self.places = places
        # a later, more specific trigger refines a generic type ("the attack ... the drone strike")
        if _demonstration_rank(group.sub) > _demonstration_rank(self.sub) or (
            group.score > self.score + 0.1
            and _demonstration_rank(group.sub) >= _demonstration_rank(self.sub)
        ):
            self.sub, self.score = group.sub, group.score

    def finish(self, doc: Document, ordinal: int) -> Event:
        published = doc.article.published
        date_info, dated = _event_date(self.time, published)
        location = None
        if self.places:
            pm, precision = self.places[0]
            assert pm.place is not None
            location = pm.place.model_copy(update={"precision": precision, "text": pm.text})
        confidence = min(1.0, self.score + (0.1 if location else 0.0) + (0.1 if dated else 0.0))
        key = content_hash(doc.article.id, self.sub, str(ordinal), str(self.evidence[0].start))
        return Event(
            id=key,
            event_type=SUB_EVENT_TYPES[self.sub],
            sub_event_type=self.sub,
            date=date_info,
            location=location,
            evidence=self.evidence,
            confidence=round(confidence, 3),
        )


def is_irrealis(tok: Token, lex: Lexicon) -> bool:
    """A modal, a negation, or a planning, denying or reporting-about word governs the word.

    A governing verb or noun counts only when the word stands in its complement ("threatened to
    attack", "plans for an offensive"), not as its subject ("the massacre claimed 11 lives").
    """
    chain = [tok, *ancestors(tok, limit=8)]
    for n, node in enumerate(chain):
        if n > 0 and _told_as_fact(chain[n - 1]):
            break  # "police will investigate after five people were killed": that happened
        for child in node.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in lex.modal_aux:
                return True
            if child.dep_ == "neg" and node.pos_ in ("VERB", "AUX") and n <= 2:
                return True
        lemma = node.lemma_.lower()
        below = chain[n - 1] if n > 0 else None
        governed = below is not None and below.dep_ not in SUBJECT_DEPS
        if below is not None and below.dep_ == "nsubjpass" and lemma in ATTRIBUTION_VERBS:
            return True  # "bombers are suspected of ...": who did it is what is told
        if (
            governed
            and node.pos_ == "VERB"
            and lemma in lex.modal_verbs
            and not _claims_lives(node)
        ):
            return True
        if (
            governed
            and node.pos_ in ("NOUN", "ADJ")
            and (lemma in lex.modal_nouns or lemma == "responsible")
        ):
            return True
        if (
            below is not None
            and below.dep_ == "prep"
            and below.lower_ == "for"
            and node.pos_ == "VERB"
            and any(c.dep_ == "dobj" and c.lemma_.lower() in CLAIM_NOUNS for c in node.children)
        ):
            return True  # "took credit for the bombing": a claim of an event, not a new one
        if node.dep_ == "ROOT":
            break
    return False


#: what one claims, takes or denies for an event ("claimed responsibility for the attack")
CLAIM_NOUNS = frozenset(["credit", "responsibility", "blame"])
#: what introduces a clause told as fact whatever the main clause's mood
FACT_MARKERS = frozenset(["after", "when", "since", "because", "following"])


def _told_as_fact(node: Token) -> bool:
    """An "after ..." or "when ..." clause or phrase: it tells what happened, not what is planned
    or threatened in the clause it hangs on."""
    if node.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in FACT_MARKERS for c in node.children)
    return node.dep_ == "prep" and node.lower_ in FACT_MARKERS


BACKGROUND_WORDS = frozenset({"after", "before", "since", "following"})
#: "in revenge for", "in retaliation for", "in response to": the motive is an earlier incident
MOTIVE_NOUNS = frozenset({"revenge", "retaliation", "response", "reprisal", "retribution"})


def in_background(word: Token, trigger: Token) -> bool:
    """The word stands in an "after ..."/"since ..."/"in revenge for ..." clause or phrase that
    the trigger is not in."""
    for node in [word, *ancestors(word, limit=6)]:
        marker = node if node.lower_ in BACKGROUND_WORDS else None
        if node.lemma_.lower() in MOTIVE_NOUNS and node.dep_ == "pobj" and node.head.lower_ == "in":
            marker = node.head
        elif node.dep_ == "prep" and node.i > 0 and _motive(node.doc[node.i - 1]):
            # the parse may hang "for ..." on the verb: "killed 3 in revenge | for the deaths of 20"
            return not (node.i - 2 <= trigger.i <= node.right_edge.i)
        if marker is None:
            marker = next(
                (c for c in node.children if c.dep_ == "mark" and c.lower_ in BACKGROUND_WORDS),
                None,
            )
            if marker is not None:
                marker = node  # the clause's verb heads the background
        if marker is not None:
            span = range(marker.left_edge.i, marker.right_edge.i + 1)
            return trigger.i not in span
    return False


def _motive(tok: Token) -> bool:
    return tok.lemma_.lower() in MOTIVE_NOUNS and tok.i > 0 and tok.nbor(-1).lower_ == "in"


def background_of(tokens: list[Token]) -> set[int]:
    """Indexes of the tokens that stand in an "after ..." clause another of them is not in."""
    return {t.i for t in tokens if any(in_background(t, o) for o in tokens if o.i != t.i)}


def _days_of(tok: Token) -> bool:
    """ "two months of fighting", "3 days of clashes": many days of events, not one."""
    if tok.dep_ == "conj":
        tok = tok.head
    if tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return False
    owner = tok.head.head
    unit = owner.lemma_.lower()
    q = quantity_of(owner)
    # the period is what the sentence tells, not an adjunct of it ("raising the toll to 145
    # within 6 days of fighting": the toll's period)
    if q is None or unit not in ("day", "week", "month", "year") or owner.dep_ == "pobj":
        return False
    return unit != "day" or q.count is None or q.count > 1


def _told_death(tok: Token) -> bool:
    """ "a teacher was killed", "two men died": a death told in the past, one incident's."""
    return (
        tok.pos_ == "VERB"
        and tok.tag_ in ("VBD", "VBN")
        and tok.lemma_.lower() in ("kill", "die", "execute", "slay", "murder", "assassinate")
        and any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in tok.children)
    )


def cumulative(tok: Token) -> bool:
    """ "raising to 212 the number of people killed", "the death toll rose": a running total."""
    return any(a.lemma_.lower() in TOTAL_WORDS for a in ancestors(tok, limit=4)) or any(
        c.lemma_.lower() in TOTAL_WORDS for c in tok.children if c.dep_ in ("nsubj", "compound")
    )


def _names_casualties(tok: Token, lex: Lexicon) -> bool:
    """ "Casualties in two villages": the dead or hurt of an event tell that it happened, whether
    or not they are deaths (the counts stage decides that: §4, casualties are no fatalities)."""
    return casualties_are_deaths(tok, lex) or (
        tok.lemma_.lower() == "casualty" and tok.pos_ in ("NOUN", "PROPN")
    )


def casualties_are_deaths(tok: Token, lex: Lexicon) -> bool:
    """ "7 casualties and several wounded": "casualties" set against the wounded are the dead, as
    are the victims of a massacre or an execution ("a massacre of 15 casualties"). Not "15
    casualties and injuries": one number for both, the dead among them untold."""
    if tok.lemma_.lower() != "casualty":
        return False
    if _massacre_victims(tok):
        return True
    joined = {c.i for c in tok.children if c.dep_ == "conj"}
    if tok.dep_ == "conj":
        joined.add(tok.head.i)
    return any(
        t.i != tok.i
        and t.lemma_.lower() != "casualty"
        and (t.lemma_.lower() in lex.injury_words or t.lower_ in lex.injury_words)
        and not (t.i in joined and quantity_of(t) is None)
        for t in tok.sent
    )


def _massacre_victims(tok: Token) -> bool:
    """ "a massacre of 15 casualties", "15 casualties in two massacres": killed, by the word."""
    near = [tok.head.head] if tok.dep_ == "pobj" and tok.head.lower_ == "of" else []
    # "15 casualties, half of them children, in 2 massacres": the parse hangs it on the apposition
    phrase = [tok, *(c for c in tok.children if c.dep_ == "appos")]
    for prep in (c for w in phrase for c in w.children if c.dep_ == "prep"):
        if prep.lower_ in ("in", "of"):
            near.extend(c for c in prep.children if c.dep_ == "pobj")
    return any(n.lemma_.lower() in MASSACRE_WORDS for n in near)


def _claims_lives(verb: Token) -> bool:
    """ "claimed the lives of 11": a toll, not a claim of responsibility."""
    return verb.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("life", "live") for c in verb.children
    )


def _article_place(doc: Document) -> tuple[PlaceMention, int] | None:
    """Where an article's events happen when a sentence names no place: the first town, site or
    province the article names as a location (a report's dateline or lead), never nearer than
    "near" (precision 2). A one-sentence text has no such context."""
    if doc.doc is None or sum(1 for _ in doc.doc.sents) < 2:
        return None
    for pm in doc.places:
        if (
            pm.locational
            and pm.place is not None
            and pm.feature not in ("country", "continent", "region")
        ):
            return pm, max(pm.place.precision, 2)
    return None


def _one_day(time: TimeMention | None) -> bool:
    return time is not None and time.date is not None and time.date.precision in ("day", "time")


def _reported_as_news(verb: Token) -> bool:
    """A headline's simple present ("airstrikes target the city"): today's news, not a tally
    ("have carried out 12 attacks")."""
    return verb.tag_ in ("VBZ", "VBP") and not any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children
    )


def _quantity_of_whom(tok: Token) -> Quantity | None:
    """ "claimed the lives of 28 civilians": the number of the people the noun is of."""
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            return quantity_of(obj)
    return None


def _toll_over_period(doc: Document, group: _Group) -> bool:
    """ "In 2 weeks, gunmen claimed the lives of 28": a toll over days (an Aggregate, as "three
    days of protests left 23 dead")."""
    if not all(t.kind == "casualty" for t in group.triggers):
        return False
    return any((period_days(doc, t.head) or 0.0) > 1.0 for t in group.triggers)


def _long_period(time: TimeMention | None) -> bool:
    """A month, a year, or a range of more than a week ("since January")."""
    if time is None or time.date is None or time.date.start is None:
        return False
    if time.date.precision in LONG_PRECISIONS:
        return True
    end = time.date.end or time.date.start
    return time.date.precision == "range" and (end - time.date.start).days > LONG_DAYS


def _same_family(rule_sub: str, best: str) -> bool:
    """The rule's reading and the classifier's are neighbours the parse decides between."""
    if _demonstration_rank(rule_sub) >= 0 and _demonstration_rank(best) >= 0:
        return True
    return rule_sub == "Non-violent transfer of territory" and best in TERRITORY_FAMILY


def _demonstration_rank(sub: str) -> int:
    """How far a demonstration went (-1: not one): a protest told, then met with tear gas, then
    turning to stone-throwing, is one riot (coding guide §0)."""
    return DEMONSTRATION_ORDER.index(sub) if sub in DEMONSTRATION_ORDER else -1


def _same_incident(a: _Event, b: _Event) -> bool:
    """ACLED's unit: one type, one place, one day. A report's headline or a follow-up sentence
    with no date or place of its own tells the same incident again; a demonstration and what it
    became are one incident."""
    demo = _demonstration_rank(a.sub) >= 0 and _demonstration_rank(b.sub) >= 0
    if SUB_EVENT_TYPES[a.sub] != SUB_EVENT_TYPES[b.sub] and not demo:
        return False
    if a.time is not None and b.time is not None and a.time.date != b.time.date:
        return False
    place_a = a.places[0][0].place if a.places else None
    place_b = b.places[0][0].place if b.places else None
    if place_a is not None and place_b is not None:
        if not _same_area(place_a, a.places[0][1], place_b, b.places[0][1]):
            return False
    elif place_a is None and place_b is None and a.time is not None and b.time is not None:
        return True
    # with a place or a date missing on one side, only a neighbouring sentence continues it
    gap = b.evidence[0].start - a.evidence[-1].end
    return (place_a is not None and place_b is not None) or gap < 400


#: two places closer than this may be one incident's ("the Hama countryside" and a village there)
SAME_AREA_KM = 50.0


def _same_area(a: Place, precision_a: int, b: Place, precision_b: int) -> bool:
    """One incident's place told twice: the same place, a region and a place in it, or the land
    around a town and a place near it; not two towns, nor the Hama countryside and Deir ez-Zor."""
    if a.country_code != b.country_code:
        return False
    if a.name == b.name or (a.geonames_id is not None and a.geonames_id == b.geonames_id):
        return True
    if precision_a == precision_b == 1:
        return False  # two named towns or sites: two events (one place, one event)
    wide, narrow = (a, b) if a.precision >= b.precision else (b, a)
    if wide.precision == 3 and (wide.admin1 is None or wide.admin1 == narrow.admin1):
        return True  # a country or province and a place in it
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return True
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= SAME_AREA_KM


def _consolidate(events: list[_Event]) -> list[_Event]:
    kept: list[_Event] = []
    for ev in events:
        target = next((k for k in reversed(kept[-3:]) if _same_incident(k, ev)), None)
        if target is None:
            kept.append(ev)
        else:
            target.merge(ev)
    return kept


def _event_date(time: TimeMention | None, published: date | None) -> tuple[DateInfo, bool]:
    if time is not None and time.date is not None and time.date.start is not None:
        return time.date, True
    if published is not None:
        # ACLED dates an undated report to its week: the seven days that end on publication
        week = DateInfo(start=published - timedelta(days=6), end=published, precision="week")
        return week, False
    return DateInfo(start=None, end=None, precision="day", text=None), False


def _forms(tok: Token) -> set[str]:
    """The token's lemma and surface form, plus crude stems: spaCy's lemmatizer misses some
    ("raped" -> "rap")."""
    low = tok.lower_
    forms = {tok.lemma_.lower(), low}
    for suffix, repl in (
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            forms.add(low[: -len(suffix)] + repl)
    return forms


def _is_snippet(doc: SpacyDoc) -> bool:
    """A text of a few sentences (a snippet, a headline and its lead): they tell one story."""
    return next(islice(doc.sents, SNIPPET_SENTENCES, None), None) is None


def _noun_lemmas(span: SpacySpan, tags: tuple[str, ...]) -> set[str]:
    """Lemmas of the words of ``span`` with a part of speech in ``tags``; "fire fighters" and
    "fire officers" are firefighters, not armed men."""
    out = set()
    for t in span:
        if t.pos_ not in tags:
            continue
        if any(c.dep_ == "compound" and c.lower_ == "fire" for c in t.children):
            out.add("firefighter")
        else:
            out.add(t.lemma_.lower())
    return out


def _is_name_part(tok: Token) -> bool:
    """A capitalized word inside a name ("Rally for Culture", "March" the month)."""
    if tok.ent_type_ in ("PERSON", "ORG", "GPE", "FAC", "WORK_OF_ART", "LAW", "DATE", "PRODUCT"):
        return tok.is_title or (tok.is_upper and len(tok) > 3)
    return False


#: generic words that name an event only as a verb ("targeted a convoy", not "85 targets")
VERB_ONLY = frozenset({"target", "storm", "seize", "shoot"})
NOUN_ONLY = frozenset({"shooting", "gunfire"})


def _generic_pos_ok(lemma: str, tok: Token) -> bool:
    if lemma in VERB_ONLY:
        return tok.pos_ == "VERB"
    if lemma in NOUN_ONLY:
        return tok.pos_ == "NOUN"
    return tok.pos_ in ("NOUN", "VERB")


def lives_taken(tok: Token) -> bool:
    """ "claimed / lost / took the lives of": "lives" tell deaths only with such a verb."""
    return tok.head.lemma_.lower() in ("claim", "lose", "take")


def _is_casualty_use(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if lemma == "life":
        return lives_taken(tok)
    if lemma in ("body", "toll", "corpse"):
        return False
    return tok.pos_ in ("VERB", "NOUN", "ADJ")


def _figurative(tok: Token, trig: _Trigger) -> bool:
    """ "explosion of aggression", "strike a deal", "march to", a labour strike."""
    lemma = tok.lemma_.lower()
    if lemma == "riot" and tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ == "NOUN":
        return True  # "riot police", "riot gear": the force, not a riot
    if (
        trig.kind == "phrase"
        and tok.dep_ in ("compound", "amod", "nmod")
        and tok.head.lemma_.lower() in WEAPON_HOLDERS
    ):
        return True  # "missile tests", "a chemical weapons facility": the weapon, not its use
    if lemma == "barricade" and any(
        c.dep_ == "dobj" and c.lower_ in ("himself", "herself", "themselves") for c in tok.children
    ):
        return True  # a gunman who barricaded himself in a house
    if trig.kind == "phrase" and any(
        t.lemma_.lower() == "sign"
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)
        for t in tok.doc[trig.start : trig.end]
    ):
        return True  # "held up signs of recovery": a sign of something is no placard
    if lemma in ("explosion", "blast") and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in tok.children
    ):
        return True
    if lemma == "strike":
        if any(
            c.lemma_.lower() in ("deal", "balance", "chord", "agreement", "note", "tone")
            for c in tok.children
        ):
            return True
        if any(
            c.lower_ in ("general", "hunger", "labor", "labour", "workers") for c in tok.children
        ):
            return True
        if tok.head.lemma_.lower() in ("go", "on") or any(
            c.lower_ == "on" for c in tok.head.children if tok.dep_ == "pobj"
        ):
            return True
    if (
        lemma in ("demonstrate", "rally", "march")
        and tok.pos_ == "VERB"
        and any(c.dep_ in ("dobj", "ccomp") for c in tok.children)
    ):
        return True  # "the strike demonstrated no regard", "rallied support"
    if lemma == "engage" and any(
        c.dep_ == "prep"
        and c.lower_ == "in"
        and not any(g.lemma_.lower() in COMBAT_WORDS for g in c.children)
        for c in tok.children
    ):
        return True  # "engaged in talks", "engaging in sexual conduct", not "engaged the enemy"
    return (
        lemma == "fight"
        and any(c.dep_ == "prep" and c.lower_ in ("against", "for") for c in tok.children)
        and tok.pos_ == "NOUN"
    )


#: weapons that no accident sets off
WEAPON_CUES = frozenset(["bomb", "ied", "explosive", "rocket", "missile", "mortar", "grenade"])
#: what a weapon's name modifies when it tells no use of the weapon
WEAPON_HOLDERS = frozenset(
    [
        "test",
        "programme",
        "program",
        "development",
        "factory",
        "facility",
        "plant",
        "site",
        "stockpile",
        "technology",
        "vehicle",
        "pact",
        "treaty",
        "ban",
        "sanction",
        "inspector",
        "expert",
        "research",
        "capability",
        "export",
        "sale",
        "shield",
        "convention",
        "arsenal",
    ]
)
#: what one engages in when engaging is fighting
COMBAT_WORDS = frozenset(
    ["fighting", "fight", "battle", "clash", "combat", "firefight", "gunfight", "exchange", "war"]
)


#: people one captures, as against places
CAPTIVE_WORDS = frozenset(
    [
        "commander",
        "leader",
        "soldier",
        "fighter",
        "militant",
        "official",
        "member",
        "chief",
        "officer",
        "spy",
        "suspect",
        "rebel",
        "insurgent",
        "man",
        "woman",
        "civilian",
        "pilot",
        "journalist",
        "hostage",
        "prisoner",
        "policeman",
        "jihadist",
        "terrorist",
        "person",
    ]
)
#: the state's forces, who arrest rather than abduct
STATE_WORDS = frozenset(["army", "troop", "soldier", "police", "military", "force", "security"])


def _captive(tok: Token) -> bool:
    """The verb's object is a person ("captured a senior commander", "seized two spies")."""
    if tok.lemma_.lower() not in ("capture", "seize", "take", "catch"):
        return False
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child.ent_type_ == "PERSON" or child.lemma_.lower() in CAPTIVE_WORDS
    return False


#: who blows up a device found, rather than one planted (coding guide §1: Disrupted weapons use)
DISPOSAL_WORDS = frozenset(["expert", "squad", "sapper", "engineer", "technician", "unit"])


def _controlled_blast(verb: Token) -> bool:
    """ "bomb disposal experts detonated the device", "it was safely detonated": a device made
    harmless, not one set off at its target."""
    if any(c.lower_ in ("safely", "controlled") for c in verb.subtree):
        return True
    return bool(_agent_lemmas(verb) & (STATE_WORDS | DISPOSAL_WORDS))


#: who attacks as a crowd rather than as a force
MOB_AGENTS = frozenset(
    ["group", "mob", "crowd", "counter-protester", "counterprotester", "supporter", "youth", "gang"]
)


def _mob_attacked(sent: SpacySpan) -> bool:
    """A crowd, not the police or an armed group, attacked someone ("a group of men attacked a
    peaceful rally", "counter-protesters beat marchers")."""
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in ("attack", "assault", "beat"):
            continue
        agents = _agents(tok)
        if not agents or _armed_agent(tok, organized=True):
            continue
        if any(a.lemma_.lower() in MOB_AGENTS for a in agents) and not _state_agent(tok):
            return True
    return False


def _amid(tok: Token) -> bool:
    """ "amid clashes", "amidst heavy shelling": the setting of an incident, not the incident."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("amid", "amidst")


def _named_by_year(tok: Token) -> bool:
    """ "the 2017 chemical attack", "survivors of the 1994 massacre": an event named by its year is
    history the report recalls, not the news it tells."""
    noun = tok
    for _ in range(2):
        if any(
            c.dep_ in ("nummod", "compound", "amod")
            and len(c.text) == 4
            and c.text.isdigit()
            and c.text[:2] in ("19", "20")
            for c in noun.children
        ):
            return True
        if noun.dep_ not in ("compound", "amod"):
            break
        noun = noun.head
    return False


def _went_off_anyway(triggers: list[_Trigger], sent: SpacySpan) -> bool:
    """ "the bomb blew up as soldiers were trying to defuse it": a disruption only attempted, and
    the device exploded, is the explosion (coding guide §1)."""
    doc = sent.doc
    disrupted = [doc[t.head] for t in triggers if t.sub == "Disrupted weapons use"]
    if not all(
        t.dep_ == "xcomp" and t.head.lemma_.lower() in ("try", "attempt", "seek") for t in disrupted
    ):
        return False
    return any(
        t.lemma_.lower() in EXPLOSION_WORDS
        or (
            t.lemma_.lower() in ("blow", "go")
            and any(c.lower_ in ("up", "off") for c in t.children)
        )
        for t in sent
    )


#: what fires from the air
AIRCRAFT_WORDS = frozenset(
    ["jet", "warplane", "aircraft", "helicopter", "drone", "uav", "plane", "bomber", "gunship"]
)


def _fired_from_air(tok: Token) -> bool:
    """ "warplanes fired missiles", "rockets fired by a drone": an aircraft launched it."""
    return bool(_agent_lemmas(governing_verb(tok)) & AIRCRAFT_WORDS)


def _state_agent(verb: Token) -> bool:
    """The one who acted is the state's forces ("the army captured ...")."""
    return bool(_agent_lemmas(verb) & STATE_WORDS)


#: the government's own forces, as takers of a place
GOVERNMENT_WORDS = frozenset(["army", "troop", "soldier", "military", "government", "regime"])
#: armed groups that are not the state's
NON_STATE_WORDS = frozenset(
    ["rebel", "militant", "insurgent", "militia", "jihadist", "terrorist", "separatist"]
)


def _territory_taker(group: _Group) -> str | None:
    """Who took the place decides between the two territory battles (coding guide §1): the
    government's forces regain it, rebels or militias overtake it; None when the sentence does
    not tell."""
    doc = group.sent.doc
    words: set[str] = set()
    for trig in group.triggers:
        words |= _agent_lemmas(governing_verb(doc[trig.head]))
    state, other = bool(words & GOVERNMENT_WORDS), bool(words & NON_STATE_WORDS)
    if state == other:
        return None
    return "Government regains territory" if state else "Non-state actor overtakes territory"


def _seized_place(tok: Token) -> bool:
    """The object of "seized" is a place: a named one, or a town, base, hill or area."""
    for child in tok.children:
        if child.dep_ not in ("dobj", "nsubjpass"):
            continue
        if child.ent_type_ in ("GPE", "LOC", "FAC") or child.lemma_.lower() in TERRAIN:
            return True
        if any(c.ent_type_ in ("GPE", "LOC", "FAC") for c in child.subtree):
            return True
    return False


def _negated(tok: Token) -> bool:
    """ "without any armed clashes", "no fighting was reported": the event did not happen."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True
    return any(a.lower_ == "without" for a in ancestors(tok, limit=3))


def _names_protest(sent: SpacySpan) -> bool:
    return any(t.lemma_.lower() in PROTEST_PEOPLE for t in sent)


def _riot_act(tok: Token, who: frozenset[str] = PROTEST_PEOPLE | PROTESTING) -> bool:
    """Demonstrators or others who take to the streets (``who``) destroy, storm or block
    ("supporters blocked the main roads", "students stormed the dean's office")."""
    if tok.pos_ != "VERB":
        return False
    breach = tok.lemma_.lower() in BREACH_VERBS and any(
        o.lemma_.lower() in BARRIERS for o in tok.subtree
    )
    if not breach and not _forms(tok) & RIOT_VERBS:
        return False
    agents = _agents(tok)
    verb = tok
    while not agents and verb.dep_ == "xcomp":
        # "demonstrators trying to block the entrance": the subject of the verb it completes
        verb = verb.head
        agents = [verb.head] if verb.dep_ in ("acl", "relcl") else _agents(verb)
    if not any(a.lemma_.lower() in who for a in agents):
        return False
    # blocking is a riot only of roads and crossings (coding guide: barricades)
    blocks = tok.lemma_.lower() in ("block", "blockade", "barricade", "shut")
    return not blocks or any(o.lemma_.lower() in ROADS for o in tok.subtree)


#: what makes a weapon fail to go off
DISRUPT_VERBS = frozenset(
    ["defuse", "intercept", "dismantle", "neutralize", "neutralise", "foil", "thwart", "disarm"]
)
DEVICE_WORDS = frozenset(["ied", "device", "bomb", "mine", "landmine", "explosive"])


def _disrupts(tok: Token) -> bool:
    """ "defused the bomb", "destroyed an explosive device": the weapon did not go off; "set off
    their devices accidentally", "killed while planting a bomb": it went off in its makers' hands."""
    if _forms(tok) & DISRUPT_VERBS:
        return True
    accident = any(c.lower_ in ("accidentally", "prematurely") for c in tok.children) or (
        tok.lemma_.lower() == "plant" and any(c.lower_ == "while" for c in tok.children)
    )
    if accident:
        # the bombers' own device, not a mine a soldier or a farmer stepped on; "insurgents were
        # killed while planting": the planters are the subject of the verb the clause hangs on
        verb = tok.head if tok.lemma_.lower() == "plant" else tok
        planters = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        return any(
            t.lemma_.lower() in _LEX.armed_words - CROWD_WORDS - STATE_WORDS
            for p in planters
            for t in p.subtree
        )
    return tok.lemma_.lower() == "destroy" and any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in DEVICE_WORDS for c in tok.children
    )


def _denied(tok: Token) -> bool:
    """ "no resistance", "did not meet any resistance": the word is said not to have happened."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True
    verb = tok.head
    return tok.dep_ in ("dobj", "nsubjpass", "attr") and any(c.dep_ == "neg" for c in verb.children)


def _enters_place(tok: Token) -> bool:
    """ "entered the town", "moved into Kesra": coming into a place."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "VERB" or lemma not in ("enter", "move", "march"):
        return False
    places = [c for c in tok.children if c.dep_ == "dobj" and lemma == "enter"]
    places += [
        g
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ in ("into", "in")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    return any(p.ent_type_ in ("GPE", "LOC", "FAC") or p.lemma_.lower() in TERRAIN for p in places)


def _serious_injury(tok: Token) -> bool:
    """ "seriously wounded", "critical injuries": harm ACLED counts as excessive force."""
    return tok.lemma_.lower() in SERIOUS_WORDS and tok.dep_ in ("amod", "advmod")


def _turned_violent(tok: Token) -> bool:
    """ "turned (very) violent", "descended into violence": what a gathering became."""
    lemma = tok.lemma_.lower()
    if lemma in ("turn", "become", "grow"):
        return any(
            c.dep_ in ("acomp", "oprd") and c.lemma_.lower() in ("violent", "ugly")
            for c in tok.children
        )
    if lemma in ("descend", "degenerate", "spiral", "erupt", "turn"):
        return any(
            g.lemma_.lower() in ("violence", "chaos", "clash", "riot")
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ == "into"
            for g in c.subtree
        )
    return False


#: words that tell a demonstration, besides those for its people
DEMONSTRATION_WORDS = frozenset(
    ["protest", "demonstrate", "riot", "rioter", "march", "rally", "picket", "sit", "vigil"]
)


def _names_demonstration(span: SpacySpan) -> bool:
    """A demonstration or its people are named ("protesters", "rallied", "a human chain")."""
    return any(
        _forms(t) & (PROTEST_PEOPLE | DEMONSTRATION_WORDS | {"activist"})
        or (t.lower_ == "chain" and any(c.lower_ == "human" for c in t.children))
        for t in span
    )


def _names_crowd(span: SpacySpan) -> bool:
    """Demonstrators, rioters, a mob or others who take to the streets are named."""
    words = PROTEST_PEOPLE | PROTESTING | CROWD_WORDS | {"riot", "protest", "demonstrate"}
    return any(_forms(t) & words for t in span)


def _joined(a: Token, b: Token) -> bool:
    """Two triggers of one incident: one governs the other closely, or they share a verb."""
    if tree_distance(a, b) <= 3:
        return True
    return governing_verb(a).i == governing_verb(b).i


def _target_kind(tok: Token) -> str | None:
    """Whether a trigger's object/victims are civilians or armed ("killed seven farmers")."""
    candidates: list[Token] = []
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            candidates.append(child)
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "of", "targeting"):
            candidates.extend(c for c in child.children if c.dep_ == "pobj")
    if tok.dep_ in ("amod", "acl") or tok.lemma_.lower() in ("dead", "die"):
        candidates.append(tok.head)
    for c in tok.children:
        if c.dep_ == "nsubj" and tok.lemma_.lower() == "die":
            candidates.append(c)
    goods = False
    for cand in candidates:
        for t in cand.subtree:
            lemma = t.lemma_.lower()
            if lemma in _LEX.civilian_words:
                return "civilian"
            if lemma in _LEX.armed_words:
                return "armed"
            goods = goods or lemma in PROPERTY_WORDS
    return "property" if goods else None


PLACE_NOUNS = frozenset(
    [
        "city",
        "town",
        "village",
        "province",
        "district",
        "region",
        "governorate",
        "county",
        "state",
        "area",
        "outskirts",
        "suburb",
        "neighborhood",
        "neighbourhood",
        "border",
        "countryside",
        "camp",
        "base",
        "capital",
        "desert",
        "mountain",
        "mountains",
        "valley",
        "plain",
        "coast",
        "road",
        "highway",
        "airport",
        "field",
        "front",
        "enclave",
        "pocket",
        "zone",
        "island",
        "river",
        "bank",
        "hill",
        "hills",
    ]
)


def _modifier_use(root: Token) -> bool:
    """ "the U.S.'s strike", "U.S. forces", "Iraqi officials": a place word that names an actor.
    Not "Syria's al-Bab" (a place's country), nor "the Nangarhar airstrike" or "Latakia clashes"
    (where the event happened)."""
    head = root.head
    if root.dep_ == "poss":
        # "Latakia's suburbs", "Syria's al-Bab": a part of the place, not its people's act
        return not (
            (head.pos_ == "PROPN" and head.ent_type_ in ("GPE", "LOC", "FAC", ""))
            or _place_word(head)
        )
    return (
        root.dep_ in ("compound", "amod", "nmod")
        and head.pos_ in ("NOUN", "PROPN")
        and not _place_word(head)
        and not _event_noun(head)
        # "found in the Eastern Ghouta weeks after ...": the parse hangs the place on the time
        and head.lemma_.lower() not in TIME_UNITS
    )


#: "Turkey-backed rebels", "a U.S.-led coalition", "gunmen loyal to Iran": a state behind an actor
PATRON_WORDS = frozenset(
    [
        "back",
        "backed",
        "lead",
        "led",
        "sponsor",
        "sponsored",
        "support",
        "supported",
        "fund",
        "funded",
        "arm",
        "armed",
        "loyal",
        "allied",
        "ally",
        "affiliate",
        "affiliated",
        "link",
        "linked",
        "align",
        "aligned",
        "allegiance",
    ]
)


def _actor_use(root: Token, pm: PlaceMention) -> bool:
    """The place names who acted or stood behind the actor, not where: "Turkey-backed rebels",
    "gunmen loyal to Iran", a country as the subject of the act ("Iraq kills 45 militants")."""
    head = root.head
    if head.lemma_.lower() in PATRON_WORDS or head.lower_ in PATRON_WORDS:
        return True
    if root.dep_ == "pobj" and head.lower_ in ("to", "with", "by"):
        governor = head.head
        if governor.lemma_.lower() in PATRON_WORDS or governor.lower_ in PATRON_WORDS:
            return True
    return root.dep_ == "nsubj" and head.pos_ == "VERB" and pm.feature == "country"


#: "the Syrian south", "in the Afghan north": a part of a country named by its adjective
COMPASS_NOUNS = frozenset(
    ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"]
)


def _country_part(root: Token, pm: PlaceMention) -> bool:
    """A country's adjective on a word for part of its land ("the Syrian south", "several Syrian
    areas", "Syrian territory"): where it happened, known only to the country (precision 3)."""
    if pm.feature != "country":
        return False
    if root.dep_ in ("amod", "compound"):
        noun = root.head
    elif root.i + 1 < len(root.doc) and root.nbor().lemma_.lower() in COMPASS_NOUNS:
        noun = root.nbor()  # the parse may miss it: "in Afghan north"
    elif _place_word(root) and any(c.ent_type_ == "NORP" for c in root.children):
        noun = root  # the mention took the noun in: "the Syrian territory"
    else:
        return False
    if noun.lemma_.lower() not in COMPASS_NOUNS and not _place_word(noun):
        return False
    # "the Russian-Turkish demilitarized area": named after an accord, not inside one country
    demonyms = {t.i for left in noun.lefts for t in left.subtree if t.ent_type_ in ("NORP", "GPE")}
    return len(demonyms - {root.i}) <= (1 if noun.i == root.i else 0)


def _place_word(tok: Token) -> bool:
    """A word for a place or a stretch of land: "town", "the countryside", "areas", "zone"."""
    lemma = tok.lemma_.lower()
    return lemma in PLACE_NOUNS or lemma in AREA_WORDS or tok.lower_ in AREA_WORDS


def _typing_trigger(group: _Group, sp) -> Token:
    """The trigger that gave the group its type, outside any "after ..." phrase of the others:
    in "shelling on X and 2 killed in mine explosions in Y" the explosions are the event's."""
    heads = [sp[t.head] for t in group.triggers]
    background = background_of(heads)
    deaths = [sp[t.head] for t in group.triggers if t.kind == "casualty"]

    def to_deaths(trig: _Trigger) -> int:
        # of two strikes told, the one whose clause has the dead
        return min((tree_distance(sp[trig.head], d) for d in deaths), default=0)

    typing = [t for t in group.triggers if t.sub == group.sub and t.head not in background]
    if typing:
        best = max(typing, key=lambda t: (t.weight, -to_deaths(t)))
        return sp[best.head]
    # the classifier's type, named by no trigger: the deaths tell the event
    return deaths[0] if deaths else heads[0]


#: people of a place: "Idlib militants", "Kandahar police", "Gao residents" are most often there
LOCAL_PEOPLE = frozenset({"resident", "villager", "local", "tribesman", "tribesmen", "elder"})


def _local_group(root: Token, pm: PlaceMention) -> bool:
    """A town or province naming an armed group or its people ("Idlib militants", "the Kandahar
    police"), not a country ("Iraqi officials": a state acts abroad) nor a patron."""
    if pm.feature not in ("city", "admin2") or root.dep_ not in ("compound", "nmod"):
        return False
    if root.tag_ != "NNP":
        return False  # "Chechen fighters": a people's adjective, fighters from anywhere
    head = root.head
    # a title-case headline leaves "Militants" unlemmatized
    forms = {head.lemma_.lower(), head.lower_, head.lower_.removesuffix("s")}
    return bool(forms & (_LEX.armed_words | LOCAL_PEOPLE))


def _across_border(root: Token) -> bool:
    """ "near the border with Turkey": the neighbour across the border, not where it happened."""
    return (
        root.dep_ == "pobj"
        and root.head.lower_ == "with"
        and root.head.head.lemma_.lower() in ("border", "frontier")
    )


def _event_noun(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and (
        any(len(p.lemmas) == 1 for p in _LEX.phrases.get(lemma, ()))
        or lemma in _LEX.generic
        or lemma in _LEX.death_words
    )


def _area_of(root: Token) -> bool:
    """ "Homs desert", "the countryside of Idlib", "the Idlib countryside": land around a place."""
    if root.dep_ in ("compound", "nmod", "amod"):
        return _area_word(root.head)
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        return _area_word(root.head.head)
    return False


def _area_word(tok: Token) -> bool:
    return tok.lower_ in AREA_WORDS or tok.lemma_.lower() in AREA_WORDS


def _pronoun_subject(tok: Token) -> bool:
    verb = governing_verb(tok)
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("it", "they") for c in verb.children
    )


def _names_armed_group(ent: SpacySpan) -> bool:
    actor = get_actor_dictionary().lookup(ent, None)
    return actor is not None and actor.type not in ("civilians", "protesters")


def _agents(verb: Token) -> list[Token]:
    """Who did it: the subject, and the object of a "by"-phrase."""
    agents = [c for c in verb.children if c.dep_ == "nsubj"]
    for agent in (c for c in verb.children if c.dep_ == "agent"):
        agents.extend(c for c in agent.children if c.dep_ == "pobj")
    return agents


def _agent_lemmas(verb: Token) -> set[str]:
    """The lemmas of the words that name who did it ("Syrian army warplanes": army, warplane)."""
    return {t.lemma_.lower() for a in _agents(verb) for t in a.subtree}


#: what crowds do: an organized armed actor's act is never one of them (force used against
#: protesters is, and stays open)
CROWD_SUBS = frozenset({"Violent demonstration", "Mob violence", "Peaceful protest"})
#: armed words of crowds, not organized armed actors
CROWD_WORDS = frozenset({"mob", "vigilante", "rioter", "protester", "demonstrator", "crowd"})


def _armed_agent(tok: Token, *, organized: bool = False) -> bool:
    """The one who killed is an armed or organized actor ("gunmen", "the army", "Boko Haram");
    with ``organized``, not a mob or vigilantes."""
    verb = governing_verb(tok)
    agents = [
        a
        for a in _agents(verb)
        if a.dep_ != "nsubj" or verb.lemma_.lower() not in ("die", "perish")
    ]
    words = _LEX.armed_words - CROWD_WORDS if organized else _LEX.armed_words
    not_armed = {"civilians", None, "rioters", "protesters"} if organized else {"civilians", None}
    for agent in agents:
        if any(t.lemma_.lower() in words for t in agent.subtree):
            return True
        actor = get_actor_dictionary().lookup(
            agent.doc[agent.left_edge.i : agent.right_edge.i + 1], None
        )
        if actor is not None and actor.type not in not_armed:
            return True
    return False


def _refers_back(tok: Token) -> bool:
    """ "the strike", "this attack", or a pronoun subject: a mention of an event already told."""
    if tok.pos_ == "NOUN":
        # "the strike", "this attack", "the U.S.'s strike": an event the article already told
        return any(
            (c.dep_ == "det" and c.lower_ in REFERRING_DETS) or c.dep_ == "poss"
            for c in tok.children
        )
    verb = governing_verb(tok)
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in verb.children)


def _owns_place(pm: PlaceMention, group: _Group, sp) -> bool:
    span = sp.char_span(pm.start, pm.end, alignment_mode="expand")
    if span is None:
        return False
    anchor = sp[group.anchor] if group.anchor >= 0 else sp[group.triggers[0].head]
    return tree_distance(span.root, anchor) <= 4


def _antecedent(
    events: list[_Event], group: _Group, own_place: PlaceMention | None
) -> _Event | None:
    """The recent event a referring mention continues: same type family, and no other place."""
    family = SUB_EVENT_TYPES[group.sub]
    for ev in reversed(events[-3:]):
        if SUB_EVENT_TYPES[ev.sub] != family and not all(
            t.kind == "casualty" for t in group.triggers
        ):
            continue
        if own_place is None or own_place.place is None:
            return ev
        theirs = ev.places[0][0].place if ev.places else None
        if theirs is None or theirs.country_code == own_place.place.country_code:
            return ev
    return None


def _antecedent_aggregate(doc: Document, group: _Group) -> int | None:
    """The aggregate mention, in this or the two sentences before, that "one of these" points to."""
    start = group.sent.start_char
    for n in range(len(doc.mentions) - 1, -1, -1):
        m = doc.mentions[n]
        if m.aggregate and m.sentence.start <= start and start - m.sentence.end < 600:
            return n
    return None


def _split_by_place(
    places: list[tuple[PlaceMention, int]], group: _Group, sp
) -> list[list[tuple[PlaceMention, int]]]:
    """ "strikes in both Iraq and Syria", "explosions in the Homs countryside and the Hama
    countryside": one event per place (ACLED: one place, one event). Within a country, not
    "between X and Y" (one place between them), nor a town and the region it lies in."""
    if not places:
        return [[]]

    def phrase(pm: PlaceMention) -> Token | None:
        span = sp.char_span(pm.start, pm.end, alignment_mode="expand")
        if span is None:
            return None
        root = span.root
        return root.head if root.dep_ == "compound" and _place_word(root.head) else root

    def coordination(node: Token) -> Token:
        # the first of coordinated phrases: "in X and in Y" coordinates the "in"s
        if node.dep_ == "pobj" and (
            node.head.dep_ == "conj" or any(c.dep_ == "conj" for c in node.head.children)
        ):
            node = node.head
        while node.dep_ == "conj":
            node = node.head
        return node

    best, best_prec = places[0]
    first = phrase(best)
    if first is None or best.place is None:
        return [places]
    joined = coordination(first)
    siblings = [places[0]]
    for pm, prec in places[1:]:
        node = phrase(pm)
        if node is None or pm.place is None or coordination(node).i != joined.i:
            continue
        if pm.place.country_code == best.place.country_code and (
            _same_area(best.place, best_prec, pm.place, prec)
            or any(a.lower_ == "between" for a in [node, *ancestors(node, limit=3)])
        ):
            continue
        siblings.append((pm, prec))
    if len(siblings) == 1:
        return [places]
    return [[s] for s in siblings]


@register_stage(
    "events", reads=("doc", "places", "times"), writes=("mentions", "events", "aggregates")
)
def make_events(settings: Settings) -> EventDetector:
    """Detect event mentions, classify them (ACLED type/sub-type), merge them into events."""
    return EventDetector(settings)


__all__ = ["EventDetector", "Place"]
