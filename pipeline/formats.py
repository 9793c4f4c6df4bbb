"""Per-format readers: the plain text of an HTML page, a Word document or a PDF text layer.

Each reader returns the text a person reads, one block (paragraph, heading, table row, list
item) per line. That extracted text is the source text of such a file: offsets point into it,
not into the markup. Page furniture in the body text is kept here: `clean.furniture` marks it
as spans, so every removed character stays accounted for. Only what the markup itself marks
as not being content (scripts, styles, <nav> menus, form controls) is left out of an HTML
page's text.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from pipeline.errors import SkipFile

# Elements whose text a reader never sees as page content.
_HTML_HIDDEN = {"head", "script", "style", "noscript", "template", "nav", "form", "select",
                "button", "iframe", "svg", "object", "canvas"}
# Elements that start a new line of text.
_HTML_BLOCKS = {"address", "article", "aside", "blockquote", "body", "center", "dd", "details",
                "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
                "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "menu", "ol",
                "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
                "caption", "br"}
_HTML_CELLS = {"td", "th"}
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")  # HTML white space; U+3000 is text and stays
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def declared_html_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its start, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def html_text(markup: str) -> str:
    """Visible text of an HTML page: one line per block, white space collapsed as a browser does."""
    import lxml.etree
    import lxml.html

    if not markup.strip():
        raise SkipFile("empty", "the page holds no markup")
    try:
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as err:
        raise SkipFile("corrupt-document", f"the page cannot be parsed as HTML: {err}") from err
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE_RUN.sub(" ", "".join(current)).strip(" ")
        if line:
            lines.append(line)
        current.clear()

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _HTML_HIDDEN:
            if element.tail:
                current.append(element.tail)
            return
        is_block = tag.lower() in _HTML_BLOCKS
        if is_block:
            flush()
        if tag and element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if tag.lower() in _HTML_CELLS:
            current.append(" ")
        elif is_block:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return "\n".join(lines)


def docx_text(data: bytes) -> str:
    """Text of a .docx file in reading order: paragraphs, and table rows as tab-joined cells."""
    import docx
    import lxml.etree
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, lxml.etree.XMLSyntaxError, EOFError) as err:
        raise SkipFile("corrupt-document", f"the Word file is damaged or truncated: {err}") from err
    return "\n".join(lines)


def _docx_lines(document) -> Iterator[str]:
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell is repeated once per grid column
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text.strip())
                if any(cells):
                    yield "\t".join(cells)
        else:
            yield block.text


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page. A scanned PDF has none and is refused as empty."""
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SkipFile("unsupported-format", "the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FileNotDecryptedError as err:
        raise SkipFile("unsupported-format", f"the PDF is encrypted: {err}") from err
    except (PyPdfError, ValueError, KeyError, EOFError) as err:
        raise SkipFile("corrupt-document", f"the PDF is damaged or truncated: {err}") from err
    text = "\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise SkipFile("empty", "the PDF has no text layer (a scan needs OCR first)")
    return text
