"""The panel: choice among reports, alternatives and conflicts, normalization, derived rates, exclusions."""

from __future__ import annotations

import re

import polars as pl
import pytest

from compare.codebook import cached_codebook
from compare.panel import VALUE_COLUMNS, build_panel, written_half_unit
from compare.pipeline import DOCUMENT_SCHEMA, FACT_SCHEMA, extract_reports
from repo_paths import REPO

UNITS = {i.id: i.unit for i in cached_codebook().indicators.values()}
PLACES = {
    "320581": ("常熟市", "county", "江苏省", "苏州市"),
    "320582": ("张家港市", "county", "江苏省", "苏州市"),
    "530623": ("盐津县", "county", "云南省", "昭通市"),
}


def document(doc_id: str, adcode: str | None, doc_type: str, period: tuple[int, int] | None,
             published: str | None, jurisdiction: str | None = None) -> dict:
    place, level, province, prefecture = PLACES.get(adcode or "", (None, None, None, None))
    return {
        "doc_id": doc_id, "path": f"data/reports/{doc_id}.txt", "format": "txt", "encoding": "utf-8",
        "sha256": "0" * 64, "size_bytes": 1000, "title": f"{jurisdiction or place}报告", "jurisdiction": jurisdiction or place,
        "adcode": adcode, "level": level, "province": province, "prefecture": prefecture,
        "jurisdiction_status": "resolved" if adcode else "unresolved", "jurisdiction_confidence": 1.0 if adcode else 0.0,
        "jurisdiction_evidence": "", "doc_type": doc_type,
        "period_start": period[0] if period else None, "period_end": period[1] if period else None,
        "published": published, "facts_stated": 0, "facts_derived": 0,
    }


def fact(doc_id: str, indicator_id: str, value: float, evidence: str, as_written: str, *,
         period: tuple[int, int] | None = (2021, 2021), kind: str = "actual", qualifier: str = "eq",
         source: str = "stated", derivation: str = "", check: str = "", period_note: str = "") -> dict:
    start = 100 + evidence.find(as_written) if as_written else 100
    return {
        "doc_id": doc_id, "indicator_id": indicator_id, "value": float(value), "kind": kind, "qualifier": qualifier,
        "period_start": period[0] if period else None, "period_end": period[1] if period else None,
        "source": source, "evidence": evidence, "start": start, "end": start + len(as_written),
        "unit": UNITS[indicator_id], "as_written": as_written if source == "stated" else "", "check": check,
        "derivation": derivation, "period_note": period_note,
    }


def panel(facts: list[dict], documents: list[dict], population: pl.DataFrame | None = None):
    return build_panel(pl.DataFrame(facts, schema=FACT_SCHEMA), pl.DataFrame(documents, schema=DOCUMENT_SCHEMA),
                       population=population)


def only(frame: pl.DataFrame, indicator_id: str, **where: object) -> dict:
    rows = frame.filter(pl.col("indicator_id") == indicator_id, *(pl.col(k) == v for k, v in where.items()))
    assert rows.height == 1, rows
    return rows.row(0, named=True)


CS_ANNUAL = document("cs_2021_annual", "320581", "annual_report", (2021, 2021), "2022-03-25")
CS_ANNUAL_2022 = document("cs_2022_annual", "320581", "annual_report", (2022, 2022), "2023-03-20")
CS_WHITE_PAPER = document("cs_2017_2021_white_paper", "320581", "white_paper", (2017, 2021), "2022-01-10")
CS_NEWS = document("cs_2021_news", "320581", "news", (2021, 2021), "2022-01-05")
CS_REPLY = document("cs_2022_reply", "320581", "proposal_reply", (2022, 2022), "2022-06-30")
CS_PLAN = document("cs_2021_plan", "320581", "plan", (2021, 2025), "2021-09-01")
CS_OTHER = document("cs_2021_other", "320581", "other", (2021, 2021), "2021-12-31")
ZJG_NEWS_1 = document("zjg_news_0108", "320582", "news", (2021, 2021), "2022-01-08")
ZJG_NEWS_2 = document("zjg_news_0215", "320582", "news", (2021, 2021), "2022-02-15")
BY_TYPE = {d["doc_type"]: d for d in (CS_ANNUAL, CS_WHITE_PAPER, CS_NEWS, CS_REPLY, CS_PLAN, CS_OTHER)}


# --- choice among reports ------------------------------------------------------------------------

@pytest.mark.parametrize("winner, loser", [
    ("annual_report", "white_paper"), ("white_paper", "proposal_reply"), ("proposal_reply", "news"),
    ("plan", "news"), ("other", "news"),
])
def test_document_type_decides_first(winner, loser):
    # the loser is exact and published first, so only the document type can make the winner win
    winning, losing = BY_TYPE[winner], BY_TYPE[loser]
    facts = [
        fact(winning["doc_id"], "disputes.reconsideration_applications", 45, "2021年共收到行政复议申请约45件", "约45件",
             qualifier="approx"),
        fact(losing["doc_id"], "disputes.reconsideration_applications", 45, "2021年全市收到行政复议申请45件", "45件"),
    ]
    result = panel(facts, [winning, losing])
    chosen = only(result.values, "disputes.reconsideration_applications")
    assert (chosen["doc_id"], chosen["doc_type"], chosen["n_alternatives"]) == (winning["doc_id"], winner, 1)
    alternative = only(result.alternatives, "disputes.reconsideration_applications")
    assert (alternative["doc_id"], alternative["chosen_doc_id"], alternative["conflict"]) == (
        losing["doc_id"], winning["doc_id"], False)


def test_the_report_for_the_year_beats_a_later_retrospective():
    # the 2021 report's date is unknown (it would sort last) and its figure approximate: only its period decides
    own_year = {**CS_ANNUAL, "published": None}
    facts = [
        fact(own_year["doc_id"], "disputes.litigation_cases", 130, "全年新收行政诉讼一审案件130件左右", "130件左右",
             qualifier="approx"),
        fact(CS_ANNUAL_2022["doc_id"], "disputes.litigation_cases", 129, "2021年行政诉讼一审案件129件，2022年下降至97件",
             "129件"),
    ]
    chosen = only(panel(facts, [own_year, CS_ANNUAL_2022]).values, "disputes.litigation_cases")
    assert (chosen["doc_id"], chosen["value"], chosen["qualifier"]) == ("cs_2021_annual", 130.0, "approx")
    assert "approximate (approx)" in chosen["flags"]


def test_stated_beats_derived_within_a_report():
    facts = [
        fact("cs_2021_annual", "disputes.litigation_lost", 58, "败诉58件", "58件"),
        fact("cs_2021_annual", "disputes.litigation_concluded", 119, "审结119件", "119件"),
        fact("cs_2021_annual", "disputes.litigation_loss_rate", 48.74, "败诉58件 / 审结119件", "", source="derived",
             derivation="disputes.litigation_lost / disputes.litigation_concluded = 58 / 119"),
        fact("cs_2021_annual", "disputes.litigation_loss_rate", 48.7, "败诉率约为48.7%", "约为48.7%", qualifier="approx"),
    ]
    result = panel(facts, [CS_ANNUAL])
    chosen = only(result.values, "disputes.litigation_loss_rate")
    assert (chosen["source"], chosen["value"], chosen["derivation"]) == ("stated", 48.7, "")
    alternative = only(result.alternatives, "disputes.litigation_loss_rate")
    assert (alternative["source"], alternative["value"], alternative["conflict"]) == ("derived", 48.74, False)


def test_exact_beats_approximate_and_the_two_agree_within_rounding():
    facts = [
        fact("zjg_news_0108", "oversight.hotline_cases", 52000, "12345热线受理群众诉求约5.2万件", "约5.2万件", qualifier="approx"),
        fact("zjg_news_0215", "oversight.hotline_cases", 52013, "12345政务服务热线全年共受理52,013件", "52,013件"),
    ]
    result = panel(facts, [ZJG_NEWS_1, ZJG_NEWS_2])
    chosen = only(result.values, "oversight.hotline_cases")
    assert (chosen["doc_id"], chosen["value"], chosen["conflict"], chosen["flags"]) == ("zjg_news_0215", 52013.0, False, "")
    assert only(result.alternatives, "oversight.hotline_cases")["conflict"] is False


def test_earliest_published_then_document_id():
    evidence = "全县法律援助机构共办理法律援助案件1234件"
    facts = [fact(d["doc_id"], "disputes.legal_aid_cases", 1234, evidence, "1234件") for d in (ZJG_NEWS_2, ZJG_NEWS_1)]
    assert only(panel(facts, [ZJG_NEWS_1, ZJG_NEWS_2]).values, "disputes.legal_aid_cases")["doc_id"] == "zjg_news_0108"
    same_day = {**ZJG_NEWS_2, "published": ZJG_NEWS_1["published"]}
    chosen = only(panel(facts, [ZJG_NEWS_1, same_day]).values, "disputes.legal_aid_cases")
    assert chosen["doc_id"] == "zjg_news_0108"  # lower doc_id on the same date
    assert chosen["published"] == "2022-01-08"


def test_a_year_alone_beats_a_multi_year_figure_ending_in_it():
    white_paper = document("cs_2016_2020_white_paper", "320581", "white_paper", (2016, 2020), "2020-12-04")
    facts = [
        fact(white_paper["doc_id"], "disputes.mediation_cases", 73293, "五年来化解各类矛盾纠纷73293起", "73293起",
             period=(2016, 2020)),
        fact(white_paper["doc_id"], "disputes.mediation_cases", 16012, "2020年全市调解各类矛盾纠纷16012件", "16012件",
             period=(2020, 2020)),
    ]
    result = panel(facts, [white_paper])
    chosen = only(result.values, "disputes.mediation_cases")
    assert (chosen["value"], chosen["period_start"], chosen["normalization"]) == (16012.0, 2020, "")
    alternative = only(result.alternatives, "disputes.mediation_cases")
    assert alternative["value"] == pytest.approx(73293 / 5)
    assert alternative["conflict"] is False  # other periods are not compared


def test_a_target_is_never_mixed_with_an_actual():
    facts = [
        fact("cs_2021_plan", "disputes.head_appearance_rate", 90, "2021年行政机关负责人出庭应诉率达到90%以上", "90%以上",
             kind="target", qualifier="ge"),
        fact("cs_2021_plan", "disputes.head_appearance_rate", 100, "到2025年，行政机关负责人出庭应诉率达到100%", "100%",
             kind="target", period=None),
        fact("cs_2021_annual", "disputes.head_appearance_rate", 84.26, "行政机关负责人出庭应诉率84.26%", "84.26%"),
    ]
    result = panel(facts, [CS_ANNUAL, CS_PLAN])
    rows = result.values.filter(pl.col("indicator_id") == "disputes.head_appearance_rate").sort("kind", "year", nulls_last=True)
    assert rows.select("kind", "year", "value", "n_alternatives").rows() == [
        ("actual", 2021, 84.26, 0), ("target", 2021, 90.0, 0), ("target", None, 100.0, 0)]
    assert result.alternatives.is_empty()
    assert only(result.values, "disputes.head_appearance_rate", value=100.0)["flags"] == "no period"


# --- conflicts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("indicator_id, chosen_written, chosen_value, qualifier, other_written, other_value, conflict", [
    ("disputes.litigation_loss_rate", "48.74%", 48.74, "eq", "48.7%", 48.7, False),
    ("disputes.litigation_loss_rate", "48.74%", 48.74, "eq", "48.6%", 48.6, True),
    ("oversight.hotline_cases", "5.2万件", 52000, "eq", "52,013件", 52013, False),
    ("oversight.hotline_cases", "5.2万件", 52000, "eq", "53000件", 53000, True),
    ("enforcement.officers", "2300余人", 2300, "ge", "2356人", 2356, False),
    ("enforcement.officers", "2300余人", 2300, "ge", "2100人", 2100, True),
])
def test_conflict_means_disagreement_beyond_rounding(indicator_id, chosen_written, chosen_value, qualifier,
                                                     other_written, other_value, conflict):
    facts = [
        fact("cs_2021_annual", indicator_id, chosen_value, f"全市共计{chosen_written}", chosen_written, qualifier=qualifier),
        fact("cs_2021_news", indicator_id, other_value, f"据统计，全市共计{other_written}", other_written),
    ]
    result = panel(facts, [CS_ANNUAL, CS_NEWS])
    chosen, alternative = only(result.values, indicator_id), only(result.alternatives, indicator_id)
    assert chosen["doc_id"] == "cs_2021_annual" and alternative["chosen_doc_id"] == "cs_2021_annual"
    assert (chosen["conflict"], alternative["conflict"]) == (conflict, conflict)
    assert ("an alternative disagrees" in chosen["flags"]) is conflict
    assert ("disagrees with the chosen value" in alternative["flags"]) is conflict


@pytest.mark.parametrize("written, half_unit", [
    ("5.2万件", 500.0), ("52,013件", 0.5), ("521.19万件", 50.0), ("2300余人", 0.5), ("27.27%", 0.005),
    ("一千二百人", 50.0), ("十二点五", 0.05), ("三万", 5000.0), ("１２３件", 0.5), ("", 0.0),
])
def test_rounding_of_a_written_figure(written, half_unit):
    assert written_half_unit(written) == pytest.approx(half_unit)


# --- normalization -------------------------------------------------------------------------------

WHITE_PAPER_2020 = document("cs_2016_2020_white_paper", "320581", "white_paper", (2016, 2020), "2020-12-04")


def test_multi_year_totals_are_divided_only_for_flows():
    five_years = (2016, 2020)
    facts = [
        fact(WHITE_PAPER_2020["doc_id"], "enforcement.criminal_referrals", 454, "五年来通过“两法衔接”机制移送案件共计454件",
             "454件", period=five_years),
        fact(WHITE_PAPER_2020["doc_id"], "disputes.mediation_organizations", 506, "五年来全市已建立调解组织506个", "506个",
             period=five_years),
        fact(WHITE_PAPER_2020["doc_id"], "disputes.mediation_success_rate", 99, "五年来调解成功率99%以上", "99%以上",
             period=five_years, qualifier="ge"),
        fact(WHITE_PAPER_2020["doc_id"], "leadership.officer_training_hours", 60, "执法人员年均参加法律知识培训60学时",
             "60学时", period=five_years),
    ]
    values = panel(facts, [WHITE_PAPER_2020]).values
    flow = only(values, "enforcement.criminal_referrals")
    assert (flow["value"], flow["value_as_stated"], flow["normalization"], flow["year"]) == (
        pytest.approx(90.8), 454.0, "per year: 2016–2020 total ÷ 5", 2020)
    assert flow["flags"] == "multi-year period 2016–2020"
    for indicator_id, stated in [("disputes.mediation_organizations", 506.0), ("disputes.mediation_success_rate", 99.0),
                                 ("leadership.officer_training_hours", 60.0)]:
        row = only(values, indicator_id)
        assert (row["value"], row["value_as_stated"], row["normalization"]) == (stated, stated, ""), indicator_id
        assert row["flags"].startswith("multi-year period 2016–2020"), indicator_id


def test_values_per_10k_residents_for_flows_and_stocks_only():
    population = pl.DataFrame(
        {"adcode": ["320581"], "year": [2020], "population_persons": [1_677_050.0],
         "source": ["常熟市第七次全国人口普查公报"]},
        schema={"adcode": pl.String, "year": pl.Int32, "population_persons": pl.Float64, "source": pl.String},
    )
    facts = [
        fact("cs_2021_annual", "disputes.reconsideration_applications", 45, "全年共收到行政复议申请45件", "45件"),
        fact("cs_2021_annual", "enforcement.officers", 2300, "全市共有行政执法人员2300余人", "2300余人", qualifier="ge"),
        fact("cs_2021_annual", "disputes.litigation_loss_rate", 11.76, "行政诉讼败诉率11.76%", "11.76%"),
        fact("cs_2021_annual", "leadership.officer_training_hours", 60, "执法人员人均参加法律知识培训60学时", "60学时"),
        fact(WHITE_PAPER_2020["doc_id"], "disputes.legal_aid_cases", 5874, "为困难群众办理法律援助案件5874件", "5874件",
             period=(2016, 2020)),
        fact("ys_2021_annual", "disputes.reconsideration_applications", 15, "全年共收到行政复议申请15件", "15件"),
    ]
    documents = [CS_ANNUAL, WHITE_PAPER_2020, document("ys_2021_annual", "530623", "annual_report", (2021, 2021), "2022-03-28")]
    values = panel(facts, documents, population).values
    flow = only(values, "disputes.reconsideration_applications", adcode="320581")
    assert flow["value_per_10k_residents"] == pytest.approx(45 / 1_677_050 * 10_000)
    assert (flow["population_persons"], flow["population_year"], flow["population_source"]) == (
        1_677_050.0, 2020, "常熟市第七次全国人口普查公报")
    assert only(values, "enforcement.officers")["value_per_10k_residents"] == pytest.approx(2300 / 1_677_050 * 10_000)
    divided = only(values, "disputes.legal_aid_cases")  # the yearly mean, per 10,000
    assert divided["value_per_10k_residents"] == pytest.approx(5874 / 5 / 1_677_050 * 10_000)
    for rate in ("disputes.litigation_loss_rate", "leadership.officer_training_hours"):
        row = only(values, rate)
        assert row["value_per_10k_residents"] is None and row["population_persons"] is None, rate
    assert only(values, "disputes.reconsideration_applications", adcode="530623")["value_per_10k_residents"] is None

    without = panel(facts, documents).values
    assert without["value_per_10k_residents"].null_count() == without.height


# --- derived rates -------------------------------------------------------------------------------

PARTS = {  # indicator: (evidence, as written, value)
    "disputes.litigation_lost": ("行政诉讼败诉案件14件", "14件", 14),
    "disputes.litigation_concluded": ("全年审结行政诉讼案件119件", "119件", 119),
    "enforcement.exam_passed": ("行政执法资格考试合格354人", "354人", 354),
    "enforcement.exam_takers": ("组织行政执法资格考试参考532人次", "532人次", 532),
    "disputes.admin_mediation_success": ("行政调解成功526件", "526件", 526),
    "disputes.admin_mediation_cases": ("受理行政调解案件656件", "656件", 656),
    "disputes.head_appearances": ("行政机关负责人出庭应诉91件", "91件", 91),
    "disputes.litigation_hearings": ("行政诉讼案件开庭审理108件", "108件", 108),
    "rules.normative_docs_filed": ("规范性文件报送备案11件", "11件", 11),
    "rules.normative_docs_issued": ("制定行政规范性文件11件", "11件", 11),
    "disputes.reconsideration_revoked": ("行政复议撤销22件", "22件", 22),
    "disputes.reconsideration_confirmed_illegal": ("确认违法9件", "9件", 9),
    "disputes.reconsideration_ordered": ("责令履行6件", "6件", 6),
    "disputes.reconsideration_concluded": ("全年审结行政复议案件261件", "261件", 261),
}
EXPECTED_RATES = {
    "disputes.litigation_loss_rate": 11.76, "enforcement.exam_pass_rate": 66.54,
    "disputes.mediation_success_rate": 80.18, "disputes.head_appearance_rate": 84.26,
    "rules.normative_docs_filing_rate": 100.0, "disputes.reconsideration_correction_rate": 14.18,
}


def part_facts(doc_id: str, parts: tuple[str, ...], **overrides: object) -> list[dict]:
    return [fact(doc_id, part, PARTS[part][2], PARTS[part][0], PARTS[part][1], **overrides) for part in parts]


def test_every_derivable_rate_is_covered_here():
    derivable = {i.id for i in cached_codebook().indicators.values() if i.derive}
    assert derivable == set(EXPECTED_RATES)


@pytest.mark.parametrize("rate_id", sorted(EXPECTED_RATES))
def test_rates_are_derived_from_the_chosen_counts_with_their_provenance(rate_id):
    ratio = cached_codebook().indicators[rate_id].derive
    # numerators from the annual report, the denominator from a news item of the same year
    facts = part_facts("cs_2021_annual", ratio.numerators) + part_facts("cs_2021_news", (ratio.denominator,))
    result = panel(facts, [CS_ANNUAL, CS_NEWS])
    row = only(result.values, rate_id)
    assert (row["value"], row["source"], row["kind"], row["unit"], row["qualifier"]) == (
        EXPECTED_RATES[rate_id], "derived", "actual", "percent", "eq")
    assert (row["doc_id"], row["year"], row["normalization"], row["n_alternatives"]) == ("cs_2021_annual", 2021, "", 0)
    assert "derived from the panel's counts" in row["flags"]
    for part in ratio.numerators:
        assert f"{part} {PARTS[part][2]} [cs_2021_annual]" in row["derivation"]
        assert PARTS[part][0] in row["evidence"]
    assert f"/ {ratio.denominator} {PARTS[ratio.denominator][2]} [cs_2021_news] × 100" in row["derivation"]
    assert row["evidence"].endswith(" / " + PARTS[ratio.denominator][0])
    first = PARTS[ratio.numerators[0]]
    assert row["start"] == 100 + first[0].find(first[1])


def test_a_rate_the_report_derived_from_the_same_counts_is_not_repeated():
    loss = ("disputes.litigation_lost", "disputes.litigation_concluded")
    facts = part_facts("cs_2021_annual", loss) + [
        fact("cs_2021_annual", "disputes.litigation_loss_rate", 11.76, "行政诉讼败诉案件14件 / 全年审结行政诉讼案件119件", "",
             source="derived", derivation="disputes.litigation_lost / disputes.litigation_concluded = 14 / 119"),
        # a news item's counts give another rate: an alternative, in conflict
        fact("cs_2021_news", "disputes.litigation_lost", 20, "行政诉讼败诉20件", "20件"),
        fact("cs_2021_news", "disputes.litigation_concluded", 119, "审结行政诉讼案件119件", "119件"),
        fact("cs_2021_news", "disputes.litigation_loss_rate", 16.81, "败诉20件 / 审结119件", "", source="derived",
             derivation="disputes.litigation_lost / disputes.litigation_concluded = 20 / 119"),
    ]
    result = panel(facts, [CS_ANNUAL, CS_NEWS])
    chosen = only(result.values, "disputes.litigation_loss_rate")
    assert (chosen["value"], chosen["derivation"].startswith("disputes.litigation_lost 14 [cs_2021_annual]")) == (11.76, True)
    alternative = only(result.alternatives, "disputes.litigation_loss_rate")
    assert (alternative["doc_id"], alternative["value"], alternative["conflict"]) == ("cs_2021_news", 16.81, True)
    assert (chosen["n_alternatives"], chosen["conflict"]) == (1, True)


def test_a_stated_rate_that_its_own_counts_contradict_is_flagged():
    facts = part_facts("cs_2021_annual", ("disputes.litigation_lost", "disputes.litigation_concluded")) + [
        fact("cs_2021_annual", "disputes.litigation_loss_rate", 9.5, "行政诉讼败诉率9.5%", "9.5%",
             check="disagrees with derived 11.76"),
        fact("cs_2021_annual", "disputes.litigation_loss_rate", 11.76, "行政诉讼败诉案件14件 / 全年审结行政诉讼案件119件", "",
             source="derived", derivation="disputes.litigation_lost / disputes.litigation_concluded = 14 / 119",
             check="stated rate present"),
    ]
    result = panel(facts, [CS_ANNUAL])
    chosen = only(result.values, "disputes.litigation_loss_rate")
    assert (chosen["source"], chosen["value"]) == ("stated", 9.5)
    assert chosen["flags"] == "an alternative disagrees; stated rate disagrees with derived 11.76 from the report's counts"
    assert only(result.alternatives, "disputes.litigation_loss_rate")["flags"] == (
        "derived within the report; disagrees with the chosen value")


def test_parts_from_approximate_figures_give_an_approximate_rate():
    facts = part_facts("cs_2021_annual", ("disputes.head_appearances",)) + [
        fact("cs_2021_annual", "disputes.litigation_hearings", 110, "开庭审理110余件", "110余件", qualifier="ge")]
    row = only(panel(facts, [CS_ANNUAL]).values, "disputes.head_appearance_rate")
    assert (row["value"], row["qualifier"]) == (82.73, "approx")


@pytest.mark.parametrize("case", ["denominator is 0", "different periods", "a part missing", "a part is a target",
                                  "rate stated", "numerator above denominator"])
def test_no_rate_is_derived_unless_all_parts_fit(case):
    correction = cached_codebook().indicators["disputes.reconsideration_correction_rate"].derive
    facts = part_facts("cs_2021_annual", correction.parts)
    by_id = {f["indicator_id"]: f for f in facts}
    concluded = by_id["disputes.reconsideration_concluded"]
    if case == "denominator is 0":  # no case concluded, none corrected
        facts = [{**f, "value": 0.0} for f in facts]
    elif case == "different periods":
        facts = [f for f in facts if f is not concluded] + [{**concluded, "period_start": 2017}]
    elif case == "a part missing":
        facts = [f for f in facts if f["indicator_id"] != "disputes.reconsideration_ordered"]
    elif case == "a part is a target":
        facts = [f for f in facts if f is not concluded] + [{**concluded, "kind": "target"}]
    elif case == "rate stated":
        facts.append(fact("cs_2021_annual", "disputes.reconsideration_correction_rate", 15.0, "综合纠错率15%", "15%"))
    elif case == "numerator above denominator":
        facts = [f for f in facts if f is not concluded] + [{**concluded, "value": 30.0}]
    rates = panel(facts, [CS_ANNUAL]).values.filter(pl.col("indicator_id") == "disputes.reconsideration_correction_rate")
    expected = [("stated", 15.0)] if case == "rate stated" else []
    assert rates.select("source", "value").rows() == expected


# --- exclusions and input ------------------------------------------------------------------------

def test_facts_that_cannot_enter_are_excluded_with_a_reason():
    unplaced = document("unknown_place_2021", None, "news", (2021, 2021), "2022-01-01", jurisdiction="某县")
    facts = [
        fact("unknown_place_2021", "disputes.legal_aid_cases", 88, "全县办理法律援助案件88件", "88件"),
        fact("cs_2021_annual", "disputes.reconsideration_accepted", 30, "受理行政复议案件30件", "30件", period=None),
        fact("cs_2021_annual", "disputes.petitions", 1200, "上半年受理信访事项1200件", "1200件", period_note="上半年"),
        fact("missing_document", "disputes.petitions", 900, "受理信访事项900件", "900件"),
        fact("cs_2021_annual", "disputes.mediation_cases", 3050, "全年调解矛盾纠纷3050件", "3050件"),
    ]
    result = panel(facts, [CS_ANNUAL, unplaced])
    reasons = dict(result.excluded.select("doc_id", "reason").iter_rows())
    assert reasons == {
        "unknown_place_2021": "no place code: jurisdiction 某县 is unresolved",
        "cs_2021_annual": reasons["cs_2021_annual"], "missing_document": "document not in the documents table",
    }
    assert sorted(result.excluded.filter(pl.col("doc_id") == "cs_2021_annual")["reason"]) == [
        "actual value without a period", "covers only part of its year (上半年), not comparable with whole years"]
    assert result.excluded.filter(pl.col("doc_id") == "unknown_place_2021")["value"].to_list() == [88.0]
    assert result.values["indicator_id"].to_list() == ["disputes.mediation_cases"]


def test_panel_columns_and_types_are_the_agreed_ones():
    facts = [fact("cs_2021_annual", "disputes.mediation_cases", 3050, "全年调解矛盾纠纷3050件", "3050件")]
    result = panel(facts, [CS_ANNUAL])
    assert tuple(result.values.columns) == VALUE_COLUMNS
    assert tuple(result.alternatives.columns) == (*VALUE_COLUMNS, "chosen_doc_id")
    schema = result.values.schema
    assert (schema["year"], schema["value"], schema["n_alternatives"], schema["conflict"]) == (
        pl.Int32, pl.Float64, pl.UInt32, pl.Boolean)
    row = result.values.row(0, named=True)
    assert (row["place"], row["level"], row["province"], row["prefecture"], row["dimension"], row["direction"]) == (
        "常熟市", "county", "江苏省", "苏州市", "disputes", "neutral")
    empty = panel([], [CS_ANNUAL])
    assert empty.values.is_empty() and tuple(empty.values.columns) == VALUE_COLUMNS


def test_inconsistent_inputs_are_named():
    with pytest.raises(ValueError, match="doc_id cs_2021_annual appears more than once"):
        panel([], [CS_ANNUAL, CS_ANNUAL])
    with pytest.raises(ValueError, match="facts: missing column.*as_written"):
        build_panel(pl.DataFrame([], schema=FACT_SCHEMA).drop("as_written"), pl.DataFrame([CS_ANNUAL], schema=DOCUMENT_SCHEMA))


# --- the bundled reports -------------------------------------------------------------------------

_PART = re.compile(r"([a-z_]+\.[a-z_0-9]+) ([0-9.e+]+) \[([^\]]+)\]")


def test_every_value_of_the_bundled_reports_traces_back_to_its_fact():
    extraction = extract_reports([REPO / "data" / "reports"])
    result = build_panel(extraction.facts, extraction.documents)
    facts = {(f["doc_id"], f["indicator_id"], f["start"], f["end"], f["source"]): f
             for f in extraction.facts.iter_rows(named=True)}
    rows = pl.concat([result.values, result.alternatives.drop("chosen_doc_id")])
    assert result.values.height > 40 and result.excluded.is_empty()
    assert set(result.values["adcode"]) == {"320581", "320500", "420802", "530623"}
    sources = set()
    for row in rows.iter_rows(named=True):
        if "derived from the panel's counts" in row["flags"]:
            sources.add("panel")
            parts = _PART.findall(row["derivation"])
            assert parts, row["derivation"]
            for indicator_id, value, doc_id in parts:
                matches = [f for f in extraction.facts.iter_rows(named=True)
                           if (f["doc_id"], f["indicator_id"], f["source"]) == (doc_id, indicator_id, "stated")
                           and f["value"] == float(value)]
                assert matches and all(m["as_written"] in m["evidence"] for m in matches), (indicator_id, value)
            continue
        source = facts[(row["doc_id"], row["indicator_id"], row["start"], row["end"], row["source"])]
        assert (source["value"], source["evidence"], source["derivation"]) == (
            row["value_as_stated"], row["evidence"], row["derivation"])
        if row["source"] == "stated":
            sources.add("stated")
            assert source["as_written"] and source["as_written"] in row["evidence"], row
        else:
            sources.add("report")
            for number in re.findall(r"\d+(?:\.\d+)?", row["derivation"].split(":")[-1].split("=")[-1]):
                assert number in row["evidence"], (number, row["evidence"])
    assert sources == {"stated", "panel", "report"}
    mediation = only(result.values, "disputes.mediation_success_rate", adcode="530623")
    assert (mediation["value"], mediation["source"]) == (80.18, "derived")
    hotline = only(result.values, "oversight.hotline_cases", adcode="320581")
    assert (hotline["value"], hotline["value_as_stated"], hotline["normalization"]) == (
        1_042_380.0, 5_211_900.0, "per year: 2015–2019 total ÷ 5")
