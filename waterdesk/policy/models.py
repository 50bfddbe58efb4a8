"""The regulation as data: every number, window and list that a utility may change.

Policy rows are never edited in place. Saving a change in the admin writes a new row with the next
version number, so that replies, clocks and monthly snapshots can record which version they used.
"""

import datetime
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


def _default_callback_windows() -> list[list[str]]:
    return [["08:30", "12:00"], ["13:30", "19:00"]]


def _default_working_periods() -> list[list[str]]:
    return [["08:30", "12:00"], ["13:30", "17:30"]]


def _default_callback_lines() -> list[str]:
    return ["7033818", "7033110"]


def _default_clock_time_kinds() -> dict[str, str]:
    # "natural" counts every second; "working" counts only working periods on working days.
    return {
        "dispatch": "natural",
        "accept": "natural",
        "contact": "natural",
        "transfer": "natural",
        "return": "natural",
        "resolution": "natural",
        "callback": "natural",
    }


class Policy(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    change_note = models.CharField(_("change note"), max_length=200, blank=True)

    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")

    # Clock durations of the regulation.
    dispatch_minutes = models.PositiveIntegerField(_("dispatch within (minutes)"), default=5)
    accept_minutes = models.PositiveIntegerField(_("accept within (minutes)"), default=5)
    contact_minutes = models.PositiveIntegerField(
        _("contact the citizen within (minutes)"), default=20
    )
    transfer_hours = models.PositiveIntegerField(_("hand-over within (hours)"), default=4)
    return_hours = models.PositiveIntegerField(
        _("return to the 12345 hotline within (hours)"), default=24
    )
    callback_hours = models.PositiveIntegerField(_("callback within (hours)"), default=24)
    quiet_hours_start = models.TimeField(_("quiet hours start"), default=datetime.time(21, 0))
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=datetime.time(8, 30))
    callback_windows = models.JSONField(_("callback windows"), default=_default_callback_windows)
    working_periods = models.JSONField(_("working periods"), default=_default_working_periods)
    clock_time_kinds = models.JSONField(
        _("time kind of each clock"), default=_default_clock_time_kinds
    )
    warning_lead_percent = models.PositiveSmallIntegerField(
        _("warning lead (percent of the clock's duration)"), default=20
    )
    warning_lead_min_seconds = models.PositiveIntegerField(
        _("minimum warning lead (seconds)"), default=60
    )

    extension_max_days = models.PositiveSmallIntegerField(_("maximum extension (days)"), default=4)
    extension_max_count = models.PositiveSmallIntegerField(_("extensions per order"), default=1)
    callback_lines = models.JSONField(
        _("dedicated callback lines"), default=_default_callback_lines
    )
    duplicate_window_days = models.PositiveSmallIntegerField(
        _("window for repeat and duplicate requests (days)"), default=30
    )

    # Text limits: the input check rejects longer values with a message naming the field.
    max_address_length = models.PositiveIntegerField(_("maximum address length"), default=200)
    max_content_length = models.PositiveIntegerField(_("maximum content length"), default=2000)
    max_reporter_length = models.PositiveIntegerField(_("maximum reporter name length"), default=50)
    max_reply_length = models.PositiveIntegerField(_("maximum reply length"), default=4000)
    max_note_length = models.PositiveIntegerField(_("maximum note length"), default=1000)
    max_time_limit_hours = models.PositiveIntegerField(_("maximum time limit (hours)"), default=720)

    # Phrase lists, patterns and prefixes of the reply check; empty means the regulation's preset.
    reply_rules = models.JSONField(_("reply check rules"), default=dict, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("policy")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        return _("Policy version %(version)s") % {"version": self.version}

    def clean(self):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                {"timezone": _("Unknown time zone. Use an IANA name such as Asia/Shanghai.")}
            ) from None
        for field in ("callback_windows", "working_periods"):
            try:
                parse_periods(getattr(self, field))
            except ValueError as error:
                raise ValidationError({field: str(error)}) from None
        if self.reply_rules:
            from waterdesk.replies.checker import ReplyRules, RulesError

            try:
                ReplyRules.from_dict(self.reply_rules)
            except RulesError as error:
                raise ValidationError({"reply_rules": str(error)}) from None
        kinds = self.clock_time_kinds or {}
        for clock, kind in kinds.items():
            if kind not in ("natural", "working"):
                raise ValidationError(
                    {"clock_time_kinds": _("Time kind must be natural or working.")}
                )
            if clock not in _default_clock_time_kinds():
                raise ValidationError({"clock_time_kinds": _("Unknown clock name.")})

    def save_as_new_version(self, user=None) -> "Policy":
        """Store this policy as the next version and return it; earlier versions stay unchanged."""
        with transaction.atomic():
            latest = Policy.objects.select_for_update().order_by("-version").first()
            self.pk = None
            self.version = (latest.version if latest else 0) + 1
            self.created_by = user
            self.save(force_insert=True)
        forget_cached_policy()
        return self


def parse_periods(raw) -> list[tuple[datetime.time, datetime.time]]:
    """Parse [["08:30", "12:00"], ...] into sorted, non-overlapping (start, end) local times."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(_('Periods must be a list like [["08:30", "12:00"]].'))
    periods = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise ValueError(_('Each period must be a pair of times like ["08:30", "12:00"].'))
        try:
            start, end = (datetime.time.fromisoformat(str(value)) for value in item)
        except ValueError:
            raise ValueError(_("A period time is not in HH:MM form.")) from None
        if start >= end:
            raise ValueError(_("A period must start before it ends."))
        periods.append((start, end))
    periods.sort()
    for (_start, end), (next_start, _end) in zip(periods, periods[1:], strict=False):
        if next_start < end:
            raise ValueError(_("Periods must not overlap."))
    return periods


# The latest policy, kept for a few seconds: every action and response reads it, often several
# times per request. A new version saved in this process replaces it at once; other processes
# see it within POLICY_CACHE_SECONDS.
POLICY_CACHE_SECONDS = 5.0
_cached: dict = {"policy": None, "read_at": 0.0}


def get_policy() -> Policy:
    """Return the latest policy version, creating the preset version on first use."""
    now = time.monotonic()
    policy = _cached["policy"]
    if policy is not None and now - _cached["read_at"] < POLICY_CACHE_SECONDS:
        return policy
    policy = Policy.objects.order_by("-version").first()
    if policy is None:
        policy = Policy().save_as_new_version()
    _cached.update(policy=policy, read_at=now)
    return policy


def forget_cached_policy() -> None:
    """Make the next get_policy() read the database (after a new version, or in tests)."""
    _cached.update(policy=None, read_at=0.0)
