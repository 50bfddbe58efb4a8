"""Text normalisation and time reading for the reply check.

Every rule matches against a normalised copy of the reply, so that full-width digits, letters and
punctuation, stray spaces and the different bracket shapes people type all read the same. The copy
keeps, for each of its characters, the offset of the character of the original text it came from, so
a rule can point at the text the user typed.
"""

import dataclasses
import re
import unicodedata
from dataclasses import dataclass

# Bracket shapes that people use for 【】. NFKC has already turned ［］ into [].
_OPENING_BRACKETS = {"[": "【", "〔": "【", "〖": "【", "〘": "【", "﹝": "【"}
_CLOSING_BRACKETS = {"]": "】", "〕": "】", "〗": "】", "〙": "】", "﹞": "】"}
# Curly quotes read as straight ones; NFKC leaves them alone.
_QUOTES = {"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'}

# A sentence ends at these characters of the normalised text; a clause also ends at commas, colons
# and the Chinese enumeration comma.
SENTENCE_ENDINGS = "。;!?\n"
CLAUSE_ENDINGS = SENTENCE_ENDINGS + ",:、"


@dataclass(frozen=True)
class NormalizedText:
    """A normalised copy of a text, with the original offset of each of its characters."""

    original: str
    text: str
    # origins[i] is the offset in `original` of the character that produced text[i].
    origins: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span [start, end) of the normalised text to the original text."""
        if start >= end:
            position = self.origins[start] if start < len(self.origins) else len(self.original)
            return position, position
        return self.origins[start], self.origins[end - 1] + 1

    def sentence_bounds(self, position: int) -> tuple[int, int]:
        """Return the span of the sentence of the normalised text that contains `position`."""
        return _bounds(self.text, position, SENTENCE_ENDINGS)

    def clause_bounds(self, position: int) -> tuple[int, int]:
        """Return the span of the clause of the normalised text that contains `position`."""
        return _bounds(self.text, position, CLAUSE_ENDINGS)


def _bounds(text: str, position: int, endings: str) -> tuple[int, int]:
    start = position
    while start > 0 and text[start - 1] not in endings:
        start -= 1
    end = position
    while end < len(text) and text[end] not in endings:
        end += 1
    return start, end


def _normalize_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    if folded in _OPENING_BRACKETS:
        return _OPENING_BRACKETS[folded]
    if folded in _CLOSING_BRACKETS:
        return _CLOSING_BRACKETS[folded]
    return _QUOTES.get(folded, folded)


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def normalize(original: str) -> NormalizedText:
    """Normalise `original` for matching and keep the offset map back to it.

    1. Each character is folded by NFKC, so full-width digits, letters and punctuation become
       half-width (，→, ：→: （→( ) while 。 and 、 stay.
    2. The bracket shapes [] 〔〕 〖〗 become 【】, and curly quotes become straight ones.
    3. Whitespace is dropped, except one space between two ASCII letters or digits, which keeps
       "12/3 9:00" apart from "12/39:00".
    """
    chars: list[str] = []
    origins: list[int] = []
    pending_space = False
    for index, char in enumerate(original):
        if char.isspace():
            pending_space = True
            continue
        folded = _normalize_char(char)
        for piece in folded:
            if piece.isspace():
                pending_space = True
                continue
            between_words = chars and _is_ascii_word_char(chars[-1]) and _is_ascii_word_char(piece)
            if pending_space and between_words:
                chars.append(" ")
                origins.append(index)
            pending_space = False
            chars.append(piece)
            origins.append(index)
    return NormalizedText(original=original, text="".join(chars), origins=tuple(origins))


_FOLD_TABLE = str.maketrans({**_OPENING_BRACKETS, **_CLOSING_BRACKETS, **_QUOTES})


def fold(text: str) -> str:
    """Normalise `text` like `normalize` but without the offset map, and keep all whitespace.

    For comparing whole texts, where speed matters more than pointing at characters.
    """
    return unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)


def normalize_phrase(phrase: str) -> str:
    """Normalise a policy phrase like replies, so that it matches their normalised text."""
    return normalize(phrase).text


# ---------------------------------------------------------------------------------------------
# Reading dates and hours


_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHINESE_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CHINESE_NUMBER = "[零〇一二两三四五六七八九十]{1,3}"
_NUMBER = rf"(?:\d{{1,2}}|{_CHINESE_NUMBER})"

# Parts of the day, with the hours they add to a 12-hour clock reading.
_AFTERNOON_PERIODS = ("下午", "傍晚", "晚上", "晚间", "夜间", "夜里", "晚")
_PERIOD = "凌晨|早上|早晨|清晨|上午|中午|午间|下午|傍晚|晚上|晚间|夜间|夜里|晚"
_RELATIVE_DAY = "当日|当天|同日|同一天|次日|翌日|第二天|今日|今天|昨日|昨天"

_DATE = (
    rf"(?:(?P<year>\d{{4}})年)?(?P<month>{_NUMBER})月(?P<day>{_NUMBER})[日号]"
    r"|(?<![\d.])(?:(?P<slash_year>\d{4})[/.-])?(?P<slash_month>\d{1,2})/(?P<slash_day>\d{1,2})"
    r"(?![\d/])"
    r"|(?<![\d.])(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})(?!\d)"
    # A day without its month ("3日9时"): digits only, because 两日 and 一日 are durations.
    r"|(?<![月\d.])(?P<day_only>\d{1,2})[日号](?!内|以内|之内|起)"
    rf"|(?P<relative>{_RELATIVE_DAY})"
)
_CLOCK = (
    rf"(?P<hour>{_NUMBER})[点时](?!间|段|期|候|效|限)(?:(?P<minute>{_NUMBER})分|(?P<half>半))?"
    r"|(?<![\d.])(?P<colon_hour>\d{1,2}):(?P<colon_minute>\d{2})(?!\d)"
)
_TIME_PATTERN = re.compile(
    rf"(?:(?P<date>{_DATE})\s?)?(?:(?P<period>{_PERIOD})\s?)?(?P<clock>{_CLOCK})?"
)


@dataclass(frozen=True)
class TimeMention:
    """A date, an hour of the day, or both, as written in a text.

    `start` and `end` are offsets into the text that was read. `relative_day` is the word
    (当日, 次日 …) when the date is given relative to another one.
    """

    start: int
    end: int
    month: int | None
    day: int | None
    hour: int | None
    minute: int | None
    relative_day: str | None = None

    @property
    def has_date(self) -> bool:
        return self.day is not None or self.relative_day is not None

    @property
    def has_hour(self) -> bool:
        return self.hour is not None


def chinese_number(text: str) -> int | None:
    """Read a number of at most two digits written in digits or in Chinese (十二, 二十三, 两)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    tens_text, _, ones_text = text.partition("十")
    if len(tens_text) > 1 or len(ones_text) > 1:
        return None
    tens = _CHINESE_DIGITS.get(tens_text) if tens_text else 1
    ones = _CHINESE_DIGITS.get(ones_text) if ones_text else 0
    if tens is None or ones is None:
        return None
    return tens * 10 + ones


def _read_date(match: re.Match) -> tuple[int | None, int | None, str | None] | None:
    if match.group("month") is not None:
        month, day = chinese_number(match.group("month")), chinese_number(match.group("day"))
    elif match.group("slash_month") is not None:
        month, day = int(match.group("slash_month")), int(match.group("slash_day"))
    elif match.group("iso_month") is not None:
        month, day = int(match.group("iso_month")), int(match.group("iso_day"))
    elif match.group("day_only") is not None:
        month, day = None, int(match.group("day_only"))
    else:
        return None, None, match.group("relative")
    if day is None or not 1 <= day <= 31:
        return None
    if match.group("day_only") is None and (month is None or not 1 <= month <= 12):
        return None
    return month, day, None


def _read_clock(match: re.Match) -> tuple[int, int] | None:
    if match.group("colon_hour") is not None:
        hour, minute = int(match.group("colon_hour")), int(match.group("colon_minute"))
    else:
        hour = chinese_number(match.group("hour"))
        minute = 30 if match.group("half") else 0
        if match.group("minute") is not None:
            minute = chinese_number(match.group("minute"))
    if hour is None or minute is None or not 0 <= hour <= 24 or not 0 <= minute <= 59:
        return None
    period = match.group("period")
    afternoon = period in _AFTERNOON_PERIODS and hour < 12
    past_noon = period in ("中午", "午间") and hour <= 2
    if afternoon or past_noon:
        hour += 12
    return hour, minute


def _clock_is_plausible(match: re.Match) -> bool:
    """Reject an hour that is more likely a plain count ("三点建议", "一点也不")."""
    hour_text = match.group("hour")
    if hour_text is None or hour_text.isdigit():
        return True
    # Chinese numerals read as an hour only after a date or a part of the day.
    return match.group("date") is not None or match.group("period") is not None


def scan_time_mentions(normalized: NormalizedText) -> list[TimeMention]:
    """Find dates and hours in a normalised text; offsets point into the normalised text."""
    mentions = []
    for match in _TIME_PATTERN.finditer(normalized.text):
        if match.start() == match.end():
            continue
        has_clock = match.group("clock") is not None
        if match.group("date") is None and not has_clock:
            continue  # a bare part of the day such as 上午 is neither a date nor an hour
        date = _read_date(match) if match.group("date") is not None else (None, None, None)
        clock = _read_clock(match) if has_clock and _clock_is_plausible(match) else None
        if date is None and clock is None:
            continue
        month, day, relative = date if date is not None else (None, None, None)
        if clock is None and day is None and relative is None:
            continue
        hour, minute = clock if clock is not None else (None, None)
        mentions.append(TimeMention(match.start(), match.end(), month, day, hour, minute, relative))
    return mentions


def find_time_mentions(text: str) -> list[TimeMention]:
    """Find the dates and hours written in `text` (12月3日9点, 十二月三日九点, 12/3 9:00, 3日9时 …).

    Offsets point into `text` itself, also when it was typed with full-width characters.
    """
    normalized = normalize(text)
    mentions = []
    for mention in scan_time_mentions(normalized):
        start, end = normalized.original_span(mention.start, mention.end)
        mentions.append(dataclasses.replace(mention, start=start, end=end))
    return mentions
