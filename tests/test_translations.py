"""The zh-hans catalogues are complete and compiled: no message reaches a user in English."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(REPO.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
CATALOGUES = [path for path in CATALOGUES if ".venv" not in path.parts]


def entries(path: Path):
    """Yield (msgid, msgstr, flags) of each entry of a .po file, joining continued lines."""
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        if any(line.startswith("#~") for line in lines):
            continue  # obsolete entry
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            yield fields["msgid"], msgstr, flags


def test_catalogues_exist():
    assert len(CATALOGUES) >= 2, CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_message_is_translated(path):
    untranslated = [msgid for msgid, msgstr, _flags in entries(path) if msgid and not msgstr]
    fuzzy = [msgid for msgid, _msgstr, flags in entries(path) if msgid and "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(REPO)))
def test_compiled_catalogue_is_up_to_date(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"run make messages to compile {path}"
    assert compiled.stat().st_size > 0
