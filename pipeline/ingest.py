"""Paths -> decoded sources: find input files, read their bytes, decide their encoding.

The source text of a plain-text file is its decoded text with one change, `\\r\\n`/`\\r` ->
`\\n` (SCHEMA.md "Offsets"). For HTML, DOCX and PDF files the source text is the plain text
`pipeline.formats` extracts (one block per line), newlines folded the same way: offsets point
into that extracted text, not into the markup.

Archives (.zip, .tar, .tar.gz/.tgz) are read in place, never unpacked to disk: each member
becomes a source named after its file name, with the path `archive.zip!dir/member.txt`.
A member whose path could escape (`../x`, `/etc/x`) or a link member is refused, and so are
archives whose member count, total size or compression ratio points to an archive bomb.

Legacy encodings are decided by how Chinese the text reads: each candidate decoding
(GB18030, which covers GBK and GB2312, and Big5-HKSCS) is scored by the frequency of its
characters in jieba's dictionary, folded to simplified characters so that Big5 text is not
penalised. This stays right on short texts (a 20-character GBK note) where byte-statistics
detectors guess; charset-normalizer is kept for files neither candidate decodes.
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import math
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath

from charset_normalizer import from_bytes

from pipeline import formats
from pipeline.errors import SkipFile
from pipeline.normalize import fold
from pipeline.records import Skipped, Source

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold before it is refused as too large or as a bomb.

    Text compresses about 3-10x; a ratio of 100 is far beyond any real document and well
    below what a bomb needs. The ratio is only checked on members over `ratio_floor` bytes,
    where it can do harm.
    """

    max_members: int = 10_000
    max_total_bytes: int = 1024 * 1024 * 1024
    max_member_bytes: int = MAX_BYTES
    max_ratio: float = 100.0
    ratio_floor: int = 1024 * 1024


LIMITS = ArchiveLimits()
_CORRUPT_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, tarfile.TarError, gzip.BadGzipFile, zlib.error,
                    EOFError)

# Detectors report the narrow legacy name; GB18030 is a superset of both and decodes them all.
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHINESE_CANDIDATES = ("gb18030", "big5hkscs")
# Log-probabilities for characters outside the dictionary: CJK punctuation is common in any
# Chinese text; anything else non-ASCII (kana, box drawing, private use) is a sign of a wrong guess.
_LOGP_PUNCTUATION = math.log(1e-3)
_LOGP_UNKNOWN = math.log(1e-9)
_CJK_PUNCTUATION = set("，。、；：？！“”‘’（）《》〈〉【】—…·「」『』〔〕％．－")


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under `paths`, folders walked recursively, in a stable (sorted) order."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and not _is_hidden(p.relative_to(path).parts))
        else:
            yield path


def _is_hidden(parts: Iterable[str]) -> bool:
    """Dot files and folders, and the resource forks macOS puts in archives."""
    return any((part.startswith(".") and part not in (".", "..")) or part == "__MACOSX" for part in parts)


@lru_cache(maxsize=1)
def _char_logp() -> dict[str, float]:
    """Log-frequency of each simplified character, summed over jieba's dictionary words."""
    counts: dict[str, int] = {}
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, freq, _ = line.split(" ", 2)
            for char in word:
                counts[char] = counts.get(char, 0) + int(freq)
    total = sum(counts.values())
    return {char: math.log(count / total) for char, count in counts.items()}


def chinese_log_likelihood(text: str) -> float:
    """Sum of the log-probabilities of the non-ASCII characters, read as Chinese."""
    logp = _char_logp()
    total = 0.0
    for char in fold(text):
        if char < "\x80":
            continue
        if char in logp:
            total += logp[char]
        elif char in _CJK_PUNCTUATION or "\u3000" <= char <= "\u303f":
            total += _LOGP_PUNCTUATION
        else:
            total += _LOGP_UNKNOWN
    return total


def decode(data: bytes) -> tuple[str, str, float]:
    """Decode report bytes; returns (text, encoding, confidence). Raises SkipFile."""
    if not data.strip():
        raise SkipFile("empty", "the file holds no text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, 1.0
            except UnicodeDecodeError as err:
                raise SkipFile("undecodable", f"{encoding} byte-order mark, but byte {err.start} is invalid") from err
    if b"\x00" in data[:4096]:
        raise SkipFile("binary", "the file holds NUL bytes and no byte-order mark")
    try:
        return data.decode("utf-8"), "utf-8", 1.0
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> tuple[str, str, float]:
    """The Chinese legacy encoding under which the bytes read most like Chinese."""
    scored = []
    for encoding in _CHINESE_CANDIDATES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((chinese_log_likelihood(text), encoding, text))
    if scored:
        scored.sort(reverse=True)
        best_ll, encoding, text = scored[0]
        if len(scored) == 1:
            return text, encoding, 1.0
        # Posterior of the best of two equally likely hypotheses, from their likelihood ratio.
        margin = min(best_ll - scored[1][0], 50.0)
        return text, encoding, round(1.0 / (1.0 + math.exp(-margin)), 3)
    best = from_bytes(data).best()
    if best is None:
        raise SkipFile("undecodable", "no encoding decodes this file as text")
    encoding = _WIDEN.get(best.encoding, best.encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise SkipFile("undecodable", f"detected {encoding} but decoding failed at byte {err.start}") from err
    return text, encoding, round(1.0 - best.chaos, 3)


def decode_html(data: bytes) -> tuple[str, str, float]:
    """Decode a page: a byte-order mark, else a declared charset that decodes, else detection."""
    declared = formats.declared_html_charset(data)
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            name = codecs.lookup(declared).name
            encoding = _WIDEN.get(name, name)
            return data.decode(encoding), encoding, 1.0
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration is common; the bytes decide
    return decode(data)


def source_text(raw: str) -> str:
    """The SCHEMA source text: newlines folded, nothing else touched."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES + HTML_SUFFIXES + TEXT_SUFFIXES + (".docx", ".pdf"):
        if lower.endswith(suffix):
            return suffix
    return PurePosixPath(lower).suffix


def is_archive(name: str) -> bool:
    return _suffix(name) in ARCHIVE_SUFFIXES


def source_from_bytes(name: str, path: str, data: bytes) -> Source:
    """One document file's bytes -> its `Source`, the format chosen by the file name."""
    suffix = _suffix(name)
    if not data.strip():
        raise SkipFile("empty", "the file holds no bytes but white space")
    if suffix in TEXT_SUFFIXES:
        text, encoding, confidence = decode(data)
    elif suffix in HTML_SUFFIXES:
        markup, encoding, confidence = decode_html(data)
        text = formats.html_text(markup)
    elif suffix == ".docx":
        text, encoding, confidence = formats.docx_text(data), "docx", 1.0
    elif suffix == ".pdf":
        text, encoding, confidence = formats.pdf_text(data), "pdf", 1.0
    elif suffix in ARCHIVE_SUFFIXES:
        raise SkipFile("unsupported-format", "archives inside archives are not opened")
    else:
        raise SkipFile("unsupported-format", f"{suffix or 'no suffix'} is not a supported format")
    text = source_text(text)
    if not text.strip():
        raise SkipFile("empty", "the file holds no text")
    return Source(name=PurePosixPath(name).name, path=path, text=text, encoding=encoding,
                  confidence=confidence, content_hash=hashlib.sha256(data).hexdigest())


def read_source(path: Path) -> Source:
    """Read one document file (not an archive) into a `Source`. Raises SkipFile."""
    path = Path(path)
    if is_archive(path.name):
        raise SkipFile("unsupported-format", "an archive holds several sources: read it with read_sources")
    return source_from_bytes(path.name, str(path), _read_bytes(path, MAX_BYTES))


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise SkipFile("too-large", f"{size} bytes is over the {limit}-byte limit")
        return path.read_bytes()
    except PermissionError as err:
        raise SkipFile("permission-denied", str(err)) from err


def read_sources(path: Path) -> Iterator[Source | Skipped]:
    """The sources one input file holds (an archive holds several), or why it holds none."""
    path = Path(path)
    try:
        if is_archive(path.name):
            yield from read_archive(path)
        else:
            yield read_source(path)
    except SkipFile as skip:
        yield Skipped(str(path), skip.reason, skip.detail)
    except OSError as err:
        yield Skipped(str(path), "unreadable", str(err))


# ---------------------------------------------------------------- archives

@dataclass(frozen=True)
class _Member:
    """An archive member as the archive declares it, and how to read its bytes."""

    name: str
    size: int
    compressed_size: int | None
    is_file: bool
    is_link: bool
    read: Callable[[int], bytes]


def read_archive(path: Path, limits: ArchiveLimits = LIMITS) -> Iterator[Source | Skipped]:
    """Each member of a zip or tar archive as a Source, or as a Skipped with its reason."""
    path = Path(path)
    try:
        if _suffix(path.name) == ".zip":
            yield from _read_members(path, _zip_members(path, limits), limits)
        else:
            yield from _read_members(path, _tar_members(path, limits), limits)
    except _CORRUPT_ARCHIVE as err:
        raise SkipFile("corrupt-archive", f"{type(err).__name__}: {err}") from err
    except PermissionError as err:
        raise SkipFile("permission-denied", str(err)) from err


def _zip_members(path: Path, limits: ArchiveLimits) -> Iterator[_Member]:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise SkipFile("archive-too-large", f"{len(infos)} members, over the limit of {limits.max_members}")
        total = sum(info.file_size for info in infos)
        if total > limits.max_total_bytes:
            raise SkipFile("archive-too-large",
                           f"{total} bytes uncompressed, over the limit of {limits.max_total_bytes}")
        for info in infos:
            is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
            yield _Member(info.filename, info.file_size, info.compress_size, not info.is_dir(), is_link,
                          lambda limit, info=info: _bounded_read(archive.open(info), limit))


def _tar_members(path: Path, limits: ArchiveLimits) -> Iterator[_Member]:
    """Members of a tar stream in order; the stream is never decompressed past the limits."""
    compressed = path.stat().st_size
    count = total = 0
    with tarfile.open(path, "r|*") as archive:
        for info in archive:
            count += 1
            total += info.size
            if count > limits.max_members:
                raise SkipFile("archive-too-large", f"over {limits.max_members} members")
            if total > limits.max_total_bytes:
                raise SkipFile("archive-too-large",
                               f"over {limits.max_total_bytes} bytes uncompressed")
            if total > limits.ratio_floor and total / max(compressed, 1) > limits.max_ratio:
                raise SkipFile("archive-bomb", f"{total} bytes unpacked from {compressed}: "
                                               f"a ratio over {limits.max_ratio:g}")
            yield _Member(info.name, info.size, None, info.isfile(), info.issym() or info.islnk(),
                          lambda limit, info=info: _bounded_read(archive.extractfile(info), limit))


def _bounded_read(handle, limit: int) -> bytes:
    with handle:
        return handle.read(limit + 1)


def _read_members(archive_path: Path, members: Iterator[_Member],
                  limits: ArchiveLimits) -> Iterator[Source | Skipped]:
    for member in members:
        if not member.is_file and not member.is_link:
            continue
        if _is_hidden(PurePosixPath(member.name).parts):
            continue
        where = f"{archive_path}!{member.name}"
        try:
            data = _member_bytes(member, limits)
            yield source_from_bytes(member.name, where, data)
        except SkipFile as skip:
            yield Skipped(where, skip.reason, skip.detail)


def _member_bytes(member: _Member, limits: ArchiveLimits) -> bytes:
    if not is_safe_member_path(member.name):
        raise SkipFile("unsafe-path", f"member path {member.name!r} could escape the archive")
    if member.is_link:
        raise SkipFile("unsafe-path", "links inside archives are not followed")
    if member.size > limits.max_member_bytes:
        raise SkipFile("too-large", f"{member.size} bytes is over the {limits.max_member_bytes}-byte limit")
    if (member.compressed_size is not None and member.size > limits.ratio_floor
            and member.size / max(member.compressed_size, 1) > limits.max_ratio):
        raise SkipFile("archive-bomb", f"{member.size} bytes from {member.compressed_size} compressed: "
                                       f"a ratio over {limits.max_ratio:g}")
    try:
        data = member.read(limits.max_member_bytes)
    except _CORRUPT_ARCHIVE as err:
        raise SkipFile("corrupt-archive", f"the member cannot be unpacked: {type(err).__name__}: {err}") from err
    if len(data) > limits.max_member_bytes:
        raise SkipFile("archive-bomb", "the member unpacks to more bytes than it declares")
    return data


def is_safe_member_path(name: str) -> bool:
    """A relative path that stays inside the archive (no `..`, no root, no drive letter)."""
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    return bool(parts) and not posix.startswith("/") and ".." not in parts and ":" not in parts[0]
