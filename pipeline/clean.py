"""Sources -> documents: page furniture found as spans, compilations split into reports.

Scraped pages carry text that is not part of any report: toolbars (下载 打印 【字号：加大 还原
减小】), breadcrumbs, 来源/时间 labels, photo credits, the blurbs of essay sites (下面是小编…整理的),
copyright and page markers, and lists of related articles. `furniture` returns these as
`Removed` spans of the source text, found by rules and, where `models/lines/` holds one, by
a line classifier trained on hand-labelled lines (`pipeline.train.lines`).

`split_documents` cuts what is left into reports: a page that bundles several (篇1/篇2,
范文1-3, a title repeated before each) gives one `Document` per report, titled. A document
is a character range of the source; its `text` is that range without the furniture spans
inside it, so copies that differ only in site furniture get the same `doc_id`.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.normalize import fold
from pipeline.records import Document, Removed, Source
from pipeline.resources import LEXICONS, MODELS

log = logging.getLogger(__name__)

LINE_MODEL = MODELS / "lines" / "model.joblib"
# The classifier only removes a line it is this sure of; the rules need no such margin.
CLASSIFIER_THRESHOLD = 0.8
# Lines longer than this are paragraphs of a report; furniture is short.
MAX_FURNITURE_CHARS = 80


@dataclass(frozen=True)
class Line:
    """A non-blank line: `start`/`end` bound its text without surrounding white space."""

    index: int
    start: int
    end: int
    text: str


def source_lines(text: str) -> list[Line]:
    """The non-blank lines of a text, with source offsets of their stripped content."""
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + (len(raw) - len(raw.lstrip()))
            lines.append(Line(len(lines), start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


def document_id(text: str) -> str:
    """Stable id from the document's content, so a re-run or a copy of it gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- furniture rules

# Words a page toolbar, breadcrumb or pager is made of; a line of nothing else is furniture.
_WIDGET_WORDS = (
    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "大", "中", "小", "字号", "字体", "默认",
    "分享", "分享到", "分享到微信", "微信", "微博", "QQ空间", "首页", "返回", "返回顶部", "顶部",
    "打印本页", "关闭", "关闭窗口", "关闭本页", "上一页", "下一页", "上一篇", "下一篇", "尾页",
    "纠错", "我要纠错", "扫一扫", "复制链接", "保存", "导航", "当前位置", "您的位置", "您当前的位置",
    "所在位置", "位置", "阅读量", "【字号", "【字体", "浏览量", "浏览次数", "点击数", "评论", "点赞",
)
_WIDGET_LINE = re.compile(
    r"^(?:(?:" + "|".join(sorted(map(re.escape, _WIDGET_WORDS), key=len, reverse=True))
    + r"|\d{1,3})[\s:：|｜/>›»<«【】\[\]()（）×·•\-—]*)+$"
    r"|^[\s:：|｜/>›»<«【】×·•]+$"
)
# "来源：…", "发布时间：…", "责任编辑：…": metadata labels with a short value, or with none
# when the page put the value on the next line.
_LABEL = re.compile(
    r"^[【（(]?(?:信息)?(?:来源|稿源|出处|发布时间|发表时间|发布日期|更新时间|时间|日期|作者|编辑|责任编辑|"
    r"审核|校对|编审|供稿|文字|撰稿|摄影|阅读量?|浏览(?:次数|量)?|点击(?:数|量)?|访问量|"
    r"索引号|发文字号|发布机构|关键词)\s*[:：](?P<value>[^。；;]{0,40})$"
)
_TIMESTAMP = re.compile(
    r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?(?:\s*[:：]\s*\d{1,2}\s*秒?)?)?$"
)
# Essay sites introduce what they copied: 下面是小编精心为你整理的…, 以下是…，欢迎阅读。
_SITE_BLURB = re.compile(
    r"小编|欢迎(?:阅读|借鉴|参考|大家阅读|大家参考|收藏)|仅供(?:大家)?参考|供(?:大家|您)参考|"
    r"希望(?:对|能)(?:你|您|大家)(?:有所)?(?:帮助|有用)|相信你能从中找到|一起来看看吧|"
    r"(?:为你|为您|为大家)(?:整理|收集|搜集|精选|准备)"
)
_DOMAIN = re.compile(r"[A-Za-z0-9-]+\.(?:com|cn|net|org|cc|top)\b", re.I)
_PROMO = re.compile(r"(?:更多|推荐|精选|热门|相关|扩展|延伸).{0,12}(?:阅读|文章|范文|推荐|专题)|本文(?:来自|来源|链接)|"
                    r"转载请(?:注明|保留)|原文(?:链接|地址)")
# Headers of related-article lists; the short lines after them are the list.
_RELATED_HEADER = re.compile(
    r"^(?:相关(?:报道|文档|文章|阅读|链接|附件|新闻|推荐|专题|内容)|延伸阅读|扩展阅读|推荐阅读|猜你喜欢|"
    r"热门(?:文章|推荐|阅读)|最新(?:文章|推荐)|精彩推荐|看了.{0,12}的人还看了|大家都在看)\s*(?:[:：]|>>|》》)?$"
)
# The last things an article page shows; what follows belongs to the site, not the report.
_PAGE_END = re.compile(r"^【?\s*(?:打印本页|关闭窗口|关闭本页|返回顶部)\s*】?$")
_COPYRIGHT = re.compile(r"版权所有|版权归.{0,10}所有|©|Copyright|ICP备|公网安备|All Rights Reserved", re.I)
# A copyright word glued to the end of a heading by a careless scrape.
_COPYRIGHT_TAIL = re.compile(r"(?:版权所有|本文版权归.{0,10}所有)\s*$")
_PAGE_MARKER = re.compile(r"(?:^|[^\d])第\s*[0-9一二三四五六七八九十]{1,3}\s*页\s*$|^共\s*\d+\s*页")
# A caption's credit: …本报记者 戴冰摄, （新华社记者 X 摄）, 图片来源：…
_PHOTO_CREDIT = re.compile(r"(?:记者|摄影|通讯员)[^，。]{0,20}?(?:摄|供图)\s*[)）]?$|(?:图片来源|供图)\s*[:：][^。]{0,30}$")
_CALL_TO_ACTION = re.compile(r"点击.{0,12}(?:进入|查看|阅读|下载|播放)|扫一扫|扫描二维码|长按.{0,6}二维码|关注.{0,8}公众号")
_HASH_LABEL = re.compile(r"^[0-9a-f]{16,}\s*[:：]?$")
_SENTENCE_END = "。！？；!?;"


def folded_lines(source: Source) -> list[Line]:
    """The source's lines as the rules read them: traditional and full-width forms folded
    (same length, so every offset is still a source offset)."""
    return source_lines(fold(source.text))


def furniture(source: Source) -> list[Removed]:
    """Stretches of page furniture in a source, in order: whole lines and glued-on tails."""
    lines = folded_lines(source)
    marks = _rule_marks(lines)
    model = line_model()
    candidates = [line for line in lines if line.index not in marks and _may_be_furniture(line)]
    if model is not None and candidates:
        features = [line_features(lines, line.index) for line in candidates]
        for line, probability in zip(candidates, model.predict_proba(features)[:, 1]):
            if probability >= CLASSIFIER_THRESHOLD:
                marks[line.index] = ("classifier", f"lines-model p={probability:.2f}")
    removed = [Removed(line.start, line.end, *marks[line.index]) for line in lines if line.index in marks]
    for line in lines:
        if line.index in marks:
            continue
        tail = _COPYRIGHT_TAIL.search(line.text)
        if tail and tail.start() > 0:
            removed.append(Removed(line.start + tail.start(), line.end, "copyright", "copyright-tail"))
    return sorted(removed, key=lambda r: r.start)


def _may_be_furniture(line: Line) -> bool:
    """What the classifier may remove: short lines that are neither a finished sentence nor a title."""
    return (len(line.text) <= MAX_FURNITURE_CHARS and not line.text.endswith(tuple(_SENTENCE_END))
            and not is_title(line.text) and not part_marker(line.text))


def rule_furniture(line: Line) -> tuple[str, str] | None:
    """(reason, rule) when one line on its own is furniture."""
    text = line.text
    short = len(text) <= MAX_FURNITURE_CHARS
    if _TIMESTAMP.match(text):
        return "metadata", "timestamp"
    if _WIDGET_LINE.match(text):
        return "toolbar", "widget-words"
    if _LABEL.match(text):
        return "metadata", "label"
    if _HASH_LABEL.match(text):
        return "related", "link-id"
    if _RELATED_HEADER.match(text):
        return "related", "related-header"
    if _PAGE_END.match(text):
        return "toolbar", "page-end"
    if _SITE_BLURB.search(text) and len(text) <= 200:
        return "site-blurb", "blurb"
    if short and _DOMAIN.search(text) and (_PROMO.search(text) or _COPYRIGHT.search(text)):
        return "site-promo", "domain"
    if short and _PROMO.search(text) and not text.endswith(tuple(_SENTENCE_END)):
        return "site-promo", "promo"
    if short and _COPYRIGHT.search(text) and not _COPYRIGHT_TAIL.search(text):
        return "copyright", "copyright"
    if len(text) <= 60 and _PAGE_MARKER.search(text):
        return "page-marker", "page-number"
    if len(text) <= 120 and _PHOTO_CREDIT.search(text):
        return "photo-credit", "photo-credit"
    if short and _CALL_TO_ACTION.search(text):
        return "call-to-action", "call-to-action"
    return None


def _rule_marks(lines: list[Line]) -> dict[int, tuple[str, str]]:
    """Line index -> (reason, rule) for every line the rules call furniture, context included."""
    marks: dict[int, tuple[str, str]] = {}
    for line in lines:
        hit = rule_furniture(line)
        if hit:
            marks[line.index] = hit
    _mark_label_values(lines, marks)
    _mark_breadcrumbs(lines, marks)
    _mark_lists_after(lines, marks)
    _mark_repeated_headings(lines, marks)
    return marks


def _mark_label_values(lines: list[Line], marks: dict[int, tuple[str, str]]) -> None:
    """A label left alone on its line (来源：) has its value on the next one (四川日报)."""
    for line in lines[:-1]:
        match = _LABEL.match(line.text)
        following = lines[line.index + 1]
        if match and not match.group("value").strip() and len(following.text) <= 30 \
                and not following.text.endswith(tuple(_SENTENCE_END)):
            marks.setdefault(following.index, ("metadata", "label-value"))


def _mark_breadcrumbs(lines: list[Line], marks: dict[int, tuple[str, str]]) -> None:
    """Short items between breadcrumb separators (首页 > 政务信息 > 宁夏要闻), and a repeat of the last."""
    separators = {line.index for line in lines if re.fullmatch(r"[>›»/|｜]+", line.text)}
    for index in sorted(separators):
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(lines) and len(lines[neighbour].text) <= 12 \
                    and not re.search(r"[，。,、]", lines[neighbour].text):
                marks.setdefault(neighbour, ("navigation", "breadcrumb"))
                after = neighbour + 1
                if after < len(lines) and lines[after].text == lines[neighbour].text:
                    marks.setdefault(after, ("navigation", "breadcrumb-repeat"))


def _mark_lists_after(lines: list[Line], marks: dict[int, tuple[str, str]]) -> None:
    """Link lists after a 相关报道/延伸阅读 header, and teasers after the page's closing widgets."""
    for line in lines:
        if _PAGE_END.match(line.text):
            limit = 200
        elif _RELATED_HEADER.match(line.text) or _HASH_LABEL.match(line.text):
            limit = 60
        else:
            continue
        for following in lines[line.index + 1:]:
            if following.index in marks:
                continue
            if len(following.text) > limit:
                break
            marks[following.index] = ("related", "related-list")


def _mark_repeated_headings(lines: list[Line], marks: dict[int, tuple[str, str]]) -> None:
    """A heading the page template repeats after furniture (title, blurb, the same title again).

    A repeat may also be the title glued to a cut-off copy of itself (标题标题的前半).
    """
    recent: list[Line] = []
    for line in lines:
        if line.index in marks:
            continue
        follows_furniture = bool(recent) and line.index - recent[-1].index > 1
        if follows_furniture and len(line.text) <= 60 and any(_repeats(line.text, kept.text) for kept in recent):
            marks[line.index] = ("repeated-heading", "repeated-heading")
            continue
        recent = (recent + [line])[-3:]


def _repeats(text: str, earlier: str) -> bool:
    now, before = _fold_heading(text), _fold_heading(earlier)
    if not before:
        return False
    return now == before or (now.startswith(before) and before.startswith(now[len(before):]))


def _fold_heading(text: str) -> str:
    return re.sub(r"[\s。.:：!！]+", "", text)


def line_model(path: Path = LINE_MODEL):
    """The trained line classifier, or None (rules only) when it has not been trained."""
    return _load_line_model(path, path.stat().st_mtime if path.is_file() else None)


@lru_cache(maxsize=4)
def _load_line_model(path: Path, mtime: float | None):
    """Loaded once per file version; a missing model is reported once, not once per source."""
    if mtime is None:
        log.warning("no line classifier at %s: furniture is found by rules only", path)
        return None
    import joblib

    return joblib.load(path)


def line_features(lines: list[Line], index: int) -> str:
    """What the classifier sees of a line: its text framed by its length and its neighbours' shape.

    Furniture is told apart by its words (来源, 打印) and by where it sits: short lines among
    short lines at the top and bottom of a page, next to a lone label or separator.
    """
    line = lines[index]
    before = lines[index - 1].text if index > 0 else ""
    after = lines[index + 1].text if index + 1 < len(lines) else ""
    position = index / max(len(lines) - 1, 1)

    def size(text: str) -> str:
        return "0" if not text else "s" if len(text) <= 6 else "m" if len(text) <= 20 else \
            "l" if len(text) <= MAX_FURNITURE_CHARS else "x"

    ends = "p" if line.text.endswith(tuple(_SENTENCE_END)) else "c" if line.text.endswith(("：", ":")) else "n"
    shape = (f"⟨len{size(line.text)}⟩⟨end{ends}⟩⟨prev{size(before)}⟩⟨next{size(after)}⟩"
             f"⟨pos{'top' if position < 0.1 else 'end' if position > 0.9 else 'mid'}⟩"
             f"⟨prevc{'y' if before.endswith(('：', ':')) else 'n'}⟩")
    return f"{shape} {line.text[:MAX_FURNITURE_CHARS]} ⟨p⟩{before[-8:]} ⟨n⟩{after[:8]}"


# ---------------------------------------------------------------- splitting

_GENRE = re.compile(r"总结|汇报|报告|范文|讲话|述职|计划|要点|发言|材料|心得|体会|方案")
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|"
                          r"第[一二三四五六七八九十\d]+[、，,章节条部分]|[一二三四五六七八九十]是)")
_PART_MARKER = re.compile(
    r"^(?:【\s*(?:范文|篇|材料|模板|例文)\s*[0-9一二三四五六七八九十]+\s*】"
    r"|(?:篇|范文|材料|例文)\s*[0-9一二三四五六七八九十]+|第\s*[0-9一二三四五六七八九十]+\s*篇)\s*[:：]?$"
)
_DELIVERED = re.compile(r"(?:(?<!工)作|做|听取|审议|宣读|通过|学习)[^，。]{0,8}(?:报告|讲话|发言)")
_NUMBERED_TITLE = re.compile(r"(?:篇|范文|例文|材料)?\s*[0-9一二三四五六七八九十]+\s*$")


def is_title(text: str) -> bool:
    """A report title: a short line naming a report genre, not a section heading or a sentence.

    A genre word inside 《》 cites another report; one after 作/听取/审议 is what someone did.
    """
    unquoted = re.sub(r"《[^》]*》", "", text)
    return (len(text) <= 50 and bool(_GENRE.search(unquoted)) and not _ENUMERATION.match(text)
            and not re.search(r"[，,；;。]", text) and not _DELIVERED.search(text))


def part_marker(text: str) -> str | None:
    """The marker of a numbered part of a compilation (篇1, 【范文2】, 第三篇) as written, or None."""
    return text.rstrip(":： ") if _PART_MARKER.match(text) else None


@dataclass
class _Draft:
    """A document being built while the lines go by."""

    title: str
    first: Line
    last: Line
    body_lines: int = 0


def split_documents(source: Source, removed: list[Removed] | None = None) -> list[Document]:
    """The reports of a source, each a range from its title to its last body line.

    `removed` is the source's furniture when the caller has it already.
    """
    lines = folded_lines(source)
    if removed is None:
        removed = furniture(source)
    furniture_lines = _covered_lines(lines, removed)
    drafts: list[_Draft] = []
    heading: str | None = None
    for line in lines:
        if line.index in furniture_lines:
            continue
        as_written = source.text[line.start:line.end]  # titles keep the source's own characters
        current = drafts[-1] if drafts else None
        if part_marker(line.text):
            marker = as_written.rstrip(":： ")
            title = f"{heading} {marker}" if heading else marker
            if current and current.body_lines == 0:
                current.title, current.last = title, line
            else:
                drafts.append(_Draft(title, line, line))
        elif is_title(line.text) or (not drafts and is_title(line.text.rstrip("。."))):
            if current and current.body_lines == 0:
                if _is_numbered_version(line.text, fold(current.title)):
                    current.title = as_written
                current.last = line
            else:
                drafts.append(_Draft(as_written, line, line))
            heading = as_written
        elif current is None:
            drafts.append(_Draft(as_written[:200], line, line, body_lines=1))
        else:
            current.last, current.body_lines = line, current.body_lines + 1
    return [_document(source, draft, removed) for draft in _merge_bodiless(drafts)]


def _covered_lines(lines: list[Line], removed: list[Removed]) -> set[int]:
    spans = {(r.start, r.end) for r in removed}
    return {line.index for line in lines if (line.start, line.end) in spans}


def _is_numbered_version(text: str, title: str) -> bool:
    """社区双拥工作总结汇报范文1 after the compilation heading 社区双拥工作总结汇报范文."""
    return text.startswith(_fold_heading(title)) and bool(_NUMBERED_TITLE.fullmatch(text[len(_fold_heading(title)):]))


def _merge_bodiless(drafts: list[_Draft]) -> list[_Draft]:
    """A title with no body after it (a trailing heading) joins the document before it."""
    merged: list[_Draft] = []
    for draft in drafts:
        if draft.body_lines == 0 and merged:
            merged[-1].last = draft.last
        else:
            merged.append(draft)
    return merged


def _document(source: Source, draft: _Draft, removed: list[Removed]) -> Document:
    start, end = draft.first.start, draft.last.end
    text = _without(source.text, start, end, removed)
    return Document(
        doc_id=document_id(text),
        source=source.name,
        path=source.path,
        encoding=source.encoding,
        title=_fold_spaces(draft.title).rstrip("。.")[:200],
        start=start,
        end=end,
        text=text,
        meta=document_meta(fold(draft.title), fold(text)),
    )


def _fold_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _without(text: str, start: int, end: int, removed: list[Removed]) -> str:
    """text[start:end] with the removed spans inside it cut out, blank lines dropped."""
    pieces, cursor = [], start
    for span in removed:
        if span.end <= start or span.start >= end:
            continue
        pieces.append(text[cursor:max(cursor, span.start)])
        cursor = max(cursor, span.end)
    pieces.append(text[cursor:end])
    return "\n".join(line.rstrip() for line in "".join(pieces).split("\n") if line.strip())


# ---------------------------------------------------------------- document metadata

# Level words as they name the issuing body (社区 wins over the 区 inside it).
_LEVEL_WORDS = ("自治区", "社区", "街道", "妇联", "公司", "集团", "学校", "医院", "省", "市", "区", "县", "镇", "乡", "村")
_ADMIN_LEVEL = {"province": "省", "prefecture": "市", "county": "县"}
_BODY_SUFFIX = (r"(?:人民政府|政府|妇联|妇女联合会|双拥办|民政局|人武部|党工委|办事处|居委会|委员会|"
                r"公司|集团|学校|医院)")
_PLACE = r"[\u4e00-\u9fa5]{1,12}?(?:省|自治区|市|区|县|旗|镇|乡|街道|社区|村)"
_NAMED_BODY = re.compile(rf"(?P<place>{_PLACE})?(?P<body>{_BODY_SUFFIX})")
_CONGRESS_PLACE = re.compile(rf"在(?P<place>{_PLACE})第?[一二三四五六七八九十]+届\s*人民代表大会")
# The body a report speaks for, opening a sentence or after 我/本: 省妇联把…, 我区民政局…
# (a body named elsewhere is more often the one that leads: 在县人武部的指导下).
_SPEAKING_BODY = re.compile(r"(?:^|[。！\n]|我|本)(?P<body>(?:省|市|区|县|镇|街道)"
                            r"(?:妇联|民政局|人武部|双拥办|民政科|人民政府|政府|党工委|办事处))")
_LEADING_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?")


@lru_cache(maxsize=1)
def _admin_levels() -> dict[str, str]:
    """Administrative division name -> 省/市/县, from the divisions lexicon."""
    levels = {}
    path = LEXICONS / "entity_admin_divisions.tsv"
    for row in path.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            name, level, *_ = row.split("\t")
            levels[name] = _ADMIN_LEVEL.get(level, level)
    return levels


def document_meta(title: str, text: str) -> dict:
    """Issuing body, level and year as the title and the first lines state them (None if they don't).

    Reads simplified text: `split_documents` passes the folded title and text, so a Big5 report
    gets the same metadata, in simplified characters, as its simplified copy.
    """
    head = "\n".join(text.split("\n")[:6])
    year = _YEAR.search(title) or _YEAR.search(head[:200])
    undated_title = _LEADING_YEAR.sub("", title)
    named = _NAMED_BODY.search(undated_title)
    issuing_body = None
    if named and named.group("place"):
        issuing_body = named.group(0)
    elif "政府工作报告" in title:
        congress = _CONGRESS_PLACE.search(head)
        issuing_body = f"{congress.group('place')}人民政府" if congress else None
    else:
        speaker = _SPEAKING_BODY.search(head[:300])
        issuing_body = speaker.group("body") if speaker else None
    return {"issuing_body": issuing_body, "level": _level(issuing_body or undated_title),
            "year": int(year.group(1)) if year else None}


def _level(text: str) -> str | None:
    """The level of a body: its innermost known division's level (a county-level 区 is 区),
    else the first level word the text names."""
    levels = _admin_levels()
    innermost = None
    for match in re.finditer(_PLACE, text):
        name = match.group(0)
        known = next((name[cut:] for cut in range(len(name) - 1) if name[cut:] in levels), None)
        if known:
            innermost = "区" if levels[known] == "县" and known.endswith("区") else levels[known]
    if innermost:
        return innermost
    named = [(text.find(word), -len(word), word) for word in _LEVEL_WORDS if word in text]
    if not named:
        return None
    word = min(named)[2]
    return "省" if word == "自治区" else word
