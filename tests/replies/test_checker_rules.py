"""Each reply rule, firing and not firing, with the offsets of the text at fault."""

from hypothesis import given, settings
from hypothesis import strategies as st

from waterdesk.replies.checker import ReplyContext, check, check_reply

COMPLETE = (
    "12月3日9时我部维修人员与用户电话联系并到现场查看，发现表前阀门老化漏水，"
    "已关阀更换表前阀门，漏水停止，恢复正常供水。用户对处理结果表示满意。"
)
# The four elements without contact or acceptance, for tests that add one of them.
FINDINGS = "经检查，漏水系表前阀门老化所致。已更换表前阀门，漏水停止。"


def rules_of(content: str, **context) -> set[str]:
    return {violation.rule for violation in check(content, ReplyContext(**context))}


def violations_of(content: str, rule: str, **context):
    return [v for v in check(content, ReplyContext(**context)) if v.rule == rule]


def flagged_text(content: str, rule: str, **context) -> list[str]:
    return [content[v.start : v.end] for v in violations_of(content, rule, **context)]


def test_complete_reply_passes():
    result = check_reply(COMPLETE, ReplyContext())
    assert result.violations == []
    assert result.ok


# Contact or site check


def test_reply_without_contact_is_flagged():
    assert "missing_contact" in rules_of(FINDINGS + "用户表示满意。")


def test_phone_contact_counts_as_contact():
    assert "missing_contact" not in rules_of("12月3日与用户电话联系。" + FINDINGS)


def test_site_visit_counts_as_contact():
    assert "missing_contact" not in rules_of("我部人员到朗陵街道香山路口现场查看。" + FINDINGS)


def test_bare_verification_is_not_contact():
    assert "missing_contact" in rules_of("经核实，" + FINDINGS)


def test_invitation_to_call_the_utility_is_not_contact():
    assert "missing_contact" in rules_of(FINDINGS + "如有疑问，可拨打供水单位服务电话咨询。")


def test_negated_contact_is_not_contact():
    assert "missing_contact" in rules_of("未与用户取得联系。" + FINDINGS)


def test_promised_site_visit_is_not_contact():
    assert "missing_contact" in rules_of(FINDINGS + "将再次督促维修人员尽快到场。")


def test_contact_missing_is_reported_without_offsets():
    [violation] = violations_of(FINDINGS, "missing_contact")
    assert (violation.start, violation.end) == (None, None)
    assert violation.severity == "error"


# Cause


def test_reply_without_cause_is_flagged():
    reply = "12月3日我部人员到现场查看，已更换表前阀门，漏水停止。用户表示满意。"
    assert "missing_cause" in rules_of(reply)


def test_causal_word_states_cause():
    reply = "12月3日我部人员到现场查看，漏水系表前阀门老化所致，已更换，漏水停止。用户表示满意。"
    assert "missing_cause" not in rules_of(reply)


def test_finding_after_inspection_states_cause():
    reply = "经我部调查，该村地处山区，落差大。12月3日到现场查看，已加装减压阀，水压恢复正常。"
    assert "missing_cause" not in rules_of(reply, callback_required=False)


def test_reported_fault_alone_is_not_a_cause():
    reply = "经核实，该小区供水总管近期确实发生两起爆管。自来水公司即刻赶赴现场开挖维修，当日完成。"
    assert "missing_cause" in rules_of(reply)


# Measures


def test_reply_without_measures_is_flagged():
    reply = "12月3日我部人员到现场查看，水压低系用水高峰所致，目前水压正常。用户表示满意。"
    assert "missing_measures" in rules_of(reply)


def test_promised_measure_is_not_a_measure():
    reply = "12月3日我部人员到现场查看，水压低系阀门老化所致，我部将尽快安排更换。用户表示理解。"
    assert "missing_measures" in rules_of(reply)


def test_past_measure_after_a_purpose_clause_counts():
    reply = (
        "12月3日我部人员到现场查看，发白系空气所致。为尽快消除此现象，已安排排气放水。用户满意。"
    )
    assert "missing_measures" not in rules_of(reply)


def test_job_title_is_not_a_measure():
    reply = "12月3日我部维修人员到现场查看，水压低系用水高峰所致，目前水压正常。用户表示满意。"
    assert "missing_measures" in rules_of(reply)


# Result


def test_reply_without_result_is_flagged():
    reply = "12月3日我部人员到现场查看，发现主管道爆管，已组织抢修。用户表示理解。"
    assert "missing_result" in rules_of(reply)


def test_ongoing_work_is_not_a_result():
    reply = "12月3日我部人员到现场查看，发现主管道爆管，目前正在全力抢修恢复供水。用户表示理解。"
    assert "missing_result" in rules_of(reply)


def test_expected_completion_is_not_a_result():
    reply = (
        "12月3日我部人员到现场查看，水压低系管网老化所致，已纳入改造计划，预计9月底完工。用户认可。"
    )
    assert "missing_result" in rules_of(reply)


def test_result_as_condition_is_no_result():
    reply = "12月3日到现场查看，低压系管网老化所致，已立项改造，通水后水压将得到改善。用户认可。"
    assert "missing_result" in rules_of(reply)


def test_negated_result_is_not_a_result():
    reply = "12月3日我部人员到现场查看，发现主管道爆管，已组织抢修，尚未恢复供水。用户表示理解。"
    assert "missing_result" in rules_of(reply)


def test_restored_supply_is_a_result():
    reply = (
        "12月3日我部人员到现场查看，发现主管道爆管，已组织抢修，当日18时恢复供水。用户表示满意。"
    )
    assert "missing_result" not in rules_of(reply)


# Acceptance


def test_reply_without_acceptance_is_flagged():
    assert "missing_acceptance" in rules_of("12月3日与用户电话联系并到现场查看。" + FINDINGS)


def test_thanks_for_understanding_is_not_acceptance():
    reply = "12月3日到现场查看。" + FINDINGS + "感谢您对我们工作的理解与支持。"
    assert "missing_acceptance" in rules_of(reply)


def test_request_for_understanding_is_not_acceptance():
    reply = "12月3日到现场查看。" + FINDINGS + "给您带来不便，敬请谅解。"
    assert "missing_acceptance" in rules_of(reply)


def test_dissatisfaction_is_a_stated_acceptance_status():
    reply = "12月3日到现场查看。" + FINDINGS + "用户对处理结果不满意。"
    assert "missing_acceptance" not in rules_of(reply)


def test_understanding_and_agreement_count_as_acceptance():
    reply = "12月3日到现场查看。" + FINDINGS + "用户表示理解并同意。"
    assert "missing_acceptance" not in rules_of(reply)


# Vague phrases


def test_vague_only_reply_is_flagged():
    reply = "已处理完毕。"
    assert flagged_text(reply, "vague_only") == ["已处理完毕"]


def test_several_vague_phrases_are_flagged_as_one_span():
    reply = "用户家中无人，等用户再来电。"
    assert flagged_text(reply, "vague_only") == ["用户家中无人，等用户再来电"]


def test_vague_phrase_counts_for_no_element():
    assert "missing_contact" in rules_of("已向用户解释。", callback_required=False)


def test_vague_phrase_with_visit_passes():
    assert "vague_only" not in rules_of("12月3日10时我部人员上门查看，用户家中无人。")


def test_reply_without_vague_phrase_is_not_vague_only():
    assert "vague_only" not in rules_of("7月16日上午，裴营村无塔供水设施建设项目已经开始施工。")


# Unverified excuses


def test_unverified_excuse_is_a_warning_at_the_excuse():
    reply = "该小区管网未移交我公司。12月3日与用户电话联系。" + FINDINGS + "用户表示理解。"
    [violation] = violations_of(reply, "unverified_excuse")
    assert violation.severity == "warning"
    assert reply[violation.start : violation.end] == "未移交"
    assert check_reply(reply, ReplyContext()).ok


def test_excuse_with_its_verification_is_not_flagged():
    reply = "经调阅工程档案并现场核对，该小区管网至今未验收。12月3日与用户电话联系。" + FINDINGS
    assert "unverified_excuse" not in rules_of(reply)


# Calls


def test_vague_call_count_is_flagged():
    reply = "接单后多次拨打用户电话无人接听。12月5日到现场查看。" + FINDINGS + "用户表示满意。"
    assert flagged_text(reply, "vague_call_attempts") == ["多次拨打用户电话无人接听"]


def test_vague_call_not_also_untimed():
    reply = "接单后多次拨打用户电话无人接听。12月5日到现场查看。" + FINDINGS + "用户表示满意。"
    assert "call_attempt_without_time" not in rules_of(reply)


def test_repeated_failed_contact_is_vague():
    reply = "我部反复联系用户均未接通。12月5日到现场查看。" + FINDINGS
    assert "vague_call_attempts" in rules_of(reply)


def test_calls_that_never_got_through_are_vague():
    reply = "拨打用户电话一直无人接听。12月5日到现场查看。" + FINDINGS
    assert "vague_call_attempts" in rules_of(reply)


def test_keeping_in_touch_is_not_vague():
    reply = "接单后我部一直与用户保持联系，12月3日到现场查看。" + FINDINGS + "用户表示满意。"
    assert "vague_call_attempts" not in rules_of(reply)


def test_unanswered_call_without_hour_is_flagged():
    reply = "接单后拨打用户电话无人接听。12月5日到现场查看。" + FINDINGS + "用户表示满意。"
    assert flagged_text(reply, "call_attempt_without_time") == ["拨打用户电话无人接听"]


def test_call_without_hour_is_flagged():
    reply = "12月3日上午拨打用户电话无人接听。12月5日到现场查看。" + FINDINGS
    assert "call_attempt_without_time" in rules_of(reply)


def test_unanswered_call_with_date_and_hour_passes():
    reply = "12月3日9时拨打用户电话无人接听，12月3日10时到现场查看。" + FINDINGS
    assert "call_attempt_without_time" not in rules_of(reply)


def test_regulation_example_of_two_calls_passes():
    reply = (
        "12月3日9点与12月3日15点联系用户电话两次拨打无人接听。12月3日16时到现场查看。" + FINDINGS
    )
    assert "call_attempt_without_time" not in rules_of(reply)


def test_hour_alone_takes_date_of_its_sentence():
    reply = "12月3日9时、15时两次拨打用户电话均无人接听。12月3日16时到现场查看。" + FINDINGS
    assert "call_attempt_without_time" not in rules_of(reply)


def test_same_day_takes_date_written_earlier():
    reply = "12月3日到现场查看。当天15时拨打用户电话无人接听。" + FINDINGS
    assert "call_attempt_without_time" not in rules_of(reply)


def test_counted_calls_need_as_many_times():
    reply = "12月3日9时、下午两次拨打用户电话均无人接听。12月3日16时到现场查看。" + FINDINGS
    [violation] = violations_of(reply, "call_attempt_without_time")
    assert "2" in violation.message
    assert "1" in violation.message


def test_switched_off_phone_needs_a_time():
    reply = "拨打用户电话，提示关机。12月3日16时到现场查看。" + FINDINGS
    assert "call_attempt_without_time" in rules_of(reply)


def test_stopped_pump_is_not_a_call():
    reply = "12月3日水厂水泵停机检修导致停水，我部人员到现场查看，已检修完毕，恢复供水。用户满意。"
    assert "call_attempt_without_time" not in rules_of(reply)


def test_busy_utility_hotline_is_no_call():
    reply = "12月3日到现场查看。" + FINDINGS + "已增加人员，避免热线电话占线。用户表示满意。"
    assert "call_attempt_without_time" not in rules_of(reply)


def test_call_offsets_point_into_full_width_text():
    reply = "１２月３日，接单后多次拨打用户电话无人接听。１２月５日到现场查看。" + FINDINGS
    assert flagged_text(reply, "vague_call_attempts") == ["多次拨打用户电话无人接听"]


def test_untimed_call_offsets_skip_full_width_spaces():
    reply = "　　接单后拨打用户电话　无人接听。１２月５日到现场查看。" + FINDINGS
    assert flagged_text(reply, "call_attempt_without_time") == ["拨打用户电话　无人接听"]


# Any input


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("用户电话联系拨打无人接听多次现场已更换恢复供水满意原因所致将未【】[]，。、 ")
            + list("１２月３日9时点上午０：GD20261103")
        ),
        max_size=120,
    )
)
def test_any_text_gives_offsets_inside_the_reply(content):
    for violation in check(content, ReplyContext(order_type="redo", redo_reasons="要求修复")):
        if violation.start is not None:
            assert 0 <= violation.start <= violation.end <= len(content)


def test_empty_reply_misses_every_element():
    assert rules_of("") >= {
        "missing_contact",
        "missing_cause",
        "missing_measures",
        "missing_result",
        "missing_acceptance",
    }
