"""The values the reply check uses: phrase lists, patterns, prefixes and thresholds.

`ReplyRules.preset()` returns the values of the utility's interim work-order regulation
(确山县水务有限公司《工单管理暂行规定》, 2020). A utility changes them without touching code: the
policy table stores a plain dict, and `ReplyRules.from_dict` turns it back into rules.

Phrase lists (`*_phrases`, `*_words`) are literal text. Pattern lists (`*_patterns`) are Python
regular expressions matched against the normalised reply (see `text.normalize`): half-width
punctuation (, ; : ! ? ( )), 【】 for every square bracket, no spaces between Chinese characters.
In a pattern, `{citizen}` stands for any of `citizen_words`.
"""

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------------------------
# Preset values. Phrases quoted by the regulation are marked as such. The others are the usual
# wordings of replies for the same thing, so that the check does not depend on one way of writing.

# Words for the citizen in a reply. 其 is left out because 与其他单位 is far more common.
CITIZEN_WORDS = (
    "用户",
    "来电人",
    "来电者",
    "反映人",
    "诉求人",
    "投诉人",
    "报修人",
    "市民",
    "业主",
    "居民",
    "村民",
    "住户",
    "当事人",
    "户主",
    "该户",
    "您",
    "先生",
    "女士",
)

# Contact with the citizen (phone or in person). Site checks are listed separately below, and
# either one states the contact element.
CONTACT_PHRASES = (
    "取得联系",
    "电话联系",
    "电话沟通",
    "电话告知",
    "电话答复",
    "电话回复",
    "电话回访",
    "电话询问",
    "电话了解",
    "当面沟通",
    "当面告知",
    "当面说明",
    "当面解释",
    "当面答复",
    "当面交流",
    "面对面",
    "联系了用户",
    "致电用户",
)
CONTACT_PATTERNS = (
    r"与[^,。;!?]{0,6}?(?:{citizen})[^。;!?]{0,16}?"
    r"(?:联系|沟通|对接|见面|通话|交流|核实|确认|约定)(?!方式|电话|号码|人)",
    r"联系(?:了|上)?(?:{citizen})",
    r"致电(?:{citizen})",
    r"(?:{citizen})(?:本人)?(?:回电|来电告知|来电说明|来电称|到场|在场)",
    r"(?:拨打|打)(?:了)?(?:{citizen})[^,。;!?]{0,4}?(?:电话|手机)",
    r"向(?:{citizen})[^,。;!?]{0,8}?(?:了解|询问|核实|确认|说明|解释|告知)",
    r"(?:协助|帮助|陪同)(?:{citizen})",
)
SITE_CHECK_PHRASES = (
    "上门",
    "入户",
    "到户",
    "走访",
    "到现场",
    "到达现场",
    "赶赴现场",
    "现场查看",
    "现场核实",
    "现场核查",
    "现场勘查",
    "现场勘察",
    "现场调查",
    "现场检查",
    "现场检测",
    "现场核对",
    "现场了解",
    "现场落实",
    "现场处理",
    "现场测试",
    "现场测压",
    "现场取样",
    "现场踏勘",
    "现场察看",
    "现场确认",
    "实地查看",
    "实地勘查",
    "实地勘察",
    "实地核实",
    "实地调查",
    "实地察看",
    "实地检查",
    "实地踏勘",
    "到场",
    "巡查",
    "赶赴",
    "赶到",
    "赶往",
    "奔赴",
)
SITE_CHECK_PATTERNS = (
    r"到[^,。;!?]{1,20}?现场",
    r"赶(?:赴|到|往)[^,。;!?]{0,12}?现场",
    r"(?:前往|来到|赶到|抵达|到达|到)[^,。;!?]{0,15}?(?:(?:{citizen})家|家中|家里|门前|楼下|表井)",
    r"在现场",
    r"(?:深入|进入|赴)[^,。;!?]{0,10}?现场",
    # Going to a named place and looking there (到金山小区查看, 前往南雷组检查).
    r"(?:到|前往|来到|抵达|到达)[^,。;!?]{1,15}?"
    r"(?:小区|村|组|家|路|街|巷|楼|单元|社区|门前|表井|泵站|水厂)[^,。;!?]{0,6}?"
    r"(?:查看|察看|检查|核实|核查|勘查|调查|了解|走访|检测|取样|测压|维修|抢修)",
    # Staff sent to look (安排专人查看): the sentence names who went, not where.
    r"(?:派|安排|组织)[^,。;!?]{0,8}?(?:人员|专人|工作人员|技术人员)[^,。;!?]{0,6}?"
    r"(?:查看|察看|勘查|检查|核查|巡查)",
)

# The cause: causal words, a finding after an inspection, and conditions that explain a fault by
# themselves. Words for the fault the citizen reported (爆管, 漏水, 停水) are not causes.
CAUSE_PHRASES = (
    "原因",
    "造成",
    "导致",
    "所致",
    "引起",
    "引发",
    "致使",
    "由于",
    "源于",
    "起因",
    "系由",
    "查明",
    "发现",
    "老化",
    "陈旧",
    "锈蚀",
    "腐蚀",
    "冻裂",
    "冻胀",
    "冰冻",
    "封冻",
    "结冰",
    "堵塞",
    "淤堵",
    "淤积",
    "沉积",
    "砂眼",
    "暗漏",
    "落差",
    "地势较高",
    "地处",
    "低压区",
    "用水高峰",
    "停电",
    "欠费",
    "挖断",
    "压坏",
    "未归零",
    "混入空气",
    "缘故",
    "损坏",
    "破损",
    "松动",
    "脱落",
    "失灵",
    "老旧",
)
CAUSE_PATTERNS = (
    r"因(?!素|地制宜)",
    # "经查，…" and "经我镇调查，…" introduce what an inspection found. 经核实 is left out on
    # purpose: it confirms the request rather than explaining it.
    r"经[^,。;!?]{0,15}?(?:调查|查|检查|排查|勘查|勘察|检测|化验|查看|踏勘|核对|调阅|查阅)"
    r"[^,。;!?]{0,12}?(?:为|系|[,:])",
    r"受[^,。;!?]{1,12}?影响",
    # A fault located at a part (接口渗漏, 阀门损坏) is where the problem comes from.
    r"(?:接口|接头|阀门|阀|垫片|法兰|压盖|管件|弯头|三通|卡箍|焊口|丝扣|阀杆|水表)(?:处)?"
    r"(?:渗漏|漏水|渗水|损坏|破裂|断裂|开裂|松动|脱落|锈死|卡死)",
    # Who owns or manages the installation explains why the utility does or does not act.
    r"不属于[^,。;!?]{0,12}?(?:范围|职责|产权)",
    r"属于?[^,。;!?]{0,6}?(?:产权|自有|管理范围|职责范围)",
    r"未(?:移交|验收|交接)",
    # Why something cannot be done yet (不具备通水条件) is the cause of the request.
    r"不具备[^,。;!?]{0,8}?条件",
)
CAUSE_EXCLUSION_PATTERNS = (
    r"原因(?:不明|待查|尚不清楚|尚未查明|未查明|正在|仍在|未明)",
    r"(?:正在|尚未|未能|无法|将)查明",
    r"引起(?:重视|关注)",
)

# Measures taken. A promise (将…, 尽快…) is not a measure; see IRREALIS_PATTERNS.
MEASURE_PHRASES = (
    "维修",
    "抢修",
    "修复",
    "修理",
    "检修",
    "更换",
    "换装",
    "换表",
    "安装",
    "加装",
    "改造",
    "改装",
    "整改",
    "排污",
    "清洗",
    "冲洗",
    "排气",
    "放水",
    "消毒",
    "关阀",
    "关闭",
    "开启",
    "开阀",
    "打开",
    "调整",
    "调节",
    "调试",
    "疏通",
    "清理",
    "清淤",
    "清除",
    "开挖",
    "封闭",
    "回填",
    "加压",
    "增压",
    "堵漏",
    "止漏",
    "补漏",
    "修补",
    "焊接",
    "紧固",
    "敷设",
    "铺设",
    "接通",
    "督促",
    "协调",
    "组织",
    "安排",
    "启动",
    "纳入",
    "施工",
    "排查",
    "复查",
    "复核",
    "检测",
    "取样",
    "化验",
    "校验",
    "检定",
    "拆除",
    "送水",
    "临时供水",
    "补水",
    "退还",
    "退费",
    "核减",
    "减免",
    "重新计量",
    "处置",
    "送达",
    "通知",
    "提供",
    "帮助",
    "协助",
    "指导",
    "建议",
    "采取",
    "处理",
    "加强",
    "投加",
    "新建",
    "扩建",
    "增设",
    "抽干",
    "抽排",
    "密封",
    "置换",
    "修缮",
    "责令",
    "约谈",
    "上报",
    "优化",
    "完善",
    "改进",
    "提醒",
)
MEASURE_PATTERNS = (
    r"派(?:员|人|出|遣)",
    r"由[^,。;!?]{1,12}?(?:承担|负责)",
    # An explanation given to the citizen (已向用户说明新水价的执行时间); the bare 已向用户解释 is
    # a vague phrase and is masked before this is tried.
    r"(?:向|给)(?:{citizen})[^,。;!?]{0,10}?(?:解释|说明|讲解|告知|答复)",
)
# Department and job names that contain a measure word (安装队 is a department).
MEASURE_EXCLUSION_PATTERNS = (
    r"安装队",
    r"(?:维修|抢修|施工|检修)(?:人员|工人|师傅|班组|班|队伍|队|单位|电话|部门|范围|责任|方|期间)",
    r"处理(?:结果|意见|情况|进度|时限|时间|方案|流程|过程|完毕|完成)",
)

# The result of the handling.
RESULT_PHRASES = (
    "修复",
    "修好",
    "恢复供水",
    "恢复正常",
    "恢复通水",
    "恢复用水",
    "恢复水压",
    "已恢复",
    "已解决",
    "得到解决",
    "妥善解决",
    "予以解决",
    "完成",
    "完工",
    "竣工",
    "通水",
    "不再",
    "无渗漏",
    "无漏水",
    "不漏",
    "无积水",
    "止漏",
    "合格",
    "达标",
    "正常用水",
    "正常供水",
    "正常通水",
    "正常使用",
    "已消除",
    "已排除",
    "已退还",
    "已退费",
    "已核减",
    "已撤销",
    "已改善",
    "得到改善",
    "明显改善",
    "有所改善",
    "变清",
    "好转",
    "已来水",
    "已接通",
    "已办结",
    "得到处理",
    "得到妥善处理",
)
RESULT_PATTERNS = (
    r"(?:渗漏|漏水|渗水|积水)(?:已|已经)?停止",
    r"(?:水压|水质|用水|供水|水量|计量|水表|运行|管网)(?:已|已经|均|均已)?(?:恢复)?正常",
    r"符合[^,。;!?]{0,25}?(?:标准|要求|规定|规范)",
    r"(?:水压|水质)[^,。;!?]{0,6}?(?:达到|达标|合格)",
    r"(?:水压|水质|水量)[^,。;!?]{0,4}?(?:提升|提高)",
    r"用上(?:了)?(?:自来水|水)",
    r"恢复[^,。;!?]{0,6}?(?:供水|通水|用水)",
    r"来水(?:正常|恢复)",
    # A bill put right is the result of a billing request.
    r"已[^,。;!?]{0,12}?(?:减免|核减|退还|退费|更正|补发)",
)
RESULT_EXCLUSION_PATTERNS = (
    r"解决(?:办法|方案|措施|时限|时间|途径|问题的)",
    r"完成(?:时间|时限|期限)",
)

# Whether the citizen accepts the result. 不满意 is a stated acceptance status too; thanks and
# requests for understanding are not.
ACCEPTANCE_PHRASES = ("无异议", "没有异议", "未提出异议")
ACCEPTANCE_PATTERNS = (
    r"(?:表示|表达|表明)(?:非常|很|比较|基本)?"
    r"(?:满意|认可|同意|理解|接受|无异议|不满意|不认可|不同意|不理解|不接受|有异议)",
    r"(?:{citizen})[^。;!?]{0,24}?(?:满意|认可|同意|理解|接受|异议|谅解)",
    r"对[^,。;!?]{0,12}?(?:满意|认可|无异议|不满意)",
    r"取得(?:了)?[^,。;!?]{0,6}?(?:理解|认可|同意|谅解)",
    r"回访[^,。;!?]{0,4}?满意",
)
ACCEPTANCE_EXCLUSION_PATTERNS = (
    r"感谢[^。;!?]{0,20}?(?:理解|支持|谅解|配合)",
    r"(?:敬请|请|望|希望|恳请|尽量)[^,。;!?]{0,10}?(?:理解|谅解|满意)",
    r"满意度",
    r"(?:让|使|争取|力争|确保|提高|提升)[^,。;!?]{0,10}?(?:满意|认可|理解)",
)

# Phrases that may not make up a reply on their own (quoted by the regulation), and their variants.
VAGUE_PHRASES = (
    "等用户再来电",
    "用户家中无人",
    "用户自修",
    "用户在外地",
    "已向用户解释",
    "已处理完毕",
)
VAGUE_PATTERNS = (
    r"等(?:待)?(?:{citizen})再(?:次)?(?:来电|联系)",
    r"(?:{citizen})?家中无人",
    r"(?:{citizen})(?:已)?自(?:行)?修(?:理|复)?",
    r"(?:{citizen})(?:人)?(?:在|去|身在)外地",
    r"已(?:向|给|对)(?:{citizen})(?:做(?:好|了))?(?:解释|进行解释)(?:说明|清楚)?",
    # 说明 is as vague as 解释 when no words follow to tell what was explained.
    r"已(?:向|给|对)(?:{citizen})(?:做(?:好|了))?(?:说明|进行说明)(?:清楚)?(?=[。,;!?]|$)",
    r"(?:已|均已|现已)处理完(?:毕|成)",
)

# Statuses that may not be blamed unless the reply states how they were verified (quoted: 未移交,
# 未验收), and the words that state a verification.
UNVERIFIED_EXCUSE_PHRASES = (
    "未移交",
    "未验收",
    "未交接",
    "没有移交",
    "没有验收",
    "尚未移交",
    "尚未验收",
    "未办理移交",
)
VERIFICATION_WORDS = (
    "调阅",
    "查阅",
    "档案",
    "资料",
    "台账",
    "记录",
    "核对",
    "核实",
    "经查",
    "查询",
    "确认",
    "文件",
    "合同",
    "协议",
    "手续",
    "证明",
)

# Calls. A count word such as 多次 next to a call verb hides the date and hour of each call.
VAGUE_CALL_COUNT_WORDS = (
    "多次",
    "反复",
    "几次",
    "数次",
    "屡次",
    "多番",
    "再三",
    "多回",
    "好几次",
    "若干次",
    "无数次",
    "多遍",
    "几遍",
)
# These report a count only when the call failed (一直与用户保持联系 is fine).
PERSISTENT_CALL_WORDS = ("一直", "始终", "屡屡", "总是", "频繁")
CALL_ATTEMPT_VERBS = ("拨打", "致电", "打电话", "去电", "呼叫", "回拨", "联系")
# A failure word such as 关机 is about a call only in a sentence with a call verb or a phone.
CALL_CONTEXT_PATTERNS = (r"拨打|致电|打电话|去电|呼叫|回拨|联系|电话|手机|号码",)
# A clause about the utility's own lines (热线一直占线) is not a record of calling the citizen.
UTILITY_LINE_WORDS = ("热线", "服务电话", "客服", "值班电话", "报修电话", "12345", "12319")
UNANSWERED_CALL_PHRASES = (
    "无人接听",
    "未接听",
    "没人接",
    "无人接",
    "未接通",
    "无法接通",
    "不能接通",
    "没有接通",
    "打不通",
    "接不通",
    "联系未果",
    "联系不上",
    "未联系上",
    "没联系上",
    "未能联系",
    "无法联系",
)
# Failure words that are about a call only when the clause mentions a call (水泵停机 is not).
CALL_FAILURE_WORDS = ("关机", "停机", "占线", "空号", "挂断", "拒接", "无人应答", "未应答", "未果")
CALL_COUNT_PATTERN = r"(?<!第)(?P<count>\d{1,2}|[一二两三四五六七八九十]{1,2})(?:次|遍|通)"

# A number the reply cites as an order's: after a cue word, or letters followed by 8+ digits.
ORDER_NUMBER_PATTERNS = (
    r"(?:工单号|工单编号|单号|编号|工单)[:\s(]*(?P<number>[A-Za-z0-9][A-Za-z0-9-]{5,})",
    r"(?<![A-Za-z0-9])(?P<number>[A-Za-z]{1,4}\d{8,})(?!\d)",
)

# Exemption prefixes, exactly as the regulation writes them.
POLICY_EXEMPTION_PREFIX = "【用户诉求不符合***（文件名）的要求，建议不计入考核】"
DOCUMENT_PLACEHOLDER = "***（文件名）"
JUDICIAL_EXEMPTION_PREFIX = "【用户诉求已通过司法途径处理，建议不计入考核】"
PETITION_EXEMPTION_PREFIX = "【用户诉求已通过信访途径处理，建议不计入考核】"
# Words that show a reply is trying to carry an exemption prefix, whatever its form.
EXEMPTION_MARKERS = (
    "不计入考核",
    "不纳入考核",
    "不予考核",
    "不计考核",
    "诉求不符合",
    "司法途径",
    "信访途径",
)
# Without brackets, only these make the opening words of a reply an exemption prefix: a reply may
# well begin by saying 用户诉求不符合… without proposing an exemption.
UNBRACKETED_EXEMPTION_MARKERS = ("不计入考核", "不纳入考核", "不予考核", "不计考核")
# A document name made only of these words names no document (相关规定, 国家有关法律法规).
GENERIC_DOCUMENT_WORDS = (
    "相关",
    "有关",
    "国家",
    "上级",
    "政府",
    "行业",
    "部门",
    "现行",
    "各项",
    "法律",
    "法规",
    "政策",
    "规定",
    "文件",
    "标准",
    "规范",
    "条例",
    "办法",
    "制度",
    "要求",
    "的",
    "及",
    "和",
    "与",
    "等",
)
# Text left in place of the document name that is still the template's placeholder.
DOCUMENT_PLACEHOLDER_WORDS = ("*", "文件名", "XXX", "xxx", "×××")
JUDICIAL_WORDS = ("司法", "法院", "诉讼", "起诉", "判决", "审理", "仲裁", "立案", "裁定")
PETITION_WORDS = ("信访", "上访")
# Content that replaces the technical one in an exempt reply: the cited basis of a request the
# rules do not support, the channel and progress of a court or petition case, the explanation.
EXEMPTION_BASIS_PATTERNS = (
    r"(?:依据|根据|按照|依照|参照|按)[^。;!?]{0,30}?"
    r"(?:《[^》]{1,40}》|条例|规定|办法|标准|规范|合同|文件|法|要求)",
    r"《[^》]{1,40}》",
)
EXEMPTION_CHANNEL_PATTERNS = (r"法院|诉讼|起诉|判决|仲裁|信访|上访|司法|复议",)
EXEMPTION_PROGRESS_PATTERNS = (
    r"已(?:经)?(?:判决|裁定|立案|受理|结案|答复|办结|出具|调解|作出)",
    r"(?:正在|目前)[^,。;!?]{0,6}?(?:审理|办理|处理|调查|受理|调解)",
    r"审理中|一审|二审|终审|信访(?:结果|答复|意见)",
)
EXEMPTION_EXPLANATION_PATTERNS = (
    r"(?:向|给|对)(?:{citizen})[^,。;!?]{0,10}?(?:解释|说明|答复|告知|讲解)",
    r"建议[^,。;!?]{0,12}?(?:途径|渠道|法律|司法|信访|自行)",
)

# Words that turn a statement into a promise or a condition, so it states no element. The
# lookbehinds keep 已将 (a past 把-construction), 原计划, 按计划 and 接待 out.
IRREALIS_PATTERNS = (
    r"(?<![已经并])将(?!近)",
    r"即将",
    r"(?<![原按])计划",
    r"(?<![接对招期等])待",
    r"拟|准备|预计|争取|力争|届时|下一步|一旦|如有|如需|如果|若(?!干)|今后|日后|将来|后续",
    # 尽快 alone also narrates past work (尽快赶到现场), so only its promising forms count.
    r"会(?=尽快|及时|安排|派|组织|继续|进一步)",
    r"可(?:以)?(?=拨打|联系|致电|咨询|到|电话|与|向)",
    r"请(?=拨打|联系|致电|与|向|到)",
    r"如(?=您|用户|对)",
    # Waiting for the citizen (等用户回来后再处理) puts the work off.
    r"等(?:待)?(?=(?:{citizen})|其|到|回)",
)
# Work still going on is a measure but not yet a result.
ONGOING_PATTERNS = (r"正在|仍在|尚在|还在",)
NEGATION_WORDS = ("未", "没", "无法", "不能", "难以", "不需要", "不用", "无需", "不必")
# Work called off later in its clause (原计划的碰口施工因天气推迟) was not done.
CANCELLATION_WORDS = ("推迟", "取消", "暂停", "延期", "搁置", "未实施")

# Words of a redo reason that carry no point of their own.
REDO_REASON_STOPWORDS = (
    "用户称",
    "用户反映",
    "用户表示",
    "用户认为",
    "来电人称",
    "市民称",
    "用户",
    "要求",
    "希望",
    "请",
    "仍然",
    "仍",
    "依然",
    "还是",
    "还",
    "并且",
    "并",
    "而且",
    "且",
    "的",
    "了",
    "是否",
    "为什么",
    "为何",
    "什么",
    "怎么",
    "没有",
    "重办",
    "12345",
    "热线",
    "工单",
    "回复",
    "问题",
    "情况",
    "进一步",
    "一直",
    "再次",
)


class RulesError(ValueError):
    """A rule value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class ReplyRules:
    """Every value the reply check uses. Build it with `preset()` or `from_dict()`."""

    citizen_words: tuple[str, ...] = CITIZEN_WORDS
    contact_phrases: tuple[str, ...] = CONTACT_PHRASES
    contact_patterns: tuple[str, ...] = CONTACT_PATTERNS
    site_check_phrases: tuple[str, ...] = SITE_CHECK_PHRASES
    site_check_patterns: tuple[str, ...] = SITE_CHECK_PATTERNS
    cause_phrases: tuple[str, ...] = CAUSE_PHRASES
    cause_patterns: tuple[str, ...] = CAUSE_PATTERNS
    cause_exclusion_patterns: tuple[str, ...] = CAUSE_EXCLUSION_PATTERNS
    measure_phrases: tuple[str, ...] = MEASURE_PHRASES
    measure_patterns: tuple[str, ...] = MEASURE_PATTERNS
    measure_exclusion_patterns: tuple[str, ...] = MEASURE_EXCLUSION_PATTERNS
    result_phrases: tuple[str, ...] = RESULT_PHRASES
    result_patterns: tuple[str, ...] = RESULT_PATTERNS
    result_exclusion_patterns: tuple[str, ...] = RESULT_EXCLUSION_PATTERNS
    acceptance_phrases: tuple[str, ...] = ACCEPTANCE_PHRASES
    acceptance_patterns: tuple[str, ...] = ACCEPTANCE_PATTERNS
    acceptance_exclusion_patterns: tuple[str, ...] = ACCEPTANCE_EXCLUSION_PATTERNS
    vague_phrases: tuple[str, ...] = VAGUE_PHRASES
    vague_patterns: tuple[str, ...] = VAGUE_PATTERNS
    unverified_excuse_phrases: tuple[str, ...] = UNVERIFIED_EXCUSE_PHRASES
    verification_words: tuple[str, ...] = VERIFICATION_WORDS
    vague_call_count_words: tuple[str, ...] = VAGUE_CALL_COUNT_WORDS
    persistent_call_words: tuple[str, ...] = PERSISTENT_CALL_WORDS
    call_attempt_verbs: tuple[str, ...] = CALL_ATTEMPT_VERBS
    call_context_patterns: tuple[str, ...] = CALL_CONTEXT_PATTERNS
    utility_line_words: tuple[str, ...] = UTILITY_LINE_WORDS
    unanswered_call_phrases: tuple[str, ...] = UNANSWERED_CALL_PHRASES
    call_failure_words: tuple[str, ...] = CALL_FAILURE_WORDS
    call_count_pattern: str = CALL_COUNT_PATTERN
    order_number_patterns: tuple[str, ...] = ORDER_NUMBER_PATTERNS
    policy_exemption_prefix: str = POLICY_EXEMPTION_PREFIX
    document_placeholder: str = DOCUMENT_PLACEHOLDER
    judicial_exemption_prefix: str = JUDICIAL_EXEMPTION_PREFIX
    petition_exemption_prefix: str = PETITION_EXEMPTION_PREFIX
    exemption_markers: tuple[str, ...] = EXEMPTION_MARKERS
    unbracketed_exemption_markers: tuple[str, ...] = UNBRACKETED_EXEMPTION_MARKERS
    generic_document_words: tuple[str, ...] = GENERIC_DOCUMENT_WORDS
    document_placeholder_words: tuple[str, ...] = DOCUMENT_PLACEHOLDER_WORDS
    judicial_words: tuple[str, ...] = JUDICIAL_WORDS
    petition_words: tuple[str, ...] = PETITION_WORDS
    exemption_basis_patterns: tuple[str, ...] = EXEMPTION_BASIS_PATTERNS
    exemption_channel_patterns: tuple[str, ...] = EXEMPTION_CHANNEL_PATTERNS
    exemption_progress_patterns: tuple[str, ...] = EXEMPTION_PROGRESS_PATTERNS
    exemption_explanation_patterns: tuple[str, ...] = EXEMPTION_EXPLANATION_PATTERNS
    irrealis_patterns: tuple[str, ...] = IRREALIS_PATTERNS
    ongoing_patterns: tuple[str, ...] = ONGOING_PATTERNS
    negation_words: tuple[str, ...] = NEGATION_WORDS
    cancellation_words: tuple[str, ...] = CANCELLATION_WORDS
    redo_reason_stopwords: tuple[str, ...] = REDO_REASON_STOPWORDS
    # Share (0 to 1) of a redo reason's two-character terms that the reply must contain for the
    # reason to count as taken up.
    redo_reason_min_coverage: float = 0.5
    # Similarity (0 to 1, rapidfuzz ratio of the normalised texts) at or above which a reply
    # copies an earlier one.
    copy_similarity_threshold: float = 0.85
    # How far back (days) an earlier order of the same citizen or address and problem makes the
    # new order a repeat. The caller applies it when it looks up earlier orders.
    # NOTE: the regulation only writes 间隔较远 and names no number, so 30 is a starting value.
    repeat_window_days: int = 30
    # Order types whose replies need none of the five elements (contact, cause, measures, result,
    # acceptance): a thanks order reports no problem.
    element_exempt_order_types: tuple[str, ...] = ("thanks",)

    @classmethod
    def preset(cls) -> "ReplyRules":
        """Return the rules of the regulation."""
        return cls()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ReplyRules":
        """Build rules from a dict such as `to_dict()` returns; missing keys keep the preset value.

        Raises `RulesError` (a ValueError) naming the key for an unknown key, a value of the wrong
        type or a pattern that does not compile.
        """
        fields = {field.name: field for field in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in fields:
                raise RulesError(f"Unknown reply rule {key!r}.")
            values[key] = _coerce(key, fields[key].type, value)
        rules = cls(**values)
        rules.validate()
        return rules

    def to_dict(self) -> dict[str, Any]:
        """Return the rules as a JSON-serialisable dict (lists in place of tuples)."""
        result = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            result[field.name] = list(value) if isinstance(value, tuple) else value
        return result

    def validate(self) -> None:
        """Raise `RulesError` naming the key of the first value the check cannot use."""
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name.endswith(("_patterns", "_pattern")):
                patterns = value if isinstance(value, tuple) else (value,)
                for pattern in patterns:
                    _compile_or_raise(field.name, pattern)
        for key in ("redo_reason_min_coverage", "copy_similarity_threshold"):
            if not 0 < getattr(self, key) <= 1:
                raise RulesError(f"Reply rule {key!r} must be above 0 and at most 1.")
        if self.repeat_window_days < 1:
            raise RulesError("Reply rule 'repeat_window_days' must be at least 1.")
        if self.document_placeholder not in self.policy_exemption_prefix:
            raise RulesError(
                "Reply rule 'policy_exemption_prefix' must contain the text of "
                "'document_placeholder'."
            )


def _compile_or_raise(key: str, pattern: str) -> None:
    try:
        re.compile(pattern.replace("{citizen}", "用户"))
    except re.error as error:
        raise RulesError(
            f"Reply rule {key!r} has an invalid pattern {pattern!r}: {error}."
        ) from None


def _coerce(key: str, annotation: Any, value: Any) -> Any:
    """Check `value` against the field's type and convert lists to tuples."""
    if annotation in ("tuple[str, ...]", tuple[str, ...]):
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise RulesError(f"Reply rule {key!r} must be a list of strings.")
        if not all(isinstance(item, str) and item for item in value):
            raise RulesError(f"Reply rule {key!r} must contain only non-empty strings.")
        return tuple(value)
    if annotation in ("str", str):
        if not isinstance(value, str) or not value:
            raise RulesError(f"Reply rule {key!r} must be a non-empty string.")
        return value
    if annotation in ("float", float):
        valid = isinstance(value, int | float) and not isinstance(value, bool)
        if not valid or not math.isfinite(value):
            raise RulesError(f"Reply rule {key!r} must be a number.")
        return float(value)
    if annotation in ("int", int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise RulesError(f"Reply rule {key!r} must be a whole number.")
        return value
    raise RulesError(f"Reply rule {key!r} has a type the check cannot read.")  # pragma: no cover
