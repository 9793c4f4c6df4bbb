from pipeline.ingest import read_source
from pipeline.link import Outline

from conftest import REPORTS


def test_sentence_and_section_of_an_offset_in_a_real_report():
    text = read_source(REPORTS / "2026_北京市_政府工作报告.txt").text
    outline = Outline.of(text)
    offset = text.index("新增绿道1000公里")
    start, end = outline.sentence(offset)
    assert text[start:end].startswith("扎实推进全域绿化彩化立体化")
    assert text[start:end].endswith("。")
    assert outline.section(offset) == "一、2025年工作回顾"
    later = text.index("（二）增强内需主导能力")
    assert outline.section(later + 20) .startswith("（二）增强内需主导能力")


def test_headings_are_outline_lines_not_body_text():
    text = "一、工作回顾\n今年以来，我们做了三件事。一是抓落实。\n（一）稳增长\n1.扩大投资\n全年增长5.5%。"
    outline = Outline.of(text)
    assert outline.headings == ["一、工作回顾", "（一）稳增长", "1.扩大投资"]
    assert outline.section(text.index("5.5%")) == "1.扩大投资"
    assert outline.section(text.index("一是")) == "一、工作回顾"
    assert outline.section(text.index("一是"), floor=text.index("今年")) is None
