"""Normalisation of replies and reading of dates and hours."""

from hypothesis import given
from hypothesis import strategies as st

from waterdesk.replies.checker import find_time_mentions, normalize


def test_full_width_characters_become_half_width():
    normalized = normalize("１２月３日，ＧＤ２０２６：（测试）！")
    assert normalized.text == "12月3日,GD2026:(测试)!"


def test_ideographic_full_stop_and_enumeration_comma_stay():
    assert normalize("已更换、已冲洗。").text == "已更换、已冲洗。"


def test_bracket_shapes_become_lenticular_brackets():
    for text in ("[文字]", "［文字］", "〔文字〕", "〖文字〗", "【文字】"):
        assert normalize(text).text == "【文字】", text


def test_spaces_between_chinese_characters_are_dropped():
    assert normalize("x 月 x 日 联系 用户").text == "x月x日联系用户"


def test_one_space_stays_between_ascii_words():
    assert normalize("12/3   9:00").text == "12/3 9:00"


def test_offsets_point_into_original_after_full_width_input():
    original = "　１２月３日　拨打"
    normalized = normalize(original)
    start = normalized.text.index("拨打")
    span = normalized.original_span(start, start + 2)
    assert original[span[0] : span[1]] == "拨打"


def test_offsets_cover_a_character_that_expands():
    original = "面积10㎡已清理"
    normalized = normalize(original)
    start = normalized.text.index("m2")
    span = normalized.original_span(start, start + 2)
    assert original[span[0] : span[1]] == "㎡"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_offset_map_stays_inside_original_and_in_order(original):
    normalized = normalize(original)
    assert len(normalized.origins) == len(normalized.text)
    assert list(normalized.origins) == sorted(normalized.origins)
    assert all(0 <= origin < len(original) for origin in normalized.origins)


def _read(text):
    return [
        (text[mention.start : mention.end], mention.month, mention.day, mention.hour)
        for mention in find_time_mentions(text)
    ]


def test_month_day_and_hour_with_dian():
    assert _read("12月3日9点拨打") == [("12月3日9点", 12, 3, 9)]


def test_morning_hour_with_shi():
    assert _read("12月3日上午9时拨打") == [("12月3日上午9时", 12, 3, 9)]


def test_afternoon_hour_is_read_on_24_hour_clock():
    assert _read("12月3日下午3点拨打") == [("12月3日下午3点", 12, 3, 15)]


def test_evening_half_hour():
    [mention] = find_time_mentions("12月3日晚上8点半")
    assert (mention.hour, mention.minute) == (20, 30)


def test_chinese_numerals():
    assert _read("十二月三日九点拨打") == [("十二月三日九点", 12, 3, 9)]


def test_slash_date_with_colon_time():
    assert _read("12/3 9:00拨打") == [("12/3 9:00", 12, 3, 9)]


def test_day_without_month():
    assert _read("3日9时拨打") == [("3日9时", None, 3, 9)]


def test_hour_and_minutes():
    [mention] = find_time_mentions("12月3日11时30分恢复供水")
    assert (mention.hour, mention.minute) == (11, 30)


def test_full_width_time_offsets_point_at_original():
    text = "１２月３日　上午９：３０拨打"
    [mention] = find_time_mentions(text)
    assert text[mention.start : mention.end] == "１２月３日　上午９：３０"
    assert (mention.month, mention.day, mention.hour, mention.minute) == (12, 3, 9, 30)


def test_date_without_hour_has_no_hour():
    [mention] = find_time_mentions("12月5日上午到现场")
    assert mention.has_date
    assert not mention.has_hour


def test_relative_day_is_kept_as_written():
    [mention] = find_time_mentions("当天15时拨打")
    assert mention.relative_day == "当天"
    assert mention.hour == 15


def test_durations_are_not_times():
    assert find_time_mentions("约2小时修复，24小时内回复，3日内完成，停水两日") == []


def test_chinese_count_is_not_an_hour():
    assert find_time_mentions("一点也不浑浊，提出三点建议") == []


def test_decimal_values_are_not_dates():
    assert find_time_mentions("浊度0.3NTU，余氯0.4mg/L") == []


def test_invalid_month_is_not_a_date():
    assert find_time_mentions("13月40日") == []
