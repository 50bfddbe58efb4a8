"""The import_orders command: valid lines become orders, each bad line is reported and skipped."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import order_data
from waterdesk.orders.models import WorkOrder

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "orders-sample.jsonl"


def run_import(path: Path) -> tuple[str, str, bool]:
    stdout, stderr = io.StringIO(), io.StringIO()
    failed = False
    try:
        call_command("import_orders", str(path), stdout=stdout, stderr=stderr)
    except CommandError:
        failed = True
    return stdout.getvalue(), stderr.getvalue(), failed


def test_sample_file_imports_cleanly(preset):
    stdout, stderr, failed = run_import(SAMPLE)
    assert not failed, stderr
    assert stderr == ""
    line_count = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    assert WorkOrder.objects.count() == line_count


def test_importing_sample_twice_keeps_hotline_orders_single(preset):
    run_import(SAMPLE)
    before = WorkOrder.objects.filter(channel="upper_hotline").count()
    run_import(SAMPLE)
    assert WorkOrder.objects.filter(channel="upper_hotline").count() == before


def test_bad_lines_are_reported_with_line_field_and_reason(preset, tmp_path):
    lines = [
        json.dumps(order_data(), ensure_ascii=False),
        json.dumps(order_data(phone="123"), ensure_ascii=False),
        "{broken",
        "",
        json.dumps(order_data(category="volcano", address=""), ensure_ascii=False),
        json.dumps(order_data(content="另一单"), ensure_ascii=False),
    ]
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    stdout, stderr, failed = run_import(path)
    assert failed
    assert WorkOrder.objects.count() == 2
    assert "line 2: phone:" in stderr
    assert "line 3: body:" in stderr
    assert "line 5: category:" in stderr
    assert "line 5: address:" in stderr
    assert "2 orders created" in stdout


def test_missing_file_is_a_clear_error(preset, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_orders", str(tmp_path / "none.jsonl"))
