import pytest

from pipeline.actor import actor_of


def orgs(sentence: str, *names: str) -> list[tuple[int, int, str, str]]:
    """Org entities for the first occurrence of each name, as the entity extractor gives them."""
    found = []
    for name in names:
        start = sentence.index(name)
        found.append((start, start + len(name), "org", name))
    return found


@pytest.mark.parametrize("sentence, names, expected", [
    ("区民政局投入资金15.6万元,为780名重点优抚对象办理住院医疗保险。", ["区民政局"], "区民政局"),
    ("20xx年以来,区民政局累计增加抚恤定补180万元。", ["区民政局"], "区民政局"),
    ("今年省妇联把拥军优属工作摆上重要工作日程。", ["省妇联"], "省妇联"),
    ("同时,邗建集团每年组织专题活动,捐款资助老复员军人。", ["邗建集团"], "邗建集团"),
    ("超出限额的部分,由民政部门按照比例给予医疗补助。", ["民政部门"], "民政部门"),
    ("区人武部、消防大队积极参与抢险救灾。", ["区人武部", "消防大队"], "区人武部"),
    ("二是区财政局安排专项资金300万元。", ["区财政局"], "区财政局"),
    ("在区委、区政府的领导下,社区认真开展双拥工作。", ["区委、区政府"], None),
    ("区民政局的负责同志了解到他想从事个体家禽生意。", ["区民政局"], None),
    ("××职业中专免费为区人武部官兵进行电脑培训。", ["区人武部"], None),
    ("社区工作人员联合区双拥办开展走访慰问。", ["区双拥办"], None),
    ("全年接待游客3.2亿人次。", [], None),
])
def test_actor_is_the_org_before_the_main_verb(sentence, names, expected):
    assert actor_of(sentence, orgs(sentence, *names)) == expected


def test_places_and_persons_never_act():
    sentence = "汊河街道积极组织退役士兵参加技能培训。"
    assert actor_of(sentence, [(0, 4, "place", "汊河街道")]) is None


def test_label_is_returned_rather_than_the_surface():
    sentence = "我区妇联组织军嫂开展联谊活动。"
    assert actor_of(sentence, [(0, 4, "org", "区妇联")]) == "区妇联"
