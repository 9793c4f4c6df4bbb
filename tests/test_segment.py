from pipeline.ingest import read_source
from pipeline.segment import Backend, Segmenter

from conftest import REPORTS

TEXT = "区民政局投入资金15.6万元，为780名重点优抚对象办理住院医疗保险。\n一办五站建设全面完成"


def test_tokens_cover_the_text_end_to_end(segmenter):
    tokens = segmenter.tokens(TEXT)
    assert "".join(TEXT[s:e] for s, e, _ in tokens) == TEXT
    assert all(e > s for s, e, _ in tokens)
    assert ("民政局", "nt") in [(TEXT[s:e], tag) for s, e, tag in tokens]


def test_compiled_backend_finds_the_words_jieba_finds_on_a_real_report(segmenter):
    text = read_source(REPORTS / "2026_北京市_政府工作报告.txt").text
    ours = {(s, e) for s, e, _ in segmenter.tokens(text)}
    theirs = {(s, e) for s, e, _ in Segmenter(Backend.jieba).tokens(text)}
    assert len(ours & theirs) / len(theirs) > 0.95


def test_user_dictionary_in_jieba_format(tmp_path):
    user_dict = tmp_path / "words.txt"
    user_dict.write_text("# formulas\n一办五站 100 nz\n", encoding="utf-8")
    for backend in Backend:
        segmenter = Segmenter(backend, user_dict=user_dict)
        words = [("建成一办五站"[s:e], tag) for s, e, tag in segmenter.tokens("建成一办五站")]
        assert ("一办五站", "nz") in words, backend
