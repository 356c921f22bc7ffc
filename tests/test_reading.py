"""Reading report files of every supported format and encoding, on real files.

Binary fixtures live in tests/fixtures/formats/ (made by make_fixtures.py there); plain-text
cases are written to tmp_path from the strings below so the expected text is in plain sight.
"""

import codecs
import hashlib
import pickle
import random
from pathlib import Path

import pytest

from compare.reading import MAX_BYTES, SUPPORTED_SUFFIXES, ReadError, SourceText, find_sources, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
REPORTS = Path(__file__).parent.parent / "data" / "reports"

REPORT = (
    "临江市2022年度法治政府建设情况报告\n"
    "2022年，全市共办理行政复议案件235件，纠错率13.2%。\n"
    "行政机关负责人出庭应诉率达到１００％，较上年提高２.５个百分点。\n"
    "受理政府信息公开申请1,018件，均在法定期限内办结。\n"
)
SENTENCE = "2022年，全市共办理行政复议案件235件，纠错率13.2%。"
FULL_WIDTH = "出庭应诉率达到１００％"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path: Path, **kwargs: int) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_source(path, **kwargs)
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value


def assert_offsets_find(source: SourceText, sentence: str) -> None:
    start = source.text.index(sentence)
    assert source.text[start : start + len(sentence)] == sentence


# --- plain text ------------------------------------------------------------------------


def test_utf8_text_is_returned_as_written(tmp_path: Path) -> None:
    raw = REPORT.encode("utf-8")
    path = write(tmp_path, "linjiang_2022.txt", raw)
    source = read_source(path)
    assert source.text == REPORT
    assert (source.doc_id, source.path, source.format, source.encoding) == ("linjiang_2022", path, "txt", "utf-8")
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.size_bytes == len(raw)
    assert_offsets_find(source, SENTENCE)


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16"),
        (REPORT.encode("utf-16-le"), "utf-16"),  # no BOM: the zero bytes of ASCII give it away
        (REPORT.encode("utf-16-be"), "utf-16"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be", "gbk", "gb18030"],
)
def test_other_encodings_give_the_same_text_without_bom(tmp_path: Path, raw: bytes, encoding: str) -> None:
    source = read_source(write(tmp_path, "report.txt", raw))
    assert source.text == REPORT
    assert source.encoding == encoding
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert_offsets_find(source, SENTENCE)


def test_gbk_names_beyond_gb2312_and_four_byte_gb18030_are_read(tmp_path: Path) -> None:
    text = REPORT + "联系人：王堃、李喆，地址：𠮷祥路1号。\n"
    source = read_source(write(tmp_path, "report.txt", text.encode("gb18030")))
    assert source.text == text
    assert source.encoding == "gb18030"


def test_line_endings_become_newlines_and_nothing_else_changes(tmp_path: Path) -> None:
    raw = REPORT.replace("\n", "\r\n").encode("utf-8") + "旧Mac行尾\r最后一行".encode()
    source = read_source(write(tmp_path, "report.txt", raw))
    assert source.text == REPORT + "旧Mac行尾\n最后一行"
    assert FULL_WIDTH in source.text
    assert "２.５个百分点" in source.text


def test_nul_bytes_are_dropped(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "report.txt", REPORT.encode("utf-8") + b"\x00"))
    assert source.text == REPORT


def test_latin1_bytes_that_gb18030_accepts_are_refused(tmp_path: Path) -> None:
    raw = "Dépêche: génération télévisée équipée, Mérida".encode("latin-1")
    raw.decode("gb18030")  # the trap: this succeeds and yields mojibake
    error = read_error(write(tmp_path, "report.txt", raw))
    assert "decoded text is not plausible Chinese or ASCII text" in error.reason


def test_utf8_that_is_mostly_control_and_private_use_characters_is_refused(tmp_path: Path) -> None:
    raw = ("报告" + "\x01\x02\x03\ue000\ue001\ufffd" * 20).encode("utf-8")
    error = read_error(write(tmp_path, "report.txt", raw))
    assert "not plausible Chinese or ASCII text" in error.reason
    assert "control, private-use" in error.reason


@pytest.mark.parametrize(
    "raw", [b"report \x80\x80\x80 end", random.Random(0).randbytes(4096)], ids=["undecodable", "binary-junk"]
)
def test_bytes_that_no_encoding_accepts_are_refused(tmp_path: Path, raw: bytes) -> None:
    error = read_error(write(tmp_path, "report.txt", raw))
    assert error.reason == "cannot be decoded as UTF-8, UTF-16 or GB18030"


def test_whitespace_only_text_is_refused(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "report.txt", " \r\n\t　\n".encode()))
    assert error.reason == "contains no text"


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file_is_refused(tmp_path: Path, suffix: str) -> None:
    assert read_error(write(tmp_path, "report" + suffix, b"")).reason == "is empty"


def test_file_above_the_size_limit_is_refused(tmp_path: Path) -> None:
    raw = REPORT.encode("utf-8")
    error = read_error(write(tmp_path, "report.txt", raw), max_bytes=100)
    assert error.reason == f"is {len(raw):,} bytes, more than the limit of 100 bytes"
    assert MAX_BYTES == 50 * 1024 * 1024


def test_unknown_suffix_and_missing_file_are_refused(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "report.xyz", b"text"))
    assert error.reason == "unsupported file type '.xyz' (supported: .docx, .htm, .html, .pdf, .txt)"
    assert read_error(tmp_path / "missing.txt").reason == "does not exist"


def test_read_error_survives_pickling_for_worker_processes(tmp_path: Path) -> None:
    error = ReadError(tmp_path / "a.pdf", "is empty")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, f"{tmp_path / 'a.pdf'}: is empty")


# --- HTML ------------------------------------------------------------------------------

BODY_SENTENCES = [
    "临江市人民政府关于2022年度法治政府建设情况的报告",
    "2022年，全市共办理行政复议案件235件，其中作出撤销、变更、确认违法等纠错决定31件，纠错率13.2%；"
    "行政机关负责人出庭应诉率达到１００％。",
    "全年主动公开政府信息4.6万条，受理政府信息公开申请1,018件，均在法定期限内办结。",
    "行政机关败诉案件仍有12件",
]
FURNITURE = [
    "办事服务", "互动交流", "走进临江", "当前位置", "无障碍浏览", "打印本页", "关闭窗口", "分享到",
    "相关文章", "版权所有", "网站标识码", "ICP备", "公网安备", "0599-12345678", "主办单位", "SCRIPTMARK",
    "_hmt", "float:left",
]  # fmt: skip


@pytest.mark.parametrize(("name", "encoding"), [("gov_report.html", "utf-8"), ("gov_report_gbk.html", "gb18030")])
def test_government_page_keeps_the_report_and_drops_site_furniture(name: str, encoding: str) -> None:
    source = read_source(FIXTURES / name)
    assert (source.format, source.encoding) == ("html", encoding)
    for sentence in BODY_SENTENCES:
        assert_offsets_find(source, sentence)
    for furniture in FURNITURE:
        assert furniture not in source.text, furniture
    lines = source.text.split("\n")
    assert "一、主要举措和成效" in lines  # paragraphs are lines
    assert "2023年3月28日" in lines


def test_gbk_page_follows_its_meta_charset() -> None:
    raw = (FIXTURES / "gov_report_gbk.html").read_bytes()
    assert b"charset=gbk" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert read_source(FIXTURES / "gov_report_gbk.html").text == read_source(FIXTURES / "gov_report.html").text


def test_page_mislabelled_gbk_but_stored_as_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    html = (FIXTURES / "gov_report.html").read_text(encoding="utf-8")
    path = write(tmp_path, "report.htm", html.replace('charset="utf-8"', 'charset="gbk"').encode("utf-8"))
    source = read_source(path)
    assert source.encoding == "utf-8"
    assert_offsets_find(source, BODY_SENTENCES[1])


def test_page_whose_report_trafilatura_discards_falls_back_to_body_text() -> None:
    source = read_source(FIXTURES / "reply_fallback.html")
    assert source.text.split("\n") == [
        "对市十六届人大二次会议第661号建议的答复",  # the page's <h1>, which neither keeps
        "钱兵代表：",
        "您提出的《关于提升政府依法行政水平的建议》收悉。2022年，全市行政机关负责人出庭应诉率达到100%，"
        "行政诉讼败诉案件下降至12件。",
        "感谢您对政府工作的关心和支持。",
        "临江市人民政府",  # the site's name from the <title>, which names the place a reply to 市… leaves unnamed
    ]


def test_long_footer_line_without_class_hints_does_not_displace_trafilatura(tmp_path: Path) -> None:
    # The body text of this page has the one-line footer as its longest line; trafilatura
    # rightly drops it, and the report's sentences are all in trafilatura's output.
    html = (FIXTURES / "gov_report.html").read_text(encoding="utf-8")
    start = html.index('<div class="footer">')
    end = html.index("</div>", start) + len("</div>")
    footer = (
        "主办单位：临江市人民政府办公室 承办单位：临江市大数据管理局 版权所有：临江市人民政府 网站标识码：3299000001 "
        "苏ICP备12345678号-1 苏公网安备32990202000123号 联系电话：0599-12345678 地址：临江市人民路1号 "
        "建议使用1920×1080分辨率、IE9及以上版本浏览器浏览本网站 "
    )
    html = html[:start] + f'<div class="bottom">{footer * 2}</div>' + html[end:]
    source = read_source(write(tmp_path, "report.html", html.encode()))
    for sentence in BODY_SENTENCES:
        assert_offsets_find(source, sentence)
    assert "版权所有" not in source.text


def test_html_without_text_is_refused(tmp_path: Path) -> None:
    raw = "<html><body>\n<script>document.write('由脚本生成的正文');</script>\n</body></html>".encode()
    assert read_error(write(tmp_path, "page.html", raw)).reason == "contains no text"


# --- PDF -------------------------------------------------------------------------------


def test_pdf_text_layer_gives_chinese_paragraphs_one_a_line_and_pages_ending_in_form_feeds() -> None:
    source = read_source(FIXTURES / "report.pdf")
    assert (source.format, source.encoding) == ("pdf", None)
    first_page, second_page, after_last = source.text.split("\f")
    # The paragraphs wrap over two or three printed lines each; the title, the heading and
    # the right-aligned signature stay lines of their own.
    assert first_page.split("\n") == [
        "临江市人民政府关于2022年度法治政府建设情况的报告",
        "2022年，在市委的坚强领导下，市政府深入学习贯彻习近平法治思想，全面落实法治政府建设实施纲要，"
        "法治政府建设取得新成效。现将有关情况报告如下。",
        "一、主要举措和成效",
        "（一）加强行政复议和应诉工作。2022年，全市共办理行政复议案件235件，纠错率13.2%。"
        "行政机关负责人出庭应诉率达到１００％，较上年提高２.５个百分点。",
        "",
    ]
    assert second_page.split("\n") == [
        "（二）深入推进政务公开。全年主动公开政府信息4.6万条，受理政府信息公开申请1,018件，均在法定期限内办结。",
        "临江市人民政府",
        "2023年3月28日",
        "",
    ]
    assert after_last == ""
    assert_offsets_find(source, SENTENCE)


def test_pdf_text_inside_a_form_xobject_keeps_its_lines() -> None:
    text = read_source(FIXTURES / "form_xobject.pdf").text
    assert text == "全市共办理行政复议案件235件。\n受理政府信息公开申请1,018件。\n\f"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scanned.pdf", "has no text layer (scanned?)"),
        ("encrypted.pdf", "is an encrypted PDF that needs a password"),
        ("truncated.pdf", "is a damaged PDF or not a PDF"),
        ("unmapped_glyphs.pdf", "its fonts have no Unicode map: 24 glyphs came out as (cid:N) codes"),
    ],
)
def test_pdf_without_usable_text_is_refused(name: str, reason: str) -> None:
    assert read_error(FIXTURES / name).reason.startswith(reason)


def test_html_saved_as_pdf_is_refused(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "report.pdf", b"<html><body>404 Not Found</body></html>"))
    assert error.reason.startswith("is a damaged PDF or not a PDF")


# --- DOCX ------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_come_in_document_order() -> None:
    source = read_source(FIXTURES / "report.docx")
    assert (source.format, source.encoding) == ("docx", None)
    assert source.text.split("\n") == [
        "临江市司法局2022年法治政府建设年度报告",
        "2022年，全市共办理行政复议案件235件，同比增长18.7%。",
        "类别\t指标\t2021年\t2022年",
        "行政争议\t行政复议案件（件）\t198\t235",
        "行政应诉案件（件）\t142\t167",  # the merged 行政争议 cell is not repeated
        "备注\t数据来源：临江市司法局",  # nor is the cell spanning three columns
        "行政机关负责人出庭应诉率达到１００％。",
    ]  # fmt: skip
    assert_offsets_find(source, "全市共办理行政复议案件235件")


def test_corrupt_docx_is_refused() -> None:
    assert read_error(FIXTURES / "corrupt.docx").reason.startswith("is a damaged .docx file (BadZipFile")


# --- finding files ---------------------------------------------------------------------


def test_find_sources_expands_folders_and_reports_bad_paths(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for name in [
        "b.txt", "a.HTML", "manifest.csv", "README.md", ".hidden.txt", "~$draft.docx",
        "sub/c.pdf", "sub/d.docx", "sub/e.htm", ".git/f.txt", "z.xyz",
    ]:  # fmt: skip
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_bytes(b"x")
    notes = write(tmp_path, "notes.csv", b"x")
    missing = tmp_path / "missing"

    found, errors = find_sources([corpus, missing, notes, corpus / "b.txt", corpus / ".hidden.txt"])

    assert found == [
        corpus / "a.HTML", corpus / "b.txt", corpus / "sub" / "c.pdf", corpus / "sub" / "d.docx",
        corpus / "sub" / "e.htm", corpus / ".hidden.txt",
    ]  # fmt: skip
    assert [(error.path, error.reason) for error in errors] == [
        (missing, "does not exist"),
        (notes, "unsupported file type '.csv' (supported: .docx, .htm, .html, .pdf, .txt)"),
    ]


# --- the bundled reports ---------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda path: path.name)
def test_bundled_reports_are_read_unchanged(path: Path) -> None:
    source = read_source(path)
    assert source.text == path.read_bytes().decode("utf-8")
    assert source.encoding == "utf-8"


def test_a_web_pages_date_line_is_kept_when_its_main_content_leaves_it_out(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>第{i}段：全区共办理行政复议案件{i}件，审结{i}件，依法纠错，化解争议，取得实效。</p>\n" for i in range(1, 12))
    page.write_text(
        "<html><head><title>白皮书摘编_南海区人民政府网站</title></head><body>\n"
        "<div class='header'><h1 class='logo'>佛山市南海区人民政府</h1></div>\n"
        "<div class='nav'><a href='/'>首页</a> <a href='/zwgk/'>政务公开</a></div>\n"
        "<div class='main'><div class='article'>\n<h2 class='title'>白皮书摘编</h2>\n<div class='info'>\n"
        "  <span>发布日期：2023-05-16 10:30</span>\n  <span>来源：南海区司法局</span>\n"
        "  <span>浏览次数：<em>1,286</em></span>\n</div>\n"
        f"<div class='content'>{paragraphs}</div></div></div></body></html>",
        encoding="utf-8",
    )
    text = read_source(page).text
    assert "发布日期：2023-05-16 10:30" in text.split("\n")[:3]


def test_a_news_page_keeps_its_headline_line_and_its_sites_name(tmp_path: Path) -> None:
    # The headline recurs inside the first sentence, which is no headline line; the place is named
    # only by the site.
    page = tmp_path / "meeting.html"
    page.write_text(
        "<html><head><title>我市召开法治政府建设推进会_工作动态_临海市人民政府门户网站</title></head><body>"
        "<div class='article'><h2>我市召开法治政府建设推进会</h2>"
        "<p>2月22日下午，我市召开法治政府建设推进会，总结2023年法治建设工作。</p>"
        "<p>全市收到行政复议申请289件，受理263件，一审行政诉讼案件186件，败诉率3.2%。</p></div></body></html>",
        encoding="utf-8",
    )
    lines = read_source(page).text.split("\n")
    assert lines[0] == "我市召开法治政府建设推进会"
    assert lines[-1] == "临海市人民政府门户网站"
