"""The mechanics of reading: provenance, rules of reading, periods, kinds and derived rates."""

import pytest

from compare.derive import derive_rates
from compare.docfacts import DocumentFacts
from compare.facts import Fact


def document(doc_type="annual_report", period=(2022, 2022), published="2023-03-20"):
    return DocumentFacts("doc", "标题", "某市", "prefecture", doc_type, period[0], period[1], published, 0, 2)


def read(reader, text, **kw) -> list[Fact]:
    return reader.read(text, document(**kw))


def values(facts, indicator=None):
    return {(f.indicator_id, f.value) for f in facts if indicator is None or f.indicator_id == indicator}


def test_offsets_and_evidence_point_into_the_text_as_read(reader):
    text = "二、主要成效\n２０２２年，全县共收到行政复议申请１２３件，依法受理１１０件。"
    facts = read(reader, text)
    assert values(facts) == {
        ("disputes.reconsideration_applications", 123.0), ("disputes.reconsideration_accepted", 110.0)
    }
    for fact in facts:
        assert text[fact.start : fact.end] == fact.as_written
        assert fact.as_written in fact.evidence and fact.evidence in text
    assert {f.as_written for f in facts} == {"１２３件", "１１０件"}


def test_a_change_is_not_a_level(reader):
    facts = read(reader, "行政诉讼败诉率为12.5%，同比下降3.2个百分点；负责人出庭应诉率95%，比去年上升0.8%。")
    assert values(facts) == {("disputes.litigation_loss_rate", 12.5), ("disputes.head_appearance_rate", 95.0)}


def test_parts_are_not_the_whole(reader):
    facts = read(reader, "2022年，全市共制定行政规范性文件共计48件，其中市政府文件12件、部门文件36件。")
    assert values(facts) == {("rules.normative_docs_issued", 48.0)}


def test_a_breakdown_without_total_yields_nothing_stated(reader):
    facts = read(reader, "全年共评查行政许可案卷86件，行政处罚案卷142件，行政强制案卷20件。")
    assert [f for f in facts if f.indicator_id == "enforcement.case_files_reviewed"] == []


def test_parts_that_add_up_give_a_derived_total(reader):
    facts = read(reader, "全县现有专职人民调解员85名、兼职人民调解员640名。")
    mediators = [f for f in facts if f.indicator_id == "disputes.mediators"]
    assert [(f.value, f.source) for f in mediators] == [(725.0, "derived")]
    assert "85" in mediators[0].derivation and "640" in mediators[0].derivation


def test_the_domain_decides_between_lawsuit_and_reconsideration(reader):
    text = (
        "全年办理行政复议案件30件，其中维持18件、撤销4件。"
        "行政应诉方面，全县一审行政诉讼案件52件，判决撤销3件，败诉5件。"
    )
    facts = read(reader, text)
    assert ("disputes.reconsideration_revoked", 4.0) in values(facts)
    assert ("disputes.reconsideration_revoked", 3.0) not in values(facts)
    assert ("disputes.litigation_lost", 5.0) in values(facts)


def test_numbers_that_name_things_are_not_facts(reader):
    text = "依据苏法治办〔2021〕17号文件，开通12345政务服务热线，热线电话12345，举报电话0512-52778455，清单3.0版，第十六条。"
    assert read(reader, text) == []


def test_training_in_another_domain_is_not_law_training(reader):
    facts = read(reader, "组织政治教育、党史学习教育160场次；举办法治讲座12场。")
    assert values(facts) == {("leadership.training_sessions", 12.0)}


def test_bare_number_right_after_its_cue(reader):
    facts = read(reader, "2022年，共收到行政复议申请15件，受理11件，不予受理4，维持2件。")
    assert ("disputes.reconsideration_not_accepted", 4.0) in values(facts)


@pytest.mark.parametrize(
    "text, qualifier, value",
    [
        ("共办理法律援助案件约1200件。", "approx", 1200.0),
        ("办理法律援助案件1200件左右。", "approx", 1200.0),
        ("办理法律援助案件1200余件。", "ge", 1200.0),
        ("办理法律援助案件超过1200件。", "ge", 1200.0),
        ("办理法律援助案件1200件以上。", "ge", 1200.0),
        ("办理法律援助案件不超过1200件。", "le", 1200.0),
        ("办理法律援助案件近1200件。", "approx", 1200.0),
        ("办理法律援助案件1.2万件。", "eq", 12000.0),
    ],
)
def test_qualifiers(reader, text, qualifier, value):
    (fact,) = read(reader, text)
    assert (fact.indicator_id, fact.value, fact.qualifier) == ("disputes.legal_aid_cases", value, qualifier)


@pytest.mark.parametrize(
    "text, period",
    [
        ("2018—2022年，全市共办理法律援助案件5000件。", (2018, 2022)),
        ("五年来，全市共办理法律援助案件5000件。", (2018, 2022)),
        ("2019年以来，全市共办理法律援助案件5000件。", (2019, 2022)),
        ("2021年，全市共办理法律援助案件5000件。", (2021, 2021)),
        ("全市共办理法律援助案件5000件。", (2022, 2022)),
        ("与2021年相比，全市办理法律援助案件5000件。", (2022, 2022)),
    ],
)
def test_periods(reader, text, period):
    (fact,) = read(reader, text)
    assert (fact.period_start, fact.period_end) == period


def test_targets_in_a_plan(reader):
    facts = read(reader, "行政机关负责人出庭应诉率达到100%，每年集中学法不少于4次。", doc_type="plan", period=(None, None), published="")
    assert {(f.indicator_id, f.value, f.kind, f.period_start) for f in facts} == {
        ("disputes.head_appearance_rate", 100.0, "target", None),
        ("leadership.collective_study_sessions", 4.0, "target", None),
    }


def test_next_years_plans_in_an_annual_report_are_targets(reader):
    text = "一、2022年工作成效\n全年办理法律援助案件800件。\n三、下一步工作打算\n力争行政机关负责人出庭应诉率达到100%。"
    kinds = {f.indicator_id: f.kind for f in read(reader, text)}
    assert kinds == {"disputes.legal_aid_cases": "actual", "disputes.head_appearance_rate": "target"}


def test_derived_rate_and_consistency_check(reader, codebook):
    text = "全县一审行政应诉案件129件，已审结119件，败诉58件，败诉率48.74%。"
    facts = derive_rates(read(reader, text), codebook)
    stated = [f for f in facts if f.indicator_id == "disputes.litigation_loss_rate" and f.source == "stated"]
    derived = [f for f in facts if f.indicator_id == "disputes.litigation_loss_rate" and f.source == "derived"]
    assert [f.value for f in derived] == [48.74]
    assert stated[0].check == "agrees with derived"
    assert "58 / 119" in derived[0].derivation


def test_disagreement_is_flagged(reader, codebook):
    text = "全县一审行政应诉案件129件，已审结119件，败诉58件，败诉率40.1%。"
    facts = derive_rates(read(reader, text), codebook)
    (stated,) = [f for f in facts if f.indicator_id == "disputes.litigation_loss_rate" and f.source == "stated"]
    assert stated.check == "disagrees with derived 48.74"


def test_page_furniture_yields_nothing(reader):
    text = "首页 | 政务公开 | 办事服务\n版权所有：某某县人民政府办公室 网站标识码5303000001 京ICP备18010697号-2\n联系电话：0870-6621234"
    assert read(reader, text) == []


def test_separators_and_times_do_not_end_clauses():
    from compare.text_layout import Layout

    text = "持证人员由6,920人增加到8,135人，会议于10:30召开：议程两项"
    ends = [text[i] for i in Layout.of(text).clause_ends]
    assert ends == ["，", "："]


def test_a_rate_is_checked_only_beside_its_counts_and_as_the_same_measure(reader, codebook):
    text = (
        "全县各行政机关受理行政调解案件318件，调解成功279件。全县人民调解组织调解纠纷5,120件，调解成功率98.3%。"
        "全年审结行政复议案件100件，其中撤销6件、确认违法3件、责令履行1件，综合纠错率18%。"
    )
    facts = derive_rates(read(reader, text), codebook)
    stated = {f.indicator_id: f for f in facts if f.source == "stated" and f.unit == "percent"}
    derived = {f.indicator_id: f for f in facts if f.source == "derived"}
    assert derived["disputes.mediation_success_rate"].value == 87.74
    assert derived["disputes.reconsideration_correction_rate"].value == 10.0
    assert stated["disputes.mediation_success_rate"].check == ""
    assert stated["disputes.reconsideration_correction_rate"].check == ""


def test_no_correction_rate_is_derived_when_a_changed_decision_goes_uncounted(reader, codebook):
    text = "全年审结行政复议案件318件，其中维持103件、驳回49件、撤销12件、变更3件、确认违法21件、责令履行9件，直接纠错率14.15%。"
    facts = derive_rates(read(reader, text), codebook)
    assert not [f for f in facts if f.source == "derived"]
    (stated,) = [f for f in facts if f.indicator_id == "disputes.reconsideration_correction_rate"]
    assert (stated.value, stated.check) == (14.15, "")


def test_a_page_in_two_columns_is_read_column_by_column(reader):
    text = (
        "二、行政应诉工作基本情况\u3000\u3000\u3000\u3000    【法院数据】\n"
        "（一）一审案件数量。2022年，全市以各\u3000    全市法院审结一审行政诉讼案件1208件\n"
        "级行政机关为被告的一审行政诉讼案件共\u3000\u3000    中级法院二审行政案件327件\n"
        "905件，同比下降2.2%。全年审结\u3000\u3000\u3000\u3000\u3000    城关区收案211件\n"
        "861件，其中行政机关败诉47件。\n"
    )
    facts = read(reader, text)
    assert {("disputes.litigation_cases", 905.0), ("disputes.litigation_concluded", 861.0)} <= values(facts)
    assert ("disputes.litigation_concluded", 1208.0) in values(facts)  # the box is read too, on its own
    assert [f.start for f in facts] == sorted(f.start for f in facts)
    for fact in facts:
        assert text[fact.start : fact.end] == fact.as_written
    cases = next(f for f in facts if f.value == 905.0)
    assert "法院" not in cases.evidence and cases.evidence.endswith("905件")
