"""Read report files (TXT, HTML, PDF, DOCX) into one text string per document.

Everything downstream points into `SourceText.text` by character offset, so this module
fixes that string once: line endings become "\\n", a BOM and NUL bytes go, and nothing
else is changed (full-width digits and the like are normalised later, by offset-aware code).
HTML keeps the page's main content, one paragraph a line; PDF text is pdfminer's, each
page ending in "\\f"; DOCX gives one line per paragraph and one per table row, its cells
separated by tabs (as a table looks when copied as text).
A file that cannot be read well is a ReadError naming the file and the cause, never a guess.
"""

import hashlib
import io
import itertools
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import lxml.etree
import lxml.html
import trafilatura
from docx.table import Table
from docx.text.paragraph import Paragraph
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTContainer, LTItem, LTPage, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from .encodings import UndecodableText, declared_charset, decode_text, implausibility

_FORMATS = {".txt": "txt", ".htm": "html", ".html": "html", ".pdf": "pdf", ".docx": "docx"}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
MAX_BYTES: int = 50 * 1024 * 1024

# pdfminer inserts a space wherever two glyphs on a line are further apart than
# word_margin × glyph size. Justified Chinese text spreads its characters, and the
# default 0.1 then yields "2 3 5 件"; 0.5 keeps digits and characters together while
# real space characters in the PDF still come through. all_texts lays out text inside
# figures (form XObjects) too, instead of leaving it one unbroken run of characters.
_PDF_LAYOUT = LAParams(word_margin=0.5, all_texts=True)
_PDF_CLAUSE_ENDS = tuple("。！？!?；;")
_PDF_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_NON_WORD = re.compile(r"[\W_]+")

# The lxml fallback for HTML drops these elements, and those whose class or id names
# site furniture (old government templates use <div class="nav">, not <nav>) ...
_HTML_FURNITURE_XPATH = (
    ".//script | .//style | .//noscript | .//template | .//iframe | .//nav | .//header | .//footer"
    " | .//*[re:test(concat(@class, ' ', @id), 'nav|menu|breadcrumb|crumb|footer|copyright', 'i')]"
)
# ... and breaks lines around block elements.
_HTML_BLOCKS = (
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section",
    "table", "tr", "ul",
)  # fmt: skip
# A <meta charset> must sit near the top; 8 KiB allows for long <head> sections.
_HTML_HEAD_BYTES = 8192


@dataclass(frozen=True)
class SourceText:
    """One report as read; `text` is the string every later character offset points into."""

    doc_id: str
    path: Path
    text: str = field(repr=False)
    format: str
    encoding: str | None
    sha256: str
    size_bytes: int


class ReadError(Exception):
    """A file that could not be read; str() names the file and the cause."""

    path: Path
    reason: str

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)  # args kept as (path, reason) so the error pickles
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def read_source(path: Path, *, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read one report file; raise ReadError if it is missing, too big, damaged or empty."""
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "does not exist")
    if not path.is_file():
        raise ReadError(path, "is not a file")
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise ReadError(path, _unsupported(suffix))
    size = path.stat().st_size
    if size == 0:
        raise ReadError(path, "is empty")
    if size > max_bytes:
        raise ReadError(path, f"is {size:,} bytes, more than the limit of {max_bytes:,} bytes")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReadError(path, f"cannot be read ({error.strerror or error})") from error

    format_ = _FORMATS[suffix]
    encoding: str | None = None
    if format_ == "txt":
        text, encoding = _decode(path, raw)
    elif format_ == "html":
        text, encoding = _html_text(path, raw)
    elif format_ == "pdf":
        text = _pdf_text(path, raw)
    else:
        text = _docx_text(path, raw)

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").removeprefix("\ufeff")
    if not text.strip():
        raise ReadError(path, "has no text layer (scanned?)" if format_ == "pdf" else "contains no text")
    if format_ in {"pdf", "docx"}:
        reason = implausibility(text)
        if reason is not None:
            raise ReadError(path, f"extracted text is not plausible Chinese or ASCII text: {reason}")
    return SourceText(
        doc_id=path.stem,
        path=path,
        text=text,
        format=format_,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        size_bytes=len(raw),
    )


def find_sources(paths: Iterable[Path]) -> tuple[list[Path], list[ReadError]]:
    """Expand files and folders into the report files to read, plus errors for bad paths.

    Folders are searched recursively in sorted order; inside them hidden entries, Office
    lock files (~$…) and unsupported suffixes (manifest.csv, README.md) are skipped quietly.
    A missing path, or a file named explicitly with an unsupported suffix, is an error.
    Each file is listed once, at its first appearance.
    """
    found: list[Path] = []
    errors: list[ReadError] = []
    seen: set[Path] = set()

    def keep(candidate: Path) -> None:
        key = candidate.resolve()
        if key not in seen:
            seen.add(key)
            found.append(candidate)

    for path in map(Path, paths):
        if path.is_dir():
            for candidate in sorted(_walk(path)):
                if candidate.suffix.lower() in SUPPORTED_SUFFIXES:
                    keep(candidate)
        elif not path.exists():
            errors.append(ReadError(path, "does not exist"))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append(ReadError(path, _unsupported(path.suffix.lower())))
        else:
            keep(path)
    return found, errors


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not _is_hidden(name)]
        for name in filenames:
            if not _is_hidden(name):
                yield Path(root, name)


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _unsupported(suffix: str) -> str:
    shown = suffix or "(no suffix)"
    return f"unsupported file type '{shown}' (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"


def _decode(path: Path, raw: bytes, declared: str | None = None) -> tuple[str, str]:
    try:
        return decode_text(raw, declared)
    except UndecodableText as error:
        raise ReadError(path, str(error)) from error


def _html_text(path: Path, raw: bytes) -> tuple[str, str]:
    """The page's main content by trafilatura, else the <body> text minus site furniture.

    trafilatura occasionally discards the report itself (for instance a reply that sits in
    <div id="comments">) and returns only header and footer lines. So when its output lacks
    most of the body's sentences, or is empty, the body text is used instead: some
    furniture then, but never a lost report.
    """
    markup, encoding = _decode(path, raw, declared_charset(raw[:_HTML_HEAD_BYTES]))
    try:
        main = trafilatura.extract(
            markup,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            favor_recall=True,
            deduplicate=False,
            with_metadata=False,
        )
        body = _html_body_text(markup)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise ReadError(path, f"cannot be parsed as HTML ({error})") from error
    text = main if main and _keeps_the_report(main, body) else body
    headline, site = _html_headline_and_site(markup)
    dateline = _PAGE_DATELINE.search(body[:3000])
    if dateline and _PAGE_DATELINE.search(text[:3000]) is None:
        text = dateline.group() + "\n" + text  # the page's own date line (发布日期：…), which main content leaves out
    head_lines = {_letters(line) for line in text[:2000].split("\n")}
    if headline and _letters(headline) not in head_lines:
        text = headline + "\n" + text  # the main content alone often leaves out the page's own title
    if site and _letters(site) not in _letters(text):
        text = text + "\n" + site  # the site names the place a 我市 page speaks of (…_临海市人民政府门户网站), as its footer does
    return text, encoding


# The line under a page's headline that says when it was published.
_PAGE_DATELINE = re.compile(r"(?m)^(?:发布日期|发布时间|发文日期|日期|时间)\s*[:：]\s*(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def _html_headline_and_site(markup: str) -> tuple[str, str]:
    """The page's headline: its first <h1>, else its <title> up to the site's name (…_莒县人民政府);
    and the site's name, the <title>'s last part when it names a government's site."""
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except lxml.etree.ParserError:
        return "", ""
    headline = site = ""
    for element in root.iter("h1", "title"):
        words = " ".join(element.text_content().split())
        if element.tag == "title":
            parts = re.split(r"\s*[_|｜]\s*|\s+-\s+", words)
            words = parts[0]
            if len(parts) > 1 and _GOVERNMENT_SITE.search(parts[-1]):
                site = parts[-1]
        if words and not headline:
            headline = words
    return headline, site


# 临海市人民政府门户网站, 某县司法局: a government's site, whose name carries its place
_GOVERNMENT_SITE = re.compile(r"(?:人民政府|政府|司法局|法治)(?:门户)?(?:网站|网)?$")


def _keeps_the_report(main: str, body: str) -> bool:
    """Whether `main` holds at least half the body's sentence lines (lines with a 。), by length.

    Site furniture (menus, link lists, copyright lines) rarely has a full stop; report text
    always does. Lines are compared on letters and digits only, since trafilatura and lxml
    differ in spacing, line breaks, table bars and list dashes.
    """
    kept = _letters(main)
    sentences = [line for line in body.split("\n") if "。" in line]
    if not sentences:
        return bool(kept)
    found = sum(len(line) for line in sentences if _letters(line) in kept)
    return found >= 0.5 * sum(len(line) for line in sentences)


def _letters(text: str) -> str:
    return _NON_WORD.sub("", text)


def _html_body_text(markup: str) -> str:
    """Text of <body> without scripts, styles, navigation, header and footer, one block a line."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except lxml.etree.ParserError:  # lxml's word for a document without any elements or text
        return ""
    body = root.find("body")
    if body is None:
        body = root
    furniture = body.xpath(_HTML_FURNITURE_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"})
    for element in furniture:
        element.drop_tree()
    for element in body.iter(*_HTML_BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for element in body.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in body.iter("td", "th"):
        element.tail = " | " + (element.tail or "")  # cells stay apart, as in trafilatura's tables
    lines = (" ".join(line.split()) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _pdf_text(path: Path, raw: bytes) -> str:
    try:
        text = "".join(_pdf_page_text(page) for page in extract_pages(io.BytesIO(raw), laparams=_PDF_LAYOUT))
    except PDFPasswordIncorrect as error:
        raise ReadError(path, "is an encrypted PDF that needs a password") from error
    except PDFEncryptionError as error:
        raise ReadError(path, f"is an encrypted PDF that cannot be decrypted ({error})") from error
    except Exception as error:  # pdfminer signals damage with many unrelated exception types
        raise ReadError(path, f"is a damaged PDF or not a PDF ({type(error).__name__}: {error})") from error
    # Glyphs whose font has no Unicode map come out as "(cid:N)"; a few are tolerable, a text of them is not.
    unmapped = len(_PDF_UNMAPPED_GLYPH.findall(text))
    if unmapped and implausibility(_PDF_UNMAPPED_GLYPH.sub("\ufffd", text)):
        raise ReadError(path, f"its fonts have no Unicode map: {unmapped} glyphs came out as (cid:N) codes")
    return text


def _pdf_page_text(page: LTPage) -> str:
    """The page's text, one paragraph a line, ending in "\\f".

    pdfminer gives one line per printed line, so a wrapped sentence would be cut by a
    newline, which later stages read as a clause end. Printed lines are therefore joined
    into paragraphs (see _continues), the way a reader sees them.
    """
    lines = list(_pdf_lines(page))
    if not lines:
        return "\f"
    body_height = Counter(round(line.height) for line in lines).most_common(1)[0][0]
    body = [line for line in lines if round(line.height) == body_height]
    margins = (min(line.x0 for line in body), max(line.x1 for line in body))
    texts = [line.get_text().rstrip("\n") for line in lines]
    parts = [texts[0]]
    for (above, below), (before, after) in zip(itertools.pairwise(lines), itertools.pairwise(texts), strict=True):
        if not _continues(above, below, before, margins, body_height):
            parts.append("\n")
        elif before[-1:].isascii() and before[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
            parts.append(" ")  # an English line wrapped at a space
        parts.append(after)
    return "".join(parts) + "\n\f"


def _continues(
    above: LTTextLine, below: LTTextLine, above_text: str, margins: tuple[float, float], body_height: int
) -> bool:
    """Whether printed line `below` carries on the paragraph of the line `above` it.

    Only a line directly below in the same type size can, and not after 。！？； (the clause
    ends there anyway). A title set larger than the body wraps onto centred lines; body text
    continues when the line above fills at least 80% of the text width (a short line ends a
    paragraph or is a heading) and the next starts flush left (Chinese paragraphs and
    headings start indented).
    """
    size = max(above.height, below.height)
    if abs(above.height - below.height) > size / 4 or not -size / 2 <= above.y0 - below.y1 <= 1.5 * size:
        return False
    if above_text.rstrip().endswith(_PDF_CLAUSE_ENDS):
        return False
    if round(above.height) > body_height:
        return True
    left, right = margins
    return below.x0 <= left + size / 2 and above.x1 >= left + 0.8 * (right - left)


def _pdf_lines(item: LTItem) -> Iterator[LTTextLine]:
    """Every horizontal text line of a page, in pdfminer's reading order, figures included."""
    if isinstance(item, LTTextLine):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _pdf_lines(child)


def _docx_text(path: Path, raw: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(raw))
        return "\n".join(_docx_lines(document.iter_inner_content()))
    except Exception as error:  # zipfile, lxml and python-docx each raise their own types
        raise ReadError(path, f"is a damaged .docx file ({type(error).__name__}: {error})") from error


def _docx_lines(blocks: Iterable[Paragraph | Table]) -> Iterator[str]:
    """One line per paragraph, in document order; a table row per line, cells tab-separated, each
    merged cell once (a row of cells one per line would run the row's numbers together)."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
            continue
        seen_cells: set[object] = set()
        for row in block.rows:
            cells = []
            for cell in row.cells:
                # Merged cells come back once per grid position; their <w:tc> element is shared.
                if cell._tc in seen_cells:
                    continue
                seen_cells.add(cell._tc)
                cells.append(" ".join(line.strip() for line in _docx_lines(cell.iter_inner_content()) if line.strip()))
            yield "\t".join(cells)
