"""Initiative extraction: the case table in tests/cases/initiatives.json, and formula members
on the seed report (六个结合, 三进, 四落实 linked to the items the text lists for them)."""
from __future__ import annotations

import json
from pathlib import Path

import jieba
import pytest

from pipeline.extract.initiatives import extract_initiatives, formula_parts
from pipeline.normalize import fold
from pipeline.resources import CORPORA

CASES = json.loads((Path(__file__).parent / "cases" / "initiatives.json").read_text("utf-8"))["cases"]
SEED = CORPORA / "seed" / "000_96ec6004153f9f3a.txt"


@pytest.fixture(scope="session")
def tokenizer() -> jieba.Tokenizer:
    return jieba.Tokenizer()


def run(text: str, tokenizer: jieba.Tokenizer):
    tokens = [(start, end) for _, start, end in tokenizer.tokenize(text, HMM=False)]
    return extract_initiatives(text, tokens)


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_cases(case, tokenizer):
    text = case["text"]
    found = [[text[m.start:m.end], m.label, m.extra["subtype"]] for m in run(text, tokenizer).mentions]
    assert found == case["expect"]


@pytest.mark.parametrize("label, parts", [
    ("一办五站", [[1, "办"], [5, "站"]]),
    ("一优二免八减半", [[1, "优"], [2, "免"], [8, "减半"]]),
    ("六个结合", [[6, "结合"]]),
    ("十四五", [[14, "五年规划"]]),
    ("百千工程", [[100, ""], [1000, "工程"]]),
    ("四个一批", [[4, "一批"]]),
    ("双一流", [[2, "一流"]]),
    ("十百千万", [[10, ""], [100, ""], [1000, ""], [10000, ""]]),
    ("每月一题", [[1, "题"]]),
    ("兰白两区", [[2, "区"]]),
])
def test_formula_parts(label, parts):
    assert formula_parts(label) == parts


def test_offsets_point_at_the_text(tokenizer):
    text = "我们坚持“六个结合”，推进“好房子”建设。"
    for mention in run(text, tokenizer).mentions:
        assert text[mention.start:mention.end].strip("“”") == mention.label


def test_refused_quoted_names_are_reported(tokenizer):
    text = "我市荣获“国家卫生城市”称号。"
    result = run(text, tokenizer)
    assert result.mentions == []
    assert [(text[r.start:r.end], r.reason) for r in result.rejections] == [("“国家卫生城市”", "honour title")]


@pytest.mark.parametrize("text, label, members, mismatch", [
    ("我们做到了“三个坚持”：一是坚持党建引领。二是坚持问题导向。三是坚持群众路线。",
     "三个坚持", ["坚持党建引领", "坚持问题导向", "坚持群众路线"], False),
    ("全面落实“三保”（保基本民生、保工资、保运转）要求。", "三保", ["保基本民生", "保工资", "保运转"], False),
    ("实现了组织、人员、经费“三到位”。", "三到位", ["组织", "人员", "经费"], False),
    ("推动“五进”活动，做到法律进机关、进乡村、进社区、进学校。", "五进",
     ["进机关", "进乡村", "进社区", "进学校"], True),
])
def test_members_in_invented_text(text, label, members, mismatch, tokenizer):
    mention = next(m for m in run(text, tokenizer).mentions if m.label == label)
    assert mention.extra["member_texts"] == members
    assert [text[s:e] for s, e in mention.extra["members"]] == members
    assert mention.extra["member_count_mismatch"] is mismatch


def test_formula_without_listed_members_has_none(tokenizer):
    mention = run("坚定拥护“两个确立”。", tokenizer).mentions[0]
    assert "members" not in mention.extra


@pytest.fixture(scope="session")
def seed_mentions(tokenizer):
    text = fold(SEED.read_text("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    return text, run(text, tokenizer).mentions


@pytest.mark.parametrize("label, members", [
    ("六个结合", ["把国防教育与党员干部教育相结合", "把国防教育与学生素质教育相结合",
              "把国防教育与市民道德教育相结合", "把国防教育与企业文化建设相结合",
              "把国防教育与开展活动相结合", "把国防教育与军民共建相结合"]),
    ("三进", ["进课表", "进课本", "进课堂"]),
    ("四落实", ["内容", "时间", "人员", "效果"]),
])
def test_seed_formulas_link_to_their_items(seed_mentions, label, members):
    text, mentions = seed_mentions
    mention = next(m for m in mentions if m.label == label)
    assert [text[s:e] for s, e in mention.extra["members"]] == members
    assert mention.extra["member_count_mismatch"] is False


def test_seed_has_no_festival_or_field_name(seed_mentions):
    _, mentions = seed_mentions
    labels = {m.label for m in mentions}
    assert not labels & {"八一", "双拥", "双拥模范城", "一站式", "绿色社区"}
