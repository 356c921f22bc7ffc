"""Document facts: title, jurisdiction as named, document type, period reported on, publication date.

These come from how such texts are laid out: a title line naming the issuing government and
the kind of text, a labelled or signed date, and the year or years in the title. The official
code of the jurisdiction is attached by the geography stage, so this module only
reports the name as the text gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .divisions import names_then_and_now, province_of
from .normalize import normalize_width, parse_chinese_integer
from .text_layout import TOP_HEADING

DOC_TYPES = ("annual_report", "plan", "opinion", "white_paper", "proposal_reply", "news", "other")
LEVELS = ("province", "prefecture", "county")

_TITLE_LABEL = re.compile(r"^\s*(?:[|｜]\s*)?(?:标\s*题|题\s*目|文章标题)\s*[:：|]\s*[|｜]?\s*(?P<title>[^|｜\n]{4,80})")
_LABEL = re.compile(r"^(?:主题|标题|题目|名称)\s*[:：]\s*")
# A title on the government's rule-of-law work names law, the government, or its review of itself.
_RULE_OF_LAW_TOPIC = re.compile(r"法|政府|复议|应诉|争议|诉讼|调解")  # 关于…推进行政争议实质性化解的实施意见
_TITLE_WORDS = re.compile(r"报告|年报|方案|意见|白皮书|答复|规划|纲要|要点|计划|通知|决定|办法|情况|总结|公报|成绩单|^关于.*通报$")
_FURNITURE_LINE = re.compile(
    r"首页|导航|登录|注册|客户端|手机|热线|咨询|版权|copyright|ICP|备案号|网站|更多|当前位置|>>|分享|打印|关闭|责任编辑|来源[:：]|字号"
    r"|^(?:发布日期|发布时间|日期|时间)[:：]",  # a page's date line
    re.IGNORECASE,
)

_PLACE = (
    r"(?:[\u4e00-\u9fff]{2,9}?(?:省|自治区|特别行政区))?"
    r"(?:[\u4e00-\u9fff]{1,9}?(?:自治州|地区|盟|市))?"
    r"(?:[\u4e00-\u9fff]{1,9}?(?:自治县|自治旗|县|区|旗|市))?"
)
_PLACE_LAST_CHARS = "省区州盟市县旗"  # the last characters of the endings in _PLACE
_GOVERNMENT_SUFFIX = r"(?:人民政府|政府|司法局|法制办|依法治|委员会|全面依法治|法治政府|人民代表大会|人大|政协)"
_ISSUER = re.compile(r"(?P<name>" + _PLACE + r")(?=" + _GOVERNMENT_SUFFIX + r")")
_GOVERNMENT = re.compile(_GOVERNMENT_SUFFIX)
_PLACE_BEFORE = re.compile(r"(?P<name>" + _PLACE + r")$")
_PLACE_IN_TITLE = re.compile(
    r"(?P<name>(?:[\u4e00-\u9fff]{2,9}?(?:省|自治区))?(?:[\u4e00-\u9fff]{1,9}?(?:自治州|地区|盟|市))?"
    r"(?:[\u4e00-\u9fff]{1,9}?(?:自治县|自治旗|县|区|旗|市))?)"
    r"(?=(?:人民政府)?(?:\d{4}年|二〇|关于|法治|依法|政府|全面|进一步|行政复议|行政应诉|“|《)"
    r"|[\u4e00-\u9fff]{1,8}?(?:局|委员会|办公室)(?:\d{4}年|二〇|关于|法治|依法))"  # 咸宁市市场监督管理局2022年…
)
_NOT_PLACE = re.compile(r"^(?:本市|全市|我市|我区|全区|本区|全县|本县|我县|全省|本省|城市|都市|直辖市|各市|县市|县区|市区|地区|城区|社区|园区|景区|辖区|新区)$")
_PLACE_ENDINGS = ("省", "自治区", "市", "自治州", "地区", "盟", "县", "自治县", "区", "旗")
# words no place name holds (其中市政府…, 关于…, 今年市政府…, 年全市, 受县人民政府委托, 考前市司法局), some of them only inside a name and not right
# after a place's own ending: 福建省, 和平区, 全椒县, 进贤县 and 天津市和平区 are places
_BAD_PLACE_CHARS = re.compile(r"^[受由经据按向考被]|[的与及对在为是了我其]|关于|建设|以来|[今去明上当全每]年|(?<=.)(?<![省市区县州盟旗])[和从于全进加强推面步一关]")

_CONGRESS = re.compile(r"在(?P<name>[\u4e00-\u9fff]{2,12}?(?:省|自治区|市|州|盟|县|区|旗))第[一二三四五六七八九十]+届人民代表大会")
_NEWS_SOURCE = re.compile(r"(?:来源|稿源)\s*[:：]\s*(?P<name>[\u4e00-\u9fff]{2,4}?)(?:日报|晚报|新闻网|融媒体中心|电视台|广播电视台)")
# the site a page comes from, in its header or dateline: 六安新闻网 | 首页, 六安新闻网讯
_NEWS_SITE = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,4}?)(?:新闻网|融媒|发布)", re.MULTILINE)
_OWN_PLACE = re.compile(r"(?:我|本|全)(市|县|区|旗|州)")
_OWN_PROVINCE = re.compile(r"我省|本省")
_BOOK_TITLE = re.compile(r"《(?P<inside>[^《》\n]{2,60})》")
# A news headline that opens with a place's short name: 宜昌发布《…白皮书》, 潍坊：…
_HEADLINE_PLACE = re.compile(r"^(?P<short>[\u4e00-\u9fff]{2,3}?)(?:发布|召开|举行|出台|印发|公布|[:：])")
_LABELLED_DATE = (
    r"\s*[:：|]\s*\|?\s*(?P<y>\d{{4}})\s*[-/.年]\s*(?P<m>\d{{1,2}})\s*[-/.月]\s*(?P<d>\d{{1,2}})"
)
# 成文日期：2024-01-26　发布日期：2024-02-05: the date of publication wins over the date of writing.
_DATE_PUBLISHED = re.compile(r"(?:发布日期|发布时间)" + _LABELLED_DATE.format())
_DATE_LABELLED = re.compile(r"(?:答复日期|成文日期|印发日期|日期|时间|发文日期)" + _LABELLED_DATE.format())
_DATE_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_DATE_CN = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_CN_NUMERALS = re.compile(r"(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")

_YEAR_RANGE = re.compile(r"(?<!\d)(?P<a>(?:19|20)\d{2})\s*(?:年)?\s*[—–\-~至到]+\s*(?P<b>(?:19|20)\d{2})\s*年")
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年度|年)")


@dataclass(frozen=True)
class DocumentFacts:
    doc_id: str
    title: str
    jurisdiction: str
    level: str
    doc_type: str
    period_start: int | None
    period_end: int | None
    published: str
    title_start: int
    title_end: int


def close_letter_spacing(line: str) -> str:
    """政 府 工 作 报 告 → 政府工作报告: titles are often set with spaces between the characters."""
    return _LETTER_SPACE.sub("", line)


def find_title(text: str) -> tuple[str, int]:
    """The document's own title and its offset: a labelled 标题, else the first title-like line."""
    norm = normalize_width(text)
    offset = 0
    candidates: list[tuple[str, int]] = []
    for line in norm.split("\n"):
        stripped = line.strip()
        start = offset + (len(line) - len(line.lstrip()))
        offset += len(line) + 1
        labelled = _TITLE_LABEL.match(line)
        if labelled:
            title = labelled.group("title").strip(" |")
            return text[start + line.lstrip().find(title) : start + line.lstrip().find(title) + len(title)], start
        if _BYLINE.search(stripped) and candidates and not candidates[-1][0].startswith(_LINK_BULLETS):
            headline, headline_start = candidates[-1]  # a news page: the headline stands above its byline
            return text[headline_start : headline_start + len(headline)], headline_start
        if not stripped or len(stripped) > 80 or len(stripped) < 6 or _FURNITURE_LINE.search(stripped):
            continue
        if stripped.startswith(_LINK_BULLETS) or stripped.startswith(("|", "｜")) or stripped.endswith(("。", "？", "?")):
            continue  # a related link, a table row (a page's 索引号/发布机构 box), a sentence or a question: no title
        if TOP_HEADING.match(stripped):
            continue  # 一、行政执法主体和人员情况 heads a section of the text
        candidates.append((stripped, start))
        if len(candidates) >= 40:
            break
    for index, (stripped, start) in enumerate(candidates):
        wrapped = _wrapped_title(candidates, index, text)
        if wrapped:
            return wrapped, start
        if stripped.count("《") > stripped.count("》"):
            continue  # a body line that breaks inside a book title: 认真落实《法治政府建设实施纲要
        words = close_letter_spacing(stripped)
        if _is_title(words):
            label = _LABEL.match(stripped)
            if label:  # 主题:《…》白皮书主要内容 → the title without its label
                start, stripped = start + label.end(), stripped[label.end() :]
            return text[start : start + len(stripped)], start
    if candidates:
        return text[candidates[0][1] : candidates[0][1] + len(candidates[0][0])], candidates[0][1]
    return "", 0


def _is_title(words: str) -> bool:
    return bool(_TITLE_WORDS.search(words) and (_RULE_OF_LAW_TOPIC.search(words) or _REPLY_TO.search(words)))


def _wrapped_title(candidates: list[tuple[str, int]], index: int, text: str) -> str:
    """A title set over two lines (…关于2021年度法治政府 / 建设情况的报告), joined; else "".

    The first line must not be a title on its own and must not end a phrase; the second must
    directly follow it and end as a title ends, so two lines of body text are never joined, nor
    an issuer's line with the title under it.
    """
    if index + 1 >= len(candidates):
        return ""
    first, first_start = candidates[index]
    second, second_start = candidates[index + 1]
    between = text[first_start + len(first) : second_start]
    if between.count("\n") != 1 or between.strip() or _PHRASE_END.search(first) or _PHRASE_END.search(second[:-1]):
        return ""
    if second.startswith("关于") or _DOCUMENT_NUMBER.search(first):
        return ""  # the issuer (邯郸市人民政府 / 关于…的实施意见) or the document's number set above its title
    first_words, joined = close_letter_spacing(first), close_letter_spacing(first + second)
    if _is_title(first_words) and first.count("《") <= first.count("》"):
        return ""
    if not (_TITLE_ENDING.search(joined) and _is_title(joined) and len(joined) <= 80):
        return ""
    return text[first_start : first_start + len(first)] + text[second_start : second_start + len(second)]


_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")  # 荥政办〔2024〕12号
_PHRASE_END = re.compile(r"[，,。；;：:、！!？?]")
_TITLE_ENDING = re.compile(r"(?:报告|年报|通报|方案|意见|白皮书|答复|复函|的函|规划|纲要|要点|计划|通知|决定|办法|总结|公报)[)）]?$")
_LETTER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
# A 政府工作报告 reviews the year before it was delivered and plans the next; it is none of the
# contract's named kinds.
_GOVERNMENT_WORK_REPORT = re.compile(r"政府工作报告")
# The line under a news headline: 来源：… 作者：… 发布时间：…
_BYLINE = re.compile(r"^(?:来源|稿源|作者|发布时间|发布日期|时间)\s*[:：].{0,80}?(?:发布时间|发布日期|时间|作者|编辑)\s*[:：]")
_LINK_BULLETS = ("·", "•", "▪", "►", "-", "*")
# A headline about an event: 我市召开2024年全市行政复议工作会议.
_EVENT = re.compile(r"召开|举行|举办")
# A headline that a place released its report: 沅陵县发布2023年度法治政府建设情况报告 is news of the release.
_RELEASE_HEADLINE = re.compile(r"[\u4e00-\u9fff]{2,10}(?:市|县|区|州|盟|旗|省)发布[^，。]*报告$")
_EVENT_HEADLINE = re.compile(r"(?:召开|举行|举办)[^，。]*(?:会|会议|活动|仪式)$")
# A 述法报告 or 述职报告 is one official's account of his own duties, not the government's report; a
# 行政执法数据统计分析报告 or a 统计公报 reports one field's statistics.
_OTHER_KIND_OF_REPORT = re.compile(r"述法|述职|数据统计|统计分析|公报")
# …法治政府建设情况暨本人履行推进法治建设第一责任人职责情况的述职报告: the government's report comes first
_GOVERNMENT_REPORT_FIRST = re.compile(r"法治政府建设(?:工作)?情况暨")
# A 通报 reports on progress to the offices it is sent to; it is none of the contract's named kinds.
_PROGRESS_NOTICE = re.compile(r"通报$")
_REPLY = re.compile(r"答复|复函|办理情况的(?:函|报告)")
_REPLY_TO = re.compile(r"建议|提案|议案|代表|委员")
_ANNUAL = re.compile(r"(?:年度|年)?[^，。]{0,20}(?:工作)?(?:情况|年度)?(?:报告|总结)")
# ——市长就鄂州市2023年度法治政府建设情况答记者问: the year's report, in whatever form it is given
_YEAR_REVIEWED = re.compile(r"(?:19|20)\d{2}年度?[\u4e00-\u9fff]{0,6}?法治政府建设(?:工作)?(?:情况|[“\"]?成绩单)")  # 2023年瑞安法治政府建设“成绩单”
_PLAN = re.compile(r"实施方案|行动方案|工作方案|规划|工作要点|行动计划|工作计划|实施纲要|任务分工")
_OPINION = re.compile(r"意见|决定|通知|办法")
_NEWS = re.compile(r"本报讯|通讯员|记者|新闻发布|发布会|新闻网|日报|晚报|融媒|讯[（(]")


def classify_doc_type(title: str, head: str) -> str:
    """What kind of text this is: the title decides; failing that, the opening of the text.

    A title names its kind (…报告, …实施方案, …意见); an article's opening names its source
    (本报讯, 记者), while words like 意见 in an opening are too common to decide anything.
    """
    if "白皮书" in title:
        return "white_paper"  # also the press conference that releases it
    if _EVENT_HEADLINE.search(title.strip()) or _RELEASE_HEADLINE.match(title.strip()):
        return "news"  # 平遥县召开2023年度法治政府建设工作总结暨2024年工作部署会, …考核讲评暨述法工作会议: a report of a meeting
    if (
        _GOVERNMENT_WORK_REPORT.search(title) or _PROGRESS_NOTICE.search(title.strip())
        or (_OTHER_KIND_OF_REPORT.search(title) and not _GOVERNMENT_REPORT_FIRST.search(title))
    ):
        return "other"
    if _REPLY.search(title) and _REPLY_TO.search(title):
        return "proposal_reply"
    # the year's report in another form (…情况答记者问), not news of an event on it (…情况新闻发布会)
    reviewed = _YEAR_REVIEWED.search(title) and not _EVENT.search(title) and "发布会" not in title
    if (_ANNUAL.search(title) or reviewed) and (
        re.search(r"\d{4}|年度|二〇", title) or _CONGRESS.search(head[:300])
    ):
        return "annual_report"  # …工作情况的报告 delivered to a congress (——…在…第十七届人民代表大会常务委员会…)
    if _PLAN.search(title):
        return "plan"
    if _OPINION.search(title):
        return "opinion"
    if _REPLY.search(head) and _REPLY_TO.search(head):
        return "proposal_reply"
    if "白皮书" in head:
        return "white_paper"
    if _NEWS.search(head) or _EVENT.search(title):
        return "news"
    if _ANNUAL.search(head) and re.search(r"\d{4}|年度|二〇", head):
        return "annual_report"
    if _PLAN.search(head):
        return "plan"
    return "other"


def _clean_place(name: str) -> str:
    name = name.strip()
    if not name or _NOT_PLACE.match(name) or not name.endswith(_PLACE_ENDINGS) or len(name) < 2:
        return ""
    if _BAD_PLACE_CHARS.search(name[:-1]):
        return ""
    return name


def find_jurisdiction(title: str, text: str) -> str:
    """The place the report is about, as named: from the title, else the most frequent issuer."""
    norm_title = normalize_width(title)
    for match in _PLACE_IN_TITLE.finditer(norm_title):
        name = _clean_place(match.group("name"))
        if name:
            return name
    for match in _ISSUER.finditer(norm_title):
        name = _clean_place(match.group("name"))
        if name:
            return name
    head = normalize_width(text)[:20000]
    headline = _HEADLINE_PLACE.match(norm_title)
    if headline:  # the full name the text uses most for the headline's short one
        names = re.findall(re.escape(headline.group("short")) + "(?:省|自治区|市|县|区|州|盟|旗)", head)  # 安徽：… → 安徽省
        if names:
            return max(set(names), key=names.count)
    own_in_title = _OWN_PLACE.search(norm_title)
    if own_in_title:  # 我市发布…白皮书: the text names the city in the book it speaks of (《无锡市2023年度…》)
        for book in _BOOK_TITLE.finditer(head[:3000]):
            named = _PLACE_IN_TITLE.match(book.group("inside"))
            name = _clean_place(named.group("name")) if named else ""
            if name.endswith(own_in_title.group(1)):
                return name
    sources = [m.group("name") for m in _NEWS_SOURCE.finditer(head[:3000])]
    if sources and _OWN_PROVINCE.search(norm_title) and not own_in_title:
        # 去年我省行政复议受理量首破1.5万件 in 榆林日报: a local paper writing about its province
        province = next((p for p in map(province_of, sources) if p), "")
        if province:
            return province
    own = _OWN_PLACE.search(head)
    if sources and own:  # 潍坊日报 … 我市: a local paper writing about its own city
        # 互助县融媒体中心 … 我县: the paper's name may carry the suffix already
        # a paper named for a region (皖西日报) yields to the site whose place the text names (六安新闻网)
        sources += [m.group("name") for m in _NEWS_SITE.finditer(head[:3000])]
        places = [n if n.endswith(own.group(1)) else n + own.group(1) for n in sources]
        return max(places, key=lambda name: (head.count(name) > 0, -places.index(name)))
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for suffix in _GOVERNMENT.finditer(head):  # read back from each 人民政府/司法局…: far fewer tries
        if head[suffix.start() - 1 : suffix.start()] not in (*_PLACE_LAST_CHARS, "\n"):
            continue  # no place name ends right before it (a line break lets $ match one earlier)
        match = _PLACE_BEFORE.search(head, max(0, suffix.start() - 24), suffix.start())
        name = _clean_place(match.group("name")) if match else ""
        if name and _ends_in_a_division(name):  # not 受县人民政府委托, 严格按照县人大常委会…
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, match.start())
    if not counts:  # ——2024年2月27日在睢宁县第十八届人民代表大会常务委员会…会议上: the congress it was delivered to
        congress = _CONGRESS.search(head[:1000])
        return _clean_place(congress.group("name")) if congress else ""
    return max(counts, key=lambda n: (counts[n], -first[n]))


def _ends_in_a_division(name: str) -> bool:
    """Whether the name ends in the official name of a division (…睢宁县, 商丘市), as an issuer's does."""
    names = names_then_and_now()
    return any(name[-k:] in names for k in range(2, len(name) + 1))


def level_from_name(name: str) -> str:
    """Level where the name alone settles it; a bare 市 may be a prefecture or a county-level city."""
    if not name:
        return ""
    if name.endswith(("省", "自治区")):
        return "province"
    if name.endswith(("自治州", "地区", "盟")):
        return "prefecture"
    if name.endswith(("县", "自治县", "旗", "自治旗")):
        return "county"
    if name.endswith("区") and re.search(r"市.+区$", name):
        return "county"
    if re.search(r"市.+市$", name):
        return "county"
    return ""


def _iso(y: str, m: str, d: str) -> str:
    try:
        year, month, day = int(y), int(m), int(d)
    except ValueError:
        return ""
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1980 <= year <= 2100):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


# a line under the title that dates the text (琼府〔2021〕47号　2021年11月12日印发, ——2023年8月29日在…会议上)
# is no sentence
_DATE_LINE_CHARS = 60
_SENTENCE_PUNCTUATION = re.compile(r"[，。；,;]")


def find_published(text: str) -> str:
    """A labelled date, else a date in a line near the top that is no sentence, else the signature date
    at the end."""
    norm = normalize_width(text)
    labelled = _DATE_PUBLISHED.search(norm[:3000]) or _DATE_LABELLED.search(norm)
    if labelled:
        return _iso(*labelled.group("y", "m", "d"))
    head = norm[:600]
    iso = _DATE_ISO.search(head)  # 2022-03-28 15:20 under a page's title: no sentence writes dates so
    if iso:
        return _iso(*iso.group("y", "m", "d"))
    for line in head.split("\n"):  # a date line under the title; not 截至2022年12月31日 inside a sentence
        line = line.strip()
        match = _DATE_CN.search(line)
        if match and len(line) <= _DATE_LINE_CHARS and not _SENTENCE_PUNCTUATION.search(line):
            return _iso(*match.group("y", "m", "d"))
    tail = norm[-1500:]
    lines = [line.strip() for line in tail.split("\n") if line.strip()]
    for line in reversed(lines):
        for pattern in (_DATE_CN, _DATE_ISO):
            match = pattern.fullmatch(line) or (pattern.search(line) if len(line) <= 40 else None)
            if match:
                return _iso(*match.group("y", "m", "d"))
        cn = _DATE_CN_NUMERALS.search(line) if len(line) <= 40 else None
        if cn:
            return _iso(
                str(parse_chinese_integer(cn.group("y"))), str(parse_chinese_integer(cn.group("m"))),
                str(parse_chinese_integer(cn.group("d"))),
            )
    return ""


def find_period(title: str, text: str, doc_type: str, published: str) -> tuple[int | None, int | None]:
    """The years the text reports on: from the title, else (white papers) the opening's range."""
    norm_title = normalize_width(title)
    years_in_title = _YEAR_RANGE.search(norm_title)
    if years_in_title and doc_type not in ("plan", "opinion"):
        return int(years_in_title.group("a")), int(years_in_title.group("b"))
    single = _YEAR.search(norm_title)
    if single and doc_type in ("annual_report", "white_paper", "news", "proposal_reply"):
        year = int(single.group("y"))
        return year, year
    if single and single.group().endswith("年度"):  # 市长2023年度述法报告: that year's account
        year = int(single.group("y"))
        return year, year
    if doc_type == "white_paper":
        head = normalize_width(text[:3000])
        match = _YEAR_RANGE.search(head)
        if match:
            return int(match.group("a")), int(match.group("b"))
    if doc_type == "news" and published:
        # 总结2023年法治建设工作 in a page of February 2024: a report of a meeting reviews the year it names
        year = int(published[:4])
        named = _YEAR.search(normalize_width(text[:1500]))
        if named and year - 1 <= int(named.group("y")) <= year:
            year = int(named.group("y"))
        return year, year
    if doc_type == "proposal_reply" and published:
        year = int(published[:4])
        return year, year
    if doc_type == "annual_report" and published and _CONGRESS.search(normalize_width(text[:300])):
        year = int(published[:4])  # a report on the work so far, delivered to a congress in the year it names
        return year, year
    if (doc_type == "annual_report" or _GOVERNMENT_WORK_REPORT.search(norm_title)) and published:
        year = int(published[:4]) - 1
        return year, year
    return None, None


def read_document_facts(doc_id: str, text: str) -> DocumentFacts:
    title, title_start = find_title(text)
    title_words = close_letter_spacing(title)
    head = normalize_width(text[:1500])
    doc_type = classify_doc_type(normalize_width(title_words), head)
    published = find_published(text)
    period_start, period_end = find_period(title_words, text, doc_type, published)
    jurisdiction = find_jurisdiction(title_words, text)
    return DocumentFacts(
        doc_id=doc_id,
        title=title,
        jurisdiction=jurisdiction,
        level=level_from_name(jurisdiction),
        doc_type=doc_type,
        period_start=period_start,
        period_end=period_end,
        published=published,
        title_start=title_start,
        title_end=title_start + len(title),
    )
