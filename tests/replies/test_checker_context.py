"""Rules that depend on the order: no contact left, no callback, repeats, redo orders, copies."""

import datetime

import pytest

from waterdesk.replies.checker import EarlierReply, ReplyContext, ReplyRules, check

COMPLETE = (
    "12月3日9时我部维修人员与用户电话联系并到现场查看，发现表前阀门老化漏水，"
    "已关阀更换表前阀门，漏水停止，恢复正常供水。用户对处理结果表示满意。"
)
EARLIER = (
    "11月20日我部维修人员到现场查看，香山路东段门前供水管道接口渗漏，已更换接头，渗漏停止。"
    "用户表示满意。"
)
REDO_REASONS = "用户称维修后仍漏水，路面仍有积水，要求查明原因并彻底修复。"
REDO_ANSWER = (
    "针对重办要求逐项答复如下：一、关于维修后仍漏水的原因。12月2日我部与用户电话联系后到现场开挖复查，"
    "积水来自上游2米处管道一处砂眼。二、关于彻底修复。已将6米老旧镀锌管整段更换为PE管，"
    "12月2日17时完工，试压无渗漏，路面积水已清理。用户对本次处理结果表示满意。"
)


def rules_of(content: str, **context) -> set[str]:
    return {violation.rule for violation in check(content, ReplyContext(**context))}


# No contact left


def test_no_contact_requires_site_check():
    reply = "停水系主管道爆管所致，已抢修，当日恢复供水。"
    assert "no_contact_without_site_check" in rules_of(reply, has_contact=False)


def test_no_contact_with_site_check_passes():
    reply = "来电人未留联系方式。12月3日10时我部人员到李新店村四组现场，走访周边住户5户。" + (
        "停水系阀门井内垫片损坏所致，已更换垫片，11时30分恢复供水。"
    )
    assert rules_of(reply, has_contact=False) == set()


def test_no_contact_phone_call_is_no_site_check():
    reply = "12月3日与用户电话联系，停水系主管道爆管所致，已抢修，当日恢复供水。"
    assert "no_contact_without_site_check" in rules_of(reply, has_contact=False)


def test_no_contact_needs_no_acceptance():
    reply = "12月3日到现场查看，停水系主管道爆管所致，已抢修，当日恢复供水。"
    assert "missing_acceptance" not in rules_of(reply, has_contact=False)


def test_contact_left_does_not_require_site_check():
    reply = "12月3日与用户电话联系，停水系主管道爆管所致，已抢修，当日恢复供水。用户表示满意。"
    assert rules_of(reply) == set()


# No callback


def test_no_callback_needs_no_acceptance():
    reply = "12月3日到现场查看，停水系主管道爆管所致，已抢修，当日恢复供水。"
    assert "missing_acceptance" not in rules_of(reply, callback_required=False)


def test_callback_wanted_needs_acceptance():
    reply = "12月3日到现场查看，停水系主管道爆管所致，已抢修，当日恢复供水。"
    assert "missing_acceptance" in rules_of(reply)


# Repeated requests


def test_repeat_without_earliest_number_is_flagged():
    rules = rules_of(COMPLETE, earliest_order_number="GD202611030012")
    assert "missing_earliest_order" in rules


def test_repeat_citing_earliest_number_passes():
    reply = "该问题用户最早于11月3日反映（工单号GD202611030012）。" + COMPLETE
    assert rules_of(reply, earliest_order_number="GD202611030012") == set()


def test_repeat_number_ignores_case_and_width():
    reply = "该问题最早工单号：ｇｄ2026 1103 0012。" + COMPLETE
    assert rules_of(reply, earliest_order_number="GD202611030012") == set()


def test_repeat_citing_another_order_is_flagged():
    reply = "该问题用户曾反映（工单号GD202611150003）。" + COMPLETE
    assert "missing_earliest_order" in rules_of(reply, earliest_order_number="GD202611030012")


def test_unknown_earliest_accepts_any_number():
    reply = "该问题用户最早于11月3日反映（工单号GD202611030012）。" + COMPLETE
    assert rules_of(reply, repeats_earlier=True) == set()


def test_repeat_with_unknown_earliest_number_needs_some_number():
    assert "missing_earliest_order" in rules_of(COMPLETE, repeats_earlier=True)


def test_phone_number_is_not_an_order_number():
    reply = "接收部门负责人王某，电话13800000101。" + COMPLETE
    assert "missing_earliest_order" in rules_of(reply, repeats_earlier=True)


def test_order_that_is_no_repeat_needs_no_number():
    assert "missing_earliest_order" not in rules_of(COMPLETE)


# Copied replies


def _earlier(text: str = EARLIER, number: str = "GD202611200001") -> tuple[EarlierReply, ...]:
    created = datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)
    return (EarlierReply(order_number=number, reply_text=text, created_at=created),)


def test_redo_reply_copying_the_original_is_flagged():
    rules = rules_of(EARLIER, order_type="redo", earlier_replies=_earlier())
    assert "copied_reply" in rules


def test_copied_reply_message_names_the_earlier_order():
    context = ReplyContext(order_type="redo", earlier_replies=_earlier())
    [violation] = [v for v in check(EARLIER, context) if v.rule == "copied_reply"]
    assert "GD202611200001" in violation.message
    assert (violation.start, violation.end) == (0, len(EARLIER))


def test_copy_with_changed_punctuation_and_width_is_flagged():
    copy = EARLIER.replace("，", ",").replace("11月20日", "１１月２０日")
    assert "copied_reply" in rules_of(copy, order_type="redo", earlier_replies=_earlier())


def test_copy_plus_order_number_is_flagged():
    copy = "该问题最早工单号GD202611200001。" + EARLIER
    rules = rules_of(copy, earliest_order_number="GD202611200001", earlier_replies=_earlier())
    assert "copied_reply" in rules


def test_repeat_reply_copying_an_earlier_reply_is_flagged():
    rules = rules_of(EARLIER, repeats_earlier=True, earlier_replies=_earlier())
    assert "copied_reply" in rules


def test_new_redo_reply_is_not_a_copy():
    rules = rules_of(
        REDO_ANSWER, order_type="redo", redo_reasons=REDO_REASONS, earlier_replies=_earlier()
    )
    assert rules == set()


def test_general_order_is_not_compared_with_earlier_replies():
    assert "copied_reply" not in rules_of(EARLIER, earlier_replies=_earlier())


def test_copy_threshold_comes_from_the_rules():
    strict = ReplyRules.from_dict({"copy_similarity_threshold": 0.2})
    context = ReplyContext(order_type="redo", earlier_replies=_earlier(), rules=strict)
    assert "copied_reply" in {violation.rule for violation in check(REDO_ANSWER, context)}


# Redo reasons


def test_redo_reply_ignoring_the_reasons_is_warned():
    reply = (
        "12月3日我部人员与用户电话联系并到现场查看，发现阀门老化漏水，已更换阀门，当日完工。"
        "用户满意。"
    )
    context = ReplyContext(order_type="redo", redo_reasons="要求说明停水原因并给出恢复供水时间。")
    [violation] = [v for v in check(reply, context) if v.rule == "redo_reasons_unanswered"]
    assert violation.severity == "warning"
    assert "停水原因" in violation.message


def test_redo_reply_answering_one_reason_is_not_warned():
    reply = (
        "12月3日我部与用户电话联系并到现场查看，停水原因是加压泵电机烧毁，已更换电机，"
        "当日恢复供水。用户满意。"
    )
    rules = rules_of(reply, order_type="redo", redo_reasons="要求说明停水原因并给出恢复供水时间。")
    assert "redo_reasons_unanswered" not in rules


def test_redo_without_stated_reasons_is_not_warned():
    assert "redo_reasons_unanswered" not in rules_of(COMPLETE, order_type="redo")


# Order types


def test_thanks_order_needs_no_elements():
    assert rules_of("已将用户的感谢转达至供水一部维修班组。", order_type="thanks") == set()


def test_unknown_order_type_is_rejected():
    with pytest.raises(ValueError, match="complaint"):
        ReplyContext(order_type="complaint")
