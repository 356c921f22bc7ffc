"""Required contents of annual reports (2019 rules, art. 25) and their publication by 1 April."""

from __future__ import annotations

import csv
import hashlib
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

from compare.codebook import CodebookError
from compare.pipeline import DOCUMENT_SCHEMA, extract_reports
from compare.report_quality import (
    assess_reports,
    deadline_for,
    default_contents_path,
    find_contents,
    load_required_contents,
    read_texts,
)

from repo_paths import REPO

CONTENT_IDS = ("measures_results", "shortcomings", "leaders_duties", "next_year_plan")
SAMPLE = REPO / "data" / "reports" / "002_cde15d0c3457cf5e.txt"
HELDOUT = REPO / "tests" / "fixtures" / "heldout"

STANDARD = """某某县人民政府关于2022年法治政府建设情况的报告

2022年，县政府坚持以习近平法治思想为指导，全面推进法治政府建设。现将有关情况报告如下：

一、2022年法治政府建设主要举措和成效
（一）依法全面履行政府职能。全年取消调整行政权力事项12项。
（二）严格规范公正文明执法。全县开展行政执法案卷评查，评查案卷146件。

二、存在的不足和原因
一是个别部门依法行政意识不强。二是基层执法力量薄弱。原因主要是法治队伍建设滞后。

三、党政主要负责人履行推进法治建设第一责任人职责情况
县长认真履行推进法治建设第一责任人职责，带头学法、带头述法。

四、2023年法治政府建设工作计划
（一）提升依法决策水平。（二）规范行政执法行为。

某某县人民政府
2023年3月20日
"""

# Full-width numbering, an indented heading with trailing spaces, 问题与不足, 下一步工作打算, and the
# leaders' duties as a run-in subheading.
VARIANTS = """某某市2021年法治政府建设年度报告

一．主要工作及成效
（一）加强组织领导。市政府常务会议专题研究法治政府建设4次。
（二）党政主要负责人履职情况。市长亲自部署重要工作，亲自协调重点环节。
２．深化行政复议体制改革。

\u3000\u3000二．问题与不足\u3000\x20
部分执法人员素质有待提高。

三．下一步工作打算
１．持续深化“放管服”改革。
"""

# No heading for the leaders' duties: the account stands in the running text of the measures section.
LEADERS_IN_TEXT = """一、主要举措和成效
2022年，区政府主要负责人认真履行推进法治建设第一责任人职责，重要工作亲自部署、重大问题亲自过问。
二、存在的问题和不足
执法队伍专业化水平不高。
三、下一步工作打算
继续加强行政执法规范化建设。
"""

# Two parts missing. The measures section analyses problems and the plan promises, in a subheading
# and in a sentence, to hold leaders to their duties: neither is an account of shortcomings or of
# how the leaders performed.
MISSING_TWO = """一、2022年主要工作和成效
全县认真分析研判法治政府建设中存在的问题和短板，研究部署整改措施。全年办理行政复议案件15件。
二、2023年工作安排
（一）压实党政主要负责人履行推进法治建设第一责任人职责。
（二）加强执法监督。督促各级党政主要负责人切实履行推进法治建设第一责任人职责。
"""

# A short report without headings: every content is stated in running text.
UNSTRUCTURED = """2022年，我县法治政府建设各项工作扎实推进，取得了明显成效。县委书记、县长切实履行推进法治建设第一责任人职责，带头开展述法。
虽然工作取得了一定成效，但仍存在一些问题和不足，主要是基层法治力量薄弱。
下一步，我县将继续深化行政执法体制改革，全面提升依法行政水平。
"""

NEWS = """本报讯（记者 王某）近日，某某县召开法治政府建设工作推进会。会议总结了主要举措和成效，分析了存在的不足和原因。
下一步，该县将持续深化法治政府建设。
"""


@pytest.fixture(scope="module")
def contents():
    return load_required_contents()


def documents(*rows: dict) -> pl.DataFrame:
    """A documents table as extract_reports makes it, with the columns these tests set."""
    base = {name: None for name in DOCUMENT_SCHEMA}
    return pl.DataFrame([base | row for row in rows], schema=DOCUMENT_SCHEMA)


def annual(doc_id: str, year: int | None = 2022, published: str | None = "2023-03-20", **extra) -> dict:
    return {"doc_id": doc_id, "doc_type": "annual_report", "adcode": "530623", "jurisdiction": "盐津县",
            "period_start": year, "period_end": year, "published": published, **extra}


def assert_points_into(text: str, row: dict, content_id: str) -> None:
    evidence = row[f"{content_id}_evidence"]
    assert text[row[f"{content_id}_start"] : row[f"{content_id}_end"]] == evidence


def test_the_contents_file_holds_the_four_required_contents(contents):
    assert [c.id for c in contents] == list(CONTENT_IDS)
    assert contents[2].zh_name == "党政主要负责人履行推进法治建设第一责任人职责情况"
    assert default_contents_path() == REPO / "data" / "codebook" / "report_quality.yaml"


def test_a_standard_report_has_all_four_contents_under_their_headings(contents):
    found = find_contents(STANDARD, contents)
    assert {cid: (e.found_in, e.text) for cid, e in found.items()} == {
        "measures_results": ("heading", "一、2022年法治政府建设主要举措和成效"),
        "shortcomings": ("heading", "二、存在的不足和原因"),
        "leaders_duties": ("heading", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
        "next_year_plan": ("heading", "四、2023年法治政府建设工作计划"),
    }
    for evidence in found.values():
        assert STANDARD[evidence.start : evidence.end] == evidence.text


def test_the_report_title_is_not_a_heading(contents):
    title = "某某县关于2022年法治政府建设情况和2023年工作计划的报告\n\n全年办理行政复议案件15件。\n"
    assert find_contents(title, contents)["next_year_plan"] is None


def test_full_width_numbering_and_other_wordings(contents):
    found = find_contents(VARIANTS, contents)
    assert found["measures_results"].text == "一．主要工作及成效"
    assert found["shortcomings"].text == "二．问题与不足"
    assert VARIANTS[found["shortcomings"].start : found["shortcomings"].end] == "二．问题与不足"
    assert found["next_year_plan"].text == "三．下一步工作打算"
    leaders = found["leaders_duties"]
    assert (leaders.found_in, leaders.text) == ("heading", "（二）党政主要负责人履职情况")
    assert VARIANTS[leaders.start : leaders.end] == leaders.text


def test_letter_spaced_headings_are_read_and_quoted_as_written(contents):
    text = "一、主要举措和成效\n全年办结案件20件。\n二、存 在 的 不 足 和 原 因\n执法力量薄弱。\n"
    shortcomings = find_contents(text, contents)["shortcomings"]
    assert shortcomings.text == "二、存 在 的 不 足 和 原 因"
    assert text[shortcomings.start : shortcomings.end] == shortcomings.text


def test_leaders_duties_stated_in_running_text(contents):
    found = find_contents(LEADERS_IN_TEXT, contents)
    leaders = found["leaders_duties"]
    assert leaders.found_in == "clause"
    assert leaders.text == "2022年，区政府主要负责人认真履行推进法治建设第一责任人职责，重要工作亲自部署、重大问题亲自过问。"
    assert LEADERS_IN_TEXT[leaders.start : leaders.end] == leaders.text
    assert found["shortcomings"].text == "二、存在的问题和不足"


def test_a_report_missing_two_parts(contents):
    found = find_contents(MISSING_TWO, contents)
    assert found["measures_results"].text == "一、2022年主要工作和成效"
    assert found["next_year_plan"].text == "二、2023年工作安排"
    assert found["shortcomings"] is None  # 存在的问题和短板 there is the year's work, not its shortcomings
    assert found["leaders_duties"] is None  # the plan's promise is not an account of the year


def test_a_report_without_headings_is_read_from_its_sentences(contents):
    found = find_contents(UNSTRUCTURED, contents)
    assert {cid: e.found_in for cid, e in found.items()} == dict.fromkeys(CONTENT_IDS, "clause")
    assert found["measures_results"].text.startswith("2022年，我县法治政府建设各项工作扎实推进")
    assert found["leaders_duties"].text == "县委书记、县长切实履行推进法治建设第一责任人职责，带头开展述法。"
    assert found["shortcomings"].text.startswith("虽然工作取得了一定成效，但仍存在一些问题和不足")
    assert found["next_year_plan"].text.startswith("下一步，我县将继续深化")


def test_a_sentence_about_the_plan_or_shortcomings_is_not_the_years_results(contents):
    text = "虽然工作取得了一定成效，但仍存在一些不足。\n下一步，我县将推动法治政府建设不断取得新成效。\n"
    found = find_contents(text, contents)
    assert found["measures_results"] is None
    assert found["shortcomings"].found_in == "clause"
    assert found["next_year_plan"].found_in == "clause"


def test_assess_reports_scores_annual_reports_only(contents):
    docs = documents(
        annual("standard"), annual("missing_two"),
        {"doc_id": "news", "doc_type": "news", "jurisdiction": "某某县", "period_end": 2023, "published": "2023-03-02"},
    )
    texts = {"standard": STANDARD, "missing_two": MISSING_TWO, "news": NEWS}
    table = assess_reports(docs, texts, contents)
    assert table["doc_id"].to_list() == ["standard", "missing_two"]
    assert table.columns[:4] == ["doc_id", "adcode", "place", "year"]
    assert table.columns[-6:] == ["contents_present", "contents_missing", "published", "deadline", "on_time", "days_late"]
    assert table.schema["year"] == pl.Int32 and table.schema["published"] == pl.Date
    standard, missing = table.to_dicts()
    assert [standard[f"has_{cid}"] for cid in CONTENT_IDS] == [True, True, True, True]
    assert standard["contents_present"] == 4 and standard["contents_missing"] == ""
    assert [missing[f"has_{cid}"] for cid in CONTENT_IDS] == [True, False, False, True]
    assert missing["contents_present"] == 2
    assert missing["contents_missing"] == "存在的不足和原因; 党政主要负责人履行推进法治建设第一责任人职责情况"
    assert missing["shortcomings_evidence"] is None and missing["shortcomings_start"] is None
    for cid in CONTENT_IDS:
        assert_points_into(STANDARD, standard, cid)
    assert (standard["place"], standard["adcode"], standard["year"]) == ("盐津县", "530623", 2022)


@pytest.mark.parametrize(
    ("year", "published", "on_time", "days_late", "deadline"),
    [
        (2022, "2023-03-20", True, 0, date(2023, 4, 1)),
        (2022, "2023-04-01", True, 0, date(2023, 4, 1)),  # the deadline day itself is in time
        (2022, "2023-05-15", False, 44, date(2023, 4, 1)),
        (2020, "2021-04-02", False, 1, date(2021, 4, 1)),
        (2022, None, None, None, date(2023, 4, 1)),  # publication date unknown
        (None, "2023-03-20", None, None, None),  # year reported on unknown
    ],
)
def test_timeliness(contents, year, published, on_time, days_late, deadline):
    row = assess_reports(documents(annual("r", year, published)), {"r": STANDARD}, contents).row(0, named=True)
    expected_published = date.fromisoformat(published) if published else None
    assert (row["published"], row["deadline"], row["on_time"], row["days_late"]) == (
        expected_published, deadline, on_time, days_late)


def test_deadline_is_first_of_april_of_the_next_year():
    assert deadline_for(2021) == date(2022, 4, 1)


def test_bad_inputs_are_named(contents):
    with pytest.raises(ValueError, match="document r: published '2023/03/20' is not an ISO date"):
        assess_reports(documents(annual("r", 2022, "2023/03/20")), {"r": STANDARD}, contents)
    with pytest.raises(ValueError, match="document gone: no text given"):
        assess_reports(documents(annual("gone")), {}, contents)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['published'\]"):
        assess_reports(documents(annual("r")).drop("published"), {"r": STANDARD}, contents)


def test_no_annual_reports_gives_an_empty_table_with_every_column(contents):
    table = assess_reports(documents({"doc_id": "n", "doc_type": "news"}), {"n": NEWS}, contents)
    assert table.height == 0
    assert "has_leaders_duties" in table.columns and "leaders_duties_evidence" in table.columns


def test_the_yunnan_yanjin_2021_report(tmp_path):
    """盐津县's report has measures, problems and plans, but no account of its leaders' duties."""
    extraction = extract_reports([SAMPLE])
    texts = read_texts(extraction.documents)
    assert texts == {"002_cde15d0c3457cf5e": SAMPLE.read_text(encoding="utf-8")}
    row = assess_reports(extraction.documents, texts).row(0, named=True)
    text = texts["002_cde15d0c3457cf5e"]
    assert (row["place"], row["adcode"], row["year"]) == ("盐津县", "530623", 2021)
    assert row["measures_results_evidence"] == "一、2021年主要工作和成效"
    assert row["shortcomings_evidence"] == "二、存在的主要问题"
    assert row["next_year_plan_evidence"] == "三、下步工作打算"
    for cid in ("measures_results", "shortcomings", "next_year_plan"):
        assert row[f"{cid}_found_in"] == "heading"
        assert_points_into(text, row, cid)
    # The only mention of the leaders is the plan's 强化党政主要负责人推进法治政府建设第一责任人的责任.
    assert "强化党政主要负责人推进法治政府建设第一责任人的责任" in text
    assert row["has_leaders_duties"] is False
    assert row["contents_present"] == 3
    assert (row["published"], row["deadline"], row["on_time"], row["days_late"]) == (
        date(2022, 3, 28), date(2022, 4, 1), True, 0)


def heldout_annual_reports() -> list[str]:
    with open(HELDOUT / "documents.csv", encoding="utf-8") as fh:
        return [row["doc_id"] for row in csv.DictReader(fh) if row["doc_type"] == "annual_report"]


@pytest.mark.parametrize("doc_id", heldout_annual_reports())
def test_heldout_annual_reports_have_all_four_headings(contents, doc_id):
    """Four full reports written to the 2019 rules (one in GB18030): each content under its own heading."""
    path = HELDOUT / "reports" / f"{doc_id}.txt"
    texts = read_texts(documents(annual(doc_id, path=str(path))))
    found = find_contents(texts[doc_id], contents)
    assert {cid: e.found_in for cid, e in found.items() if e} == dict.fromkeys(CONTENT_IDS, "heading")
    assert found["leaders_duties"].text.endswith("党政主要负责人履行推进法治建设第一责任人职责情况")
    assert found["shortcomings"].text.endswith("存在的不足和原因")


def test_read_texts_reads_annual_reports_and_refuses_a_changed_file(tmp_path):
    copy = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, copy)
    sha = hashlib.sha256(copy.read_bytes()).hexdigest()
    docs = documents(annual("report", path=str(copy), sha256=sha),
                     {"doc_id": "plan", "doc_type": "plan", "path": str(tmp_path / "absent.txt")})
    assert list(read_texts(docs)) == ["report"]  # the plan is neither read nor needed
    copy.write_text("改动后的文本", encoding="utf-8")
    with pytest.raises(ValueError, match="changed since it was read"):
        read_texts(docs)


@pytest.fixture
def contents_file(tmp_path: Path) -> Path:
    target = tmp_path / "report_quality.yaml"
    shutil.copy(REPO / "data" / "codebook" / "report_quality.yaml", target)
    return target


def edit_entry(path: Path, index: int, **changes) -> None:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries[index].update(changes)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"heading_patterns": ["存在(?:的"]}, r"entry 2 \(shortcomings\): heading_patterns: bad pattern"),
        ({"clause_patterns": ["问题[和"]}, r"entry 2 \(shortcomings\): clause_patterns: bad pattern"),
        ({"heading_pattern": ["不足"]}, r"entry 2 \(shortcomings\): unknown key\(s\) \['heading_pattern'\]"),
        ({"not_in_sections_of": ["plans"]}, r"entry 2 \(shortcomings\): not_in_sections_of names 'plans'"),
        ({"id": "measures_results"}, r"entry 2 \(measures_results\): duplicate id"),
        ({"id": "Shortcomings"}, r"entry 2 \(Shortcomings\): id must be a lower-case name"),
        ({"heading_patterns": []}, r"entry 2 \(shortcomings\): heading_patterns must not be empty"),
    ],
)
def test_a_bad_contents_file_names_the_file_and_entry(contents_file, changes, message):
    edit_entry(contents_file, 1, **changes)
    with pytest.raises(CodebookError, match=message) as error:
        load_required_contents(contents_file)
    assert str(contents_file) in str(error.value)


def test_a_missing_key_and_duplicate_yaml_keys_are_errors(contents_file, tmp_path):
    entries = yaml.safe_load(contents_file.read_text(encoding="utf-8"))
    del entries[0]["zh_name"]
    contents_file.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"entry 1 \(measures_results\): missing key\(s\) \['zh_name'\]"):
        load_required_contents(contents_file)
    doubled = tmp_path / "doubled.yaml"
    doubled.write_text("- id: a\n  id: b\n  zh_name: 甲\n  heading_patterns: [甲]\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="duplicate key 'id'"):
        load_required_contents(doubled)


def test_a_phrasing_added_to_the_file_is_recognised(contents_file):
    text = "一、主要举措和成效\n全年办结案件20件。\n二、短板弱项\n执法力量薄弱。\n"
    assert find_contents(text, load_required_contents(contents_file))["shortcomings"] is None
    entries = yaml.safe_load(contents_file.read_text(encoding="utf-8"))
    edit_entry(contents_file, 1, heading_patterns=[*entries[1]["heading_patterns"], "短板弱项"])
    assert find_contents(text, load_required_contents(contents_file))["shortcomings"].text == "二、短板弱项"
