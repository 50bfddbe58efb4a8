"""The printable written report (书面专报) of an order whose completion time cannot be given.

The department prints it, its head signs it and the department's seal is stamped on it, and the
signed scan goes back to the dispatch and service center, which reviews it and files a special
report to the company. The document is an A4 PDF in Simplified Chinese whatever the user's
language, because it is signed, sealed and filed as a Chinese document. The Chinese font is
embedded, so a reader without Chinese fonts shows it as printed.
"""

import datetime
import decimal
import functools
import io
import logging
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from waterdesk.organization.models import Department
from waterdesk.policy.models import get_policy

from .request_models import OrderRequest, RequestKind, RequestStatus
from .statuses import Channel, OrderType

logger = logging.getLogger(__name__)

FONT_NAME = "NotoSansSC"
# Noto Sans SC Regular cut down to GB2312 and common symbols. fonts/README.md gives its source
# and the command that rebuilds it.
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular-subset.ttf"
# Printed in place of a character that the font subset lacks, so that the signer can tell where
# a character is missing. U+25A1 WHITE SQUARE is the usual mark for this in Chinese print.
MISSING_CHARACTER = "□"
DEFAULT_CENTER_NAME = "调度服务中心"

PAGE_WIDTH = A4[0]
LEFT_MARGIN = RIGHT_MARGIN = 25 * mm
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 24 * mm
# ReportLab's Frame, which SimpleDocTemplate uses, pads each side by 6 pt inside the margins.
FRAME_PADDING = 6
CONTENT_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN - 2 * FRAME_PADDING

BODY_SIZE = 11
BODY_LEADING = BODY_SIZE * 1.7
# A section heading (spaceBefore, leading, spaceAfter) and three lines of body text.
HEADING_WITH_LINES_HEIGHT = 10 + 20 + 4 + 3 * BODY_LEADING
GREY = colors.Color(0.4, 0.4, 0.4)


@functools.cache
def _report_font() -> TTFont:
    """Load and register the embedded font once per process.

    `shapable=False` keeps ReportLab from shaping text through HarfBuzz when uharfbuzz happens
    to be installed. Chinese needs no shaping, and the output then stays the same on every
    machine.
    """
    font = TTFont(FONT_NAME, str(FONT_PATH), shapable=False)
    pdfmetrics.registerFont(font)
    return font


def font_has_character(character: str) -> bool:
    """Return whether the embedded font subset has a glyph for `character`."""
    return ord(character) in _report_font().face.charToGlyph


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    _report_font()
    # wordWrap="CJK" breaks lines between any two characters, including inside long Latin
    # words and numbers, and keeps closing punctuation off the start of a line.
    body = ParagraphStyle(
        "report-body",
        fontName=FONT_NAME,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        wordWrap="CJK",
        alignment=TA_LEFT,
        firstLineIndent=2 * BODY_SIZE,
        spaceAfter=2,
    )
    return {
        "title": ParagraphStyle(
            "report-title",
            parent=body,
            fontSize=17,
            leading=26,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=14,
        ),
        "body": body,
        "plain": ParagraphStyle("report-plain", parent=body, firstLineIndent=0),
        "heading": ParagraphStyle(
            "report-heading",
            parent=body,
            fontSize=13,
            leading=20,
            firstLineIndent=0,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle(
            "report-cell", parent=body, fontSize=10.5, leading=15, firstLineIndent=0
        ),
        "cell_label": ParagraphStyle(
            "report-cell-label",
            parent=body,
            fontSize=10.5,
            leading=15,
            firstLineIndent=0,
            alignment=TA_CENTER,
        ),
        "signed": ParagraphStyle(
            "report-signed", parent=body, firstLineIndent=0, leftIndent=CONTENT_WIDTH * 0.5
        ),
    }


class _TextCleaner:
    """Prepare stored text for ReportLab's paragraph markup, counting unprintable characters."""

    def __init__(self) -> None:
        self.missing: set[str] = set()

    def clean(self, text: str | None) -> str:
        """Return `text` with markup escaped, control and format characters removed, and
        characters outside the font replaced by MISSING_CHARACTER. Line breaks are kept."""
        output = []
        for character in (text or "").replace("\r\n", "\n").replace("\r", "\n"):
            if character == "\n":
                output.append(character)
            elif character == "\t":
                output.append(" ")
            elif unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn"):
                continue
            elif 0xFE00 <= ord(character) <= 0xFE0F or 0xE0100 <= ord(character) <= 0xE01EF:
                # Variation selectors only pick a glyph variant of the character before them.
                continue
            elif font_has_character(character):
                output.append(character)
            else:
                self.missing.add(character)
                output.append(MISSING_CHARACTER)
        return escape("".join(output))

    def paragraphs(self, text: str | None, style: ParagraphStyle) -> list[Paragraph]:
        """Split `text` at line breaks into paragraphs, so that each gets its own indent."""
        lines = [line.strip() for line in self.clean(text).split("\n")]
        return [Paragraph(line, style) for line in lines if line]


def _local(value: datetime.datetime | None, zone: ZoneInfo) -> str:
    """Format a time as local "2026年12月4日 09:00", or "—" when there is none."""
    if value is None:
        return "—"
    local = value.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _hours(value: decimal.Decimal) -> str:
    """Format a time limit such as Decimal("72.00") as "72" and Decimal("1.50") as "1.5"."""
    return format(value.normalize(), "f")


def _center_name() -> str:
    name = (
        Department.objects.filter(is_dispatch_center=True)
        .order_by("sort_order", "code")
        .values_list("name", flat=True)
        .first()
    )
    return name or DEFAULT_CENTER_NAME


def _pdf_date(value: datetime.datetime, zone: ZoneInfo) -> str:
    """Format a time as a PDF date string, D:YYYYMMDDHHmmSS+HH'mm'."""
    local = value.astimezone(zone)
    offset_minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"D:{local:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


class _PageNumberCanvas(Canvas):
    """A canvas that keeps every page until save(), so that it can print "第 N 页 共 M 页" on each.

    Every page also carries the order number, so that a loose page of the signed scan can be
    matched to its order.
    """

    def __init__(self, *args, footer: str, creation_date: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._saved_pages: list[dict] = []
        # ReportLab writes this string as the document's CreationDate and ModDate.
        self.setDateFormatter(lambda *fields: creation_date)

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        page_count = len(self._saved_pages)
        for number, page in enumerate(self._saved_pages, start=1):
            self.__dict__.update(page)
            self.setFont(FONT_NAME, 9)
            self.setFillColor(GREY)
            self.drawCentredString(
                PAGE_WIDTH / 2,
                BOTTOM_MARGIN / 2,
                f"{self._footer}　第 {number} 页 共 {page_count} 页",
            )
            super().showPage()
        super().save()


class _SignatureBlock(Flowable):
    """The department head's signature and date lines beside the box for the department seal."""

    HEIGHT = 48 * mm
    SEAL_SIZE = 44 * mm

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.HEIGHT

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(FONT_NAME, BODY_SIZE)

        sign_label = "部门负责人签字："
        date_label = "日期："
        label_width = pdfmetrics.stringWidth(sign_label, FONT_NAME, BODY_SIZE)
        line_end = self.width - self.SEAL_SIZE - 10 * mm
        sign_y = self.HEIGHT - 14 * mm
        date_y = sign_y - 16 * mm
        canvas.drawString(0, sign_y, sign_label)
        canvas.line(label_width, sign_y - 2, line_end, sign_y - 2)
        canvas.drawString(0, date_y, date_label)
        canvas.drawRightString(line_end, date_y, "年　　　月　　　日")
        canvas.line(
            pdfmetrics.stringWidth(date_label, FONT_NAME, BODY_SIZE),
            date_y - 2,
            line_end,
            date_y - 2,
        )

        seal_x = self.width - self.SEAL_SIZE
        seal_y = (self.HEIGHT - self.SEAL_SIZE) / 2
        canvas.setStrokeColor(GREY)
        canvas.setDash(4, 3)
        canvas.rect(seal_x, seal_y, self.SEAL_SIZE, self.SEAL_SIZE)
        canvas.setDash()
        canvas.setFillColor(GREY)
        canvas.setFont(FONT_NAME, 10)
        canvas.drawCentredString(
            seal_x + self.SEAL_SIZE / 2, seal_y + self.SEAL_SIZE / 2 - 3, "部门盖章处"
        )
        canvas.restoreState()


def _order_table(request: OrderRequest, zone: ZoneInfo, cleaner: _TextCleaner) -> Table:
    """Tabulate the order's elements: number, source, times, parties, address and time limit."""
    order = request.order
    styles = _styles()

    def label(text: str) -> Paragraph:
        return Paragraph(text, styles["cell_label"])

    def value(text: str | None) -> Paragraph:
        return Paragraph(cleaner.clean(text) or "—", styles["cell"])

    time_limit = f"{_hours(order.time_limit_hours)} 小时"
    if order.due_at is not None:
        time_limit += f"（到期 {_local(order.due_at, zone)}）"
    rows = [
        [
            label("工单编号"),
            value(order.number),
            label("信息来源"),
            value(Channel(order.channel).label),
        ],
        [
            label("受理时间"),
            value(_local(order.created_at, zone)),
            label("工单类型"),
            value(OrderType(order.order_type).label),
        ],
        [
            label("反映人"),
            value(order.reporter or "未留"),
            label("联系电话"),
            value(order.phone or "未留"),
        ],
        [
            label("故障类别"),
            value(order.category.name),
            label("责任单位"),
            value(order.department.name),
        ],
        [
            label("接单时间"),
            value(_local(order.accepted_at, zone)),
            label("处理时限"),
            value(time_limit),
        ],
    ]
    paired_rows = len(rows)
    spans = []
    if order.upstream_received_at is not None:
        rows.append(
            [label("12345 受理时间"), value(_local(order.upstream_received_at, zone)), "", ""]
        )
        spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
    rows.append([label("地址"), value(order.address), "", ""])
    spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))

    label_width = 26 * mm
    value_width = (CONTENT_WIDTH - 2 * label_width) / 2
    table = Table(
        rows,
        colWidths=[label_width, value_width, label_width, value_width],
        repeatRows=0,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                # Cells hold paragraphs, but the table still selects a font for each cell.
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.94, 0.94, 0.94)),
                ("BACKGROUND", (2, 0), (2, paired_rows - 1), colors.Color(0.94, 0.94, 0.94)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                *spans,
            ]
        )
    )
    return table


def _review_section(
    request: OrderRequest, zone: ZoneInfo, cleaner: _TextCleaner, center: str
) -> Table:
    """Build the center's review box: blank lines to write on, or the recorded decision."""
    styles = _styles()
    rows: list[list] = [[Paragraph(f"{cleaner.clean(center)}审核意见：", styles["plain"])]]
    line_rows = []

    if request.decided_at is not None:
        decision = "同意" if request.status == RequestStatus.APPROVED else "退回"
        rows.append([Paragraph(f"审核结果：{decision}", styles["plain"])])
        rows.extend(
            [[paragraph] for paragraph in cleaner.paragraphs(request.comment, styles["body"])]
        )
        reviewer = request.decided_by.display_name if request.decided_by else "—"
        reviewed = (
            f"审核人：{cleaner.clean(reviewer)}　　审核时间：{_local(request.decided_at, zone)}"
        )
        rows.append([Paragraph(reviewed, styles["plain"])])
    else:
        for _ in range(3):
            line_rows.append(len(rows))
            rows.append([""])
        rows.append(
            [
                Paragraph(
                    "审核人签字：＿＿＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
                    styles["plain"],
                )
            ]
        )

    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for row in line_rows:
        commands.append(("LINEBELOW", (0, row), (0, row), 0.4, GREY))

    # Rows left blank for the handwritten opinion are as tall as a line of handwriting.
    row_heights = [24 if row in line_rows else None for row in range(len(rows))]
    table = Table(rows, colWidths=[CONTENT_WIDTH], rowHeights=row_heights, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _story(request: OrderRequest, zone: ZoneInfo, cleaner: _TextCleaner) -> list[Flowable]:
    order = request.order
    styles = _styles()
    department = request.requesting_department.name
    requester = request.requested_by.display_name
    center = _center_name()

    story: list[Flowable] = [
        Paragraph(
            f"关于工单 {cleaner.clean(order.number)} 无法确定办结时限的书面报告", styles["title"]
        ),
        Paragraph(f"{cleaner.clean(center)}：", styles["plain"]),
        Paragraph(
            f"{cleaner.clean(department)}于{_local(order.accepted_at, zone)}接单受理工单 "
            f"{cleaner.clean(order.number)}。该工单目前无法确定办结时限，"
            "现将处理过程、解决措施及客观限制因素报告如下：",
            styles["body"],
        ),
        Paragraph("一、工单基本信息", styles["heading"]),
        _order_table(request, zone, cleaner),
    ]
    sections = [
        ("二、反映内容", order.content),
        ("三、处理过程", request.process),
        ("四、解决措施", request.measures),
        ("五、客观限制因素", request.constraints),
    ]
    for heading, text in sections:
        paragraphs = cleaner.paragraphs(text, styles["body"]) or [Paragraph("无。", styles["body"])]
        # A heading never ends a page: it starts a new page unless it and about three lines of
        # its text fit. KeepTogether would instead push a whole long first paragraph to the
        # next page and leave the rest of this one empty.
        story.append(CondPageBreak(HEADING_WITH_LINES_HEIGHT))
        story.append(Paragraph(heading, styles["heading"]))
        story.extend(paragraphs)

    story.append(Spacer(1, 6 * mm))
    story.append(
        KeepTogether(
            [
                Paragraph(f"报告部门：{cleaner.clean(department)}", styles["signed"]),
                Paragraph(f"经办人：{cleaner.clean(requester)}", styles["signed"]),
                Paragraph(f"报告时间：{_local(request.requested_at, zone)}", styles["signed"]),
                Spacer(1, 4 * mm),
                _SignatureBlock(),
            ]
        )
    )
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether([_review_section(request, zone, cleaner, center)]))
    return story


def render_report_pdf(request: OrderRequest) -> bytes:
    """Render the written report request `request` as an A4 PDF and return its bytes.

    Times are printed in the policy's time zone and the phone number in full, because the
    document goes only to the department head and the center. The output depends only on the
    stored data: the PDF's creation date is the request's time and ReportLab's invariant mode
    fixes the document id, so two renders of the same request are byte-identical.
    Characters that the embedded font lacks are printed as MISSING_CHARACTER and logged.
    Raises ValueError when `request` is not a written report request.
    """
    if request.kind != RequestKind.REPORT:
        raise ValueError(
            f"Request {request.pk} is a {request.kind!r} request; only written report "
            f"requests ({RequestKind.REPORT.value!r}) can be printed."
        )
    order = request.order
    zone = ZoneInfo(get_policy().timezone)
    cleaner = _TextCleaner()
    title = f"关于工单 {order.number} 无法确定办结时限的书面报告"

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=request.requesting_department.name,
        subject="书面专报",
        creator="waterdesk",
        lang="zh-CN",
        invariant=1,
        # Each page starts in this font instead of ReportLab's default, Helvetica, which would
        # otherwise be listed as a further, unembedded font.
        initialFontName=FONT_NAME,
    )
    # Choice labels (channel, order type) come out in Chinese whatever the user's language.
    with translation.override("zh-hans"):
        story = _story(request, zone, cleaner)
    document.build(
        story,
        canvasmaker=functools.partial(
            _PageNumberCanvas,
            footer=f"工单 {order.number} 书面报告",
            creation_date=_pdf_date(request.requested_at, zone),
        ),
    )
    if cleaner.missing:
        logger.warning(
            "Written report of order %s (request %s): %d characters outside the embedded font "
            "were printed as %s: %s",
            order.number,
            request.pk,
            len(cleaner.missing),
            MISSING_CHARACTER,
            " ".join(f"U+{ord(character):04X}" for character in sorted(cleaner.missing, key=ord)),
        )
    return buffer.getvalue()
