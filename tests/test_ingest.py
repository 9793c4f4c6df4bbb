"""Ingest: awkward files made on the fly, each read as a source or refused with its reason."""
from __future__ import annotations

import codecs
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from pipeline import ingest
from pipeline.clean import furniture
from pipeline.ingest import ArchiveLimits, decode, iter_input_files, read_archive, read_source, read_sources
from pipeline.records import Skipped, Source

REPORT = "今年以来，我区双拥工作在区委、区政府的正确领导下，发放慰问金8万元，走访优抚对象620人。"
TRADITIONAL = "全區累計發放撫恤金1.5萬元，投入資金3億元，雙擁工作取得新成效。"
SHORT_GBK = "社区双拥工作总结汇报：全年走访慰问军属二十户"  # 20-odd characters, 40-odd bytes


def only(items) -> Source | Skipped:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        (REPORT.encode("utf-8"), REPORT, "utf-8"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), REPORT, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), REPORT, "utf-16"),
        (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), REPORT, "utf-16"),
        (REPORT.encode("gb18030"), REPORT, "gb18030"),
        (REPORT.encode("gb2312"), REPORT, "gb18030"),
        (SHORT_GBK.encode("gbk"), SHORT_GBK, "gb18030"),
        ("双拥工作".encode("gbk"), "双拥工作", "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5hkscs"),
        ("雙擁工作總結".encode("big5"), "雙擁工作總結", "big5hkscs"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "gb18030", "gb2312", "short-gbk", "4-char-gbk",
         "big5", "short-big5"],
)
def test_each_encoding_decodes_to_the_text(tmp_path, data, text, encoding):
    source = read_source(write(tmp_path, "report.txt", data))
    assert (source.text, source.encoding) == (text, encoding)
    assert 0.5 <= source.confidence <= 1.0


def test_traditional_text_stays_traditional():
    text, _, _ = decode(TRADITIONAL.encode("big5"))
    assert "萬" in text and "億" in text and "雙擁" in text


def test_newlines_are_folded_and_nothing_else(tmp_path):
    source = read_source(write(tmp_path, "a.txt", "第一行\r\n　全角１２３\r第三行 \n".encode("gbk")))
    assert source.text == "第一行\n　全角１２３\n第三行 \n"


def test_short_gbk_is_read_where_a_byte_detector_guesses(tmp_path):
    """40 bytes of GBK: too little for byte statistics, enough for character frequencies."""
    source = read_source(write(tmp_path, "short.txt", SHORT_GBK.encode("gbk")))
    assert source.text == SHORT_GBK


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \r\n\t\n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("table.xls", b"\xd0\xcf\x11\xe0", "unsupported-format"),
        ("truncated.docx", b"PK\x03\x04\x14\x00\x06\x00", "corrupt-document"),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt-document"),
    ],
)
def test_unreadable_files_are_skipped_with_their_reason(tmp_path, name, data, reason):
    skipped = only(read_sources(write(tmp_path, name, data)))
    assert isinstance(skipped, Skipped)
    assert skipped.reason == reason
    assert skipped.path == str(tmp_path / name)


def test_a_file_over_the_size_limit_is_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 10)
    skipped = only(read_sources(write(tmp_path, "big.txt", REPORT.encode("utf-8"))))
    assert skipped.reason == "too-large"


def test_an_unreadable_file_is_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", REPORT.encode("utf-8"))

    def refuse(self):  # as root, chmod 0 would not stop the read
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert only(read_sources(path)).reason == "permission-denied"


def test_input_files_are_walked_in_order_without_hidden_ones(tmp_path):
    for name in ("b.txt", "a/c.txt", ".git/x.txt", "a/.DS_Store"):
        write(tmp_path, name, b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])] == ["a/c.txt", "b.txt"]


def test_a_folder_inside_a_hidden_folder_is_still_walked(tmp_path):
    """Only what lies below the folder given is judged hidden (a corpus may live in ~/.local/...)."""
    root = tmp_path / ".venv" / "corpus"
    for name in ("b.txt", ".cache/y.txt"):
        write(root, name, b"x")
    assert [p.relative_to(root).as_posix() for p in iter_input_files([root])] == ["b.txt"]


# ---------------------------------------------------------------- Word, PDF, HTML

def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("区双拥工作汇报", level=1)
    document.add_paragraph("今年以来，我区发放慰问金8万元。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "金额"
    table.cell(1, 0).text, table.cell(1, 1).text = "慰问金", "8万元"
    document.save(path)
    return path


def test_a_docx_is_read_in_reading_order(tmp_path):
    source = read_source(make_docx(tmp_path / "report.docx"))
    assert source.text == "区双拥工作汇报\n今年以来，我区发放慰问金8万元。\n项目\t金额\n慰问金\t8万元"
    assert source.encoding == "docx"


def test_a_truncated_docx_is_a_corrupt_document(tmp_path):
    data = make_docx(tmp_path / "whole.docx").read_bytes()
    skipped = only(read_sources(write(tmp_path, "cut.docx", data[: len(data) // 2])))
    assert skipped.reason == "corrupt-document"


def test_a_pdf_text_layer_is_read(tmp_path):
    pytest.importorskip("reportlab", reason="reportlab writes the PDF; without it there is no PDF to read")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(tmp_path / "report.pdf"))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 700, "社区双拥工作总结")
    page.drawString(72, 680, "全年发放慰问金8万元。")
    page.save()
    source = read_source(tmp_path / "report.pdf")
    assert source.text == "社区双拥工作总结\n全年发放慰问金8万元。"


PAGE = """<html><head><title>社区双拥工作总结_范文网</title><script>var x = "不是正文";</script></head>
<body><nav>首页 | 工作总结</nav>
<div class="toolbar"><a>下载</a> <a>打印</a> <a>收藏</a></div>
<div class="info">来源：区民政局</div><div>2026-02-03 09:02:33</div>
<div class="article"><h1>社区双拥工作总结</h1>
<p>今年以来，   我社区<b>发放</b>慰问金8万元。<br>走访优抚对象620人。</p>
<table><tr><td>项目</td><td>人数</td></tr></table></div>
<div class="foot">版权所有 &copy; 范文网 京ICP备12345678号</div></body></html>"""


def test_a_gbk_page_without_charset_is_decoded_and_its_furniture_found(tmp_path):
    source = read_source(write(tmp_path, "page.html", PAGE.encode("gbk")))
    assert source.encoding == "gb18030"
    assert source.text.split("\n") == [
        "下载 打印 收藏", "来源：区民政局", "2026-02-03 09:02:33", "社区双拥工作总结",
        "今年以来， 我社区发放慰问金8万元。", "走访优抚对象620人。", "项目 人数",
        "版权所有 © 范文网 京ICP备12345678号",
    ]
    removed = {source.text[r.start:r.end] for r in furniture(source)}
    assert removed == {"下载 打印 收藏", "来源：区民政局", "2026-02-03 09:02:33", "版权所有 © 范文网 京ICP备12345678号"}


def test_a_declared_charset_that_lies_gives_way_to_the_bytes(tmp_path):
    page = PAGE.replace("<head>", '<head><meta charset="utf-8">').encode("gbk")
    assert "我社区发放慰问金8万元" in read_source(write(tmp_path, "page.htm", page)).text


# ---------------------------------------------------------------- archives

def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def outcomes(items) -> dict[str, str]:
    return {item.path.split("!", 1)[1]: item.reason if isinstance(item, Skipped) else "ok" for item in items}


def test_a_zip_is_read_in_place_and_its_dangers_refused(tmp_path):
    nested = io.BytesIO()
    make_zip(nested, {"x.txt": b"x"})
    archive = make_zip(tmp_path / "reports.zip", {
        "2020/社区总结.txt": SHORT_GBK.encode("gbk"),
        "2020/page.html": PAGE.encode("utf-8"),
        "../escape.txt": REPORT.encode("utf-8"),
        "/etc/absolute.txt": REPORT.encode("utf-8"),
        "bomb.txt": b"\x00" * (20 * 1024 * 1024),
        "inner.zip": nested.getvalue(),
        "__MACOSX/2020/._社区总结.txt": b"\x00\x05\x16\x07",
        "empty.txt": b"",
    })
    items = list(read_sources(archive))
    assert outcomes(items) == {
        "2020/社区总结.txt": "ok",
        "2020/page.html": "ok",
        "../escape.txt": "unsafe-path",
        "/etc/absolute.txt": "unsafe-path",
        "bomb.txt": "archive-bomb",
        "inner.zip": "unsupported-format",
        "empty.txt": "empty",
    }
    member = items[0]
    assert (member.name, member.path) == ("社区总结.txt", f"{archive}!2020/社区总结.txt")
    assert member.text == SHORT_GBK and member.encoding == "gb18030"


def test_an_archive_with_too_many_members_is_refused_whole(tmp_path):
    archive = make_zip(tmp_path / "many.zip", {f"{i}.txt": REPORT.encode("utf-8") for i in range(5)})
    with pytest.raises(ingest.SkipFile) as refused:
        list(read_archive(archive, ArchiveLimits(max_members=4)))
    assert refused.value.reason == "archive-too-large"


def test_an_archive_too_large_unpacked_is_refused_whole(tmp_path):
    archive = make_zip(tmp_path / "large.zip", {"a.txt": REPORT.encode("utf-8") * 100})
    with pytest.raises(ingest.SkipFile) as refused:
        list(read_archive(archive, ArchiveLimits(max_total_bytes=1000)))
    assert refused.value.reason == "archive-too-large"


def test_a_corrupt_zip_is_skipped(tmp_path):
    skipped = only(read_sources(write(tmp_path, "broken.zip", b"PK\x03\x04 not really a zip")))
    assert (skipped.path, skipped.reason) == (str(tmp_path / "broken.zip"), "corrupt-archive")


def add_tar_member(archive: tarfile.TarFile, name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE,
                   target: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.size, info.type, info.linkname = len(data), kind, target
    archive.addfile(info, io.BytesIO(data) if data else None)


def test_a_tar_gz_is_read_in_place_and_links_refused(tmp_path):
    path = tmp_path / "reports.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        add_tar_member(archive, "a/report.txt", TRADITIONAL.encode("big5"))
        add_tar_member(archive, "../../escape.txt", REPORT.encode("utf-8"))
        add_tar_member(archive, "a/link.txt", kind=tarfile.SYMTYPE, target="/etc/passwd")
    items = list(read_sources(path))
    assert outcomes(items) == {"a/report.txt": "ok", "../../escape.txt": "unsafe-path", "a/link.txt": "unsafe-path"}
    assert items[0].text == TRADITIONAL


def test_a_tar_bomb_is_stopped_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.tgz"
    with tarfile.open(path, "w:gz") as archive:
        add_tar_member(archive, "zeros.txt", b"0" * (8 * 1024 * 1024))
    skipped = only(read_sources(path))
    assert skipped.reason == "archive-bomb"
