"""Subset Noto Sans SC to the characters that the written report (书面专报) needs.

Usage: python subset_font.py SOURCE.ttf OUTPUT.ttf

The subset keeps every character of GB2312 (its 6,763 hanzi and 682 symbols, kana, Greek,
Cyrillic and full-width forms), printable ASCII and Latin-1, and the punctuation and symbol
blocks listed in EXTRA_RANGES. Characters that the source font lacks are skipped. Only
fontTools is needed; README.md beside this file names the source font and version.
"""

import sys

from fontTools import subset
from fontTools.ttLib import TTFont

# Code point ranges kept besides GB2312, inclusive.
EXTRA_RANGES = [
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: ° ± × · ² ³ and accented Latin letters
    (0x2010, 0x205E),  # general punctuation: – — ‘ ’ “ ” … ‰ ※
    (0x2100, 0x215F),  # letterlike symbols and number forms: ℃ № Ⅰ…
    (0x2160, 0x217F),  # Roman numerals
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics: ①…⑳ ⑴…⒇ ⒈…⒛
    (0x25A0, 0x25FF),  # geometric shapes: □ (printed for characters outside the subset) ○ ●
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〇〈〉《》「」【】〔〕
    (0x3380, 0x33FF),  # CJK compatibility units: ㎡ ㎥ ㎏ ㎞
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFE50, 0xFE6F),  # small form variants: ﹝ ﹞
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFFE0, 0xFFE6),  # full-width signs: ￥ ￠ ￡
]


def gb2312_characters() -> set[str]:
    """Return every character that GB2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    characters = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def subset_code_points() -> set[int]:
    code_points = {ord(character) for character in gb2312_characters()}
    for first, last in EXTRA_RANGES:
        code_points.update(range(first, last + 1))
    return code_points


def subset_font(source_path: str, output_path: str) -> None:
    # Keep the source's head.modified, so that a rebuild from the same source is byte-identical.
    font = TTFont(source_path, recalcTimestamp=False)
    if "glyf" not in font:
        raise SystemExit(
            f"{source_path} has no 'glyf' table. ReportLab embeds only TrueType outlines, "
            "so use a .ttf with TrueType (not CFF) outlines."
        )
    available = set(font.getBestCmap())
    code_points = subset_code_points() & available

    options = subset.Options()
    # ReportLab draws one glyph per character and ignores OpenType layout, so GSUB, GPOS and
    # the other layout tables only add size.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT"]
    # Keep the copyright, licence and licence URL records (name IDs 0, 13 and 14).
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True

    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points))
    subsetter.subset(font)
    font.save(output_path)
    print(f"{output_path}: {len(code_points)} characters, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python subset_font.py SOURCE.ttf OUTPUT.ttf")
    subset_font(sys.argv[1], sys.argv[2])
