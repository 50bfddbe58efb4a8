"""ReplyRules: the preset, the dict form stored in the policy table, and its validation."""

import dataclasses
import json

import pytest

from waterdesk.replies.checker import ReplyContext, ReplyRules, RulesError, check


def test_preset_holds_the_regulation_prefixes():
    rules = ReplyRules.preset()
    assert rules.policy_exemption_prefix == "【用户诉求不符合***（文件名）的要求，建议不计入考核】"
    assert rules.judicial_exemption_prefix == "【用户诉求已通过司法途径处理，建议不计入考核】"
    assert rules.petition_exemption_prefix == "【用户诉求已通过信访途径处理，建议不计入考核】"


def test_preset_holds_the_regulation_vague_phrases():
    assert set(ReplyRules.preset().vague_phrases) >= {
        "等用户再来电",
        "用户家中无人",
        "用户自修",
        "用户在外地",
        "已向用户解释",
        "已处理完毕",
    }


def test_dict_form_survives_json():
    data = json.loads(json.dumps(ReplyRules.preset().to_dict(), ensure_ascii=False))
    assert ReplyRules.from_dict(data) == ReplyRules.preset()


def test_dict_form_uses_lists():
    assert isinstance(ReplyRules.preset().to_dict()["vague_phrases"], list)


def test_missing_keys_keep_the_preset():
    rules = ReplyRules.from_dict({"repeat_window_days": 60})
    assert rules.repeat_window_days == 60
    assert rules.vague_phrases == ReplyRules.preset().vague_phrases


def test_unknown_key_is_rejected_by_name():
    with pytest.raises(ValueError, match="vague_phrase_list"):
        ReplyRules.from_dict({"vague_phrase_list": ["已处理"]})


def test_wrong_value_type_is_rejected():
    with pytest.raises(RulesError, match="vague_phrases"):
        ReplyRules.from_dict({"vague_phrases": "已处理完毕"})


def test_threshold_out_of_range_is_rejected_by_name():
    with pytest.raises(RulesError, match="copy_similarity_threshold"):
        ReplyRules.from_dict({"copy_similarity_threshold": 85})


def test_boolean_is_not_a_number():
    with pytest.raises(RulesError, match="repeat_window_days"):
        ReplyRules.from_dict({"repeat_window_days": True})


def test_invalid_pattern_is_rejected_by_name():
    with pytest.raises(RulesError, match="cause_patterns"):
        ReplyRules.from_dict({"cause_patterns": ["(unclosed"]})


def test_policy_prefix_must_keep_the_placeholder():
    with pytest.raises(RulesError, match="policy_exemption_prefix"):
        ReplyRules.from_dict({"policy_exemption_prefix": "【不计入考核】"})


def test_rules_are_hashable_for_the_compile_cache():
    assert hash(ReplyRules.preset()) == hash(ReplyRules.from_dict({}))


def test_every_field_is_in_the_dict_form():
    fields = {field.name for field in dataclasses.fields(ReplyRules)}
    assert set(ReplyRules.preset().to_dict()) == fields


def test_added_vague_phrase_is_used_by_the_check():
    rules = ReplyRules.from_dict(
        {"vague_phrases": [*ReplyRules.preset().vague_phrases, "已妥善处理"]}
    )
    violations = check("已妥善处理。", ReplyContext(rules=rules))
    assert "vague_only" in {violation.rule for violation in violations}


def test_changed_exemption_prefix_is_used_by_the_check():
    rules = ReplyRules.from_dict(
        {"judicial_exemption_prefix": "【已进入司法程序，建议不计入考核】"}
    )
    content = "【已进入司法程序，建议不计入考核】12月2日与用户电话联系，案件正在审理中。"
    violations = check(content, ReplyContext(rules=rules))
    assert "bad_exemption_prefix" not in {violation.rule for violation in violations}
