import pytest

from pipeline.actor import actor_at, generic_bodies


def orgs(sentence: str, *names: str) -> list[tuple[int, int, str, str]]:
    """Org entities for the first occurrence of each name, as the entity extractor gives them."""
    found = []
    for name in names:
        start = sentence.index(name)
        found.append((start, start + len(name), "org", name))
    return found


@pytest.mark.parametrize("sentence, names, fact, expected", [
    ("区民政局投入资金15.6万元,为780名重点优抚对象办理住院医疗保险。", ["区民政局"], "15.6万元", "区民政局"),
    # A clause opening with a coverb continues the agent of the clause before it.
    ("区民政局投入资金15.6万元,为780名重点优抚对象办理住院医疗保险。", ["区民政局"], "780名", "区民政局"),
    ("20xx年以来,区民政局累计增加抚恤定补180万元。", ["区民政局"], "180万元", "区民政局"),
    ("今年省妇联组织家庭征订读本5000余本。", ["省妇联"], "5000余本", "省妇联"),
    ("同时,邗建集团每年组织专题活动3次。", ["邗建集团"], "3次", "邗建集团"),
    ("超出限额的部分,由民政部门按照比例给予医疗补助10万元。", ["民政部门"], "10万元", "民政部门"),
    ("区人武部、消防大队组织抢险救灾12次。", ["区人武部", "消防大队"], "12次", "区人武部"),
    ("二是区财政局安排专项资金300万元。", ["区财政局"], "300万元", "区财政局"),
    ("在区委、区政府的领导下,社区开展双拥活动20场。", ["区委、区政府"], "20场", None),
    ("区民政局的负责同志走访了12户军属。", ["区民政局"], "12户", None),
    ("××职业中专免费为区人武部官兵培训30人次。", ["区人武部"], "30人次", None),
    ("社区工作人员联合区双拥办走访慰问50户。", ["区双拥办"], "50户", None),
    # Each clause has its own agent: a body acting in a later clause does not act for this fact.
    ("新设3所本科层次职业学校，大湾区大学正式成立。", ["大湾区大学"], "3所", None),
    ("大湾区大学正式成立，新设3所本科层次职业学校。", ["大湾区大学"], "3所", None),
    # A body inside a relative clause before the fact does not act for it.
    ("省政府承诺的15件民生实事全部兑现。", ["省政府"], "15件", None),
    ("全年接待游客3.2亿人次。", [], "3.2亿人次", None),
])
def test_actor_is_the_org_before_the_verb_of_the_facts_clause(sentence, names, fact, expected):
    assert actor_at(sentence, orgs(sentence, *names), sentence.index(fact)) == expected


def test_places_and_persons_never_act():
    sentence = "汊河街道组织退役士兵参加技能培训120人次。"
    assert actor_at(sentence, [(0, 4, "place", "汊河街道")], sentence.index("120")) is None


def test_label_is_returned_rather_than_the_surface():
    sentence = "我区妇联组织军嫂开展联谊活动3场。"
    assert actor_at(sentence, [(0, 4, "org", "区妇联")], sentence.index("3场")) == "区妇联"


def tags_of(segmenter, sentence: str) -> dict[int, str]:
    return {start: tag for start, _, tag in segmenter.tokens(sentence)}


@pytest.mark.parametrize("sentence, names, fact, expected", [
    # A clause opening with a preposition or an adverb continues the body that opens the sentence.
    ("区卫生局把优抚服务纳入行业管理，在各级医院设立了25个优抚门诊室。", ["区卫生局"], "25个", "区卫生局"),
    ("县妇联联合民政部门组织志愿者，先后走访慰问军属200户。", ["县妇联"], "200户", "县妇联"),
    # An opening adjunct clause is not the topic: the body of the next clause is.
    ("针对营区设施陈旧问题，县政府逐年增加投入，累计拨款300万元。", ["县政府"], "300万元", "县政府"),
    # A body that is the topic of a later clause only is not carried on.
    ("开放平台加快建设，西部物流中心升级为国家级平台，对东盟出口增长12%。", ["西部物流中心"], "12%", None),
    # A clause with a subject of its own keeps its own (absent) actor.
    ("区民政局开展慰问活动，优抚对象享受医疗补助50万元。", ["区民政局"], "50万元", None),
])
def test_a_clause_without_a_subject_continues_the_sentence_topic(segmenter, sentence, names, fact, expected):
    tags = tags_of(segmenter, sentence)
    assert actor_at(sentence, orgs(sentence, *names), sentence.index(fact), tags) == expected


@pytest.mark.parametrize("sentence, fact, expected", [
    # A generic body in agent position acts: before a preposition, an adverb or a verb.
    ("几年来社区对辖区内的困难军属走访慰问达200多人次。", "200多人次", "社区"),
    ("社区居委会积极发动居民捐款，共募集善款3000元。", "3000元", "社区居委会"),
    # A clause that is only an opener (首先，) is not the topic.
    ("首先，机关从清理违章建筑入手，先后拆除违章建筑36处。", "36处", "机关"),
    # A body followed by its figure is a statistic, not an agent.
    ("高新技术企业超2万家，新增上市公司12家。", "12家", None),
    ("规上工业企业从3万家增加到4万家。", "4万家", None),
    # A body that modifies a noun does not act.
    ("企业研发投入增长12%。", "12%", None),
])
def test_generic_bodies_act_in_agent_position(segmenter, sentence, fact, expected):
    bodies = generic_bodies(sentence, segmenter.tokens(sentence))
    assert actor_at(sentence, bodies, sentence.index(fact), tags_of(segmenter, sentence)) == expected
