"""Message text with named placeholders such as {number}: parsing, checking and rendering."""

import datetime
import string

from django.utils import timezone
from django.utils.translation import gettext as _


class TemplateError(ValueError):
    """A template's text is malformed, or it names a placeholder that has no value."""


def placeholders(text: str, *, template_code: str = "") -> list[str]:
    """Return the placeholder names of `text` in order of first appearance.

    Only plain names are allowed ({number}); attribute access, indexes, conversions and format
    specs ({order.number}, {0}, {due!r}, {due:%H}) raise TemplateError, and so do unbalanced
    braces. Literal braces are written {{ and }}.
    """
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise TemplateError(
            _("The text of template %(template)s is malformed: %(error)s.")
            % {"template": template_code, "error": error}
        ) from error
    for _literal, name, format_spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or format_spec or conversion:
            raise TemplateError(
                _(
                    "Template %(template)s has the placeholder {%(placeholder)s}, but a "
                    "placeholder must be a plain name such as {number}."
                )
                % {"template": template_code, "placeholder": name}
            )
        if name not in names:
            names.append(name)
    return names


def format_value(value) -> str:
    """Return `value` as message text; datetimes in the local zone as 12月4日 14:30."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.month}月{value.day}日"
    return str(value)


def render(text: str, params: dict[str, str], *, template_code: str) -> str:
    """Fill the placeholders of `text` from `params`; raise TemplateError naming a missing one."""
    for name in placeholders(text, template_code=template_code):
        if name not in params:
            raise TemplateError(
                _(
                    "Template %(template)s uses the placeholder {%(placeholder)s}, which the "
                    "notification does not provide (it provides: %(provided)s). Remove the "
                    "placeholder from the template text or fix the caller."
                )
                % {
                    "template": template_code,
                    "placeholder": name,
                    "provided": ", ".join(sorted(params)) or "-",
                }
            )
    return text.format_map(params)
