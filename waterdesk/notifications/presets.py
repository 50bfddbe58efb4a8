"""The message templates the code sends, and the placeholders each one may use.

The data migration 0002_add_preset_templates writes the preset Chinese texts, and people edit
them in the admin afterwards. The admin rejects a text with a placeholder not listed here,
because no caller would provide its value.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateCode(models.TextChoices):
    # To the responsible department's heads and the center heads when a 12345 redo order arrives.
    REDO_CREATED = "redo_created", _("Redo order received")
    DEADLINE_WARNING = "deadline_warning", _("Deadline about to expire")
    DEADLINE_BREACH = "deadline_breach", _("Deadline breached")
    # Hand-over, return, extension, redo reply or written report awaiting a head's decision.
    APPROVAL_WAITING = "approval_waiting", _("Request awaiting approval")
    REPLY_REJECTED = "reply_rejected", _("Reply rejected at review")
    REPLY_UNTRUE = "reply_untrue", _("Reply found untrue at callback")


ALLOWED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    TemplateCode.REDO_CREATED: frozenset({"number", "department", "hours"}),
    TemplateCode.DEADLINE_WARNING: frozenset({"number", "deadline", "due"}),
    TemplateCode.DEADLINE_BREACH: frozenset({"number", "deadline", "due"}),
    TemplateCode.APPROVAL_WAITING: frozenset({"number", "department", "request"}),
    TemplateCode.REPLY_REJECTED: frozenset({"number", "due"}),
    TemplateCode.REPLY_UNTRUE: frozenset({"number", "due"}),
}
