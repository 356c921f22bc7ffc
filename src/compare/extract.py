"""Indicator facts from a report's text: every stated number that the codebook recognises.

For each quantity mention the reader asks, in the words of the rules of reading:
what does it count (a codebook cue close before it, or right after it), in which area of work
(the domain), is it a change rather than a level, a part rather than the whole, a goal rather
than a result, and which years it covers. Numbers that fail any question yield nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .codebook import Codebook, Indicator
from .divisions import division_names
from .docfacts import DocumentFacts
from .facts import Fact
from .literals import key_characters, scan
from .mentions import Mention, MentionFinder
from .normalize import ReadingView, normalize_width, normalized_characters, parse_chinese_integer, reading_views
from .parts import resolve_parts
from .periods import PeriodCue, PeriodIndex
from .tables import YearCell, year_cells
from .text_layout import TOP_HEADING, Layout, collapse_titles, collapse_titles_with_offsets

# Words right before a number that make it a change, not a level (下降31.26%, 比去年上升0.8%).
_CHANGE_BEFORE = re.compile(
    r"(?:下降|上升|增长|增加|减少|提高|降低|提升|回落|增幅|降幅|降|增|减|多出|少了|翻番)(?:了|为|达|幅度为|幅度达)?$"
)
_CHANGE_AFTER = re.compile(r"^(?:个)?百分点")
_QUALIFIER_BEFORE = (
    ("approx", re.compile(r"(?:约|大约|近|将近|接近|大概)$")),
    ("le", re.compile(r"(?:不超过|不高于|不足|(?<!不)少于|(?<!不)低于|不到|最多)$")),
    ("ge", re.compile(r"(?:(?<!不)超过|(?<!不)超|逾|突破|多于|(?<!不)高于|不少于|不低于|至少|不下于)$")),
)
# the le and ge words inside the gap between a cue and its number (not approx: 近 there is too often 近年, 近期)
_QUALIFIER_IN_GAP = tuple(
    (name, re.compile(pattern.pattern.removesuffix("$"))) for name, pattern in _QUALIFIER_BEFORE[1:]
)
# a verb between a qualifier and its number: 超过 [举办] 30场
_VERB_BEFORE = re.compile(r"(?:举办|开展|组织|召开|举行|完成|办理|接受|参加|达到|达|为|有|是|共计|共|累计|计)$")
_QUALIFIER_AFTER = (
    ("ge", re.compile(r"^(?:以上|之上)")),
    ("le", re.compile(r"^(?:以下|以内|之内)")),
    ("approx", re.compile(r"^(?:左右|上下)")),
)
_TARGET_WORDS = re.compile(
    r"力争|确保|争取|目标|不少于|不低于|至少|要达到|应达到|须达到|必须|原则上|每年|今后|未来"
    r"|要(?:控制|保持|提高|降低|实现)"  # 今年全市行政诉讼败诉率要控制在5%以内
    r"|推动[^，。；,;]{0,20}(?:稳定在|保持在|保持|控制在)"  # 推动出庭应诉率保持在95%以上: a recommendation
)
_ACTUAL_WORDS = re.compile(r"已经|已|累计|完成了|均完成|全部完成|截至|截止|以来|年来|去年|上年|共办理|共受理|共有|现有|目前")
# 平均每个县（市、区）达到83项: an average over units, which no indicator counts.
# 全年行政执法人员人均参加法律知识培训不少于60学时: in a report, a floor the year reached, unless the
# sentence sets it as a goal.
# The heading of a plan's account of where things stand (a numbered heading ends it).
_BACKGROUND_HEADING = re.compile(r"基本情况|工作基础|发展基础|现状|主要成效|工作成效|取得的成效|取得的成绩|发展成就|回顾")  # “十三五”时期…回顾
# A change on the year before, which only a result can state.
_CHANGE_SINCE = re.compile(r"[，,]\s*(?:同比|(?:比|较)(?:上年|去年|上一年)(?:同期)?)(?:提高|上升|下降|增长|减少|降低|增加)")
# A plan's account of where things stand short: 同时也要看到，我市执法人员年度法律培训平均仅52学时.
_SHORTFALL = re.compile(r"仅|差距|短板|不足|也要看到|存在")
_FLOOR_REACHED = re.compile(r"全年|年均|年度|人均")
_GOAL_SET = re.compile(r"力争|确保|争取|目标|要|将|应|须|计划|拟|每年|原则上")
# 人均不低于60学时，实际人均达到66学时: a floor the next clause sets the actual figure against is the standard
_ACTUAL_NEXT = re.compile(r"[，,]\s*(?:而|但)?实际")
# 本人全年出庭应诉2次，带动全市行政机关负责人出庭应诉88件, …；本人带头为全县科级干部讲授法治专题课2次,
# 今年，我作为行政机关负责人出庭应诉2次: in an official's account of his duties, what he did himself is no
# figure of the government, unless a later clause names a body before the number.
_ONE_PERSON = re.compile(r"\s*(?:(?:今年|去年|全年|一年来)[，,]?)?(?:我本人|本人|我(?=作为))")
_NAMES_A_BODY = re.compile(r"全(?:市|县|区|省|州|旗)|各级|各部门|负责人|行政机关|政府")
# 司法所全年协助镇政府审查规范性文件和合同协议21件: work done for a town's government is the town's
# (but 审查各乡镇人民政府…报送备案的规范性文件35件 is the county's own review)
_FOR_A_TOWN = re.compile(r"(?:协助|帮助|代|为)(?:各)?(?:乡镇|镇|乡|街道)(?:人民)?(?:政府|办事处)")
# 每期参训30—40人: a figure for each session, not for the year
_PER_EVENT = re.compile(r"每(?:期|场|次|班)[\u4e00-\u9fff]{0,8}$")  # 每期参训人员不少于100人
# 被诉行政机关负责人每年至少出庭应诉1次: a quota for each official, not a figure of the government
_PER_OFFICIAL = re.compile(r"(?:负责人|负责同志|领导干部|领导)(?:每人)?每(?:年|半年|季度)(?:度)?(?:至少|不少于)")
# 首次达到浙江省要求的不低于5%的标准: the standard a higher government sets, not this one's figure or goal
_HIGHER_STANDARD = re.compile(
    r"(?:省|国家|中央|上级|国务院)(?:[\u4e00-\u9fff]{0,6}(?:要求|规定|确定|提出)的[^，,。；;]{0,10}|定[^，,。；;]{0,6})$"
)  # 达到省定不低于5%的要求
_AVERAGE = re.compile(  # …, and 各市州平均…81.6%, 14个市州政府平均会前学法9.4次
    r"平均每|每个?(?:县|市|区)(?:[(（][^)）]*[)）])?平均"
    r"|(?:各|[\d一二三四五六七八九十]+个)(?:设区市|市州|市|州|县区|县|区)(?:[(（][^)）]*[)）])?(?:人民)?(?:政府)?平均"
)
# 部分乡镇持证执法人员不足3人, 个别部门…, 其中乡镇（街道）综合执法人员187人: a figure for some of the
# units, not for the jurisdiction.
_SOME_OF_THEM = re.compile(
    r"\s*(?:(?:但|但是|仍有|还有|其中)?(?:部分|个别|少数|一些|有的|有些)|其中[，,]?(?:各)?(?:乡镇|镇|乡|街道|村|社区))"
)
# 其中，自治区人民政府本级收到…372件，审结329件: the government's own level is a part of the
# jurisdiction's total, in the clauses that follow too until one names the whole (全区…, 共…) again;
# but a clause that only gives the own level's share (其中市本级317件) hands the sentence back to
# the whole (…一审行政诉讼案件2,043件，其中市本级317件，审结1,876件).
_OWN_LEVEL_PART = re.compile(
    r"其中[，,：:]?[^，,。；;：:]{0,12}本级(?P<share>[^，,。；;：:]*)(?P<later>(?:[，,](?!\s*(?:全|共))[^，,。；;：:]*)*)$"
)
_OWN_LEVEL_SUBJECT = re.compile(r"\s*[\u4e00-\u9fff]{0,6}?(?:政府)?本级")  # a sentence or item that opens with 市政府本级
_BREAKDOWN = re.compile(r"\s*其中")
# 撤销和确认违法均为2件, 合格率、报备率均达100%: the number is each one's, not their sum's
_EACH = re.compile(r"均|都|分别")
_WHOLE_AREA_NAMED = re.compile(r"全(?:市|省|区|县|州|旗|盟)|各级")
_SHARE_ONLY = re.compile(r"\s*(?:为|有|占)?\s*[\d.,]+\s*[万亿]?[\u4e00-\u9fff]{0,2}\s*(?:、[^，,。；;：:]*)?")
# In a reply, the figures the deputy or member cites are theirs (您在建议中指出…败诉率达到16.8%).
_THEIR_FIGURES = re.compile(r"您(?:在(?:建议|提案|议案)中)?(?:指出|提出|提到|所提到|所说|反映|认为|了解)|据您")
# A typical case retold (【基本案情】申请人先后…提出政府信息公开申请37件): one party's figures.
_CASE_STORY = re.compile(r"\s*[【\[](?:基本案情|简要案情|案情简介|案情|处理结果|复议结果|裁判结果|审理结果|办理结果)[】\]]")
# 全市持证…5826人，市直部门执法人员2047人; …1150卷；市直部门评查412卷: the city's own departments after a
# figure of the whole in the same sentence, a part
_DIGIT = re.compile(r"\d")
_CITY_DEPARTMENTS = re.compile(r"\s*(?:其中[，,]?)?(?:市直|县直|区直|旗直)(?:各)?(?:部门|单位|机关)(?![和及与、])")
# 硖石街道：以…为抓手，法律顾问全年参与…合法性审查126件: a paragraph on one town or street, headed by its name
_TOWN_PARAGRAPH = re.compile(r"\s*(?P<place>[\u4e00-\u9fff]{2,4}(?:镇|乡|街道|管理区))[：:∶]")
# At a press conference each body speaks for itself: 【法院】市人民法院副院长介绍，…审结一审行政案件131件.
_ANOTHER_BODY_SPEAKS = re.compile(
    r"\s*(?:(?:同期|同时|此外|另外|据悉)[，,]?)?(?:【[^】\n]{0,6}(?:法院|检察|公安)[^】\n]{0,4}】"
    r"|[\u4e00-\u9fff]{0,6}(?:人民法院|人民检察院|法院|检察院|公安局)[\u4e00-\u9fff、]{0,10}(?:介绍|表示|通报))"
)
# 宁德市中级人民法院全年审结行政诉讼案件1083件; 瑞安法院诉前调解成功6142件，“府院联动”化解行政争议37件: one
# court named as the subject of its part of a sentence speaks for the court's docket (not 全市法院, the courts
# of the whole area, nor 人民法院 as such), unless it names the government sued
_A_COURT_SPEAKS = re.compile(
    r"\s*[▲△★☆●◆■◎※•·]?\s*(?:(?:同期|同时|此外|另外)[，,]?)?(?![全经由向在对被与])(?:[\u4e00-\u9fff]{1,8}?(?:中级|基层)?人民法院|[\u4e00-\u9fff]{2,4}(?<!人民)法院)"
    r"(?:全年|今年|本年|当年|20\d\d年|共|依法|累计)*(?=受理|审结|审理|新收|收案|诉前|调解|化解|办理|发出)"
)
_THE_GOVERNMENT_SUED = re.compile(r"被告|行政机关|政府|我(?:市|县|区|州|省)")
# 全市（保山）一审行政诉讼案件共416件 in a county's text: the area of the city the brackets name
_AREA_NAMED_IN_BRACKETS = re.compile(r"全(?:省|市|州|区|县|盟)[(（](?P<place>[\u4e00-\u9fff]{2,8})[)）]")
# A bare number beside another across spaces alone: a cell in a row of a table of counts.
_CELL_AFTER = re.compile(r"[ \t]+\d+(?:[ \t]|$)", re.MULTILINE)
_CELL_BEFORE = re.compile(r"(?:^|[ \t])\d+[ \t]+$")
# A part of a sentence (after a semicolon) that gives the whole area's total after its places' figures.
_WHOLE_AREA_TOTAL = re.compile(r"\s*(?:全(?:市|县|区|省|州|盟|旗)(?:合计|总计|共计|共)|合计|总计)")
# A list's heading before its colon: 各县（市、区）调处矛盾纠纷情况：
_LIST_HEADING = re.compile(r"\s*(?P<words>[^:：∶;。\n]{2,40}?)(?:情况|如下)?(?:为)?[:：∶]")
# In a bureau's own summary, its party group, offices and staff (局党组会议会前学法15次, 局机关…公开政务信息356条,
# 全局业务培训21期) are the bureau's own affairs, not the government's figures.
_THE_BUREAU_ITSELF = re.compile(r"\s*(?:(?:全年|同时)[，,]?)?(?:局党组|局机关|全局|局属)")
# 目录经三次动态调整: how often something was done to the thing, not a count of it
_HOW_OFTEN_BEFORE = re.compile(r"经(?:过)?$")
# 从案件类型看，涉及行政处罚的31件、行政强制的12件, 办理…提案涉及政务公开的共6件: cases of one type, a part
# of the whole by type (not 开庭审理的行政案件中涉及行政机关的7,335件, nor 涉及18个部门的63项)
_CASES_INVOLVING = re.compile(r"涉及(?!行政机关|政府|我|本)[^，,。；;、\d]{1,16}的(?:共|共计|合计)?$")
# 宣讲活动36场（不计入法治培训）: the text says the number does not count as what it might seem to.
_NOT_COUNTED_AFTER = re.compile(r"\s*[（(，,]\s*(?:均)?(?:不计入|未计入|不纳入|未纳入|不列入|不含在|不包括在)")  # or …2场，不计入培训期数
# …的案件为71件，属于上述全市一审案件中的一部分: the text says the number is a part of another.
_SAID_TO_BE_A_PART = re.compile(r"[^，,。；;\n]{0,4}[，,]\s*(?:属于|系|是|均为|均属)[^。；;\n]{0,24}?一部分")
# The rest of a list of fields, each with its count in brackets: （9件）等领域, （18件）、房屋征收（11件）…等方面.
_FIELDS_LISTED = re.compile(r"[)）](?:[、，,][^。；;，,\n]{1,16}?[（(][^)）\n]{1,10}[)）])*等(?:领域|方面|类型|行业|类别)")
# A line department (not the offices that act for the whole government: 司法, 审计, 信访, 行政复议).
_LINE_DEPARTMENT_NAME = (
    r"(?:[省市县区州盟旗]|自治区)(?P<name>(?:市场监管|市场监督管理|生态环境|交通运输|自然资源(?:和规划)?|公安|城市管理"
    r"|城管|综合行政执法|综合执法|应急管理|卫生健康|农业农村|文化和旅游|住房和城乡建设|住建|人力资源和?社会保障|人社"
    r"|税务|教育|水利|林业|商务|民政|医疗保障|医保)(?:厅|局|委))"
)
_LINE_DEPARTMENT = re.compile(r"\s*" + _LINE_DEPARTMENT_NAME)
_LINE_DEPARTMENT_HEAD_SPEAKS = re.compile(_LINE_DEPARTMENT_NAME + r"(?:主要)?负责(?:人|同志)(?:介绍|表示|说)")
# 市市场监管局副局长：2023年，全市市场监管系统…: at a press conference, the paragraph a department's head answers in
_LINE_DEPARTMENT_ANSWERS = re.compile(r"\s*" + _LINE_DEPARTMENT_NAME + r"(?:副)?(?:局长|厅长|主任|负责人|负责同志)[:：∶]")
# 对出庭应诉率低于80%的单位予以通报: a threshold that picks out units, not a level.
_THRESHOLD_AFTER = re.compile(r"^(?:以上|以下)?的(?:单位|部门|地区|县|乡镇|企业|案件)")
# A place's name as a subject: not 各市/全县/本区…, and not 社区, 园区, 景区, 辖区.
_PLACE_NAME = r"(?P<place>(?![各全本我该])[\u4e00-\u9fff]{{{min},{max}}}?(?:{endings}))(?<!社区)(?<!园区)(?<!景区)(?<!辖区)"
# A sentence of examples, and a clause in it that opens with a place's name, whatever follows.
_EXAMPLES = re.compile(r"\s*(?:其中|例如|比如)[，,：:]")
_EXAMPLE_PLACE = re.compile(r"^\s*(?:(?:其中|例如|比如)[，,：:])?\s*" + _PLACE_NAME.format(min=2, max=4, endings="市|县|区|旗"))
# 力争 governs the clauses after it: 力争到2023年底，全市人民调解成功率稳定在98%以上.
_STRIVE = re.compile(r"力争")
# what a level is brought to: in a sentence about a year still to come, a goal
_GOAL_VERB = re.compile(r"达到|保持|实现|控制在|稳定在|提高到|提升到|降低到|下降到|不低于|不少于|不超过")
# 提出明确目标：行政诉讼败诉率控制在4%以内，…；人民调解成功率稳定在98%以上: the goals a sentence announces
_GOALS_ANNOUNCED = re.compile(r"目标(?:任务)?(?:是|为)?[:：∶]")
# A sentence that opens by looking ahead states goals: 下一步，我们将…出庭应诉率保持100%; so does
# a meeting's demand in a news report (会议要求，…行政诉讼败诉率控制在10%以内).
_FORWARD_SENTENCE = re.compile(
    r"\s*(?:下一步|下步|今后一个时期|今后|明年|来年|新的一年|(?:我们|我[省市县区])将|会议(?:要求|强调|提出|部署))"
)
_ENUMERATED_ITEM = re.compile(r"[一二三四五六七八九十]是")
_PLANS_AHEAD = re.compile(r"下一步|下步|今后|明年|来年|新的一年|将(?:重点|着力|继续|进一步|坚持|以|对照|围绕|抓好|做好|从|聚焦)")
# A heading: a short line (2024年怎么干?划重点!), or a numbered one of up to 30 characters (二、“十四五”时期主要目标和2021年工作安排).
_HEADING_LINE = re.compile(
    r"(?m)^\s*(?:(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])[^\n]{0,30}|[^\n]{0,16})$"
)
# An annex, or the notes at the end (注释：), ends the plans: they speak of the year's results.
_ANNEX = re.compile(r"(?m)^[ \t\u3000]*(?:附(?:件|表)\s*\d*\s*[：:]?|(?:注释|附注)\s*[：:])")
_FORWARD_HEADING = re.compile(r"下[一]?步|(?:怎么|如何)干|工作打算|工作安排|主要安排|重点安排|工作计划|工作思路|努力方向|(?:明年|来年|新的一年)(?:的)?(?:工作|主要任务|重点)")
# 报备率、报备及时率、规范率均达到100%: rates listed before 均 share the number after it.
_SHARED_RATES = re.compile(r"(?:、[^，。；,;、]{1,8}?率)+(?=均|都|全部|分别)")
# 每个乡镇至少1名法律顾问, 每个村配备2名调解员: people or bodies for each township or office are a
# staffing norm, not the jurisdiction's count (a floor of sessions per body still is a goal to count).
# 每个乡镇配备…, and a quota for each unit (乡镇（街道）调委会原则上配备不少于2名专职人民调解员)
_PER_UNIT = re.compile(
    r"每(?:个|一个)?(?:乡镇|乡|镇|街道|村|社区|部门|单位|机关|司法所)"
    r"|(?:乡镇|街道|村|社区|部门|单位|调委会|司法所)[)）]?\S{0,6}?(?:原则上|均|各)\S{0,4}?配(?:备|齐)\S{0,4}$"
)
_STAFFING_UNITS = ("person", "organization")
# A cue that runs on into another word: the name of a law (行政处罚法等专项清理4次).
_OTHER_WORD_AFTER_CUE = re.compile(r"法(?=[等、，,》）)和及与]|$)")
# 行政处罚案件中适用简易程序的8,615件: some of what the cue names, picked out by what follows 中
_SUBSET_AFTER_CUE = re.compile(r"(?:案件|案卷)?中[，,]?[^，,。；;]{1,14}的$")
# ... or a place where the work is done, which 个 then counts (设立行政复议受理点8个, 调解工作站2个,
# 矛盾纠纷调处化解中心9个 after the cue 调处).
_PLACE_AFTER_CUE = re.compile(r"(?:工作)?(?:点|站|室|中心|窗口|大厅)|[\u4e00-\u9fff]*?(?:站|室|中心|窗口|大厅)(?:共|共计|合计)?[有达为]?$")
# What the number counts stands right after it, and it is none of ours (共分…8个部分, 3个方面).
# …, and the offices or places involved (涉及18个部门46项证明事项), which no indicator counts
_OTHER_THING_AFTER = re.compile(
    r"^(?:部分|方面|章|大类|板块|环节|(?:执法|职能|行政|业务|政府)?(?:部门|单位)|乡镇|街道|县区|县市区|区县|行业|领域"
    r"|设区市|地市|市州|县[（(]市|省份|省区市)"  # 居全省11个设区市第2位: places ranked against
)
# A bare number (no measure word) counts only right after its cue, with at most these words between.
# ∶: a label's colon in the layout's mask; a bar or a tab: the next cell of a table's row (| 维持 | 1603 |)
_BARE_GAP = re.compile(r"^(?:为|达|了|共|计|是|有|:|：|∶|\s*[|｜│┃]\s*|\t)?$")
# Numbers that name things: hotlines, phone numbers, codes.
_NAME_BEFORE = re.compile(r"(?:热线|电话|手机|传真|邮编|编号|代码|号码|信箱|标识码|QQ|微信|[“\"'])\s*[:：]?\s*$", re.IGNORECASE)
_GAP_CLAUSE_BREAK = re.compile(r"[。；;！？!?\n]")
_CLAUSE_COMMA = re.compile(r"[，,：:]")
_LONGEST_CUE = 48  # characters; cues are searched only this far before their allowed gap
_SHARED_COUNT_AFTER = re.compile(r"、(?!\s*\d)")
_CROSSED_CLAUSE_PENALTY = 10  # a cue in the previous clause is weaker than one in the number's own
# …unless the number's own clause is a bare verb, which goes on about the thing named before it
# (持续办好“岳麓法治讲堂”，全年举办11期; 举办法治专题培训班，共办班38期)
_BARE_VERB_CLAUSE = re.compile(
    r"(?:班)?[”’\"」』]?[，,]\s*(?:(?:全年|年内|当年|今年|共|累计|先后|目前|现|(?:19|20)\d{2}年)?已?(?:(?:确保|力争|争取)?(?:每人每年|每人|人均|每年))?"
    r"(?:举办|开展|组织|举行|办班|达到|达|审查|清理|评查|不少于|不低于|至少|保持在?)了?(?:共)?|(?:今年|去年|本年|上年)(?:为|是)?)$"
)  # …行政复议申请，今年286件、去年241件: the year's figure of the thing named before
# 占执法人员总数的6.07%, 比上年提高2个百分点，达到98%: the clause goes on about the sentence's subject
_CHANGE_TO = r"(?:提高|提升|上升|下降|降低|增加|减少|增长|升|降|增|减)(?:到|至)"  # 提高到, 下降至, 增至: the level it came to follows
_CONTINUATION = re.compile(
    rf"[，,]\s*(?:今年|本年|当年)?(?:力争|争取|确保)?(?:约|共|分别)?(?:占|达到|达|{_CHANGE_TO})"
    r"|[，,]\s*(?:今年|本年|当年)(?:为|是)?\s*$"  # 去年为241件，今年286件: this year's level of the same thing
    rf"|{_CHANGE_TO}"
    r"|(?:以上|以下|以内|左右)?[，,]\s*(?:力争)?(?:到|至)(?:19|20)\d{2}年(?:底|末)?(?:达到|达|提高到|提高至|保持)"  # 90%以上，到2025年达到100%
)
_TABLE_SCALES = {"万": 10_000, "亿": 100_000_000}  # a unit heading a table's row or column: 万件, 亿元
# A bare number right after a rate's name is that rate in percent: 调解成功率99.1 (the % lost), 败诉率为0.
_RATE_RIGHT_BEFORE = re.compile(r"率(?:为|是|达|达到|保持在|保持)?\s*$")
_THIS_ONE = re.compile(r"本次|此次|该次")
_LONGEST_BLOCK_HEADING = 20  # characters of a heading over a block of label lines (5．行政执法)
# 今年，市政府交由我局办理的…提案共27件，目前已全部按时办结: this year's work, done already
_DONE_THIS_YEAR = re.compile(r"\s*(?:今年|本年度?)[，,][^。]*?(?:已|均已)(?:全部)?(?:按时)?(?:办结|完成|办复|答复)")
_SO_FAR_THIS_YEAR = re.compile(r"\s*(?:今年|本年|年初|本年度)以来")
_WRITTEN_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
# A clause of verbs alone goes on about the subject of the clause before it: 持续提升群众对行政执法满意率，
# 力争达到93%以上.
_VERBS_ONLY = re.compile(
    rf"\s*(?:(?:19|20)\d{{2}}年(?:底|末)?[，,]?(?=力争|争取|确保|努力))?(?:力争|争取|确保|努力)?(?:稳定|保持|控制)?(?:在|于)?(?:达到|达|{_CHANGE_TO})?\s*"
)  # …出庭应诉率，2024年力争达到100%: a year only with a goal's verb
_TO_LEVEL = re.compile(r"\s*(?:至|到)\s*")
_CHANGED_TO = re.compile(rf"\s*{_CHANGE_TO}\s*")
# 由上年的132名增至156名: the number after 由 is the level it came from, of the year the phrase names.
_CAME_FROM = re.compile(r"(?:由|从)(?P<when>[^，。；,;\d]{0,12})$")
_LAST_YEAR = re.compile(r"上年|去年|上一年|前一年")
# what the continued clause leaves out between the subject and the number: 比上年提高2个百分点, 由2016年的23.5%
_CHANGE_PHRASE = re.compile(
    r"(?:比|较|同比|与)[^，。；,;]{0,8}?(?:提高|上升|下降|增长|减少|降低|增加)[\d.]+(?:个百分点|%|件|人|项)?"
    rf"|(?:由|从)[^，。；,;]{{0,12}}?\d[\d,.]*(?:%|件|人|名|项|个|家|次|条|份|卷|期|场)?{_CHANGE_TO}"
    r"|(?:达到|达|为)?[\d.]+(?:%|件|人|项|次)?(?:以上|以下|以内|左右)?[，,]\s*(?:力争)?(?=(?:到|至)(?:19|20)\d{2}年)"
)
# A sentence that opens by naming a place (寿光市在…, 东城区…) is about that place.
# So does one that opens with a township or street (游埠镇人民调解委员会…, 高里街道“和为贵”调解室…),
# after a year or 其中 as well: 2023年当阳市通过“板凳会”…, 其中长葛市人民调解组织….
# What may stand before a sentence's subject: an item's number, a year, 其中, 如, 同期.
_SUBJECT_PREAMBLE = (
    r"\s*(?:[一二三四五六七八九十]是|[(（][一二三四五六七八九十\d]+[)）]|【[^】\n]{1,8}】|[\u4e00-\u9fff]{2,6}[：:∶])?\s*"
    r"(?:但|但是|而)?(?:(?:19|20)\d{2}年(?:度)?[，,]?|去年|今年|全年|其中[，,]?|如|例如|目前|当前|同期)?"
)
_SENTENCE_SUBJECT_PLACE = re.compile(
    "^" + _SUBJECT_PREAMBLE
    + _PLACE_NAME.format(min=2, max=6, endings="市|县|区|旗|镇|乡|街道")
    + r"(?<!全市)(?<!全县)(?<!全区)(?<!全旗)(?<!本市)(?<!本县)(?<!本区)(?<!我市)(?<!我县)(?<!我区)"  # 目前全市 is no place
    r"(?:在|以|通过|坚持|推行|探索|围绕|针对|结合|创新|全年|今年|上半年|\d|共|累计|[“\"]|人民调解|调解委员会|调委会|司法所"
    r"|、|等)"  # 惠城区、惠阳区、博罗县等县（区）…: a list of places
)
_BEFORE_A_SUBJECT = re.compile(_SUBJECT_PREAMBLE + r"\s*")
# A town, a street or a management area opening the sentence is the subject whatever it does
# (宁津街道调处矛盾纠纷1240件, 人和镇建成调解室17个, 石岛管理区…): always a unit below the text's own.
_TOWN_SUBJECT = re.compile(
    "^" + _SUBJECT_PREAMBLE
    + r"(?P<place>(?![各全本我该每乡城村向对在从给为由到])(?:(?![化进推动深和与及部门直县市区综合加强开展持续个])[\u4e00-\u9fff]){2,3}(?:镇|乡|街道|管理区))"
    + r"(?=[\u4e00-\u9fff])"
)  # not 深化街道综合执法改革, 县直部门和乡镇…
# 各市（州）政府, 全市十八个县（市、区）政府: the governments below the text's own, together.
_LOWER_GOVERNMENTS = re.compile(
    "^" + _SUBJECT_PREAMBLE + r"(?:(?:全[省市州区县])?(?:各|[\d一二三四五六七八九十]+个)(?:市|州|县|区|旗|乡镇|乡|镇|街道)"
    r"(?:[（(][^)）]{0,8}[)）])?(?:人民)?政府|(?:全省)?各设区(?:的)?市"  # 各设区市和平潭综合实验区收到申请…
    # 14个街道综合执法中心共有执法人员396名: the towns' own offices
    r"|(?:全[市区县])?[\d一二三四五六七八九十]+个(?:乡镇|镇|乡|街道)(?:[（(][^)）]{0,8}[)）])?[\u4e00-\u9fff]{0,10}?(?:工作室|中心|执法队|司法所|办事处)"
    r"|(?:各|[\d一二三四五六七八九十]+个)辖?(?:县|市|区|旗)[（(][^)）]{1,8}[)）](?!政府|人民政府)"  # 各县（市）全年累计学法96次, 全年七个辖市（区）合计开展…
    r"|(?:其余|其他)(?:各)?(?:县市区|县区|区县|乡镇|街道|县|区)"  # …；其余区县及功能区合计339件、败诉21件: the rest of a list of places
    r"|在?各(?:县市区|县区|区县|县市|市县|县[（(]市、?区[)）])中)"  # 在各县市区中，耒阳市…210卷；祁东县…: the places below, one by one
)
# A place named by its short name over its whole area: 泉州全市, 潍坊全市, 福建全省.
_WHOLE_AREA = re.compile(r"全(?P<level>市|省|州|盟)")
_NOT_IN_THE_TABLE = ("镇", "乡", "街道", "自治区")  # towns, and 自治区 for the region around a text
_UNNAMED_PLACE = re.compile("^" + _SUBJECT_PREAMBLE + r"(?:有|另有|在)?(?:个别|一个|一些)?某(?:个)?(?:县|市|区|旗|镇|乡|街道|部门|单位|局)")
_DIVISION_ENDING = re.compile("[省市县区旗州盟]")
_LONGEST_DIVISION_NAME = 12  # 黔南布依族苗族自治州 has ten characters
# 2022年举办5期，2023年举办7期: the same thing in another year
# …, or in a year within the span just given (五年来…共计52次，其中2020年11次; …71件，2020年出台14件;
# …412件，2016年以来累计审查1870余件), or the actual figure after a standard (人均不低于60学时，实际人均
# 达到66学时), with a verb of the cue before or none.
_SAME_THING_AGAIN = re.compile(
    r"^(?:以上|以下|以内|左右)?[，,、;\s]*(?:其中[，,]?)?(?:(?:至|截至|到)?(?:19|20)\d{2}年(?:度|底|末|以来)?|今年|去年|上年|当年|本年|实际(?:人均)?)(?:累计|共计)?"
    r"(?P<verb>为|是|共|举办|开展|组织|举行|办理|受理|达到|达|[\u4e00-\u9fff]{2,3})?$"
)
# the levels of another year a sentence's counts are compared with, up to the number: 比2022年的14期、
_COMPARED_WITH_A_YEAR = re.compile(r"(?:比|较|与)(?P<year>(?:19|20)\d{2})年(?:同期)?的(?:[\d.,]+万?[^\d、，。；,;]{0,3}、)*$")
_TOTAL_ONLY = re.compile(
    r"^[，,、\s]*(?:[两二三四五六七八九十]年)?(?:共计|合计|总计|累计|共|总共|总数|总数为|总数达)[为达]?$"
)  # …分别受理…5,236件、5,817件、6,402件，三年合计17,455件


@dataclass(frozen=True)
class _Choice:
    indicator: Indicator
    distance: int
    cue_length: int
    cue_start: int  # offset in the document
    reads_until: int  # where the words this fact used end: a cue after the number is spent on it


class _Candidates:
    """The indicators a quantity can count, given its measure word and the domain it stands in."""

    def __init__(self, indicators: tuple[Indicator, ...], cues_of: tuple[re.Pattern[str] | None, ...]):
        self.indicators = indicators
        self.cues_of = cues_of  # per indicator, one pattern for all its cues (None if it has none)
        self.max_gap = max((i.max_gap for i in indicators), default=0)  # the widest gap any allows
        # Every cue match holds one of its indicator's key characters, so the characters of the
        # words before a number name the few candidates whose cues can be there at all.
        self._by_key: dict[str, set[int]] = {}
        self._always: set[int] = set()  # candidates whose cues have no key characters
        for k, indicator in enumerate(indicators):
            keys = key_characters(indicator.cues) if indicator.cues else frozenset()
            if keys is None:
                self._always.add(k)
            for key in keys or ():
                self._by_key.setdefault(key, set()).add(k)
        self._read_after = {k for k, indicator in enumerate(indicators) if indicator.cues_after}
        self._key_chars = re.compile("[" + "".join(map(re.escape, sorted(self._by_key))) + "]") if self._by_key else None

    def worth_reading(self, lead: str, after: str) -> list[tuple[Indicator, bool]]:
        """The candidates a cue can name, in order, each with whether any of its cues occurs in the lead.

        Searched in the same window as FactReader._cue_before searches each cue. The key characters
        rule out most candidates and one search per remaining candidate most of the rest, before
        their cues are read one by one; candidates with cues after the number are kept when words
        follow it.
        """
        reach = len(lead) - _LONGEST_CUE
        window = lead[max(0, reach - self.max_gap) :]
        keys = self._key_chars.findall(window) if self._key_chars else ()
        possible = self._always.union(*(self._by_key[key] for key in keys))
        found = []
        for k in sorted(possible.union(self._read_after) if after else possible):
            indicator, cues = self.indicators[k], self.cues_of[k]
            cue_before = k in possible and cues is not None and cues.search(lead, max(0, reach - indicator.max_gap)) is not None
            if cue_before or (after and indicator.cues_after):
                found.append((indicator, cue_before))
        return found


def _any_of(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern that matches wherever any of them does (None for no patterns)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns)) if patterns else None


class _DomainIndex:
    """Where each domain's cues end, so the latest one before a number names the area of work."""

    def __init__(self, codebook: Codebook, masked: str):
        hits = sorted(
            (m.end(), domain.id)
            for domain in codebook.domains.values()
            for cue in domain.cues
            for m in scan(cue, masked)
        )
        self._ends = [end for end, _ in hits]
        self._domains = [domain for _, domain in hits]
        self._window = codebook.domain_window_chars

    def active(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._ends, pos) - 1
        if i >= 0 and pos - self._ends[i] <= self._window:
            return self._domains[i]
        return None


@dataclass(frozen=True)
class _Page:
    """One document as the reader goes through it: the text as read, its reading view, layout and indexes."""

    text: str  # as read: evidence is cut from it
    view: ReadingView
    layout: Layout
    document: DocumentFacts
    periods: PeriodIndex
    domains: _DomainIndex
    plans: tuple[int, int]  # where the plans for next year begin and end (at an annex), in the view
    background: tuple[int, int]  # where a plan's or opinion's account of the present begins and ends, in the view


class FactReader:
    """Reads facts from document texts with one codebook; build once, reuse for many documents."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.finder = MentionFinder(codebook.all_measure_words)
        self._by_measure_word: dict[str, list[Indicator]] = {}
        for indicator in codebook.indicators.values():
            for word in indicator.measure_words:
                self._by_measure_word.setdefault(word, []).append(indicator)
        self._all = list(codebook.indicators.values())
        self._candidate_sets: dict[tuple[str, str | None], _Candidates] = {}  # built as first needed
        self._cues_of = {indicator.id: _any_of(indicator.cues) for indicator in self._all}
        self._division_names = division_names()  # to tell a place opening a sentence from other words

    def read(self, text: str, document: DocumentFacts) -> list[Fact]:
        """The facts of a document: of its text, then of a side column printed beside it, if any."""
        main, side = reading_views(text, self.codebook.noise, self.codebook.inner_characters)
        facts = self._read_view(text, main, document)
        if side is None:
            return facts
        return sorted(facts + self._read_view(text, side, document), key=lambda fact: fact.start)

    def _read_view(self, text: str, view: ReadingView, document: DocumentFacts) -> list[Fact]:
        norm = view.text
        layout = Layout.of(norm)
        reference_year = document.period_end or (int(document.published[:4]) if document.published else None)
        page = _Page(
            text, view, layout, document,
            periods=PeriodIndex(layout, reference_year, _last_year(document)),
            domains=_DomainIndex(self.codebook, layout.masked),
            plans=tuple(view.view_of(p) for p in self._plans_section(normalize_width(text), document)),
            background=tuple(view.view_of(p) for p in self._background_section(normalize_width(text), document)),
        )
        facts: list[Fact] = []
        lead_floor = 0  # end of the last quantity that yielded a fact or had a measure word
        chosen: list[tuple[_Choice, int]] = []  # the choices of the facts read so far, with their numbers' sentences
        table_cells, table_rows = self._tables(text, view)
        for mention in _with_unread_cells(self.finder.find(norm), table_cells, norm, view):
            if table_rows and bisect.bisect_right(table_rows, mention.start) % 2:
                cell = table_cells.get(mention.number_start)  # other numbers of a row: 序号, 增减
                fact = self._read_table_cell(page, mention, cell) if cell else None
                if fact is not None:
                    facts.append(fact)
                continue
            if not mention.measure_word and mention.value <= 100 and _RATE_RIGHT_BEFORE.search(norm, max(0, mention.start - 5), mention.start):
                mention = mention._replace(measure_word="%")  # 调解成功率99.1，败诉率为0: a rate whose % was lost or is not needed
            sentence_start, _ = layout.sentence_span(mention.start)
            lead_start = max(sentence_start, lead_floor if lead_floor <= mention.start else sentence_start)
            clause_start = layout.clause_start(mention.start)
            verbs_only = (  # 持续提升…满意率，力争达到93%: the clause before holds the subject
                clause_start > sentence_start and norm[clause_start : mention.start].strip() != ""
                and _VERBS_ONLY.fullmatch(norm, clause_start, mention.start) is not None
            )
            continuation = verbs_only or bool(_CONTINUATION.match(norm, lead_start, mention.start)) or (
                # 败诉率较上年下降2.1个百分点至4.69%: the level the change came to
                norm.startswith("百分点", lead_start - 3) and _TO_LEVEL.fullmatch(norm, lead_start, mention.start) is not None
            )
            # 由2019年的86件下降至43件: the level it came to is of the report's own period, not 2019
            undated_level = continuation and _CHANGED_TO.fullmatch(norm, lead_start, mention.start) is not None
            if continuation:
                lead_start = sentence_start
            earlier = [choice for choice, sentence in chosen[-_EARLIER_CHOICES:] if sentence == sentence_start]
            read = self._read_mention(
                page, mention, sentence_start, lead_start, earlier, continuation, undated_level, verbs_only,
            )
            # 涉及18个部门46项证明事项: a count of the offices involved leaves the words before it to the next number
            offices = _OTHER_THING_AFTER.match(norm[mention.end : mention.end + 4])
            how_often = _HOW_OFTEN_BEFORE.search(norm, max(0, mention.start - 2), mention.start)
            if read is not None or (mention.measure_word and not offices and not how_often):
                lead_floor = mention.end
            if read is not None:
                fact, choice = read
                lead_floor = max(lead_floor, choice.reads_until)
                facts.append(fact)
                chosen.append((choice, sentence_start))
        return [_to_raw_offsets(f, text, view) for f in resolve_parts(facts, norm, self.codebook)]

    @staticmethod
    def _tables(text: str, view: ReadingView) -> tuple[dict[int, YearCell], list[int]]:
        """The year cells of the text's tables by their number's offset in the view, and the rows'
        spans in the view as a flat sorted list of starts and ends."""
        cells = year_cells(normalized_characters(text))
        by_start = {view.view_of(cell.start): cell for cell in cells}
        rows = sorted({(view.view_of(cell.row_start), view.view_of(cell.row_end)) for cell in cells})
        return by_start, [bound for row in rows for bound in row]

    def _read_table_cell(self, page: _Page, mention: Mention, cell: YearCell) -> Fact | None:
        """A number in a year column: the row's label is its cue, the column its year; a column of goals, or of a
        year still to come (in a plan, one of its own years), holds targets."""
        measure_word = "%" if cell.unit in ("%", "％") else cell.unit
        scale = 1
        if len(measure_word) > 1 and measure_word[0] in _TABLE_SCALES:  # 12345热线受理量（万件）
            scale, measure_word = _TABLE_SCALES[measure_word[0]], measure_word[1:]
        if measure_word and measure_word not in (*self.codebook.all_measure_words, "%"):
            return None
        label = cell.label
        domain = self._table_domain(label) or self._table_domain(cell.labels_before) or page.domains.active(mention.start)
        best: tuple[tuple[int, int], Indicator] | None = None
        for indicator in self._candidates(measure_word, domain).indicators:
            ends = [(m.end(), m.end() - m.start()) for cue in indicator.cues for m in cue.finditer(label) if m.end() > m.start()]
            if not ends or any(not p.search(label) for p in indicator.requires):
                continue
            if any(p.search(label) for p in (*indicator.excludes, *indicator.excludes_in_sentence)):
                continue
            key = max(ends)
            if best is None or key > best[0]:
                best = (key, indicator)
        if best is None:
            return None
        indicator = best[1]
        row = page.text[cell.row_start : cell.row_end].strip()
        period = (cell.year, cell.year) if cell.year is not None else _undated_actual(page.document)
        return Fact(
            doc_id=page.document.doc_id, indicator_id=indicator.id, value=round(mention.value * scale, 6),
            kind="target" if cell.goal or (cell.year is not None and _is_future(cell.year, page.document)) else "actual",
            qualifier=cell.qualifier,
            period_start=period[0], period_end=period[1],
            source="stated",
            evidence=row, start=mention.start, end=mention.end, unit=indicator.unit, as_written="",
            period_note="", sentence=page.view.view_of(cell.row_start),
        )

    @staticmethod
    def _a_line_department_speaks(
        masked: str, part_start: int, position: int, paragraph_start: int, document: DocumentFacts
    ) -> bool:
        """省交通运输厅完成执法人员轮训4200人次, 市市场监管局负责人介绍，该局…移送…11件: the figures of a part
        of the sentence (from part_start, after a semicolon) that opens with a line department, or in which
        its head speaks, or of a paragraph its head answers in, are that department's, a part of the
        government's, unless the document is its own."""
        department = (
            _LINE_DEPARTMENT.match(masked, part_start) or _LINE_DEPARTMENT_HEAD_SPEAKS.search(masked, part_start, position)
            or _LINE_DEPARTMENT_ANSWERS.match(masked, paragraph_start)
        )
        return department is not None and department.group("name") not in document.title

    def _counted_together(self, masked: str, choice: _Choice, mention: Mention) -> bool:
        """撤销和确认违法20件, 撤销或确认违法的共64件: the cue is joined to another indicator's cue, and the
        number counts both; not 调解、和解 (two words for what the chosen indicator counts)."""
        joiner = choice.cue_start - 1
        if joiner < 1 or choice.cue_start > mention.start or masked[joiner] not in "和及与或、":
            return False
        if _EACH.search(masked, choice.cue_start, mention.start):
            return False  # 备案审查合格率、报备率均为百分之百: each of them is the number

        def joined_cue(indicator: Indicator) -> bool:
            return any(
                match.end() == joiner for cue in indicator.cues for match in cue.finditer(masked, max(0, joiner - 12), joiner)
            )

        if joined_cue(choice.indicator):
            return False
        return any(joined_cue(other) for other in self._by_measure_word.get(mention.measure_word, ()) if other is not choice.indicator)

    def _table_domain(self, labels: str) -> str | None:
        """The area of work the last domain cue in a table's labels names (复议 before 受理, 审结)."""
        latest = max(
            ((m.end(), d.id) for d in self.codebook.domains.values() for cue in d.cues for m in cue.finditer(labels)),
            default=None,
        )
        return latest[1] if latest else None

    @staticmethod
    def _plans_section(norm: str, document: DocumentFacts) -> tuple[int, int]:
        """In a text that reviews a year, where the plans for the next begin (their numbers are targets),
        and where an annex after them (附件：2024年…主要数据) returns to the year's results."""
        if document.doc_type not in ("annual_report", "white_paper", "news", "proposal_reply", "other"):
            return len(norm), len(norm)
        for match in _HEADING_LINE.finditer(norm):
            line = match.group().strip()
            if line and _FORWARD_HEADING.search(line):
                annex = _ANNEX.search(norm, match.end())
                return match.start(), annex.start() if annex else len(norm)
        return len(norm), len(norm)

    @staticmethod
    def _background_section(norm: str, document: DocumentFacts) -> tuple[int, int]:
        """In a plan or opinion, the section on where things stand (一、基本情况, 工作基础, 现状), whose
        numbers are results, up to the next numbered heading."""
        if document.doc_type not in ("plan", "opinion"):
            return len(norm), len(norm)
        for match in _HEADING_LINE.finditer(norm):
            if _BACKGROUND_HEADING.search(match.group()):
                following = TOP_HEADING.search(norm, match.end())
                return match.start(), following.start() if following else len(norm)
        return len(norm), len(norm)

    def _read_mention(
        self, page: _Page, mention: Mention, sentence_start: int, lead_start: int, earlier: Sequence[_Choice],
        continuation: bool, undated_level: bool = False, verbs_only: bool = False,
    ) -> tuple[Fact, _Choice] | None:
        view, layout, document, periods = page.view, page.layout, page.document, page.periods
        norm = view.text
        before = norm[max(0, mention.start - 12) : mention.start]
        after = norm[mention.end : mention.end + 12]
        if _NAME_BEFORE.search(before):
            return None
        lead_raw = layout.masked[lead_start : mention.start]
        if mention.measure_word == "百分点" or _CHANGE_BEFORE.search(lead_raw.rstrip()) or _CHANGE_AFTER.match(after):
            return None
        if _OTHER_THING_AFTER.match(after) or _NOT_COUNTED_AFTER.match(after):
            return None
        if _SAID_TO_BE_A_PART.match(layout.masked, mention.end) or _HOW_OFTEN_BEFORE.search(before):
            return None
        if not mention.measure_word and (_CELL_AFTER.match(norm, mention.end) or _CELL_BEFORE.search(before)):
            return None  # 8.属于行政执法案卷      2     0     0: a cell of a table of counts, whose columns the text does not name
        if mention.start and layout.masked[mention.start - 1] in "（(" and _FIELDS_LISTED.match(layout.masked, mention.end):
            return None  # 主要集中在土地征收（18件）、…行政处罚程序违法（9件）等领域: cases by field
        lead, lead_offsets = collapse_titles_with_offsets(lead_raw, lead_start)
        if continuation:
            lead, lead_offsets = _drop_spans(lead, lead_offsets, _CHANGE_PHRASE)
        clause_start = layout.clause_start(mention.start)
        if verbs_only:  # 但宣威市败诉率仍偏高，达到12.5%: the place is the clause before's
            clause_start = max(sentence_start, layout.clause_start(clause_start - 1))
        clause_lead = layout.masked[clause_start : mention.start]
        # the part of the sentence the number stands in, after its last semicolon (the view's ； is ;)
        part_start = max(sentence_start, layout.masked.rfind(";", sentence_start, mention.start) + 1)
        whole_again = part_start > sentence_start and _WHOLE_AREA_TOTAL.match(layout.masked, part_start)
        # what the number can count, first: most numbers fit no indicator, and the checks of whose figure it is cost more
        choice = self._choose(layout, mention, sentence_start, lead, lead_offsets, page.domains, continuation)
        if choice is None and not earlier and not whole_again:
            return None
        if not whole_again and _about_another_place(layout.masked[sentence_start : mention.start], document, self._division_names):
            return None  # …东平县64件；市本级受理576件；全市合计受理行政复议案件1136件: the whole after its places
        if _THE_BUREAU_ITSELF.match(layout.masked, part_start) or (
            _CITY_DEPARTMENTS.match(clause_lead) and _DIGIT.search(layout.masked, sentence_start, clause_start)
        ):
            return None
        if _AVERAGE.search(clause_lead) or _PER_EVENT.search(clause_lead) or _FOR_A_TOWN.search(clause_lead) or (
            _PER_OFFICIAL.search(clause_lead) or _HIGHER_STANDARD.search(clause_lead) or _CASES_INVOLVING.search(clause_lead)
        ):
            return None
        area = _AREA_NAMED_IN_BRACKETS.search(clause_lead)
        if area and not document.jurisdiction.startswith(area.group("place")):
            return None
        person = _ONE_PERSON.match(layout.masked, sentence_start) or _ONE_PERSON.match(layout.masked, part_start)
        if person and (
            clause_start <= person.end()
            or not _NAMES_A_BODY.search(layout.masked, layout.clause_end(person.end()), mention.start)
        ):
            return None
        if _SOME_OF_THEM.match(clause_lead) or _in_own_level_part(layout.masked, sentence_start, mention.start):
            return None
        if _THEIR_FIGURES.search(layout.masked, sentence_start, mention.start) or _THRESHOLD_AFTER.match(after):
            return None
        paragraph_start = layout.paragraph_span(mention.start)[0]
        if _CASE_STORY.match(layout.masked, paragraph_start):
            return None
        town = _TOWN_PARAGRAPH.match(layout.masked, paragraph_start)
        if town and town.group("place") not in document.jurisdiction:
            return None
        if _ANOTHER_BODY_SPEAKS.match(layout.masked, sentence_start):
            return None
        court = _A_COURT_SPEAKS.match(layout.masked, part_start)
        if court and not _THE_GOVERNMENT_SUED.search(layout.masked, court.end(), mention.start):
            return None
        if self._a_line_department_speaks(layout.masked, part_start, mention.start, paragraph_start, document):
            return None
        examples = _EXAMPLES.match(layout.masked, sentence_start) is not None
        sentence_lead = layout.masked[sentence_start : mention.start]
        if _about_another_place(clause_lead, document, self._division_names, examples) or _about_wider_area(
            clause_lead, document, sentence_lead
        ) or _about_a_lower_whole(sentence_lead, document):
            return None
        wider = _WIDER_VIEW.match(layout.masked, sentence_start)
        if wider and not document.jurisdiction.endswith(wider.group("level") or wider.group("within")):
            return None  # 从全州看，伊犁州全年共受理行政复议案件412件 in 昭苏县's text
        example = _PLACE_FOR_EXAMPLE.match(layout.masked, sentence_start)
        if example and example.group("place") not in document.jurisdiction:
            return None
        view_of = _ANOTHER_PLACES_VIEW.match(layout.masked, sentence_start)
        if view_of and view_of.group("place") not in document.jurisdiction and document.jurisdiction not in view_of.group("place"):
            return None  # 从成都市层面看，全市2022年…调解纠纷40余万件 in 都江堰市's text: the city's figures
        if _WIDER_AREA_OPENS.match(layout.masked, sentence_start) and _about_wider_area(
            _WIDER_AREA_OPENS.sub("", layout.masked[sentence_start : mention.start], count=1), document
        ):
            return None  # 据了解，2023年全省市场监管系统共查办…，移送司法机关案件219件: the province's, clause after clause
        if choice is None and earlier:
            # 讲座6期、培训班4期，共计10期: a bare total counts what the numbers before it count;
            # 2022年评查案卷1120卷，评选优秀案卷156卷；2023年评查1305卷: the same thing in another year, the
            # latest of the sentence's that the verb and the measure word fit
            next_in_list = _NEXT_IN_LIST.match(lead) and _year_of_a_list_respectively(
                layout.masked, sentence_start, mention.start, periods.reference_year
            )
            compared = _COMPARED_WITH_A_YEAR.search(layout.masked, sentence_start, mention.start)
            if _TOTAL_ONLY.match(lead) or next_in_list:
                again = earlier[-1:]
            elif compared:
                again = earlier[::-1]  # 18期，参训2650人次，比2022年的14期、1980人次均有增加: each the level of its kind
            else:
                again = [c for c in reversed(earlier) if _the_same_thing_again(lead, layout.masked, c)]
            fitting = (
                c for c in again
                if mention.is_percent == c.indicator.is_percent
                and (mention.is_percent or not mention.measure_word or mention.measure_word in c.indicator.measure_words)
            )
            previous = next(fitting, None)
            if previous is not None:
                choice = _Choice(previous.indicator, 0, 0, mention.start, mention.end)
        if choice is None and whole_again:
            # 各县（市、区）调处矛盾纠纷情况：泰山区6218件；…；全市合计41852件: the list's heading names the whole
            heading = _LIST_HEADING.match(layout.masked, sentence_start, part_start)
            if heading:
                heading_lead, heading_offsets = collapse_titles_with_offsets(heading.group("words"), heading.start("words"))
                choice = self._choose(layout, mention, sentence_start, heading_lead, heading_offsets, page.domains)
        if choice is None or self._counted_together(layout.masked, choice, mention):
            return None
        if _names_kinds_of_the_counted(layout.masked, choice, mention):
            return None
        indicator = choice.indicator
        kind = self._kind(layout, mention, sentence_start, document, page.plans, periods, page.background)
        qualifier = _qualifier(lead[len(lead) - choice.distance :] if choice.distance else "", lead, mention, after)
        cue = periods.cue_before(mention.start)
        period_note = cue.part_of_year if cue is not None and kind == "actual" else ""
        if kind == "target":
            period = _target_period(layout.masked[sentence_start : mention.start])
            year_cue = periods.cue_before(mention.start, same_sentence=True)
            if period == (None, None) and year_cue and year_cue.start_year and _is_future(year_cue.start_year, document):
                period = (year_cue.start_year, year_cue.end_year)
        else:
            period = (None if undated_level else periods.period_before(mention.start)) or _undated_actual(document)
            came_from = _came_from(layout.masked, sentence_start, mention)
            if came_from is not None:
                year_cue = periods.cue_before(mention.start, same_sentence=True)
                if year_cue is None or year_cue.end <= came_from:  # the phrase names no year
                    if _LAST_YEAR.search(norm, came_from, mention.start) is None or periods.reference_year is None:
                        return None  # the level it came from, at a time the text does not say
                    period = (periods.reference_year - 1, periods.reference_year - 1)
            year = _year_of_a_list_respectively(layout.masked, sentence_start, mention.start, periods.reference_year)
            listed = (
                _years_listed(layout.masked, sentence_start, mention.start, periods.reference_year)
                if _TOTAL_ONLY.match(lead) else None
            )
            compared = _COMPARED_WITH_A_YEAR.search(layout.masked, sentence_start, mention.start)
            if compared:  # 较2021年的85.6%提高12.4个百分点: the level of the year compared with
                year = int(compared.group("year"))
            if year is not None:
                period = (year, year)
            elif listed is not None:  # …分别受理…5,236件、5,817件、6,402件，三年合计17,455件: the years together
                period = (min(listed[1]), max(listed[1]))
            if period == (None, None) and periods.reference_year is not None:
                period = (periods.reference_year, periods.reference_year)
        evidence_start = layout.clause_start(min(choice.cue_start, mention.start))
        evidence_end = layout.clause_end(mention.end)
        return Fact(
            doc_id=document.doc_id,
            indicator_id=indicator.id,
            value=mention.value,
            kind=kind,
            qualifier=qualifier,
            period_start=period[0],
            period_end=period[1],
            source="stated",
            evidence=view.raw_text(page.text, evidence_start, evidence_end).strip(),
            start=mention.start,
            end=mention.end,
            unit=indicator.unit,
            as_written="",
            period_note=period_note,
            sentence=sentence_start,
        ), choice

    def _choose(
        self, layout: Layout, mention: Mention, sentence_start: int, lead: str, lead_offsets: Sequence[int],
        domains: _DomainIndex, continuation: bool = False,
    ) -> _Choice | None:
        """The indicator whose cue stands closest to the number, among those that fit it."""
        candidates = self._candidates(mention.measure_word, domains.active(mention.start))
        if not candidates.indicators:
            return None
        clause_end = layout.clause_end(mention.end)
        after, after_offsets = collapse_titles_with_offsets(layout.masked[mention.end : clause_end], mention.end)
        context = clause_lead = topic = breakdown = None
        whole_start = sentence_start
        best: _Choice | None = None
        for indicator, cue_before in candidates.worth_reading(lead, after):
            choice = self._cue_before(indicator, lead, lead_offsets, mention, continuation) if cue_before else None
            choice = choice or self._cue_after(indicator, after, after_offsets, mention)
            if choice is None:
                continue
            if context is None:
                context = collapse_titles(layout.masked[sentence_start:clause_end])
                # what a sentence is about may be named only by the title of the document it acts on
                # (制定并公布《…重大行政决策事项目录》，确定决策事项5项); what it excludes may not
                topic = layout.text[_list_item_start(layout.text, sentence_start, mention.start) : clause_end]
                block = _label_block_start(layout, mention.start)
                if block is not None:  # 出具法律意见：412条 under 法律顾问、公职律师：42名 and 4．依法决策
                    topic = layout.text[block:clause_end]
                elif _THIS_ONE.search(topic):  # 本次考试共有1604人通过: the exam the paragraph before names
                    paragraph_start = layout.paragraph_span(sentence_start)[0]
                    topic = layout.text[layout.paragraph_span(max(0, paragraph_start - 1))[0] : clause_end]
                # exclusions speak for the clause the number stands in, not for earlier clauses, nor
                # for the label that heads it (深化学法用法：常务会议会前学法不少于10次)
                clause_start = max(lead_offsets[0], layout.clause_start(mention.start))
                clause_start = max(clause_start, layout.label_end(clause_start, mention.start))
                clause_lead = collapse_titles(layout.masked[clause_start : mention.start])
            if any(not p.search(topic) for p in indicator.requires):
                continue
            if any(p.search(clause_lead) for p in indicator.excludes):
                continue
            opens_its_clause = choice.cue_start <= clause_start == layout.clause_start(mention.start)
            if indicator.unit == "percent" and opens_its_clause and clause_start > lead_offsets[0]:
                # a rate standing alone in its clause is the rate of the clause before
                # (参加网上学法考试，合格率99.6%): what that clause excludes holds for it too
                previous = collapse_titles(layout.masked[max(lead_offsets[0], layout.clause_start(clause_start - 1)) : clause_start])
                if any(p.search(previous) for p in indicator.excludes):
                    continue
            if breakdown is None:  # where the 其中 of the number's clause, or of the clause before it, stands
                breakdown, whole_start = -1, sentence_start
                after_comma = clause_start > sentence_start and layout.masked[clause_start - 1] in "，,、"
                for start in (clause_start, layout.clause_start(clause_start - 1) if after_comma else -1):
                    opening = _BREAKDOWN.match(layout.masked, start) if start > sentence_start else None
                    if opening:
                        breakdown = opening.end() - 2
                        whole_start = max(sentence_start, layout.clause_start(breakdown - 1))
                        break
                else:  # 持证执法人员：1215人（其中乡镇（街道）综合行政执法人员：338人）
                    bracketed = layout.masked.rfind("(其中", sentence_start, mention.start)
                    inside = layout.masked[bracketed : mention.start] if bracketed >= 0 else ""
                    still_open = inside.count("(") > inside.count(")")  # (其中乡镇(街道)…: 街道's bracket closes inside
                    breakdown = bracketed + 1 if still_open else -1
            if breakdown > sentence_start:
                # parts after 其中, in its clause or the next, are parts of the clause before it (出具合法性审核意见
                # 186件，其中审核区政府文件42件; 持证执法人员9216名，其中…367名，乡镇（街道）综合执法人员2760名): what
                # it excludes holds for them
                whole = collapse_titles(layout.masked[whole_start:breakdown])  # a bracket's whole is all before it
                if any(p.search(whole) for p in indicator.excludes):
                    continue
            if any(p.search(context) for p in indicator.excludes_in_sentence):
                continue
            if indicator.unit in _STAFFING_UNITS and _PER_UNIT.search(clause_lead):
                continue
            if best is None or (choice.distance, -choice.cue_length, indicator.domain is None) < (
                best.distance, -best.cue_length, best.indicator.domain is None
            ):
                best = choice
        return best

    def _candidates(self, measure_word: str, domain: str | None) -> _Candidates:
        """The indicators that count with this measure word ("" for a bare number) in this domain."""
        key = (measure_word, domain)
        if key not in self._candidate_sets:
            if measure_word:
                fitting = self._by_measure_word.get(measure_word, [])
            else:
                fitting = [i for i in self._all if not i.is_percent]
            indicators = tuple(i for i in fitting if i.domain is None or i.domain == domain)
            self._candidate_sets[key] = _Candidates(indicators, tuple(self._cues_of[i.id] for i in indicators))
        return self._candidate_sets[key]

    @staticmethod
    def _cue_before(
        indicator: Indicator, lead: str, lead_offsets: Sequence[int], mention: Mention, continuation: bool = False
    ) -> _Choice | None:
        best: tuple[int, int, int] | None = None
        window = max(0, len(lead) - indicator.max_gap - _LONGEST_CUE)  # a cue must end near the number
        for pattern in indicator.cues:
            for match in pattern.finditer(lead, window):
                if match.end() == match.start():
                    continue
                gap_text = lead[match.end() :]
                listed = _LISTED_BY_YEAR.match(gap_text)
                crossed = _CLAUSE_COMMA.search(gap_text) and not continuation and not _BARE_VERB_CLAUSE.match(gap_text)
                shared = _SHARED_RATES.match(gap_text)  # the other rates of a list that shares the number
                distance = 1 if listed else (
                    len(gap_text) - (shared.end() if shared else 0) + (_CROSSED_CLAUSE_PENALTY if crossed else 0)
                )
                if distance > indicator.max_gap or _GAP_CLAUSE_BREAK.search(gap_text):
                    continue
                if not mention.measure_word and not _BARE_GAP.match(gap_text):
                    continue
                if _ends_a_list(lead, match, gap_text) or _OTHER_WORD_AFTER_CUE.match(gap_text) or _SUBSET_AFTER_CUE.match(gap_text):
                    continue
                if mention.measure_word == "个" and _PLACE_AFTER_CUE.match(gap_text):
                    continue
                key = (distance, -(match.end() - match.start()), match.start())
                if best is None or key < best:
                    best = key
        if best is None:
            return None
        return _Choice(indicator, best[0], -best[1], lead_offsets[best[2]], mention.end)

    @staticmethod
    def _cue_after(indicator: Indicator, after: str, after_offsets: Sequence[int], mention: Mention) -> _Choice | None:
        if not mention.measure_word:
            return None
        for pattern in indicator.cues_after:
            match = pattern.match(after)
            # not an item of a list the number counts together (8个调解室、工作站), though the next item may
            # bring its own number (5,478个人民调解组织、2.1万余名人民调解员)
            if match and match.end() > 0 and not _SHARED_COUNT_AFTER.match(after, match.end()):
                return _Choice(indicator, 0, match.end(), mention.start, after_offsets[match.end()])
        return None

    @staticmethod
    def _kind(
        layout: Layout, mention: Mention, sentence_start: int, document: DocumentFacts, plans: tuple[int, int],
        periods: PeriodIndex, background: tuple[int, int],
    ) -> str:
        """Plans and opinions set targets unless a clause recounts results; reports state results
        unless the clause sets a goal or stands in the section on next year's work."""
        clause_end = layout.clause_end(mention.end)
        sentence = layout.masked[sentence_start:clause_end]
        clause = layout.masked[layout.clause_start(mention.start) : clause_end]
        year_cue = periods.cue_before(mention.start, same_sentence=True)
        if document.doc_type in ("plan", "opinion"):
            if _TARGET_WORDS.search(clause):
                return "target"
            if background[0] <= mention.start < background[1]:
                return "actual"
            past = (year_cue.start_year, year_cue.end_year) if year_cue else None
            plan_start = document.period_start or (int(document.published[:4]) if document.published else None)
            if past and past[1] is not None and plan_start is not None and past[1] < plan_start:
                return "actual"
            # or the clause right after the number: 出庭应诉率达98.2%，比上年提高3.5个百分点
            present = _ACTUAL_WORDS.search(sentence) or _SHORTFALL.search(sentence) or _CHANGE_SINCE.match(layout.masked, clause_end)
            return "actual" if present and not _TARGET_WORDS.search(sentence) else "target"
        in_plans = plans[0] <= mention.start < plans[1] and not _dated_in_the_past(
            layout.masked[sentence_start : mention.start], year_cue, document
        ) and not _DONE_THIS_YEAR.match(layout.masked, sentence_start, layout.sentence_span(mention.start)[1])
        if in_plans or (
            _TARGET_WORDS.search(clause)
            and not _ACTUAL_WORDS.search(clause)
            and not (_FLOOR_REACHED.search(clause) and not _GOAL_SET.search(sentence) and not _ACTUAL_NEXT.match(layout.masked, clause_end))
        ):
            return "target"
        if _FORWARD_SENTENCE.match(sentence) or (
            (_STRIVE.search(sentence) or _GOALS_ANNOUNCED.search(sentence)) and not _ACTUAL_WORDS.search(clause)
        ):
            return "target"
        if _in_enumerated_plans(layout, sentence_start) and not _ACTUAL_WORDS.search(clause):
            return "target"
        if (
            year_cue is not None and not year_cue.paragraph_wide and year_cue.start_year is not None
            and document.period_end is not None and year_cue.start_year > document.period_end
            and not year_cue.part_of_year and not _ACTUAL_WORDS.search(sentence) and _GOAL_VERB.search(clause)
        ):
            return "target"  # 2023年全市…出庭应诉率达到100% in a report on 2022: a year still to come
        return "actual"


def _with_unread_cells(mentions: list[Mention], cells: dict[int, YearCell], norm: str, view: ReadingView) -> list[Mention]:
    """The quantities of a text with the tables' figures the quantity finder passes over: five digits
    or more (行政处罚  32242), which outside a table would be codes or phone numbers, and digits that
    recognized text split by spaces (3 6 8)."""
    found = {mention.number_start for mention in mentions}
    extra = []
    for start, cell in cells.items():
        figure = norm[start : view.view_of(cell.end)]
        if start not in found and _CELL_FIGURE.fullmatch(figure):
            value = float(figure.replace(" ", "").replace(",", ""))
            extra.append(Mention(start, start + len(figure), start, value, "", False, False))
    return sorted(mentions + extra) if extra else mentions


_CELL_FIGURE = re.compile(r"\d[\d ,]*(?:\.\d+)?")


def _year_of_a_list_respectively(masked: str, sentence_start: int, position: int, reference_year: int | None) -> int | None:
    """2021年、2022年、2023年…分别为1,204件、1,351件、1,487件, 2019年至2023年的…依次为8.1%、…和11.2%: the
    year each value of the list is for, by its place in the list; None when the number stands in no such list."""
    listed = _years_listed(masked, sentence_start, position, reference_year)
    if listed is None or _LIST_ENDED.search(masked, listed[0], position):
        return None
    place = len(_LIST_SEPARATOR.findall(masked, listed[0], position))
    return listed[1][place] if place < len(listed[1]) else None


def _years_listed(
    masked: str, sentence_start: int, position: int, reference_year: int | None
) -> tuple[int, list[int]] | None:
    """Where 分别 or 依次 stands after a list or a span of years before the number (2021年、2022年、2023年,
    2021—2023年, 近三年 counted back from the reference year), and the years; None when there is none."""
    marker = max(masked.rfind("分别", sentence_start, position), masked.rfind("依次", sentence_start, position))
    if marker < 0:
        return None
    years = _YEAR_LIST.search(masked, sentence_start, marker)
    if years is not None:
        return marker, [int(y) for y in _LISTED_YEAR.findall(years.group())]
    span = _YEAR_SPAN.search(masked, sentence_start, marker)
    if span is not None and 0 < int(span.group("last")) - int(span.group("first")) < _LONGEST_LISTED_SPAN:
        return marker, list(range(int(span.group("first")), int(span.group("last")) + 1))
    back = _YEARS_COUNTED_BACK.search(masked, sentence_start, marker)
    if back is None or reference_year is None:
        return None
    count = int(back.group("n")) if back.group("n").isdigit() else parse_chinese_integer(back.group("n"))
    return marker, list(range(reference_year - count + 1, reference_year + 1))


_NEXT_IN_LIST = re.compile(r"^\s*[、和及]\s*$")  # …分别为1,204件、1,351件: the next value of the same thing
_YEAR_LIST = re.compile(r"(?:(?:19|20)\d{2}年、)+(?:19|20)\d{2}年")
_LISTED_YEAR = re.compile(r"((?:19|20)\d{2})年")
_YEAR_SPAN = re.compile(r"(?P<first>(?:19|20)\d{2})\s*年?\s*(?:—|–|-|~|至|到)\s*(?P<last>(?:19|20)\d{2})\s*年")  # 2021—2023年
# 收到行政复议申请数，2021年至2023年依次为146件, 会前学法次数，2021年、2022年、2023年分别为10次: values listed
# by year of the thing just named
_LISTED_BY_YEAR = re.compile(
    r"(?:数|数量|次数|件数|人数)?[，,]?\s*(?:" + _YEAR_SPAN.pattern + "|" + _YEAR_LIST.pattern + r")(?:的)?(?:分别|依次)(?:为|是)?$"
)
_LONGEST_LISTED_SPAN = 10  # years
_LIST_SEPARATOR = re.compile(r"[、和及]")
_YEARS_COUNTED_BACK = re.compile(r"近(?P<n>[两二三四五2345])年")  # 近三年…分别为132项、87项、64项
_LIST_ENDED = re.compile(r"[，；;。]")  # …6,402件，三年合计17,455件: the number after the list's last value


def _undated_actual(document: DocumentFacts) -> tuple[int | None, int | None]:
    """The years of a result the text does not date: a report's own period; in a plan for a span of
    years, which sets out from where things stand, the year before its first. (With no span, the year
    it was issued, as for any text.)"""
    if document.doc_type in ("plan", "opinion") and document.period_start is not None:
        return document.period_start - 1, document.period_start - 1
    return document.period_start, document.period_end


def _the_same_thing_again(lead: str, masked: str, previous: _Choice) -> bool:
    """2022年举办5期 after 2021年…法治讲座3期, 2020年出台14件 after 出台行政规范性文件71件: a year with at
    most a verb, which must be one of the cue's when it is no plain verb of counting."""
    again = _SAME_THING_AGAIN.match(lead)
    if again is None:
        return False
    verb = again.group("verb") or ""
    return len(verb) < 2 or verb in _COUNTING_VERBS or verb in masked[previous.cue_start : previous.cue_start + previous.cue_length]


_COUNTING_VERBS = ("举办", "开展", "组织", "举行", "办理", "受理", "达到", "办件", "办结", "增至", "增加到", "提高到", "减少到", "下降到", "降至")
_EARLIER_CHOICES = 8  # how far back a sentence's earlier choices are looked for


def _names_kinds_of_the_counted(masked: str, choice: _Choice, mention: Mention) -> bool:
    """直接纠错（撤销、变更、确认违法）13件: a cue inside a list in brackets right before the number
    names one of the kinds the number counts together."""
    close = mention.start - 1
    if close <= choice.cue_start or masked[close] not in ")）":
        return False
    open_ = max(masked.rfind("(", 0, close), masked.rfind("（", 0, close))
    return 0 <= open_ < choice.cue_start and "、" in masked[open_:close]


def _in_enumerated_plans(layout: Layout, sentence_start: int) -> bool:
    """四是…败诉率控制在7%以内 under 2024年，自治区政府将…重点抓好以下工作：一是…: an item of a list
    of plans, which the words before its 一是 announce."""
    if not _ENUMERATED_ITEM.match(layout.masked, sentence_start):
        return False
    paragraph_start, _ = layout.paragraph_span(sentence_start)
    first = layout.masked.find("一是", paragraph_start, sentence_start + 2)
    return first >= 0 and _PLANS_AHEAD.search(layout.masked, paragraph_start, first) is not None


def _in_own_level_part(masked: str, sentence_start: int, position: int) -> bool:
    """Whether the number at position counts the government's own level (其中市本级…), a part."""
    item_start = _list_item_start(masked, sentence_start, position)
    if item_start > sentence_start and _OWN_LEVEL_SUBJECT.match(masked, item_start):
        # 其中，2023年收到…1,032件；市政府本级2023年受理…438件: the own level, after the whole
        return bool(_BREAKDOWN.match(masked, sentence_start) or _WHOLE_AREA_NAMED.search(masked, sentence_start, item_start))
    part = _OWN_LEVEL_PART.search(masked, sentence_start, position)
    if part is None:
        return False
    return not (part.group("later") and _SHARE_ONLY.fullmatch(part.group("share")))


def _label_block_start(layout: Layout, position: int) -> int | None:
    """Where the block of label lines (持证：815名；) that the number's line belongs to begins, with the
    heading above it (5．行政执法): an item's label names what it counts, the block what it is about.
    None when the number's line opens with no label."""
    line_start = layout.text.rfind("\n", 0, position) + 1
    if not _has_label(layout, line_start, position):
        return None
    start = line_start
    while start > 0:
        previous = layout.text.rfind("\n", 0, start - 1) + 1
        line = layout.text[previous : start - 1]
        if _has_label(layout, previous, start - 1):
            start = previous
            continue
        if line.strip() and len(line.strip()) <= _LONGEST_BLOCK_HEADING:
            start = previous  # the block's heading
        break
    return start


def _has_label(layout: Layout, line_start: int, end: int) -> bool:
    colon = layout.text.find("：", line_start, end)
    if colon < 0:
        colon = layout.text.find(":", line_start, end)
    return colon >= 0 and colon in layout.label_colons


def _list_item_start(text: str, sentence_start: int, position: int) -> int:
    """Where the part of a sentence that a number belongs to begins: after the last semicolon
    before it, for a semicolon sets one matter of a list apart from the next (…告知承诺办件量1.03万件；
    大力推进“高效办成一件事”，…全年办件3.6万件), else at the sentence's start."""
    semicolon = max(text.rfind("；", sentence_start, position), text.rfind(";", sentence_start, position))
    return max(sentence_start, semicolon + 1)


def _dated_in_the_past(sentence_lead: str, year_cue: PeriodCue | None, document: DocumentFacts) -> bool:
    """A sentence among next year's plans that recounts a year already reported on (二、下一步工作举措 …
    2022年，我局共举办…培训28期): it states results, not goals."""
    if _SO_FAR_THIS_YEAR.match(sentence_lead):
        return True  # 今年以来，我局共承办…21件，均已按时办复
    written = [int(m.group("year")) for m in _WRITTEN_YEAR.finditer(sentence_lead)]
    return (
        year_cue is not None and year_cue.end_year is not None and document.period_end is not None
        and year_cue.end_year <= document.period_end
        and bool(written) and written[-1] <= document.period_end  # not 2024年…：全年… among the plans for 2024
    )


def _came_from(masked: str, sentence_start: int, mention: Mention) -> int | None:
    """Where the 由 phrase of a level a change leads away from (由上年的132名增至…) begins; None when
    the number is no such level."""
    if _CHANGED_TO.match(masked, mention.end) is None:
        return None
    match = _CAME_FROM.search(masked, sentence_start, mention.start)
    return match.start() if match else None


def _ends_a_list(lead: str, cue: re.Match[str], gap: str) -> bool:
    """撤销、确认违法、责令履行等纠错决定39件: a cue that is an item of a list closed by 等 does not name
    what the number counts; the number counts the whole list (合同、协议及规范性文件等152件 too)."""
    if re.match(r"(?:、[^，。；,;]{1,12}?)*等(?!级|次)", gap) is None:
        return False
    if gap.startswith("、") or (cue.start() > 0 and lead[cue.start() - 1] in "、及和与"):
        return True
    # 审查各类合同、协议及规范性文件等152件: a cue that runs over the list ends on its last item
    return re.search(r"、[^，。；,;]{1,12}?(?:及|和|与|、)", cue.group()) is not None


def _qualifier(gap: str, lead: str, mention: Mention, after: str) -> str:
    """余/多/以上 after the number, else 约/超过/不少于… right before it or between its cue and it."""
    if mention.over:
        return "ge"
    for name, pattern in _QUALIFIER_AFTER:
        if pattern.match(after):
            return name
    tail = _VERB_BEFORE.sub("", lead.rstrip()[-8:])
    for name, pattern in _QUALIFIER_BEFORE:
        if pattern.search(tail):
            return name
    for name, pattern in _QUALIFIER_IN_GAP:
        if pattern.search(gap):
            return name
    return "eq"


_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)(?:(?P<year>(?:19|20)\d{2})\s*年|“?(?P<plan>十[一二三四五六]五)”?(?:规划)?(?:期)?末)")
_FIVE_YEAR_PLAN_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}


def _target_period(before: str) -> tuple[int | None, int | None]:
    """A goal set for a year (到2025年, 到“十四五”末) covers that year; other goals have no period."""
    matches = list(_TARGET_YEAR.finditer(before))
    if not matches:
        return None, None
    last = matches[-1]
    year = int(last.group("year")) if last.group("year") else _FIVE_YEAR_PLAN_END[last.group("plan")]
    return year, year


def _about_another_place(
    lead: str, document: DocumentFacts, division_names: frozenset[str], examples: bool = False
) -> bool:
    """寿光市在…受理行政复议案件236件 in a 潍坊市 text: a figure for a place under it, not for it.
    Read over a sentence or over a clause (…，2023年当阳市通过“板凳会”化解纠纷2800件). In a sentence
    of examples (其中，榆次区…，介休市评查案卷312卷) any clause that opens with a place is about it.
    A division's official name opening the sentence is a place whatever follows it (赣州市评查案卷3200卷
    in a 江西省 report), and so is the city around a district (佛山市同期… in a 佛山市南海区 report)."""
    if _UNNAMED_PLACE.match(lead) or _LOWER_GOVERNMENTS.match(lead):
        return True  # 如某县（市）全年败诉率为11.3%, 各市（州）政府…106次: not the text's own government
    if not document.jurisdiction:
        return False
    for whole in _WHOLE_AREA.finditer(lead, 2):  # 2022年泉州全市…败诉率为8.1% in a 晋江市 reply
        for name in (lead[max(0, whole.start() - 3) : whole.start()], lead[whole.start() - 2 : whole.start()]):
            if name + whole.group("level") in division_names and name not in document.jurisdiction:
                return True
    match = (_EXAMPLE_PLACE if examples else _SENTENCE_SUBJECT_PLACE).match(lead)
    if match and (match.group("place") in division_names or match.group("place").endswith(_NOT_IN_THE_TABLE)):
        place = match.group("place")  # not 培训市、县两级…: a county or city must be one the divisions table knows
        return place not in document.jurisdiction and not document.jurisdiction.startswith(place[:2])
    town = _TOWN_SUBJECT.match(lead)
    if town and town.group("place") not in document.jurisdiction:
        return True
    opening = _opening_division(lead, division_names)
    if opening is None:
        return False
    place, end = opening
    own = document.jurisdiction
    if own.startswith(place) and len(own) > len(place):  # the city around a district, unless the text goes on to name the district
        return not lead.startswith(own[len(place) :][:2], end)
    return place not in own and not own.startswith(place[:2])


def _opening_division(lead: str, division_names: frozenset[str]) -> tuple[str, int] | None:
    """The division whose official name opens the lead (after a year, 其中 or an item's number), and
    where it ends; the shortest name that fits."""
    start = _BEFORE_A_SUBJECT.match(lead).end()
    reach = min(len(lead), start + _LONGEST_DIVISION_NAME)
    ending = _DIVISION_ENDING.search(lead, start + 1, reach)  # most leads hold none: one scan says so
    while ending is not None:
        name = lead[start : ending.end()]
        # two characters only for a county (容县, 沛县): 城区 and 郊区 are names of districts and plain words
        if name in division_names and (len(name) > 2 or name.endswith("县")):
            return name, ending.end()
        ending = _DIVISION_ENDING.search(lead, ending.end(), reach)
    return None


# 全省2023年纠错率为11.2%, 高于全省平均水平（全省…12.1%）: a figure for the province (or the
# country, or the prefecture around a county) stands beside the report's own for comparison.
# 从成都市层面看，…: a sentence about the place it names
_ANOTHER_PLACES_VIEW = re.compile(r"\s*从(?P<place>[\u4e00-\u9fff]{2,8}?(?:省|市|州|盟|县|区))(?:层面|范围|整体|全局)?(?:来)?看[，,]")
# 以荣县为例，目前该县共聘请法律顾问56名: a sentence about the place it takes as its example
_PLACE_FOR_EXAMPLE = re.compile(r"\s*以(?P<place>[\u4e00-\u9fff]{1,8}?(?:省|市|州|盟|县|区|旗))为例[，,]")
# 据了解，2023年全省…: a sentence about the wider area
_WIDER_AREA_OPENS = re.compile(r"\s*据(?:[^，,。；;]{0,12}?(?:通报|介绍|公布的数据|数据显示))?(?:了解|统计|悉)?[，,]\s*")  # 据怀化市司法局通报，
# 从全省看，改革以来全省…, 从全州看，伊犁州全年共受理…412件 in a county's text, 全省范围内，2023年行政复议
# 纠错率为11.5% in a city's: an area of a higher level than the text's own
_WIDER_VIEW = re.compile(r"\s*(?:从全(?P<level>国|省|自治区|市|州|盟|地区)(?:来|范围|情况)?看|全(?P<within>国|省|自治区|市|州|盟|地区)范围内)[，,]")
_WIDER_AREA_SUBJECT = (  # after a note's label too: 注：2023年全省…出庭应诉率为97.8%
    r"(?:^|[（(])\s*(?:[\u4e00-\u9fff]{{1,4}}[：:∶])?\s*(?:(?:19|20)\d{{2}}年(?:度)?[，,]?|同期|而|其中|[\u4e00-\u9fff]{{0,4}}以来[，,]?)?\s*(?:{areas})"
)
_WIDER_AREA_AVERAGE = r"(?:{areas})[^，。；,;]{{0,6}}?平均"


def _about_wider_area(clause_lead: str, document: DocumentFacts, sentence_lead: str = "") -> bool:
    """A number whose clause is about the whole province (or a wider area than the report's own), or
    whose sentence opens with that area (全市行政复议机构…收到…2.1万件，审结1.86万件 in a district's text)."""
    pattern = _wider_area_pattern(document.jurisdiction)
    if pattern is None:
        return False
    if "全" in clause_lead:  # the clause names its area itself (…，全市行政诉讼败诉率5.2%)
        return pattern.search(clause_lead) is not None
    if _OWN_SUBJECT.search(clause_lead):  # …，我市行政复议案件纠错率为14.2%
        return False
    return "全" in sentence_lead[:_SUBJECT_REACH] and pattern.match(sentence_lead) is not None


_OWN_SUBJECT = re.compile(r"我(?:省|市|县|区|州|盟|旗)|本(?:省|市|县|区|州|盟|旗|级)")


_SUBJECT_REACH = 16  # characters at a sentence's start within which its subject stands


def _about_a_lower_whole(sentence_lead: str, document: DocumentFacts) -> bool:
    """在大别山腹地的金寨县，…2023年全县…出庭应诉率达到百分之百 in a province's text: the last whole area the
    sentence names before the number is of a lower level than the text's own."""
    lower = _LOWER_LEVELS.get(document.jurisdiction[-3:] if document.jurisdiction.endswith("自治区") else document.jurisdiction[-1:])
    if not lower or "全" not in sentence_lead:
        return False
    wholes = _WHOLE_AREA_WORD.findall(sentence_lead)
    return bool(wholes) and wholes[-1] in lower


_WHOLE_AREA_WORD = re.compile(r"全(省|自治区|市|州|盟|县|区|旗)")
# the whole areas below a province's or a prefecture's own (全区 in a city's text may be a district's or a
# development zone's, so only 全县 counts there)
_LOWER_LEVELS = {"省": ("市", "州", "盟", "县", "区", "旗"), "自治区": ("市", "州", "盟", "县", "旗"), "州": ("县",), "盟": ("旗",)}


@lru_cache(maxsize=256)
def _wider_area_pattern(jurisdiction: str) -> re.Pattern[str] | None:
    """全国, 全省 …: the areas that contain a jurisdiction of this name, not it, as subject or average."""
    if not jurisdiction:
        return None
    areas = ["全国", "全省", "全自治区"]
    areas += [f"全{level}" for level in ("市", "区", "州", "盟") if not jurisdiction.endswith(level)]
    if jurisdiction.endswith("省"):
        areas.remove("全省")
    alternation = "|".join(areas)
    return re.compile(
        _WIDER_AREA_SUBJECT.format(areas=alternation) + "|" + _WIDER_AREA_AVERAGE.format(areas=alternation)
    )


def _last_year(document: DocumentFacts) -> int | None:
    """去年 in a dated page or reply is the year before its date; in a report, the year before the one it covers."""
    if document.doc_type in ("news", "proposal_reply") and document.published:
        return int(document.published[:4]) - 1
    return None


def _is_future(year: int, document: DocumentFacts) -> bool:
    """A year a goal can be set for: within a plan's own period, or after the period a report covers."""
    if document.doc_type in ("plan", "opinion"):  # with no span of its own, from the year it was issued
        start = document.period_start or (int(document.published[:4]) if document.published else None)
        return start is not None and year >= start
    return document.period_end is not None and year > document.period_end


def _to_raw_offsets(fact: Fact, text: str, view: ReadingView) -> Fact:
    """Offsets in the reading view become offsets in the text as read."""
    start, end = view.raw_span(fact.start, fact.end)
    as_written = text[start:end] if fact.source == "stated" else ""
    return Fact(**{**vars(fact), "start": start, "end": end, "as_written": as_written})  # dataclasses.replace, faster


def _drop_spans(text: str, offsets: Sequence[int], pattern: re.Pattern[str]) -> tuple[str, list[int]]:
    """Remove what pattern matches, keeping each remaining character's document offset."""
    keep = [True] * len(text)
    for match in pattern.finditer(text):
        keep[match.start() : match.end()] = [False] * (match.end() - match.start())
    kept = [i for i, k in enumerate(keep) if k]
    return "".join(text[i] for i in kept), [offsets[i] for i in kept] + [offsets[-1]]
