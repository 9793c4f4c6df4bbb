"""Entity extraction (org, person, place): the case table in tests/cases/entities.json, the
jieba POS baseline, offsets on a real report, and the lexicon files' shape."""
from __future__ import annotations

import json
from pathlib import Path

import jieba
import jieba.posseg
import pytest

from pipeline.extract.entities import LEXICON_DIR, extract_entities, jieba_pos_baseline, trie_pattern
from pipeline.normalize import fold
from pipeline.resources import CORPORA

CASES = json.loads((Path(__file__).parent / "cases" / "entities.json").read_text("utf-8"))["cases"]
GANSU = CORPORA / "gov-reports-2026" / "2026_甘肃省_政府工作报告.txt"


@pytest.fixture(scope="session")
def tagger() -> jieba.posseg.POSTokenizer:
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def pos_tokens(text: str, tagger: jieba.posseg.POSTokenizer) -> list[tuple[int, int, str]]:
    tokens, position = [], 0
    for pair in tagger.cut(text, HMM=True):
        tokens.append((position, position + len(pair.word), pair.flag))
        position += len(pair.word)
    return tokens


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_cases(case, tagger):
    text = case["text"]
    found = [[text[m.start:m.end], m.kind] for m in extract_entities(text, pos_tokens(text, tagger)).mentions]
    assert found == case["expect"]


def test_every_mention_is_labelled_with_its_text_and_rule(tagger):
    text = "省长 陈志强\n陈志强代表省人民政府向大会报告工作，请省政协委员提出意见。"
    mentions = extract_entities(text, pos_tokens(text, tagger)).mentions
    assert [(m.kind, m.label, m.rule) for m in mentions] == [
        ("person", "陈志强", "person.title"),
        ("person", "陈志强", "person.repeat"),
        ("org", "省人民政府", "org.suffix"),
        ("org", "省政协", "org.suffix"),
    ]
    assert all(m.label == text[m.start:m.end] and m.value is None for m in mentions)


def test_a_place_inside_an_organisation_is_not_a_place(tagger):
    text = "北京市人民政府和南京市妇联联合举办活动。"
    kinds = [(text[m.start:m.end], m.kind) for m in extract_entities(text, pos_tokens(text, tagger)).mentions]
    assert kinds == [("北京市人民政府", "org"), ("南京市妇联", "org")]


def test_baseline_maps_jieba_tags_to_kinds(tagger):
    text = "习近平总书记在北京考察。"
    mentions = jieba_pos_baseline(text, pos_tokens(text, tagger)).mentions
    assert [(m.label, m.kind) for m in mentions] == [("习近平", "person"), ("北京", "place")]


def test_offsets_point_into_a_whole_report(tagger):
    raw = GANSU.read_text("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    text = fold(raw)
    mentions = extract_entities(text, pos_tokens(text, tagger)).mentions
    assert {"甘肃", "兰州", "黄河", "河西走廊"} <= {m.label for m in mentions if m.kind == "place"}
    assert {"党中央", "国务院", "省委"} <= {m.label for m in mentions if m.kind == "org"}
    assert all(raw[m.start:m.end] == m.label for m in mentions if m.label == text[m.start:m.end])
    assert all(m.start < m.end and m.kind in ("org", "person", "place") for m in mentions)


def test_trie_pattern_matches_the_longest_word():
    import re

    pattern = re.compile(trie_pattern(["兰州", "兰州新区", "兰白"]))
    assert [m.group() for m in pattern.finditer("兰州新区、兰白和兰州")] == ["兰州新区", "兰白", "兰州"]


@pytest.mark.parametrize("path", sorted(LEXICON_DIR.glob("entity_*")), ids=lambda p: p.name)
def test_lexicon_files_open_with_a_comment_and_hold_no_duplicates(path):
    lines = path.read_text("utf-8").splitlines()
    assert lines[0].startswith("# ")
    entries = [line for line in lines[1:] if line.strip()]
    assert entries and len(entries) == len(set(entries))
