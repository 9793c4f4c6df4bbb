"""The initiative lexicon over a small invented dataset."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.lexicon import COLUMNS, build_initiative_lexicon, initiative_id, normalise_label

DOCUMENTS = pd.DataFrame([
    {"doc_id": "d2", "source": "b.txt", "title": "2024年区民政局工作总结"},
    {"doc_id": "d1", "source": "a.txt", "title": "2023年区民政局工作总结"},
    {"doc_id": "d3", "source": "c.txt", "title": "2025年区民政局工作总结"},
])


def fact(fact_id, doc_id, text, label, extra, sentence="", kind="initiative", start=0):
    return {"fact_id": fact_id, "doc_id": doc_id, "source": doc_id + ".txt", "kind": kind,
            "start": start, "end": start + len(text), "text": text, "label": label,
            "extra": extra, "sentence": sentence}


FORMULA = {"subtype": "formula", "parts": [[3, "进"]], "type": "enumeration"}
WITH_MEMBERS = dict(FORMULA, members=[[10, 13], [14, 17]], member_texts=["进课表", "进课本"],
                    member_count_mismatch=True)
FACTS = pd.DataFrame([
    fact("f1", "d2", "“三进”", "三进", WITH_MEMBERS, "落实“三进”要求，做到进课表、进课本。"),
    fact("f2", "d1", "三进", "三进", FORMULA, "继续推进三进工作。", start=40),
    fact("f3", "d3", "“三進”", "三進", json.dumps(FORMULA, ensure_ascii=False), "三進工作成效明顯。"),
    fact("f4", "d2", "“新春送温暖”", "新春送温暖", {"subtype": "campaign"}, "开展“新春送温暖”活动。", start=60),
    fact("f5", "d2", "620人", None, {}, kind="count", start=80),
])


@pytest.fixture(scope="module")
def lexicon() -> pd.DataFrame:
    return build_initiative_lexicon(FACTS, DOCUMENTS)


def test_one_row_per_initiative_most_mentioned_first(lexicon):
    assert list(lexicon.columns) == list(COLUMNS)
    assert lexicon["label"].tolist() == ["三进", "新春送温暖"]
    assert lexicon["mentions"].tolist() == [3, 1]


def test_spellings_of_one_name_share_a_stable_id(lexicon):
    assert normalise_label("“三進”") == "三进"
    assert lexicon.loc[0, "initiative_id"] == initiative_id("三进") == initiative_id("“三進”")
    assert lexicon["initiative_id"].is_unique


def test_first_and_last_document_follow_title_order(lexicon):
    row = lexicon.loc[0]
    assert (row["documents"], row["first_document"], row["last_document"]) == (3, "d1", "d3")


def test_members_and_defining_sentences(lexicon):
    row = lexicon.loc[0]
    assert row["subtype"] == "formula" and row["type"] == "enumeration"
    assert row["parts"] == [[3, "进"]]
    assert row["members"] == ["进课表", "进课本"]
    assert row["definitions"] == ["落实“三进”要求，做到进课表、进课本。"]
    campaign = lexicon.loc[1]
    assert (campaign["subtype"], campaign["members"]) == ("campaign", [])
    assert pd.isna(campaign["type"])


def test_no_initiatives_gives_an_empty_table():
    empty = build_initiative_lexicon(FACTS[FACTS["kind"] != "initiative"], DOCUMENTS)
    assert empty.empty and list(empty.columns) == list(COLUMNS)
