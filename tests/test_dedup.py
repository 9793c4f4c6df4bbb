"""Near-duplicates: a re-posted report is found, template siblings and other reports are not."""
from __future__ import annotations

import pytest

from pipeline.clean import split_documents
from pipeline.dedup import DEFAULT_THRESHOLD, NearDuplicateIndex, jaccard, shingle_hashes, shingles, signature
from pipeline.ingest import read_source

from conftest import REPORTS, SEED


@pytest.fixture(scope="module")
def seed_documents():
    return split_documents(read_source(SEED))


@pytest.fixture(scope="module")
def report():
    [document] = split_documents(read_source(REPORTS / "2026_北京市_政府工作报告.txt"))
    return document


def edited(text: str, every: int) -> str:
    """The text with one character in `every` replaced, as a careless re-post would."""
    return "".join("的" if i % every == every // 2 else char for i, char in enumerate(text))


def test_shingles_ignore_line_wrapping_and_script():
    assert shingles("雙擁工作\n總結匯報") == shingles("双拥工作总结汇报")
    assert shingles("双拥") == {"双拥"}


def test_shingle_hashes_tell_shingles_apart_and_the_signature_estimates_jaccard(report):
    assert len(shingle_hashes(report.text)) >= len(shingles(report.text)) - 1  # 32-bit: a collision is rare
    assert shingle_hashes("雙擁工作") == shingle_hashes("双拥工作") and len(shingle_hashes("双拥")) == 1
    for every in (20, 50, 200):
        repost = edited(report.text, every)
        estimate = signature(report.text).jaccard(signature(repost))
        assert abs(estimate - jaccard(report.text, repost)) < 0.1


def test_a_repost_with_small_edits_is_a_near_duplicate(report):
    index = NearDuplicateIndex()
    assert index.add(report.doc_id, report.text) is None
    repost = edited(report.text, every=200)
    assert jaccard(report.text, repost) > DEFAULT_THRESHOLD
    assert index.add("repost", repost) == report.doc_id


def test_a_repost_rewrapped_and_converted_to_traditional_is_found(report):
    import opencc

    index = NearDuplicateIndex()
    index.add(report.doc_id, report.text)
    traditional = opencc.OpenCC("s2t").convert(report.text).replace("。", "。\n")
    assert index.add("traditional", traditional) == report.doc_id


def test_the_earliest_copy_is_named(report):
    index = NearDuplicateIndex()
    index.add("first", report.text)
    index.add("second", edited(report.text, every=300))
    assert index.add("third", edited(report.text, every=250)) == "first"


def test_the_same_id_twice_is_its_own_earlier_copy(report):
    index = NearDuplicateIndex()
    index.add(report.doc_id, report.text)
    assert index.add(report.doc_id, report.text) == report.doc_id
    assert len(index) == 1


def test_reports_written_from_one_template_are_kept_apart(seed_documents):
    """社区双拥工作总结汇报 and 篇1 share half their shingles: siblings, not copies."""
    original, sibling = seed_documents[1], seed_documents[4]
    assert 0.4 < jaccard(original.text, sibling.text) < DEFAULT_THRESHOLD
    index = NearDuplicateIndex()
    index.add(original.doc_id, original.text)
    assert index.add(sibling.doc_id, sibling.text) is None


def test_no_two_bundled_reports_are_near_duplicates(seed_documents):
    index = NearDuplicateIndex()
    documents = list(seed_documents)
    for path in sorted(REPORTS.glob("*.txt")):
        documents += split_documents(read_source(path))
    assert [index.add(d.doc_id, d.text) for d in documents] == [None] * len(documents)
