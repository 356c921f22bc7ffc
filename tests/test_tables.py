"""Year columns of plain-text tables: which numbers they hold and what each row says."""

from compare.normalize import normalize_width
from compare.tables import year_cells

TABLE = (
    "表1　主要指标对比表\n"
    "序号  指标名称                    2022年     2021年     增减\n"
    " 1    会前学法（次）              12         10         +2\n"
    " 2    制定行政规范性文件（件）     5          8         -3\n"
    " 3    行政复议纠错率（%）         16.2       10.3       +5.9\n"
    "\n"
    "全年共办理案件 120 件。\n"
)


def test_year_columns_hold_levels_and_the_change_column_holds_none():
    cells = year_cells(TABLE)
    assert [(c.label, c.unit, c.year, TABLE[c.start : c.end]) for c in cells] == [
        ("会前学法", "次", 2022, "12"), ("会前学法", "次", 2021, "10"),
        ("制定行政规范性文件", "件", 2022, "5"), ("制定行政规范性文件", "件", 2021, "8"),
        ("行政复议纠错率", "%", 2022, "16.2"), ("行政复议纠错率", "%", 2021, "10.3"),
    ]
    assert all(TABLE[c.row_start : c.row_end].startswith(" ") for c in cells)


def test_a_table_ends_at_a_blank_line_and_text_without_a_year_header_is_no_table():
    assert all(c.row_end < TABLE.index("全年共办理") for c in year_cells(TABLE))
    assert year_cells("指标名称    数值\n会前学法（次）    12\n") == []
    assert year_cells("") == []


def test_changes_in_percentage_points_and_years_without_a_figure_keep_the_columns():
    table = (
        "项  目                         2021年     2022年     2023年     2023年较上年增减\n"
        "行政复议纠错率（%）              17.1       13.4       11.7       -1.7个百分点\n"
        "行政机关负责人出庭应诉率（%）    —          96.2       100        +3.8个百分点\n"
        "法律援助案件（件）               1106       1254       1377       +9.8%\n"
    )
    cells = year_cells(table)
    assert [(c.label, c.year, table[c.start : c.end]) for c in cells] == [
        ("行政复议纠错率", 2021, "17.1"), ("行政复议纠错率", 2022, "13.4"), ("行政复议纠错率", 2023, "11.7"),
        ("行政机关负责人出庭应诉率", 2022, "96.2"), ("行政机关负责人出庭应诉率", 2023, "100"),
        ("法律援助案件", 2021, "1106"), ("法律援助案件", 2022, "1254"), ("法律援助案件", 2023, "1377"),
    ]


def test_a_web_pages_table_with_bars_and_a_rule_under_its_heading():
    table = (
        "| 指标 | 2021年 | 2022年 | 增减 | \n"
        "|---|---|---|---|\n"
        "| 行政复议收案数（件） | 587 | 642 | +9.4% | \n"
        "| 12345热线受理量（万件） | 88.5 | 104.2 | +17.7% | \n"
    )
    assert [(c.label, c.unit, c.year, table[c.start : c.end]) for c in year_cells(table)] == [
        ("行政复议收案数", "件", 2021, "587"), ("行政复议收案数", "件", 2022, "642"),
        ("12345热线受理量", "万件", 2021, "88.5"), ("12345热线受理量", "万件", 2022, "104.2"),
    ]


def test_a_table_with_a_row_per_year_takes_its_unit_from_the_caption_or_the_cell():
    table = (
        "表1　2021—2022年寿光市行政复议案件办理情况（单位：件）\n"
        "年度\t收到申请\t受理\t纠错率\n"
        "2022年\t198\t181\t15.3%\n"
        "2021年\t154\t143\t12.1%\n"
        "同比增减\t+28.6%\t+26.6%\t+3.2个百分点\n"
        "全市一审行政诉讼案件267件。\n"
    )
    assert [(c.label, c.unit, c.year, table[c.start : c.end]) for c in year_cells(table)] == [
        ("收到申请", "件", 2022, "198"), ("受理", "件", 2022, "181"), ("纠错率", "%", 2022, "15.3%"),
        ("收到申请", "件", 2021, "154"), ("受理", "件", 2021, "143"), ("纠错率", "%", 2021, "12.1%"),
    ]


def test_a_table_drawn_with_box_characters():
    table = (
        "┌──────────────────┬───────┬───────┐\n"
        "│　项　目　　　　　│2022年 │2023年 │\n"
        "├──────────────────┼───────┼───────┤\n"
        "│收到复议申请（件）│　 864 │ 1,032 │\n"
        "│直接纠错率（%）　 │　14.1 │　15.3 │\n"
        "└──────────────────┴───────┴───────┘\n"
    )
    from compare.normalize import normalize_width

    norm = normalize_width(table)
    assert [(c.label, c.unit, c.year, norm[c.start : c.end]) for c in year_cells(norm)] == [
        ("收到复议申请", "件", 2022, "864"), ("收到复议申请", "件", 2023, "1,032"),
        ("直接纠错率", "%", 2022, "14.1"), ("直接纠错率", "%", 2023, "15.3"),
    ]


def test_a_plans_table_with_a_baseline_and_goals_written_as_bounds():
    table = (
        "序号\t指标名称\t2023年基数\t2024年目标\t2025年目标\n"
        "2\t执法人员年度法律知识培训（学时/人）\t52\t≥60\t≥60\n"
        "8\t行政诉讼败诉率\t6.8%\t≤6%\t≤5%\n"
    )
    cells = year_cells(table)
    assert [(c.label, c.unit, c.year, c.goal, c.qualifier, table[c.start : c.end]) for c in cells] == [
        ("执法人员年度法律知识培训", "学时", 2023, False, "eq", "52"),
        ("执法人员年度法律知识培训", "学时", 2024, True, "ge", "60"),
        ("执法人员年度法律知识培训", "学时", 2025, True, "ge", "60"),
        ("行政诉讼败诉率", "%", 2023, False, "eq", "6.8%"),
        ("行政诉讼败诉率", "%", 2024, True, "le", "6%"),
        ("行政诉讼败诉率", "%", 2025, True, "le", "5%"),
    ]


def test_a_table_runs_on_over_a_page_break_and_its_caption_names_its_area():
    table = (
        "表1　2021—2023年余杭区行政复议收结案情况\n"
        "                                                    单位：件\n"
        "─────────────────────────────────────\n"
        " 项　目               2021年      2022年      2023年\n"
        "─────────────────────────────────────\n"
        "         终止            97         152         197\n"
        "\n"
        "— 2 —\n"
        "杭州市余杭区行政复议行政应诉工作白皮书（2023年度）\n"
        "\n"
        " 调解和解                63         106         154\n"
        "─────────────────────────────────────\n"
        "\n"
        "二、行政应诉工作情况\n"
        " 一审行政诉讼案件               624件\n"
    )
    from compare.normalize import normalize_width

    cells = year_cells(normalize_width(table))
    assert [(c.label, c.year) for c in cells] == [
        ("终止", 2021), ("终止", 2022), ("终止", 2023), ("调解和解", 2021), ("调解和解", 2022), ("调解和解", 2023),
    ]
    assert all("行政复议" in c.labels_before and c.unit == "件" for c in cells)


def test_a_change_column_written_in_words_keeps_the_row():
    table = (
        "指标\t2021年\t同比增减\n"
        "收到行政复议申请（件）\t14,286\t增长13.2%\n"
        "直接纠错率\t13.6%\t提高1.9个百分点\n"
    )
    cells = year_cells(table)
    assert [(c.label, c.year, table[c.start : c.end]) for c in cells] == [
        ("收到行政复议申请", 2021, "14,286"), ("直接纠错率", 2021, "13.6%"),
    ]


def test_a_table_whose_years_are_written_bare_under_a_year_heading():
    table = (
        "表1　2020—2022年行政复议与行政应诉情况\n"
        "年份 | 行政复议申请（件） | 一审行政应诉（件） | 败诉率（%）\n"
        "2021 | 301 | 198 | 6.57\n"
        "2022 | 334 | 187 | 4.81\n"
    )
    assert [(c.label, c.unit, c.year, table[c.start : c.end]) for c in year_cells(table)] == [
        ("行政复议申请", "件", 2021, "301"), ("一审行政应诉", "件", 2021, "198"), ("败诉率", "%", 2021, "6.57"),
        ("行政复议申请", "件", 2022, "334"), ("一审行政应诉", "件", 2022, "187"), ("败诉率", "%", 2022, "4.81"),
    ]
    # under a heading that is no year heading, a bare number is no year
    assert year_cells("项目 | 受理 | 审结\n2022 | 334 | 187\n") == []


def test_a_plans_table_with_a_column_of_attributes_after_its_years():
    table = (
        "表1　主要指标\n"
        "指标名称\t2020年基期值\t2025年目标值\t指标属性\n"
        "行政诉讼败诉率（%）\t13.4\t≤10\t预期性\n"
        "人民调解成功率（%）\t96.8\t≥97\t约束性\n"
    )
    assert [(c.label, c.year, c.goal, c.qualifier, table[c.start : c.end]) for c in year_cells(table)] == [
        ("行政诉讼败诉率", 2020, False, "eq", "13.4"), ("行政诉讼败诉率", 2025, True, "le", "10"),
        ("人民调解成功率", 2020, False, "eq", "96.8"), ("人民调解成功率", 2025, True, "ge", "97"),
    ]


def test_a_plans_table_whose_heading_joins_its_first_cells_by_one_space():
    # full-width spaces: one between 序号 and 指标名称, two or more between the other cells
    table = normalize_width(
        "序号\u3000指标名称\u3000\u3000\u3000\u3000\u30002020年\u3000\u30002025年目标\u3000\u3000指标属性\n"
        "1\u3000\u3000县政府常务会议会前学法（次/年）\u3000\u300012\u3000\u3000≥12\u3000\u3000约束性\n"
        "2\u3000\u3000人民调解成功率（%）\u3000\u300096.5\u3000\u3000≥98\u3000\u3000预期性\n"
    )
    assert [(c.label, c.unit, c.year, c.goal, c.qualifier, table[c.start : c.end]) for c in year_cells(table)] == [
        ("县政府常务会议会前学法", "次", 2020, False, "eq", "12"), ("县政府常务会议会前学法", "次", 2025, True, "ge", "12"),
        ("人民调解成功率", "%", 2020, False, "eq", "96.5"), ("人民调解成功率", "%", 2025, True, "ge", "98"),
    ]


def test_a_plans_table_whose_goals_are_written_with_yishang_and_yixia():
    table = "序号 | 指标名称 | 2023年目标 | 2025年目标\n1 | 行政机关负责人出庭应诉率 | 95%以上 | 100%\n2 | 行政诉讼败诉率 | 7%以下 | 5%以下\n"
    assert [(c.label, c.year, c.goal, c.qualifier, table[c.start : c.end]) for c in year_cells(table)] == [
        ("行政机关负责人出庭应诉率", 2023, True, "ge", "95%"), ("行政机关负责人出庭应诉率", 2025, True, "eq", "100%"),
        ("行政诉讼败诉率", 2023, True, "le", "7%"), ("行政诉讼败诉率", 2025, True, "le", "5%"),
    ]


def test_a_table_wrapped_by_the_pages_width_is_joined_again():
    # text taken from PDF: the heading and rows run over two lines each
    table = (
        "指标名称  2019年  2020年  2021年\n2022年  2023年\n"
        "行政复议受理件数\n（件）  612  655  701  688\n734\n"
        "行政复议综合纠错\n率（%）  13.2  12.8  11.5  10.9\n10.37\n"
    )
    cells = [(c.label, c.unit, c.year, table[c.start : c.end]) for c in year_cells(table)]
    assert cells == [
        ("行政复议受理件数", "件", 2019, "612"), ("行政复议受理件数", "件", 2020, "655"), ("行政复议受理件数", "件", 2021, "701"),
        ("行政复议受理件数", "件", 2022, "688"), ("行政复议受理件数", "件", 2023, "734"),
        ("行政复议综合纠错率", "%", 2019, "13.2"), ("行政复议综合纠错率", "%", 2020, "12.8"), ("行政复议综合纠错率", "%", 2021, "11.5"),
        ("行政复议综合纠错率", "%", 2022, "10.9"), ("行政复议综合纠错率", "%", 2023, "10.37"),
    ]
