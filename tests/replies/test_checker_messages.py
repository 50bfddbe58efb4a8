"""Messages come out in Chinese under zh-hans, and the catalogue translates every one of them."""

import inspect
import re

import pytest
from django.utils.translation import override

from waterdesk.replies.checker import ReplyContext, check, messages

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b(?:the|reply|does|not)\b", re.IGNORECASE)
SAMPLE_ARGUMENTS = {
    "phrase": "多次拨打",
    "expected": 2,
    "timed": 1,
    "order_number": "GD202611030012",
    "similarity": 0.9,
    "prefix": "【用户诉求已通过司法途径处理，建议不计入考核】",
    "placeholder": "***（文件名）",
    "example": "【用户诉求不符合《城市供水条例》的要求，建议不计入考核】",
    "judicial": "【用户诉求已通过司法途径处理，建议不计入考核】",
    "petition": "【用户诉求已通过信访途径处理，建议不计入考核】",
    "reasons": "要求查明原因",
}
MESSAGE_FUNCTIONS = [
    function
    for name, function in inspect.getmembers(messages, inspect.isfunction)
    if function.__module__ == messages.__name__
]


def _call(function, **overrides):
    names = inspect.signature(function).parameters
    return function(**{name: overrides.get(name, SAMPLE_ARGUMENTS[name]) for name in names})


def test_violation_messages_are_chinese_under_zh_hans():
    with override("zh-hans"):
        violations = check("接单后多次拨打用户电话无人接听。", ReplyContext())
    assert violations
    for violation in violations:
        assert CHINESE.search(violation.message), violation.message
        assert not ENGLISH_WORD.search(violation.message), violation.message


def test_violation_messages_follow_the_active_language():
    with override("en"):
        violations = check("已处理完毕。", ReplyContext())
    assert all(violation.message.startswith("The reply") for violation in violations)


@pytest.mark.parametrize("function", MESSAGE_FUNCTIONS, ids=lambda function: function.__name__)
def test_catalogue_translates_message(function):
    with override("en"):
        english = _call(function)
    with override("zh-hans"):
        chinese = _call(function)
    assert chinese != english
    assert not ENGLISH_WORD.search(chinese), chinese


def test_catalogue_translates_the_variant_without_order_number():
    with override("zh-hans"):
        assert not ENGLISH_WORD.search(messages.copied_reply("", 0.9))
        assert not ENGLISH_WORD.search(messages.missing_earliest_order(None))
