"""Cleaning: furniture found as spans, compilations split into titled reports, nothing lost."""
from __future__ import annotations

import json

import pytest

from pipeline import clean
from pipeline.clean import document_meta, furniture, is_title, part_marker, source_lines, split_documents
from pipeline.ingest import read_source
from pipeline.records import Source
from pipeline.resources import CORPORA

from conftest import REPORTS, SEED

# (title, first body line starts with, last body line ends with) for each report of the seed page.
SEED_SPLIT = [
    ("区双拥工作汇报总结--构建和谐双拥 服务两个率先", "据统计,到目前为止全区人口49.14万,", "确保一方稳定。"),
    ("社区双拥工作总结汇报", "xx年,是深入贯彻落科学发展观的重要一年", "共献发展大计。"),
    ("社区双拥工作总结汇报", "今年以来,在县委县政府及县双拥办的领导下", "营造良好的工作环境。"),
    ("社区双拥工作总结汇报", "今年是我军建军83周年,军爱民、民拥军、", "推进我办事处双拥工作不断发展。"),
    ("社区双拥工作总结2020两篇 篇1", "环山社区双拥工作在办事处的领导下,全面做", "使得我社区双拥工作更上新台阶。"),
    ("社区双拥工作总结2020两篇 篇2", "20xx年来,我社区按照政府的要求,始终", "推动双拥工作长足发展。"),
    ("社区双拥工作总结汇报范文1", "20xx年我站根据市委市政府双拥工作的总", "为争创全国双拥模范城作出应有的贡献。"),
    ("社区双拥工作总结汇报范文2", "省军区社区位于××市中心地带,占地面积0", "和谐社区作出更大的贡献。"),
    ("社区双拥工作总结汇报范文3", "社区在区双拥办和街道民政科的领导与支持下", "在社区内的政治地位的权利。"),
    ("妇联双拥工作总结两篇 【范文1】", "双拥就是政治,双拥就是大局。在国际局势发", "联谊、联志活动。"),
    ("妇联双拥工作总结两篇 【范文2】", "一、加强组织领导,落实工作职责", "受到了广大官兵和妇女群众的支持。"),
]

# Every furniture line of four scraped government pages, and the report's first and last lines.
GOV_PAGES = {
    "2026_上海市_政府工作报告.txt": (
        ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】", "来源：解放日报",
         "时间：2026-02-09", "相关报道："],
        "2026年上海市政府工作报告", "为中国式现代化建设作出新的更大贡献！"),
    "2026_云南省_政府工作报告.txt": (
        ["您的位置:", "首页", ">", "云南要闻", "云南要闻", "来源：云南日报", "2026-02-03 09:02:33", "【字体：",
         "大", "中", "小", "】", "》》点击图片进入专题《《", "收藏", "|", "分享到:", "分享到微信", "×", "相关文档："],
        "2026年政府工作报告", "为云南擘画的美好蓝图变为幸福实景！"),
    "2026_四川省_政府工作报告.txt": (
        ["2026年02月10日 07时41分", "来源:", "四川日报", "【字体：", "大", "中", "小", "】", "分享：", "责任编辑：",
         "李莎莎", "扫一扫在手机打开当前页", "相关附件>>", "相关链接>>", "abcd39f1fb7f426d9dfb6bd0fa1f2146:",
         "四川省第十四届人民代表大会第五次会议关于政府工作报告的决议", "e4c29f31c6964493a14c4ddf6b160169:",
         "四川干部群众热议政府工作报告 以奋勇争先之姿，乘势而为", "be341a59f1dd422394845dcb3fce09dc:",
         "解读省政府工作报告：在服务大局中担难担重前行 在识变应变中向新向优发展", "打印本页", "关闭窗口",
         "2026年四川省人民政府工作报告", "各位代表：现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。"],
        "2026年四川省人民政府工作报告", "推进系统治理、源头治理、综合治理。"),
    "2026_宁夏回族自治区_政府工作报告.txt": (
        ["当前位置：", "首页", ">", "政务信息", ">", "宁夏要闻", "发表时间：", "2026-02-09 09:45:30", "来源：",
         "宁夏日报客户端", "阅读量：", "【字体：", "小", "中", "大", "】",
         "2月3日，宁夏回族自治区第十三届人民代表大会第四次会议在银川开幕。自治区人民政府主席张雨浦作政府工作报告。"
         " 宁夏日报记者 王鼎 摄", "扫一扫在手机打开当前页", "【", "打印本页", "】", "【", "关闭窗口", "】"],
        "2026年宁夏回族自治区政府工作报告", "为建设美丽新宁夏、共圆伟大中国梦而团结奋斗！"),
}


@pytest.fixture(params=["rules+model", "rules-only"])
def mode(request, monkeypatch):
    """Both ways furniture is found: with the trained line model, and by rules alone."""
    if request.param == "rules-only":
        monkeypatch.setattr(clean, "line_model", lambda: None)
    return request.param


@pytest.fixture(scope="module")
def seed_source() -> Source:
    return read_source(SEED)


def body_lines(text: str) -> list[str]:
    """A document's lines without its title and part markers."""
    return [line for line in text.split("\n") if not (is_title(line.rstrip("。")) or part_marker(line))]


def test_the_seed_page_splits_into_its_reports(seed_source, mode):
    documents = split_documents(seed_source)
    found = [(d.title, body_lines(d.text)[0], body_lines(d.text)[-1]) for d in documents]
    assert len(found) == len(SEED_SPLIT)
    for (title, first, last), (expected_title, first_start, last_end) in zip(found, SEED_SPLIT):
        assert title == expected_title
        assert first.startswith(first_start)
        assert last.endswith(last_end)


def test_seed_documents_hold_no_furniture(seed_source, mode):
    text = "\n".join(d.text for d in split_documents(seed_source))
    for marker in ("小编", "版权所有", "第2页", "GZ85.com", "延伸阅读", "年终总结结尾范文怎么写"):
        assert marker not in text
    removed = [seed_source.text[r.start:r.end] for r in furniture(seed_source)]
    assert "GZ85.com更多工作总结范文扩展阅读" in removed
    assert "区双拥工作汇报总结--构建和谐双拥 服务两个率先第2页" in removed
    assert removed.count("版权所有") == 2  # glued to the end of two headings, which stay


def test_documents_and_furniture_account_for_every_line(seed_source, mode):
    """Each line is in exactly one document or removed as furniture, never both, never neither,
    except a compilation heading that opens its first part."""
    documents = split_documents(seed_source)
    removed = furniture(seed_source)
    for line in source_lines(seed_source.text):
        inside = [d for d in documents if d.start <= line.start and line.end <= d.end]
        cut = any(r.start <= line.start and line.end <= r.end for r in removed)
        assert len(inside) <= 1
        assert inside or cut, line.text
    for before, after in zip(documents, documents[1:]):
        assert before.end < after.start
    for document in documents:
        assert document.text.split("\n")[0] == seed_source.text[document.start:document.end].split("\n")[0]


@pytest.mark.parametrize("name", sorted(GOV_PAGES))
def test_government_pages_lose_their_furniture_and_no_report_line(name, mode):
    source = read_source(REPORTS / name)
    furniture_lines, first, last_end = GOV_PAGES[name]
    assert [source.text[r.start:r.end] for r in furniture(source)] == furniture_lines
    [document] = split_documents(source)
    lines = document.text.split("\n")
    assert lines[0] == first
    assert lines[-1].endswith(last_end)
    kept = set(lines)
    report_lines = [line.text for line in source_lines(source.text) if line.text not in furniture_lines]
    assert all(line in kept for line in report_lines)


def test_every_government_report_is_one_document():
    for path in sorted(REPORTS.glob("*.txt")):
        documents = split_documents(read_source(path))
        assert len(documents) == 1, path.name
        assert "政府工作报告" in documents[0].title


@pytest.mark.parametrize(
    "title, first_lines, expected",
    [
        ("2026年上海市政府工作报告", "——2026年2月3日在上海市第十六届人民代表大会第四次会议上",
         {"issuing_body": "上海市政府", "level": "省", "year": 2026}),
        ("政府工作报告", "——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上",
         {"issuing_body": "广东省人民政府", "level": "省", "year": 2026}),
        ("社区双拥工作总结2020两篇 篇1", "环山社区双拥工作在办事处的领导下,全面做好双拥工作。",
         {"issuing_body": None, "level": "社区", "year": 2020}),
        ("妇联双拥工作总结两篇 【范文2】", "一、加强组织领导\n双拥就是政治,双拥就是大局。省妇联把双拥工作作为一项重要的政治任务",
         {"issuing_body": "省妇联", "level": "省", "year": None}),
        ("区双拥工作汇报总结", "据统计,到目前为止全区人口49.14万", {"issuing_body": None, "level": "区", "year": None}),
        ("扬州市邗江区民政局2019年工作总结", "今年以来", {"issuing_body": "扬州市邗江区民政局", "level": "区", "year": 2019}),
    ],
)
def test_document_meta_comes_from_the_title_and_first_lines(title, first_lines, expected):
    assert document_meta(title, f"{title}\n{first_lines}") == expected


def test_the_annotated_lines_are_lines_of_their_sources():
    rows = [json.loads(line) for line in (CORPORA / "annotations" / "lines.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) >= 600
    assert {row["split"] for row in rows} == {"train", "test"}
    texts = {}
    for row in rows:
        if row["source"] not in texts:
            folder = CORPORA / ("seed" if row["source"] == SEED.name else "gov-reports-2026")
            texts[row["source"]] = read_source(folder / row["source"]).text
        assert texts[row["source"]][row["start"]:row["end"]] == row["text"]
        assert row["label"] in ("body", "furniture")


def test_the_line_classifier_trains_and_scores_on_held_out_lines(tmp_path):
    from pipeline.train.lines import train_lines

    scores = train_lines(CORPORA / "annotations" / "lines.jsonl", tmp_path, seed=0)
    assert (tmp_path / "model.joblib").is_file()
    assert scores["precision"] >= 0.9 and scores["recall"] >= 0.85
    assert scores == train_lines(CORPORA / "annotations" / "lines.jsonl", tmp_path / "again", seed=0)


def test_a_traditional_big5_copy_of_the_seed_splits_the_same_way(tmp_path, seed_source):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(seed_source.text)
    path = tmp_path / "traditional.txt"
    path.write_bytes(traditional.encode("big5hkscs", "replace"))
    source = read_source(path)
    assert source.encoding == "big5hkscs"
    documents = split_documents(source)
    assert [d.title for d in documents] == [opencc.OpenCC("s2t").convert(title) for title, _, _ in SEED_SPLIT]
    assert [d.meta for d in documents] == [d.meta for d in split_documents(seed_source)]
    assert "GZ85.com更多工作總結範文擴展閱讀" in [source.text[r.start:r.end] for r in furniture(source)]
