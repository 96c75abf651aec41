"""Reading and cleaning documents while keeping offsets into the original text.

A :class:`Mapped` string carries, for every character of the cleaned text, the
index of the character of the original text it came from, so a span of cleaned
text can always be traced back to ``original[start:end]``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from pathlib import Path


class ReadError(Exception):
    """A document could not be read."""


# --------------------------------------------------------------------------- mapped text


class Mapped:
    __slots__ = ("text", "offs")

    def __init__(self, text: str, offs: array):
        self.text = text
        self.offs = offs  # len(text) + 1 entries; last one is the end position

    @classmethod
    def of(cls, text: str, base: int = 0) -> Mapped:
        return cls(text, array("q", range(base, base + len(text) + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, a: int, b: int) -> Mapped:
        offs = self.offs[a:b]
        offs.append(self.offs[b - 1] + 1 if b > a else self.offs[a])
        return Mapped(self.text[a:b], offs)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original [start, end) of cleaned [a, b)."""
        if b <= a:
            return self.offs[a], self.offs[a]
        return self.offs[a], self.offs[b - 1] + 1

    def sub(self, pattern: re.Pattern, repl) -> Mapped:
        """re.sub keeping the mapping; replacement chars map to the match start."""
        parts: list[str] = []
        offs = array("q")
        pos = 0
        text = self.text
        changed = False
        for m in pattern.finditer(text):
            r = repl(m) if callable(repl) else m.expand(repl)
            if r == m.group(0):
                continue
            changed = True
            parts.append(text[pos : m.start()])
            offs.extend(self.offs[pos : m.start()])
            parts.append(r)
            o = self.offs[m.start()]
            offs.extend([o] * len(r))
            pos = m.end()
        if not changed:
            return self
        parts.append(text[pos:])
        offs.extend(self.offs[pos:])
        return Mapped("".join(parts), offs)

    def strip(self) -> Mapped:
        t = self.text
        a = len(t) - len(t.lstrip())
        b = len(t.rstrip())
        if a == 0 and b == len(t):
            return self
        if b <= a:
            return Mapped("", array("q", [self.offs[a]]))
        return self.slice(a, b)

    @staticmethod
    def join(parts: list[Mapped], sep: str) -> Mapped:
        texts: list[str] = []
        offs = array("q")
        for i, p in enumerate(parts):
            if i:
                texts.append(sep)
                offs.extend([offs[-1] if offs else 0] * len(sep))
            texts.append(p.text)
            offs.extend(p.offs[: len(p.text)])
        end = parts[-1].offs[len(parts[-1].text)] if parts else 0
        offs.append(end)
        return Mapped("".join(texts), offs)


# --------------------------------------------------------------------------- reading


@dataclass
class Document:
    path: Path
    original: str  # the text offsets refer to (for PDFs: the extracted text)
    sha256: str
    kind: str  # txt | md | pdf


def read_document(path: str | Path, *, max_pages: int | None = None,
                  max_chars: int | None = None) -> Document:
    """Read a text, Markdown or PDF file. `max_pages` and `max_chars` (None: no cap) refuse a
    document with more pages or more extracted characters than that, with a ReadError naming
    the cap; a PDF is refused at the first page past the character cap."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    sha = hashlib.sha256(data).hexdigest()
    suffix = p.suffix.lower()
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        text = _read_pdf(p, data, max_pages, max_chars)
        kind = "pdf"
    else:
        if b"\x00" in data[:4096]:
            raise ReadError(f"{p}: is a binary file, not text, Markdown or PDF")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        kind = "md" if suffix in (".md", ".markdown") else "txt"
    if max_chars is not None and len(text) > max_chars:
        raise ReadError(_too_many_chars(p, max_chars))
    if not text.strip():
        raise ReadError(f"{p}: is empty (no text could be extracted)")
    return Document(p, text, sha, kind)


def _too_many_chars(p: Path, max_chars: int) -> str:
    return (f"{p}: has more than {max_chars:,} characters of text, the most one document may "
            "have; split it, or keep the chapters you need")


def _read_pdf(p: Path, data: bytes, max_pages: int | None = None,
              max_chars: int | None = None) -> str:
    import io
    import logging

    try:
        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data))
        if max_pages is not None and len(reader.pages) > max_pages:
            raise ReadError(f"{p}: has {len(reader.pages):,} pages, more than the {max_pages:,} "
                            "one document may have; split it, or keep the chapters you need")
        pages, total = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            total += len(pages[-1])
            if max_chars is not None and total > max_chars:
                raise ReadError(_too_many_chars(p, max_chars))
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise ReadError(f"{p}: cannot be read as PDF ({exc})") from exc
    return "\f".join(_pdf_paragraphs(t) for t in pages)


RE_PDF_HEADING = re.compile(r"^[A-Z0-9][^.!?;:,]{1,58}$")
RE_PDF_END = re.compile(r"[.!?][\"'”’)]*$")


def _pdf_paragraphs(page: str) -> str:
    """Blank lines around heading lines and after short last lines of paragraphs, which
    PDF text extraction loses (one line per text line, nothing between paragraphs)."""
    lines = page.rstrip().split("\n")
    if len(lines) < 3 or any(not ln.strip() for ln in lines):
        return page
    width = sorted(len(ln) for ln in lines)[int(len(lines) * 0.8)]
    out: list[str] = []
    for i, ln in enumerate(lines):
        t = ln.strip()
        prev = lines[i - 1].strip() if i else ""
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        heading = (bool(RE_PDF_HEADING.match(t)) and len(t.split()) <= 10 and len(t) < 0.7 * width
                   and (not prev or RE_PDF_END.search(prev) or out and out[-1] == "")
                   and (not nxt or nxt[:1].isupper()))
        if heading and out and out[-1] != "":
            out.append("")
        out.append(ln)
        if heading or (RE_PDF_END.search(t) and len(t) < 0.8 * width and nxt[:1].isupper()):
            out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- cleaning

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰⁽⁾"
RE_CR = re.compile(r"\r\n?")
RE_SUP_TAG = re.compile(r"<sup>.*?</sup>", re.S | re.I)
RE_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>", re.I)
RE_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
RE_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:]", re.I)
RE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
RE_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
RE_SUPER = re.compile(rf"[{_SUPERSCRIPTS}]+")
RE_CITE = re.compile(
    r"\s?\[\s*\d+(?:\s*[-–,]\s*\d+)*(?:\s*,\s*(?:pp?|P|Pp)\.\s*[\d\s–-]+)?\s*\]"
)
RE_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
RE_EMPH = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")
RE_HYPHEN = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")
RE_WS = re.compile(r"\s+")
RE_HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")
RE_LIST_LINE = re.compile(r"(?m)^[ \t]*(?:[-*•‣◦]|\d{1,2}[.)]|[a-z][.)])[ \t]+(?=\S)")
RE_PARA_SPLIT = re.compile(r"\n[ \t]*\n\s*|\f")
RE_PAGE_NUM = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)

RE_FOOTNOTE_START = re.compile(rf"^\s*(?:\\?\*?\s*)?(?:[{_SUPERSCRIPTS}]|<sup>|\[\d{{1,3}}\])")
RE_METADATA = re.compile(
    r"^\W*(?:(?:UDC|UDK|IRSTI|MRNTI|DOI|ISSN|ISBN|JEL|PACS|MSC)\b"
    r"|(?i:received|accepted|published|revised|available online|keywords?|key\s*words"
    r"|index terms|citation|cite this|copyright|corresponding author|e-?mail)\s*:|©)"
)
# headings that end an article only near its end ("Funding" is also a section of a report)
RE_SOFT_BACKMATTER = re.compile(r"^\W*(?:funding|notes|sources)\W*$", re.I)
RE_KEYWORDS_ONLY = re.compile(r"^\W*(?:Keywords?|Key\s*words|Index terms)\W*$", re.I)
RE_BACKMATTER = re.compile(
    r"^\W*(?:references?|bibliography|works cited|literature(?: cited)?|list of references"
    r"|sources|notes|footnotes|endnotes|acknowledge?ments?|information about (?:the )?authors?"
    r"|about the authors?|authors? information|funding|conflicts? of interests?"
    r"|author contributions?|declarations?)\W*$",
    re.I,
)


def is_latin_text(text: str, threshold: float = 0.5) -> bool:
    latin = other = 0
    for ch in text:
        if ch.isalpha():
            if ord(ch) < 0x250 or "LATIN" in unicodedata.name(ch, ""):
                latin += 1
            else:
                other += 1
    total = latin + other
    return total > 0 and latin / total >= threshold


def has_foreign_script(text: str) -> bool:
    return any(
        ch.isalpha() and ord(ch) >= 0x250 and "LATIN" not in unicodedata.name(ch, "")
        for ch in text
    )


@dataclass
class Block:
    text: Mapped
    heading: bool = False
    list_item: bool = False
    section: str = ""  # nearest heading above


@dataclass
class Cleaned:
    blocks: list[Block]
    title: str | None
    authors: list[str]
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, excerpt)


def _inline_clean(m: Mapped) -> Mapped:
    m = m.sub(RE_SUP_TAG, "")
    m = m.sub(RE_AUTOLINK, "")
    m = m.sub(RE_MD_LINK, lambda mo: "" if RE_URL.match(mo.group(1) or "") else mo.group(1))
    m = m.sub(RE_URL, "")
    m = m.sub(RE_EMAIL, "")
    m = m.sub(RE_HTML_TAG, "")
    m = m.sub(RE_SUPER, "")
    m = m.sub(RE_CITE, "")
    m = m.sub(RE_ESCAPE, r"\1")
    m = m.sub(RE_EMPH, "")
    m = m.sub(RE_HEADING_MARK, "")
    m = m.sub(RE_WS, " ")
    # empty brackets left behind by removed links/citations, space before punctuation
    m = m.sub(re.compile(r"\(\s*\)|\[\s*\]|<\s*>"), "")
    m = m.sub(re.compile(r"\s+(?=[.,;:!?](?:\s|$))"), "")
    m = m.sub(re.compile(r"\s{2,}"), " ")
    return m.strip()


def _norm_key(text: str) -> str:
    return RE_WS.sub(" ", re.sub(r"[^\w\s]", "", text.lower())).strip()


def _remove_running_lines(m: Mapped) -> Mapped:
    """Drop page headers/footers: lines repeated at the top/bottom of most pages."""
    pages = m.text.split("\f")
    if len(pages) < 3:
        return m
    counts: dict[str, int] = {}
    for page in pages:
        lines = [ln.strip() for ln in page.strip().split("\n") if ln.strip()]
        for ln in set(lines[:2] + lines[-2:]):
            key = re.sub(r"\d+", "#", ln)
            counts[key] = counts.get(key, 0) + 1
    running = {k for k, c in counts.items() if c >= max(3, len(pages) // 2)}
    if not running:
        return m
    return m.sub(
        re.compile(r"(?m)^[^\n]*$"),
        lambda mo: "" if re.sub(r"\d+", "#", mo.group(0).strip()) in running else mo.group(0),
    )


_TITLE_SMALL = {
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from",
    "as", "but", "nor", "vs", "via", "into", "its",
}


def smart_title(text: str) -> str:
    if sum(c.isupper() for c in text) < 0.7 * sum(c.isalpha() for c in text):
        return text
    words = text.lower().split()
    out = []
    for i, w in enumerate(words):
        if i and w in _TITLE_SMALL:
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


_NAME_TOKEN = r"(?:[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ][a-zà-ÿ]+)?|[A-Z]\.(?:\s?[A-Z]\.)*)"
RE_AUTHOR = re.compile(rf"^{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}$")
_NOT_NAME_WORDS = {
    "University", "Institute", "Department", "Faculty", "School", "College", "State",
    "Academy", "Ministry", "Center", "Centre", "Studies", "Abstract", "Introduction",
    "Republic", "Journal", "Press", "Company", "Corporation", "Agency", "Student",
    "Scientific", "Senior", "Director", "Professor", "Lecturer", "Candidate", "Annotation",
    "The", "A", "An", "Of", "And", "In", "On", "For", "History", "Programme", "Program",
    "Policy", "Review", "Report", "Chapter", "Part", "Contents",
}


def _author_names(text: str) -> list[str]:
    t = re.sub(r"[*\\†‡]|\d", "", text).strip(" ,;")
    t = re.sub(r"^(?:Dr|Prof|Mr|Mrs|Ms|Sir)\.?\s+", "", t)
    pieces = [p.strip() for p in re.split(r",|;|\band\b|&", t) if p.strip()]
    if not pieces or len(pieces) > 8:
        return []
    names = []
    for p in pieces:
        if not RE_AUTHOR.match(p) or set(p.replace(".", " ").split()) & _NOT_NAME_WORDS:
            return []
        if not re.search(r"[a-z]", p):
            return []
        names.append(p)
    return names


def clean(original: str) -> Cleaned:
    m = Mapped.of(original)
    m = m.sub(RE_CR, "\n")
    m = _remove_running_lines(m)
    m = m.sub(RE_HYPHEN, "")
    dropped: list[tuple[str, str]] = []

    # split into raw paragraphs, then list items
    raw: list[tuple[Mapped, bool]] = []  # (text, is_list_item)
    pos = 0
    text = m.text
    for sep in list(RE_PARA_SPLIT.finditer(text)) + [None]:
        end = sep.start() if sep else len(text)
        if end > pos:
            para = m.slice(pos, end)
            starts = [mo.start() for mo in RE_LIST_LINE.finditer(para.text)]
            if starts and starts[0] > 0 and para.text[: starts[0]].strip():
                starts.insert(0, 0)
            if not starts:
                raw.append((para, False))
            else:
                bounds = starts + [len(para.text)]
                for a, b in zip(bounds, bounds[1:], strict=False):
                    piece = para.slice(a, b)
                    marker = RE_LIST_LINE.match(piece.text)
                    if marker:
                        piece = piece.slice(marker.end(), len(piece.text))
                    raw.append((piece, bool(marker)))
        pos = sep.end() if sep else len(text)

    seen_raw: set[str] = set()
    blocks: list[Block] = []
    in_backmatter = False
    skip_next = False
    for para, is_item in raw:
        rt = para.text.strip()
        if not rt:
            continue
        key = RE_WS.sub(" ", rt)
        if key in seen_raw and len(key) > 40:
            dropped.append(("repeated paragraph", key[:60]))
            continue
        seen_raw.add(key)
        md_heading = bool(RE_HEADING_MARK.match(rt)) or bool(
            re.fullmatch(r"\s*(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*", rt)
        )
        c = _inline_clean(para)
        ct = c.text
        if not ct or not re.search(r"[A-Za-zÀ-ÿ]", ct) or RE_PAGE_NUM.match(ct):
            continue
        if skip_next:
            skip_next = False
            if len(ct) < 400:
                dropped.append(("keywords", ct[:60]))
                continue
        if RE_BACKMATTER.match(ct) and len(ct) < 60 and not (
                RE_SOFT_BACKMATTER.match(ct) and para.offs[0] < 0.8 * len(text)):
            in_backmatter = True
            dropped.append(("back matter", ct[:60]))
            continue
        if in_backmatter:
            if md_heading and is_latin_text(ct) and not RE_BACKMATTER.match(ct):
                in_backmatter = False
            else:
                dropped.append(("back matter", ct[:60]))
                continue
        if not is_latin_text(ct):
            dropped.append(("foreign script", ct[:60]))
            continue
        if RE_FOOTNOTE_START.match(rt):
            dropped.append(("footnote", ct[:60]))
            continue
        if RE_METADATA.match(ct):
            if RE_KEYWORDS_ONLY.match(ct):
                skip_next = True
            dropped.append(("metadata", ct[:60]))
            continue
        if " " not in ct.strip() and len(ct) > 25:  # a lone slug or identifier
            dropped.append(("not prose", ct[:60]))
            continue
        heading = md_heading or (
            len(ct) < 80 and not re.search(r"[.!?:;,]$", ct) and not is_item
            and len(ct.split()) <= 12
        )
        blocks.append(Block(c, heading=heading, list_item=is_item))

    # front matter: title, authors; everything before the first body paragraph
    title = None
    authors: list[str] = []
    first_body = 0
    for i, b in enumerate(blocks):
        if _is_body(b):
            first_body = i
            break
    else:
        first_body = 0
    front = blocks[:first_body]
    for b in front:
        t = b.text.text
        if title is None:
            if len(t.split()) >= 3 and not RE_METADATA.match(t) and not _author_names(t):
                title = smart_title(t.strip(" .*#"))
            continue
        names = _author_names(t)
        if names:
            authors.extend(n for n in names if n not in authors)
    for b in front:
        dropped.append(("front matter", b.text.text[:60]))
    blocks = blocks[first_body:]

    # join paragraphs split by page breaks / footnotes
    joined: list[Block] = []
    for b in blocks:
        if joined and _continues(joined[-1], b):
            prev = joined[-1]
            prev.text = Mapped.join([prev.text, b.text], " ")
            continue
        joined.append(b)

    # repeated paragraphs (after cleaning) and section labels
    out: list[Block] = []
    seen: set[str] = set()
    section = ""
    for b in joined:
        key = _norm_key(b.text.text)
        if b.heading:
            section = b.text.text.strip(" .:")
            b.section = section
            out.append(b)
            continue
        if key in seen and len(key) > 40:
            dropped.append(("repeated paragraph", b.text.text[:60]))
            continue
        seen.add(key)
        b.section = section
        out.append(b)
    return Cleaned(out, title, authors, dropped)


def _is_body(b: Block) -> bool:
    t = b.text.text
    return (
        not b.heading
        and len(t) >= 50
        and len(t.split()) >= 8
        and bool(re.search(r"[.!?\"”’')]$", t))
        and not _author_names(t)
    )


_FUNCTION_END = re.compile(
    r"\b(?:the|a|an|of|in|on|at|to|for|from|with|by|and|or|as|that|which|is|are|was|were"
    r"|its|their|his|her|than|into|between|such|this)$"
)


def _continues(prev: Block, cur: Block) -> bool:
    if prev.heading or cur.heading or cur.list_item:
        return False
    p = prev.text.text
    c = cur.text.text
    if not p or not c or re.search(r"[.!?:;)\]]$", p) and not p.endswith(".,"):
        return False
    if len(p) < 60:
        return False
    if c[0].islower():
        return True
    return bool(p.endswith(",") or _FUNCTION_END.search(p) or re.search(r"\"\w+$", p))
