"""Exemption prefixes: the preset forms, their malformed variants and the corrected prefix."""

from waterdesk.replies.checker import ReplyContext, ReplyRules, check, check_reply
from waterdesk.replies.checker import suggest_exemption_prefix as suggest

POLICY_PREFIX = "【用户诉求不符合《城市供水条例》的要求，建议不计入考核】"
JUDICIAL_PREFIX = "【用户诉求已通过司法途径处理，建议不计入考核】"
PETITION_PREFIX = "【用户诉求已通过信访途径处理，建议不计入考核】"
POLICY_BODY = (
    "12月2日我部维修人员与用户电话联系后上门查看，漏点位于水表后户内暗埋管道。"
    "依据《城市供水条例》，水表之后的户内管道属用户产权，由用户自行负责维修。"
    "已帮助用户关闭表后阀止漏。用户表示理解。"
)
JUDICIAL_BODY = (
    "12月2日我部工作人员与用户电话联系。用户与开发商之间关于入户前水费的纠纷，已由业主委员会"
    "向确山县人民法院提起诉讼，目前案件正在审理中，涉及单位为开发商、物业公司及我公司。"
    "我部已向用户说明应按司法途径解决，用户表示理解。"
)
PETITION_BODY = (
    "12月3日我部工作人员上门与用户面谈。用户反映的水费问题已于6月向县信访局反映，"
    "县信访局已于8月出具信访答复意见，涉及单位为我公司财务科。"
    "我部已向用户说明按原途径解决，用户表示认可。"
)


def prefix_violations(content: str):
    return [v for v in check(content, ReplyContext()) if v.rule == "bad_exemption_prefix"]


def test_policy_prefix_in_preset_form_is_valid():
    result = check_reply(POLICY_PREFIX + POLICY_BODY, ReplyContext())
    assert result.violations == []
    assert result.exemption_kind == "policy"


def test_policy_prefix_without_title_marks_is_valid():
    content = "【用户诉求不符合城市供水条例的要求，建议不计入考核】" + POLICY_BODY
    assert check_reply(content, ReplyContext()).exemption_kind == "policy"


def test_policy_prefix_naming_a_standard_code_is_valid():
    content = "【用户诉求不符合GB 5749-2022的要求，建议不计入考核】" + POLICY_BODY
    assert check_reply(content, ReplyContext()).exemption_kind == "policy"


def test_judicial_prefix_is_valid():
    result = check_reply(JUDICIAL_PREFIX + JUDICIAL_BODY, ReplyContext())
    assert result.violations == []
    assert result.exemption_kind == "judicial"


def test_petition_prefix_is_valid():
    result = check_reply(PETITION_PREFIX + PETITION_BODY, ReplyContext())
    assert result.violations == []
    assert result.exemption_kind == "petition"


def test_leading_whitespace_before_prefix_is_allowed():
    assert check_reply("  " + JUDICIAL_PREFIX + JUDICIAL_BODY, ReplyContext()).ok


def test_wrong_brackets_are_flagged_with_the_corrected_prefix():
    content = "[用户诉求已通过司法途径处理，建议不计入考核]" + JUDICIAL_BODY
    [violation] = prefix_violations(content)
    assert JUDICIAL_PREFIX in violation.message
    assert content[violation.start : violation.end] == content[: content.index("]") + 1]


def test_wrong_brackets_void_the_exemption():
    content = "〔用户诉求已通过信访途径处理，建议不计入考核〕" + PETITION_BODY
    assert check_reply(content, ReplyContext()).exemption_kind is None


def test_half_width_comma_is_flagged():
    content = "【用户诉求不符合《城市供水条例》的要求,建议不计入考核】" + POLICY_BODY
    assert len(prefix_violations(content)) == 1
    assert suggest(content) == POLICY_PREFIX


def test_other_wording_is_flagged():
    content = "【用户诉求已通过法律途径解决，不计入考核】" + JUDICIAL_BODY
    [violation] = prefix_violations(content)
    assert JUDICIAL_PREFIX in violation.message


def test_unclosed_bracket_is_flagged():
    content = "【用户诉求已通过司法途径处理，建议不计入考核" + JUDICIAL_BODY
    assert suggest(content) == JUDICIAL_PREFIX


def test_missing_brackets_are_flagged():
    content = "用户诉求已通过司法途径处理，建议不计入考核。" + JUDICIAL_BODY
    assert suggest(content) == JUDICIAL_PREFIX


def test_template_placeholder_left_in_prefix_is_flagged():
    content = "【用户诉求不符合***（文件名）的要求，建议不计入考核】" + POLICY_BODY
    assert len(prefix_violations(content)) == 1


def test_placeholder_suggestion_takes_document_from_body():
    content = "【用户诉求不符合***（文件名）的要求，建议不计入考核】" + POLICY_BODY
    assert suggest(content) == POLICY_PREFIX


def test_empty_document_name_is_flagged():
    content = "【用户诉求不符合的要求，建议不计入考核】" + POLICY_BODY
    assert len(prefix_violations(content)) == 1


def test_generic_document_name_is_flagged():
    content = "【用户诉求不符合相关规定的要求，建议不计入考核】12月4日我部工作人员上门测压。"
    assert len(prefix_violations(content)) == 1


def test_suggestion_without_any_document_keeps_the_placeholder():
    content = "【用户诉求不符合相关规定的要求，建议不计入考核】12月4日我部工作人员上门测压。"
    assert suggest(content) == ReplyRules.preset().policy_exemption_prefix
    [violation] = prefix_violations(content)
    assert "《城市供水条例》" in violation.message


def test_document_name_with_leftover_placeholder_is_cleaned():
    content = "【用户诉求不符合《城市供水条例》（文件名）的要求，建议不计入考核】" + POLICY_BODY
    assert suggest(content) == POLICY_PREFIX


def test_prefix_not_at_the_beginning_is_flagged():
    content = "12月2日我部人员上门查看。" + POLICY_PREFIX + POLICY_BODY
    [violation] = prefix_violations(content)
    assert content[violation.start : violation.end] == POLICY_PREFIX


def test_text_before_a_late_prefix_still_counts():
    content = "12月2日我部人员上门查看。" + POLICY_PREFIX + POLICY_BODY
    rules = {violation.rule for violation in check(content, ReplyContext())}
    assert rules == {"bad_exemption_prefix"}


def test_template_court_or_petition_choice_is_flagged():
    content = "【用户诉求已通过司法（或信访）途径处理，建议不计入考核】" + PETITION_BODY
    assert len(prefix_violations(content)) == 1
    assert suggest(content) == PETITION_PREFIX


def test_court_or_petition_choice_without_hint_suggests_nothing():
    content = "【用户诉求已通过司法（或信访）途径处理，建议不计入考核】12月3日与用户电话联系。"
    assert len(prefix_violations(content)) == 1
    assert suggest(content) is None


def test_suggestion_is_none_for_a_valid_prefix():
    assert suggest(POLICY_PREFIX + POLICY_BODY) is None


def test_suggestion_is_none_without_a_prefix():
    assert suggest(POLICY_BODY) is None


def test_reply_opening_with_unsupported_request_is_no_prefix():
    content = "用户诉求不符合《城市供水条例》规定。" + POLICY_BODY
    assert prefix_violations(content) == []


def test_valid_prefix_still_requires_contact():
    content = JUDICIAL_PREFIX + "用户的纠纷已向法院提起诉讼，目前正在审理中。已向用户说明。"
    rules = {violation.rule for violation in check(content, ReplyContext())}
    assert "missing_contact" in rules


def test_court_progress_counts_as_elements():
    content = JUDICIAL_PREFIX + JUDICIAL_BODY
    rules = {violation.rule for violation in check(content, ReplyContext())}
    assert not rules & {"missing_cause", "missing_measures", "missing_result"}


def test_prefix_words_state_no_measure():
    content = POLICY_PREFIX + "12月2日与用户电话联系。"
    rules = {violation.rule for violation in check(content, ReplyContext())}
    assert "missing_measures" in rules
