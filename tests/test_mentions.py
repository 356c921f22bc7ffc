import pytest

from compare.mentions import MentionFinder
from compare.normalize import normalize_width


@pytest.fixture(scope="module")
def finder(codebook):
    return MentionFinder(codebook.all_measure_words)


def read(finder, text):
    norm = normalize_width(text)
    return [(norm[m.start : m.end], m.value, m.measure_word, m.over) for m in finder.find(norm)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("受理各类服务需求521.19万件", [("521.19万件", 5_211_900, "件", False)]),
        ("共发布政务信息25000余条", [("25000余条", 25000, "条", True)]),
        ("提供法律咨询百余次", [("百余次", 100, "次", True)]),
        ("纠错率为百分之十二点五", [("百分之十二点五", 12.5, "%", False)]),
        ("受理１２３件", [("123件", 123, "件", False)]),
        ("受理1,234件", [("1,234件", 1234, "件", False)]),
        ("参训一千二百余人次", [("一千二百余人次", 1200, "人次", True)]),
        ("办理2.6亿件", [("2.6亿件", 260_000_000, "件", False)]),
        ("备案11,2021年", [("11", 11, "", False)]),
        ("行政处罚决定（件）\t14,725\t13,918", [("14,725", 14725, "", False), ("13,918", 13918, "", False)]),
        ("咨询电话\t12345678", []),
        ("确认违法一件、驳回一件。", [("一件", 1, "件", False), ("一件", 1, "件", False)]),
        ("满意率超九成，约八成五", [("九成", 90, "%", False), ("八成五", 85, "%", False)]),
        ("受理群众诉求4120余万件", [("4120余万件", 41_200_000, "件", True)]),
        ("培训二十多万人次", [("二十多万人次", 200_000, "人次", True)]),
        ("调解1.2万余件", [("1.2万余件", 12_000, "件", True)]),
        ("培训2至3期", [("2至3期", 2, "期", True)]),
        ("人均40—60学时", [("40—60学时", 40, "学时", True)]),
        ("为期1至2月", []),
    ],
)
def test_quantities(finder, text, expected):
    assert read(finder, text) == expected


@pytest.mark.parametrize(
    "text",
    ["一是加强领导", "党的十九大精神", "为期6个月", "清单3.0版", "第661号", "2021年12月", "十二连降", "面积570平方米", "经费300万元", "每一件案件",
     "无一件被纠错", "“一件事”改革", "办好一件件实事", "每季度通报一次。", "申请2l件", "建成5G基站", "一成不变", "新成立三成立", "全部完成"],
)
def test_words_and_dates_are_not_counts(finder, text):
    assert [m for m in read(finder, text) if m[2]] == []
