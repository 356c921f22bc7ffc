import re

import pytest

from compare.normalize import normalize_width, parse_chinese_integer, parse_number, reading_view, reading_views


@pytest.mark.parametrize(
    "text, value",
    [
        ("十二", 12), ("十", 10), ("一百零五", 105), ("一千二百", 1200), ("两千", 2000),
        ("三万五千", 35000), ("一亿二千万", 120_000_000), ("二〇二一", 2021), ("五十万", 500_000),
        ("百", 100), ("九十八", 98),
    ],
)
def test_chinese_integers(text, value):
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize(
    "text, value",
    [("1,234", 1234), ("１２３", 123), ("48.74", 48.74), ("十二点五", 12.5), ("５２１．１９", 521.19)],
)
def test_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_not_a_numeral():
    with pytest.raises(ValueError):
        parse_number("百分")


def test_width_normalization_keeps_offsets():
    raw = "共受理１２３件（其中不予受理５件）％，　完"
    norm = normalize_width(raw)
    assert len(norm) == len(raw)
    assert norm.index("123") == raw.index("１２３")
    assert "%" in norm and "(" in norm
    assert "，" in norm  # the clause comma stays full-width: it is not a thousands separator


def test_reading_view_takes_damage_out_of_the_view_not_out_of_the_text(codebook):
    from compare.normalize import reading_view

    raw = "全年主动公开政府信息&nbsp;12,306&nbsp;条<br/>，受理依申请公开 <b>48</b> 件；足彩胜负彩第23145期推荐 办理法律援助案件\n1,086\n件。"
    view = reading_view(raw, codebook.noise)
    assert view.text == "全年主动公开政府信息12,306条，受理依申请公开48件;办理法律援助案件1,086件。"
    start = view.text.index("1,086")
    raw_start, raw_end = view.raw_span(start, start + len("1,086件"))
    assert raw[raw_start:raw_end] == "1,086\n件"
    for i, ch in enumerate(view.text):
        assert normalize_width(raw[view.raw_of(i)]) == ch


def test_reading_view_keeps_headings_and_sentences_apart():
    from compare.normalize import reading_view

    raw = "一、主要工作\n（一）加强领导。\n2022年，全县共收到复议申请12件。\n二、存在问题"
    assert reading_view(raw).text == "一、主要工作\n(一)加强领导。\n2022年，全县共收到复议申请12件。\n二、存在问题"


def test_letter_spaced_text_is_read_together():
    from compare.normalize import reading_view

    assert reading_view("全 县 共 有 人 民 调 解 员 1326 名 ， 调 委 会 215 个 。").text == "全县共有人民调解员1326名，调委会215个。"


def test_page_numbers_and_a_running_title_leave_the_view_but_a_heading_after_them_stays():
    from compare.normalize import reading_view

    raw = "纠错率\n\n— 1 —\n第 1 页 共 3 页\n某县人民政府2022年法治政府建设情况报告\n12.5%。\n— 2 —\n（五）深化矛盾纠纷排查化解\n全县建立调委会126个。"
    text = reading_view(raw).text
    assert re.search(r"纠错率\s*12\.5%。", text)
    assert "报告" not in text and "页" not in text
    assert "(五)深化矛盾纠纷排查化解\n全县建立调委会126个。" in text


def test_a_page_feed_after_the_page_number_still_lets_the_running_title_go():
    from compare.normalize import reading_view

    raw = "向公安机关移送涉嫌犯罪案件\n\n－ 2 －\n\f\n正定县2021年度法治政府建设情况报告\n\n14件，全县行政执法人员人均参加法律培训56学时。"
    assert reading_view(raw).text.startswith("向公安机关移送涉嫌犯罪案件14件，")


def test_rows_of_a_table_are_not_joined_as_broken_lines():
    from compare.normalize import reading_view

    raw = "审结结果\t件数\t占审结总数比例\n终止\t68\t10.5%\n合计\t645\t100%\n表后说明文字"
    assert reading_view(raw).text.count("\n") == 3


def test_rows_of_a_table_drawn_with_bars_are_not_joined():
    from compare.normalize import reading_view

    raw = "| 收到行政复议申请 | 37件 |\n| 其中：撤销 | 4件 |\n| 纠错率 | 16.2% |\n"
    assert reading_view(raw).text.count("\n") == 3


def test_a_number_split_by_single_spaces_between_chinese_words_is_joined():
    from compare.normalize import reading_view

    view = reading_view("全县共办理行政处罚案件3 1 42件，调解成功率9 8.7%。")
    assert view.text == "全县共办理行政处罚案件3142件，调解成功率98.7%。"
    assert view.raw_of(view.text.index("3142")) == 11


def test_numbers_of_a_table_row_stay_apart():
    from compare.normalize import reading_view

    row = "受理案件 120 135 +15\n"
    assert "120 135" in reading_view(row).text


def test_rows_drawn_with_inner_bars_stay_lines_of_their_own():
    from compare.normalize import reading_view

    table = "年份 | 申请（件） | 败诉率（%）\n2021 | 301 | 6.57\n2022 | 334 | 4.81\n"
    assert reading_view(table).text.endswith("\n2021 | 301 | 6.57\n2022 | 334 | 4.81\n")


def test_a_character_lost_inside_a_known_term_is_restored_in_the_view_only():
    from compare.normalize import reading_view

    raw = "败诉7件，败\ufffd率9.21%，受理\ufffd件。"
    view = reading_view(raw, (), {("败", "率"): "诉"})
    assert view.text == "败诉7件，败诉率9.21%，受理\ufffd件。"
    assert raw[view.raw_of(view.text.index("诉率"))] == "\ufffd"


def test_label_lines_stay_lines_of_their_own():
    from compare.normalize import reading_view

    text = "（一）学法用法\n会前学法：14次\n举办法治专题培训班：27期\n参训人员合计：4860人次\n"
    assert reading_view(text).text.endswith("会前学法:14次\n举办法治专题培训班:27期\n参训人员合计:4860人次\n")


# A page of a white paper taken from PDF with its layout: the main text, a wide gap, a box beside it.
TWO_COLUMNS = (
    "二、行政应诉工作基本情况\u3000\u3000\u3000\u3000    【各区县收案情况】\n"
    "（一）一审案件数量。2023年，全市以各\u3000    城关区\u3000\u3000211件\u3000同比+9.1%\n"
    "级行政机关为被告的一审行政诉讼案件共\u3000\u3000    新城区\u3000\u3000167件\u3000同比+3.5%\n"
    "905件，同比下降2.2%。全年审结\u3000\u3000\u3000\u3000\u3000    北湖区\u3000\u3000120件\u3000同比+4.0%\n"
    "861件，其中行政机关败诉47件。\n"
)


def test_a_side_column_is_left_out_of_the_main_texts_view_and_read_on_its_own():
    main, side = reading_views(TWO_COLUMNS)
    assert "一审行政诉讼案件共905件" in main.text and "全年审结861件" in main.text
    assert "城关区" not in main.text
    assert side is not None and side.text.startswith("【各区县收案情况】\n城关区")
    assert "211件" in side.text and "一审" not in side.text
    start = main.text.index("全市以各")
    end = main.text.index("905件") + 4
    # evidence quotes the main column as written, without the box beside it
    assert main.raw_text(TWO_COLUMNS, start, end) == "全市以各\n级行政机关为被告的一审行政诉讼案件共\n905件"


def test_text_in_one_column_has_no_side_column():
    assert reading_views("全年共收到行政复议申请123件。\n主要做法    一是强化培训\n")[1] is None
    table = "序号  指标名称                          2022年     2021年     增减\n 1    会前学法（次）        12         10         +2\n"
    assert reading_views(table * 3)[1] is None


def test_a_short_line_that_runs_on_after_its_headings_full_stop_is_joined_to_the_next():
    text = "（一）案件数量。2023年，全市以各\n级行政机关为被告的案件共905件。\n（二）出庭情况\n负责人出庭应诉861件。"
    view = reading_view(text).text
    assert "全市以各级行政机关" in view and "出庭情况\n负责人" in view  # a heading alone keeps its line


def test_a_row_of_cells_aligned_by_wide_gaps_is_not_run_into_the_next_line():
    view = reading_view("（件）  612  655  701  688\n734\n").text
    assert "688\n734" in view
    assert "全年收到申请1,2" + "34件" in reading_view("全年收到申请1,2\n34件。").text  # a number wrapped in prose still joins


def test_letters_recognized_for_digits_inside_numbers_are_read_as_digits():
    from compare.normalize import restore_misread_digits

    assert restore_misread_digits("收到申请2l件，会前学法l5次，调整2O6项，1.l万件，参考l 426人次") == (
        "收到申请21件，会前学法15次，调整206项，1.1万件，参考1 426人次"
    )
    assert restore_misread_digits("ICP备11002288号，5G基站，10MB，IOS 17") == "ICP备11002288号，5G基站，10MB，IOS 17"
