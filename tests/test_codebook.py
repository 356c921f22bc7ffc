import csv
import shutil
from pathlib import Path

import pytest
import yaml

from compare.codebook import CodebookError, load_codebook
from compare.pipeline import extract_reports

from repo_paths import REPO, require_shared

CODEBOOK = REPO / "data" / "codebook"


def contract_indicators():
    with open(require_shared() / "spec" / "indicators.csv", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def test_codebook_covers_the_contract(codebook):
    contract = contract_indicators()
    assert set(contract) <= set(codebook.indicators)
    for iid, row in contract.items():
        indicator = codebook.indicators[iid]
        assert indicator.unit == row["unit"], iid
        assert indicator.dimension == row["dimension"], iid
        assert indicator.zh_name == row["zh_name"], iid
        assert indicator.direction in ("higher", "lower", "neutral")
        assert indicator.cues or indicator.cues_after


@pytest.fixture
def codebook_copy(tmp_path: Path) -> Path:
    target = tmp_path / "codebook"
    shutil.copytree(CODEBOOK, target)
    return target


def append_entry(codebook_dir: Path, file: str, entry: dict) -> Path:
    path = codebook_dir / "indicators" / file
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
    entries.append(entry)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


NEW_INDICATOR = {
    "id": "functions.licence_cases",
    "zh_name": "行政许可办件量",
    "unit": "case",
    "direction": "neutral",
    "definition": "Administrative licensing cases handled (行政许可办件).",
    "cues": ["行政许可(?:事项)?(?:办件|申请|案件)?"],
    "excludes": ["案卷"],
}


def test_a_new_indicator_needs_only_a_codebook_entry(codebook_copy, tmp_path):
    append_entry(codebook_copy, "functions.yaml", NEW_INDICATOR)
    codebook = load_codebook(codebook_copy)
    report = tmp_path / "reports" / "pingyang_2022.txt"
    report.parent.mkdir()
    report.write_text(
        "平阳县人民政府2022年法治政府建设工作情况报告\n"
        "2022年，全县共办理行政许可办件86432件，评查行政许可案卷120件，收到行政复议申请45件。\n",
        encoding="utf-8",
    )
    facts = extract_reports([report.parent], codebook).facts
    found = facts.filter(facts["indicator_id"] == "functions.licence_cases")
    assert found["value"].to_list() == [86432.0]
    assert found["period_start"].to_list() == [2022]
    # the indicators that were there before still read as they did
    assert "disputes.reconsideration_applications" in facts["indicator_id"].to_list()


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: append_entry(d, "rules.yaml", {**NEW_INDICATOR, "id": "rules.normative_docs_issued"}),
         "duplicate id 'rules.normative_docs_issued'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "colour": "red"}), "unknown key(s) ['colour']"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "cues": ["行政许可(办件"]}), "bad pattern"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "unit": "furlong"}), "unknown unit 'furlong'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "direction": "up"}), "direction must be one of"),
        (lambda d: append_entry(d, "functions.yaml", {k: v for k, v in NEW_INDICATOR.items() if k != "definition"}),
         "missing key(s) ['definition']"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "id": "Licence Cases"}), "id must look like"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "id": "culture.licences"}), "dimension 'culture'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "domain": "sports"}), "unknown domain 'sports'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "cues_after": ["行政许可"]}), "must start with '^'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "unit": "percent",
                                                      "derive": {"numerator": "x.y", "denominator": "rules.normative_docs_issued"}}),
         "derive refers to unknown indicator 'x.y'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "measure": "level"}),
         "entry 5 (functions.licence_cases): measure must be one of ('flow', 'stock', 'rate'), got 'level'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "unit": "percent", "measure": "stock"}),
         "a percent indicator is a rate, not a stock"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "unit": "percent", "derive": {
            "numerator": ["disputes.reconsideration_revoked", "x.y"], "denominator": "disputes.reconsideration_concluded"}}),
         "derive refers to unknown indicator 'x.y'"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "unit": "percent", "derive": {
            "numerator": [], "denominator": "disputes.reconsideration_concluded"}}),
         "derive numerator must be an indicator id or a list of ids"),
        (lambda d: append_entry(d, "functions.yaml", {**NEW_INDICATOR, "unit": "percent", "derive": {
            "numerator": "disputes.litigation_loss_rate", "denominator": "disputes.litigation_concluded"}}),
         "derive part 'disputes.litigation_loss_rate' is a percent, not a count"),
    ],
)
def test_bad_entries_are_named(codebook_copy, mutate, message):
    mutate(codebook_copy)
    with pytest.raises(CodebookError) as error:
        load_codebook(codebook_copy)
    text = str(error.value)
    assert message in text
    assert ".yaml" in text  # the file is named


def test_duplicate_yaml_key_is_an_error(codebook_copy):
    path = codebook_copy / "indicators" / "oversight.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: oversight.extra\n  id: oversight.extra2\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"oversight\.yaml.*duplicate key 'id'"):
        load_codebook(codebook_copy)


def test_missing_codebook_folder(tmp_path):
    with pytest.raises(CodebookError, match="codebook vocabulary file not found"):
        load_codebook(tmp_path)


def test_bad_unit_in_vocabulary(codebook_copy):
    path = codebook_copy / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("units:", "unitz:", 1), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"codebook\.yaml: unknown key\(s\) \['unitz'\]"):
        load_codebook(codebook_copy)


def test_measure_is_declared_for_stocks_and_defaults_by_unit(codebook):
    measures = {i.id: i.measure for i in codebook.indicators.values()}
    assert {iid for iid, m in measures.items() if m == "stock"} == {
        "enforcement.officers", "enforcement.certified_officers", "decisions.legal_advisers",
        "disputes.mediators", "disputes.mediation_organizations", "functions.commitment_items"}
    assert all(measures[i.id] == "rate" for i in codebook.indicators.values() if i.is_percent)
    assert measures["leadership.officer_training_hours"] == "rate"  # hours per officer per year
    assert measures["disputes.reconsideration_applications"] == "flow"


def test_a_numerator_list_is_summed_when_reading(codebook, tmp_path):
    correction = codebook.indicators["disputes.reconsideration_correction_rate"].derive
    assert correction.numerators == ("disputes.reconsideration_revoked", "disputes.reconsideration_confirmed_illegal",
                                     "disputes.reconsideration_ordered")
    assert correction.denominator == "disputes.reconsideration_concluded"
    report = tmp_path / "reports" / "baoji_2021.txt"
    report.parent.mkdir()
    report.write_text(
        "宝鸡市人民政府关于2021年法治政府建设工作情况的报告\n"
        "2021年，全市共收到行政复议申请286件，全年审结行政复议案件261件，其中维持185件、撤销22件、确认违法9件、"
        "责令履行6件，直接纠错率14.18%。\n",
        encoding="utf-8",
    )
    facts = extract_reports([report.parent], codebook).facts
    rates = facts.filter(facts["indicator_id"] == "disputes.reconsideration_correction_rate").sort("source")
    assert rates.select("source", "value", "check").rows() == [
        ("derived", 14.18, "stated rate present"), ("stated", 14.18, "agrees with derived")]
    assert rates["derivation"][0] == (
        "(disputes.reconsideration_revoked + disputes.reconsideration_confirmed_illegal + disputes.reconsideration_ordered)"
        " / disputes.reconsideration_concluded = (22 + 9 + 6) / 261")
    assert rates["evidence"][0] == "其中维持185件、撤销22件、确认违法9件、责令履行6件 / 全年审结行政复议案件261件"
