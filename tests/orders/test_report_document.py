"""The printable written report: its text, embedded font, page breaks and missing characters."""

import io
import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from tests.conftest import at, make_user, order_data
from waterdesk.orders import actions
from waterdesk.orders import request_actions as requests
from waterdesk.orders.models import OrderRequest
from waterdesk.orders.report_document import (
    FONT_NAME,
    FONT_PATH,
    LEFT_MARGIN,
    MISSING_CHARACTER,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    font_has_character,
    render_report_pdf,
)
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

ACCEPTED_AT = at("2026-12-04 09:00:00")
REPORTED_AT = at("2026-12-05 16:30:00")
PROCESS = "接单后多次到现场勘查，确认漏点位于市政道路下方的主管道接口处。"
MEASURES = "已关闭上游阀门控制漏水，并安排临时供水车保障周边住户用水。"
CONSTRAINTS = "维修须破除市政道路路面，需待住建部门审批道路开挖许可后方可施工。"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CLOSING_PUNCTUATION = "，。、；：？！”’）》】」…"


@pytest.fixture
def order(dispatcher, handler):
    created, _ = actions.create_order(dispatcher, order_data(time_limit_hours=72), now=ACCEPTED_AT)
    return actions.accept_order(handler, created, now=ACCEPTED_AT)


def file_report(handler, order, **overrides) -> OrderRequest:
    body = {"process": PROCESS, "measures": MEASURES, "constraints": CONSTRAINTS}
    body.update(overrides)
    requests.submit_report(handler, order, body, now=REPORTED_AT)
    return OrderRequest.objects.get(order=order, kind="report")


def compact(text: str) -> str:
    """Drop whitespace, because text extraction adds it at line ends and between text runs."""
    return "".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's text without whitespace and without its footer, which every page has."""
    pages = [compact(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    bodies = []
    for number, text in enumerate(pages, start=1):
        footer = re.search(rf"工单GD\d+书面报告第{number}页共{len(pages)}页$", text)
        assert footer is not None, f"page {number} has no footer: {text[-40:]}"
        bodies.append(text[: footer.start()])
    return bodies


def test_report_contains_order_and_text(order, handler):
    pdf = render_report_pdf(file_report(handler, order))

    assert pdf.startswith(b"%PDF-")
    text = "".join(page_texts(pdf))
    assert compact(f"关于工单 {order.number} 无法确定办结时限的书面报告") in text
    for expected in (PROCESS, MEASURES, CONSTRAINTS, order.content, order.address):
        assert compact(expected) in text
    assert "热线接听" in text  # the channel's Chinese label
    assert "张先生" in text
    assert "13800001234" in text  # shown in full because the document is internal
    assert "受理时间2026年12月4日09:00" in text  # local time, not UTC
    assert "报告时间：2026年12月5日16:30" in text
    assert "报告部门：供水一部" in text
    assert "经办人：supply_1_handler" in text
    assert "部门负责人签字：" in text
    assert "部门盖章处" in text
    assert "调度服务中心审核意见：" in text
    assert "审核人签字：" in text


def test_report_embeds_every_font(order, handler):
    pdf = render_report_pdf(file_report(handler, order))

    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"
        assert name.endswith("+NotoSansSC-Regular"), name


def test_hotline_order_prints_upstream_time(dispatcher, handler):
    address = "确山县建设路与人民路交叉口东北角" + "供水管网检修井旁第三个单元门前" * 12
    data = order_data(
        channel="upper_hotline",
        external_id="12345-2026-0001",
        upstream_received_at="2026-12-04T08:40:00+08:00",
        address=address,
        reporter=None,
        phone=None,
        time_limit_hours=72,
    )
    created, _ = actions.create_order(dispatcher, data, now=ACCEPTED_AT)
    order = actions.accept_order(handler, created, now=ACCEPTED_AT)

    text = "".join(page_texts(render_report_pdf(file_report(handler, order))))

    assert "信息来源上级热线" in text
    assert "12345受理时间2026年12月4日08:40" in text
    assert compact(address) in text
    assert "反映人未留" in text
    assert "联系电话未留" in text


def test_long_process_wraps_onto_pages(order, handler):
    policy = get_policy()
    policy.max_content_length = 4000
    policy.save_as_new_version()
    sentence = "抢修人员关闭阀门后开挖路面，发现主管道与支管三通处锈蚀穿孔，已更换管件并回填。"
    process = (sentence * 80)[:3000]

    pdf = render_report_pdf(file_report(handler, order, process=process))

    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert compact(process) in "".join(pages)
    assert sum(1 for text in pages if sentence[:10] in text) >= 2
    assert "部门盖章处" in pages[-1]


def line_extents(pdf: bytes) -> list[tuple[int, float, float, float, str]]:
    """Return (page, font size, x where the line starts, x where it ends, text) for each line."""
    lines = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        runs: dict[tuple[float, float, float], str] = {}

        def collect(text, cm, tm, font, size, runs=runs):
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            # Runs that start at the same point are pieces of one line in different font subsets.
            key = (round(x, 1), round(y, 1), size)
            runs[key] = runs.get(key, "") + text.replace("\n", "")

        page.extract_text(visitor_text=collect)
        for (x, _y, size), text in runs.items():
            if text.strip():
                width = pdfmetrics.stringWidth(text, FONT_NAME, size)
                lines.append((number, size, x, x + width, text))
    return lines


def test_long_words_stay_inside_margins(order, handler):
    long_token = "DN300-" + "0123456789" * 30
    pdf = render_report_pdf(
        file_report(handler, order, process=PROCESS + long_token, measures=MEASURES * 12)
    )

    lines = line_extents(pdf)
    assert any("0123456789" in text for _page, _size, _start, _end, text in lines)
    right_edge = PAGE_WIDTH - RIGHT_MARGIN
    for page, size, start, end, text in lines:
        assert start >= LEFT_MARGIN, f"page {page}: line starts at {start:.1f}: {text}"
        # Closing punctuation that may not start a line hangs past the edge by one character, as
        # in Chinese print. Every other line must end inside the edge.
        limit = right_edge + (size if text[-1] in CLOSING_PUNCTUATION else 0) + 0.5
        assert end <= limit, f"page {page}: line ends at {end:.1f} > {limit:.1f}: {text}"
    assert compact(PROCESS + long_token) in "".join(page_texts(pdf))


def test_character_outside_font_prints_placeholder(order, handler, caplog):
    # 堃 is in GBK but not in GB2312, 𠀀 is in CJK extension B, and no Chinese set has the emoji.
    outside = ["堃", "𠀀", "😀"]
    for character in outside:
        assert not font_has_character(character)
    assert font_has_character(MISSING_CHARACTER)
    process = f"联系用户王{outside[0]}，地址含{outside[1]}字，留言{outside[2]}。"

    with caplog.at_level(logging.WARNING, logger="waterdesk.orders.report_document"):
        pdf = render_report_pdf(file_report(handler, order, process=process))

    text = "".join(page_texts(pdf))
    assert (
        f"联系用户王{MISSING_CHARACTER}，地址含{MISSING_CHARACTER}字，留言{MISSING_CHARACTER}。"
        in text
    )
    [record] = caplog.records
    assert order.number in record.getMessage()
    assert "U+5803 U+1F600 U+20000" in record.getMessage()


def test_markup_and_control_characters_print_as_text(order, handler):
    # Typed text cannot hold other control characters: the action rejects them.
    process = "水压<0.1MPa & 管径>DN100，<b>不是标记</b>。\r\n第二段\u200b内容。"

    pdf = render_report_pdf(file_report(handler, order, process=process))

    text = "".join(page_texts(pdf))
    assert "水压<0.1MPa&管径>DN100，<b>不是标记</b>。" in text
    assert "第二段内容。" in text


def test_render_is_deterministic(order, handler):
    request = file_report(handler, order)

    first = render_report_pdf(request)
    second = render_report_pdf(request)

    assert first == second
    metadata = PdfReader(io.BytesIO(first)).metadata
    assert metadata["/CreationDate"] == "D:20261205163000+08'00'"
    assert metadata["/Title"] == f"关于工单 {order.number} 无法确定办结时限的书面报告"


def test_decided_report_prints_review(order, handler):
    request = file_report(handler, order)
    requests.add_attachment(handler, order, SimpleUploadedFile("scan.png", PNG))
    center_head = make_user("center_head", [Role.CENTER_HEAD])
    requests.decide_report(
        center_head, order, {"decision": "approve", "comment": "同意专报，请持续跟进。"}
    )
    request.refresh_from_db()

    text = "".join(page_texts(render_report_pdf(request)))

    assert "审核结果：同意" in text
    assert "同意专报，请持续跟进。" in text
    assert "审核人：center_head" in text
    assert "审核人签字：" not in text


def test_other_request_kind_is_rejected(order, handler):
    request = OrderRequest(
        order=order,
        kind="extension",
        requested_by=handler,
        requested_at=REPORTED_AT,
        requesting_department=order.department,
    )

    with pytest.raises(ValueError, match="only written report requests"):
        render_report_pdf(request)


def test_font_subset_covers_gb2312():
    gb2312 = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                gb2312.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(gb2312) == 7445
    missing = [character for character in gb2312 if not font_has_character(character)]
    assert missing == []
    for character in "ASCII azAZ09，。、；：？！“”‘’（）《》【】—…·℃㎡①":
        assert font_has_character(character), character
    assert FONT_PATH.stat().st_size < 4 * 1024 * 1024
