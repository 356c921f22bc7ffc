import csv

import pytest

from compare.docfacts import classify_doc_type, find_published, level_from_name, read_document_facts

from repo_paths import REPO, SHARED, require_shared


def gold_documents():
    path = SHARED / "gold" / "documents.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("gold", gold_documents(), ids=lambda g: g["doc_id"])
def test_sample_documents_match_gold(gold):
    require_shared()
    text = (REPO / "data" / "reports" / f"{gold['doc_id']}.txt").read_text(encoding="utf-8")
    facts = read_document_facts(gold["doc_id"], text)
    assert facts.jurisdiction == gold["jurisdiction"]
    assert facts.doc_type == gold["doc_type"]
    assert (facts.period_start, facts.period_end) == (
        int(gold["period_start"]) if gold["period_start"] else None,
        int(gold["period_end"]) if gold["period_end"] else None,
    )
    assert facts.published == gold["published"]
    assert facts.level in ("", gold["level"])  # a bare 市 is left to the geography stage
    assert facts.title and facts.title in text


@pytest.mark.parametrize(
    "title, expected",
    [
        ("某某县人民政府关于2022年度法治政府建设情况的报告", "annual_report"),
        ("某某市2023年法治政府建设工作报告", "annual_report"),
        ("某某区法治政府建设实施方案（2021—2025年）", "plan"),
        ("关于加强行政执法协调监督工作体系建设的实施意见", "opinion"),
        ("某某市法治政府建设白皮书（2016—2020）", "white_paper"),
        ("对市人大十五届三次会议第108号建议的答复", "proposal_reply"),
        ("关于政协第12号提案办理情况的答复", "proposal_reply"),
    ],
)
def test_doc_types(title, expected):
    assert classify_doc_type(title, "") == expected


def test_annual_report_period_and_publication():
    text = "青田县人民政府关于2022年法治政府建设工作情况的报告\n发布时间：2023-03-30\n2022年，全县共受理行政复议案件12件。"
    facts = read_document_facts("x", text)
    assert (facts.jurisdiction, facts.doc_type, facts.period_start, facts.period_end, facts.published) == (
        "青田县", "annual_report", 2022, 2022, "2023-03-30",
    )
    assert facts.level == "county"


def test_news_page_names_its_place_by_the_headline_not_the_paper():
    # The headline names the place (宜昌, spelt out as 宜昌市 in the text); the paper, 三峡日报, does not.
    text = (
        "三峡宜昌网　首页 > 新闻 > 本地要闻\n\n宜昌发布《法治政府建设白皮书（2019—2023年）》\n\n"
        "2024-04-18 10:32　来源：三峡日报　记者 某某\n\n"
        "市政府新闻办召开新闻发布会，发布《宜昌市法治政府建设白皮书（2019—2023年）》。五年来，我市……"
    )
    assert read_document_facts("x", text).jurisdiction == "宜昌市"


def test_local_paper_names_its_own_city():
    text = "我市法治政府建设再上新台阶\n来源：潍坊日报\n2022年，我市共办理行政复议案件300件。潍坊市司法局……"
    assert read_document_facts("x", text).jurisdiction == "潍坊市"


def test_government_work_report_with_a_letter_spaced_title():
    # A 政府工作报告 reviews the year before its delivery; "我代表县人民政府" names no place.
    text = (
        "政 府 工 作 报 告\n——2021年1月8日在玛纳斯县第十七届人民代表大会第五次会议上\n\n玛纳斯县人民政府县长\n\n"
        "各位代表：\n\n现在，我代表县人民政府向大会报告工作，请予审议，并请县政协各位委员提出意见。\n\n"
        "一、2020年工作回顾\n全年共收到行政复议申请41件。玛纳斯县人民政府……"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type, facts.jurisdiction, facts.period_start, facts.period_end) == (
        "政 府 工 作 报 告", "other", "玛纳斯县", 2020, 2020,
    )


def test_news_page_headline_stands_above_its_byline():
    text = (
        "某县融媒体中心\n首页　　时政要闻　　部门资讯\n\n当前位置：首页 > 部门资讯\n\n"
        "我县2023年行政复议工作取得明显成效\n\n来源：某县融媒体中心　　作者：李娜　　发布时间：2024-01-19 17:05\n\n"
        "本网讯　2023年，我县共收到行政复议申请52件。\n\n相关阅读\n· 县司法局召开2023年度全面依法治县工作总结会\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type, facts.jurisdiction) == ("我县2023年行政复议工作取得明显成效", "news", "某县")


def test_progress_notice_is_other():
    text = "某市全面依法治市委员会办公室\n关于全市法治政府建设示范创建工作进展情况的通报\n\n按照《某市法治政府建设示范创建活动实施方案》安排……"
    assert read_document_facts("x", text).doc_type == "other"


def test_reply_title_without_the_word_law():
    text = (
        "关于县政协十二届二次会议第0086号提案的答复\n\n泗司复〔2023〕12号\n\n尊敬的孙立新委员：\n\n"
        "您提出的建议收悉。全县各行政调解组织全年受理行政调解案件640件。\n\n感谢您对司法行政工作的关心和支持，欢迎继续提出宝贵意见和建议。\n"
        "泗洪县司法局\n2023年6月20日\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type) == ("关于县政协十二届二次会议第0086号提案的答复", "proposal_reply")


def test_department_report_names_its_city():
    text = "咸宁市市场监督管理局2022年法治政府建设年度报告\n\n2022年，在湖北省市场监管局的指导下……湖北省人民政府……湖北省人民政府\n"
    assert read_document_facts("x", text).jurisdiction == "咸宁市"


def test_headline_of_a_meeting_is_news():
    text = "| 索 引 号： | 000014349/2024-00318 | 发布机构： | 贺州市司法局 |\n我市召开2024年全市行政复议工作会议\n3月14日，贺州市召开全市行政复议工作会议，市司法局局长作工作报告。\n"
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type) == ("我市召开2024年全市行政复议工作会议", "news")


def test_signature_date_in_chinese_numerals():
    assert find_published("……\n某某市司法局\n二〇二二年三月二十八日\n") == "2022-03-28"


@pytest.mark.parametrize(
    "name, level",
    [("浙江省", "province"), ("恩施土家族苗族自治州", "prefecture"), ("盐津县", "county"),
     ("荆门市东宝区", "county"), ("苏州市常熟市", "county"), ("常熟市", ""), ("", "")],
)
def test_level_from_name(name, level):
    assert level_from_name(name) == level


def test_our_city_in_a_headline_is_the_city_the_book_it_releases_names():
    # 我市 names no place; the white paper's own title does. 其中市政府本级 is no place either, and a
    # reporter's question is no title.
    text = (
        "我市发布2023年度行政复议和行政应诉工作白皮书\n"
        "4月12日上午，市政府新闻办召开新闻发布会，发布《无锡市2023年度行政复议和行政应诉工作白皮书》。\n"
        "2023年，全市各级行政复议机关共收到行政复议申请3126件，其中市政府本级收到612件。\n"
        "无锡日报记者：白皮书对行政机关提出了哪些建议？\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.jurisdiction, facts.doc_type) == (
        "我市发布2023年度行政复议和行政应诉工作白皮书", "无锡市", "white_paper",
    )


def test_a_meeting_on_the_years_work_is_news_not_the_annual_report():
    assert classify_doc_type("平遥县召开2023年度法治政府建设工作总结暨2024年工作部署会", "") == "news"
    assert classify_doc_type("平遥县2023年度法治政府建设工作总结", "") == "annual_report"


def test_a_meeting_where_officials_report_on_their_duties_is_news_not_their_report():
    assert classify_doc_type("我市召开2023年度法治政府建设考核讲评暨述法工作会议", "") == "news"
    assert classify_doc_type("县长2023年度述法报告", "") == "other"
    assert classify_doc_type("市政府新闻办公室举行《法治政府建设白皮书（2019—2023）》新闻发布会", "") == "white_paper"


def test_the_date_of_publication_wins_over_the_date_of_writing():
    head = "索引号：11510107MB1A23456X/2024-00017　　成文日期：2024-01-26　　发布日期：2024-02-05\n"
    assert find_published(head + "2023年，武侯区……") == "2024-02-05"


def test_a_pages_date_line_is_no_title():
    text = "发布时间：2024-03-15 17:42\n我市召开2024年全市行政复议工作会议\n3月14日，贺州市召开全市行政复议工作会议。\n"
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type, facts.published) == ("我市召开2024年全市行政复议工作会议", "news", "2024-03-15")


def test_a_title_set_over_two_lines_is_joined_and_a_body_line_is_passed_over():
    text = (
        "　　正定县人民政府关于2021年度法治政府\n　　　　　建设情况的报告\n\n石家庄市人民政府：\n"
        "　　2021年，正定县人民政府深入学习贯彻习近平法治思想，认真落实《法治政府建设实施纲要\n"
        "（2021—2025年）》，扎实推进依法行政。\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type, facts.period_start) == ("正定县人民政府关于2021年度法治政府建设情况的报告", "annual_report", 2021)


def test_two_lines_of_body_text_are_not_joined_into_a_title():
    text = "攸县法治政府建设考核位列全市第一\n近日，市委依法治市办通报2024年度考核结果\n攸县连续三年位列第一的情况报告\n"
    assert read_document_facts("x", text).title == "攸县法治政府建设考核位列全市第一"


def test_a_title_in_a_pages_table_of_labels_and_a_white_paper_of_a_districts_reviews():
    text = (
        "| 索 引 号： | 11640000010640015H/2024-00412 | 主题分类： | 司法 | \n"
        "| 标 题： | 宁夏回族自治区人民政府关于2023年度法治政府建设情况的报告 |  |  | \n"
        "三、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.jurisdiction) == ("宁夏回族自治区人民政府关于2023年度法治政府建设情况的报告", "宁夏回族自治区")
    paper = read_document_facts("y", "杭州市余杭区行政复议行政应诉工作白皮书\n（2023年度）\n其中以区政府为被告的案件…\n")
    assert (paper.jurisdiction, paper.doc_type) == ("杭州市余杭区", "white_paper")


def test_news_site_whose_place_the_text_names_wins_over_a_regional_paper():
    # 皖西日报 is named for the region, not a division; the site and the text name 六安市.
    text = (
        "六安新闻网 | 首页 > 新闻中心 > 六安要闻\n\n我市召开2023年度法治政府建设工作新闻发布会\n\n"
        "2024-03-15 10:26　来源：皖西日报　作者：记者 某某\n\n"
        "六安新闻网讯　3月14日上午，市政府新闻办召开新闻发布会。2023年，全市共收到行政复议申请980件。\n\n"
        "相关新闻\n· 六安市召开2022年度法治政府建设新闻发布会\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.doc_type, facts.jurisdiction) == ("news", "六安市")


def test_an_officials_account_of_his_duties_is_other():
    text = "某市人民政府市长2023年度述法报告\n（在市委全面依法治市委员会会议上）\n\n2023年，我认真履行推进法治建设第一责任人职责……"
    facts = read_document_facts("x", text)
    assert (facts.doc_type, facts.period_start, facts.period_end) == ("other", 2023, 2023)


def test_a_province_whose_name_holds_a_common_word_character():
    # 建 of 福建 is no 建设; 全 of 全椒县 is no 全市.
    text = "福建省行政复议和行政应诉工作白皮书（2022年度）\n\n福建省司法厅\n2023年4月18日\n\n2022年，全省各级行政复议机关共收到行政复议申请18,436件。"
    assert read_document_facts("x", text).jurisdiction == "福建省"
    assert read_document_facts("x", "全椒县2023年法治政府建设年度报告\n\n2023年，全县……").jurisdiction == "全椒县"


def test_a_reply_signed_by_its_bureau_is_not_given_to_a_time_word():
    text = (
        "对市十八届人大三次会议第0123号建议的答复\n\n某代表：\n今年市政府共承办代表建议86件。\n\n"
        "邳州市司法局\n2023年6月16日\n"
    )
    assert read_document_facts("x", text).jurisdiction == "邳州市"


def test_a_statistical_report_of_one_field_is_other():
    text = "桂林市2022年度行政执法数据统计分析报告\n\n桂林市司法局\n2023年3月30日\n\n截至2022年12月31日，全市共有行政执法主体1126个。"
    facts = read_document_facts("x", text)
    assert (facts.doc_type, facts.period_start, facts.jurisdiction) == ("other", 2022, "桂林市")


def test_a_news_page_early_in_a_year_reports_on_the_year_it_names():
    text = (
        "我市召开全面依法治市工作会议暨法治政府建设推进会\n发布时间：2024-02-23 16:42\n"
        "2月22日下午，我市召开全面依法治市工作会议，总结2023年法治建设工作，部署2024年重点任务。\n临海市人民政府门户网站"
    )
    facts = read_document_facts("x", text)
    assert (facts.doc_type, facts.period_start, facts.period_end) == ("news", 2023, 2023)


def test_a_date_inside_a_sentence_near_the_top_is_no_publication_date():
    text = (
        "某市人民政府办公室关于2022年度全市行政执法工作情况的通报\n\n某政办秘〔2023〕11号\n\n"
        "截至2022年12月31日，全市共有行政执法主体1126个。\n\n某市人民政府办公室\n2023年3月6日\n"
    )
    assert read_document_facts("x", text).published == "2023-03-06"


def test_issuers_that_are_no_divisions_give_way_to_the_congress_the_report_was_delivered_to():
    text = (
        "关于全县2023年度法治政府建设工作情况的报告\n——2024年2月27日在睢宁县第十八届人民代表大会常务委员会第十四次会议上\n"
        "县人民政府副县长　某某\n主任、各位副主任、各位委员：\n受县人民政府委托，现将全县2023年度法治政府建设工作情况报告如下。"
        "严格按照县人大常委会审议意见要求，考前市司法局组织培训。"
    )
    assert read_document_facts("x", text).jurisdiction == "睢宁县"


def test_a_statistics_bulletin_is_titled_and_other():
    text = (
        "南昌市2023年度行政复议和行政应诉工作统计公报\n\n南昌市司法局\n2024年3月15日\n\n"
        "一、行政复议案件收案情况\n2023年，市人民政府共收到行政复议申请1427件。从申请事项看，自然资源和规划204件。"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type, facts.period_start) == ("南昌市2023年度行政复议和行政应诉工作统计公报", "other", 2023)


def test_a_yearly_statistics_return_is_titled_by_its_first_line_not_its_first_section():
    text = (
        "台山市2024年度行政执法数据统计年报\n\n编制单位：台山市司法局\n统计时段：2024年1月1日—2024年12月31日\n"
        "公开日期：2025年1月20日\n\n一、行政执法主体和人员情况\n\n行政执法主体：38个\n在编在岗行政执法人员：964人\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type, facts.period_start, facts.period_end) == (
        "台山市2024年度行政执法数据统计年报", "other", 2024, 2024,
    )


def test_a_plan_issued_under_its_document_number_is_titled_without_it():
    text = (
        "荥政办〔2024〕12号\n荥阳市人民政府办公室关于印发荥阳市法治政府建设三年行动方案（2024—2026年）的通知\n"
        "各乡镇人民政府、街道办事处，市人民政府各部门：\n现印发给你们，请认真贯彻落实。\n"
    )
    facts = read_document_facts("x", text)
    assert facts.title == "荥阳市人民政府办公室关于印发荥阳市法治政府建设三年行动方案（2024—2026年）的通知"
    assert facts.doc_type == "plan"


def test_a_local_paper_writing_about_its_province_is_about_the_province():
    text = (
        "榆林新闻网 | 首页 | 本地新闻\n\n去年我省行政复议受理量首破1.5万件 主渠道作用持续彰显\n\n"
        "2024-02-06 09:12:37　来源：榆林日报　作者：记者 高宏伟\n\n"
        "本报讯　记者从省政府新闻办新闻发布会上获悉，2023年全省各级行政复议机关共受理行政复议案件1.52万件。"
        "记者了解到，我市行政复议工作同样走在全省前列。\n"
    )
    assert read_document_facts("x", text).jurisdiction == "陕西省"


def test_a_report_on_one_field_delivered_to_the_congress_is_an_annual_report():
    text = (
        "关于全市行政复议体制改革工作情况的报告\n——2023年10月24日在连云港市第十七届人民代表大会常务委员会第十四次会议上\n"
        "市司法局局长　周明远\n\n主任、各位副主任、秘书长、各位委员：\n我受市人民政府委托，向本次会议报告工作，请予审议。\n"
        "全市各级行政机关制作发布的白皮书和案例汇编……\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.doc_type, facts.period_start, facts.period_end) == ("annual_report", 2023, 2023)


@pytest.mark.parametrize(
    ("text", "title", "doc_type"),
    [
        (
            "中共玉林市委全面依法治市委员会办公室\n关于2023年度各县（市、区）法治政府建设考评结果的通报\n\n"
            "玉法治办发〔2024〕5号\n\n各县（市、区）党委全面依法治县（市、区）委员会办公室，市直各有关单位：\n",
            "关于2023年度各县（市、区）法治政府建设考评结果的通报", "other",
        ),
        (  # issued by a government and a court together, on 行政争议: the text's 白皮书 is another book
            "绍兴市人民政府 绍兴市中级人民法院\n关于深化府院联动推进行政争议实质性化解的实施意见\n\n"
            "绍政发〔2023〕21号\n\n一、工作背景\n人民法院每年向同级政府报送行政审判白皮书。\n",
            "关于深化府院联动推进行政争议实质性化解的实施意见", "opinion",
        ),
    ],
)
def test_a_text_under_its_issuers_names_is_titled_by_the_line_below(text, title, doc_type):
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type) == (title, doc_type)


def test_the_governments_report_given_with_the_heads_own_account_is_the_annual_report():
    title = "关于2022年度法治政府建设情况暨本人履行推进法治建设第一责任人职责情况的述职报告"
    assert classify_doc_type(title, "") == "annual_report"
    assert classify_doc_type("县长履行推进法治建设第一责任人职责情况述职报告", "") == "other"


def test_a_wire_storys_headline_names_its_province_by_its_short_name():
    text = (
        "安徽：法治政府建设“成绩单”出炉 行政复议案件量首破三万件\n\n"
        "新华社合肥2月27日电（记者 汪海月）记者27日从安徽省人民政府新闻办公室获悉，2023年安徽省各级行政复议机关共收到申请3.18万件。"
        "在大别山腹地的金寨县，县政府将“府院联动”延伸到乡镇。\n"
    )
    assert read_document_facts("x", text).jurisdiction == "安徽省"


def test_the_years_report_given_as_an_interview_is_the_annual_report_and_news_of_a_release_is_news():
    assert classify_doc_type("——市长就鄂州市2023年度法治政府建设情况答记者问", "") == "annual_report"
    assert classify_doc_type("沅陵县发布2023年度法治政府建设情况报告", "") == "news"


def test_a_posts_headline_on_the_years_scorecard_titles_the_annual_report():
    text = (
        "重磅！2023年乐清法治政府建设“成绩单”出炉，快来看看👇\n\n乐清司法　2024-01-18 18:30　发表于浙江\n\n"
        "★关键词一：学法用法\n\n▲全市共举办法治培训【36】期，参训干部达【4800余】人次，比前年多了整整一千人次！\n"
    )
    facts = read_document_facts("x", text)
    assert (facts.title, facts.doc_type) == ("重磅！2023年乐清法治政府建设“成绩单”出炉，快来看看👇", "annual_report")
