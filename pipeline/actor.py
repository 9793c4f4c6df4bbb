"""The organisation that acts in a fact's clause: the org entity in subject position.

Chinese puts the agent before the verb at the head of its clause (区民政局投入资金15.6万元),
after an optional time or scope phrase (20xx年以来，区民政局…; 今年区人武部…) or after 由
(由民政部门给予医疗补助). An org governed by another preposition (在区委领导下, 为人武部官兵),
modifying a noun (区民政局的负责同志) or inside a relative clause before the fact
(省政府承诺的15件民生实事) is not the actor. Report sentences chain clauses with different
agents (…新设3所本科层次职业学校，大湾区大学正式成立), so a fact takes the agent of its own
clause; a clause that opens with a predicate (，为780名重点优抚对象办理…; ，并…; ，先后拨款…)
continues the sentence's topic and takes its agent. In a list of orgs that act together
(区人武部、消防大队…) the first of the list acts. Work summaries also let generic bodies act
(社区都要…, 机关从…入手): `generic_bodies` finds them in agent position, where no figure of
theirs follows (高新技术企业超6.1万家 is a statistic).
"""
from __future__ import annotations

import bisect
import re
from operator import itemgetter

Entity = tuple[int, int, str, str]  # start, end, kind, label — offsets relative to the sentence

CLAUSE_BREAKS = "，,。；;：:！!？?\n"
_CLAUSE_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAKS)}]")
# Prepositions and verbs that put the noun after them in an oblique or object role.
NON_AGENT_MARKERS = re.compile(r"[在向为对给与和跟同被受把将从到经据按以于让使请邀由]|协助|配合|通过|联合|依托|支持|帮助|慰问|走访")
AGENT_MARKER = re.compile(r"(?:由|经)\s*$")
# What may stand between the clause start and the agent: time, scope and discourse openers.
LEAD_IN_WORD = (
    r"(?:[\s　]*(?:[\d０-９xX一二三四五六七八九十〇零百千两几]+[年月日号]?(?:以来|来|期间|初|底|末|中)?"
    r"|今年|去年|当年|全年|近年来|近几年|多年来|一年来|几年来|长期以来|目前|同时|此外|另外|其中|首先|其次|最后"
    r"|随后|之后|还|也|都|则|已|均|先后|积极|主动|各级|各地|全区|全市|全省|全县|我区|我市|我省|我县|仅|并|又|更|特别是"
    r"|[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|[、，,]))"
)
LEAD_IN = re.compile(rf"^{LEAD_IN_WORD}*$")
OPENER = re.compile(rf"{LEAD_IN_WORD}*")
MODIFIER_AFTER = re.compile(r"^\s*(?:的|之)")
_START = itemgetter(0)


# Tags of the words a body's name is made of (区级|机关, 社区|清扫队): nouns and modifiers, no verbal noun.
BODY_WORD_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "nl", "ng", "j", "l", "b", "s"})
# A clause opening with a word of these parts of speech (verb, adverb, preposition) has no subject.
PREDICATE_TAGS = frozenset({"v", "vd", "vi", "d", "p", "ad"})
# A clause opening with one of these continues the previous clause's agent.
CONTINUATION = re.compile(r"^(?:[为向给把将替]|并|还|又|也|再|同时|共同|随后|进而)")


def _clause_start(sentence: str, position: int) -> int:
    start = position
    while start > 0 and sentence[start - 1] not in CLAUSE_BREAKS:
        start -= 1
    return start


def _is_agent(sentence: str, entity: Entity) -> bool:
    start, end = entity[0], entity[1]
    if MODIFIER_AFTER.match(sentence[end:]):
        return False
    prefix = sentence[_clause_start(sentence, start):start]
    if AGENT_MARKER.search(prefix):
        return True
    return bool(LEAD_IN.match(prefix)) and not NON_AGENT_MARKERS.search(prefix)


def _label(sentence: str, entity: Entity) -> str:
    return entity[3] or sentence[entity[0]:entity[1]]


# Heads of generic bodies that act in work summaries without a name of their own (社区都要…,
# 机关从拆除…入手, 民营企业送去…); the entity rules leave them out as generic.
BODY_HEADS = ("社区", "机关", "企业", "学校", "中小学", "医院", "部队", "居委会", "村委会", "党工委", "党委", "两委",
              "妇联组织", "妇女组织", "单位", "部门", "清扫队", "服务队", "协会", "商会")
_BODY_HEAD = re.compile("|".join(map(re.escape, BODY_HEADS)))


def names_body_head(sentence: str) -> bool:
    """Whether a body's head occurs in `sentence` at all. A generic body ends in one, so where
    none occurs `generic_bodies` finds nothing, and most sentences need no tokens for it."""
    return _BODY_HEAD.search(sentence) is not None


# Verbs that give a figure of what precedes them (高新技术企业超6.1万家): a statistic, not an act.
MEASURE_VERB = re.compile(r"超|达|增长|增加|下降|减少|突破|增至|降至|占|为|是|有|数量|总数|较|比|净增|新增|累计|营收"
                          r"|[从由][^，,。；;]{0,12}?[到至为]")  # 从4.7万家增加到6.1万家


def generic_bodies(sentence: str, tokens: list[tuple[int, int, str]]) -> list[Entity]:
    """Generic bodies in agent position: the nouns that open a clause, past its time or scope
    opener, when they end in a body's head and a verb, adverb or preposition follows them that
    does not merely give their figure. `tokens` come in text order.

    Such nouns lie inside their clause, so a clause without a body's head is passed over
    before its opener is read."""
    found = []
    clause = 0
    while clause < len(sentence):
        end = _clause_end(sentence, clause)
        if _BODY_HEAD.search(sentence, clause, end):
            i = _token_starting_at(tokens, clause + len(OPENER.match(sentence, clause, end).group()))
            if i is not None:
                j = i
                while j < len(tokens) and tokens[j][1] <= end and tokens[j][2] in BODY_WORD_TAGS:
                    j += 1
                if (j > i and j < len(tokens) and tokens[j][2] in PREDICATE_TAGS
                        and not MEASURE_VERB.match(sentence, tokens[j][0])):
                    phrase = sentence[tokens[i][0]:tokens[j - 1][1]]
                    if phrase.endswith(BODY_HEADS):
                        found.append((tokens[i][0], tokens[j - 1][1], "body", phrase))
        clause = end + 1
    return found


def _token_starting_at(tokens: list[tuple[int, int, str]], position: int) -> int | None:
    """The index of the (last) token that starts at `position`, or None; bisecting the few
    clause openers looked up beats mapping every token's start."""
    i = bisect.bisect_right(tokens, position, key=_START) - 1
    return i if i >= 0 and tokens[i][0] == position else None


def actor_at(sentence: str, entities: list[Entity], position: int, tags: dict[int, str] | None = None) -> str | None:
    """The label of the org that acts for a fact starting at `position` in `sentence`, or None.

    `tags` maps the sentence's token starts to their part of speech. A clause that opens with
    a verb, an adverb or a preposition has no subject of its own and continues the sentence's
    topic, the first clause that has one (区卫生局把…纳入…，在各级医院设立了25个…); a body that
    acts in a later clause of its own (…，江苏中亚中心升级为…，对…) is not carried on."""
    orgs = sorted(e for e in entities if e[2] in ("org", "body"))
    start = _clause_start(sentence, position)
    for entity in orgs:
        if start <= entity[0] and entity[1] <= position and _is_agent(sentence, entity) \
                and not _in_relative_clause(sentence, entity, position, tags):
            return _label(sentence, entity)
    if start == 0 or not _opens_without_subject(sentence, start, tags):
        return None
    topic = 0
    while topic < start and _opens_without_subject(sentence, topic, tags):
        topic = _clause_end(sentence, topic) + 1
    if topic >= start:
        return None
    end = _clause_end(sentence, topic)
    return next((_label(sentence, e) for e in orgs if topic <= e[0] and e[1] <= end and _is_agent(sentence, e)), None)


def _in_relative_clause(sentence: str, entity: Entity, position: int, tags: dict[int, str] | None) -> bool:
    """Whether a 的 between the body and the fact makes the body part of a modifier
    (省政府承诺的15件…, 省政府编制的《纲要》…) rather than the agent of a clause whose object
    has one (社区对辖区内的优抚对象走访慰问…: a preposition or adverb follows the agent)."""
    if "的" not in sentence[entity[1]:position]:
        return False
    return (tags or {}).get(entity[1]) not in ("p", "d")


def _clause_end(sentence: str, start: int) -> int:
    """The first clause break at or after `start`, else the sentence's end (`start` when past
    it). A regex search runs in C instead of stepping through the clause a character at a time."""
    found = _CLAUSE_BREAK.search(sentence, start)
    return found.start() if found else max(start, len(sentence))


def _opens_without_subject(sentence: str, start: int, tags: dict[int, str] | None) -> bool:
    """Whether the clause at `start`, past its time or scope opener, begins with a predicate or
    is nothing but an opener (首先，)."""
    end = _clause_end(sentence, start)
    content = start + len(OPENER.match(sentence, start, end).group())
    return content >= end or bool(CONTINUATION.match(sentence[content:])) or (tags or {}).get(content) in PREDICATE_TAGS
