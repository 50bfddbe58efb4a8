"""The preset templates and the checks on template texts edited in the admin."""

import pytest
from django.core.exceptions import ValidationError

from waterdesk.notifications.models import MessageTemplate
from waterdesk.notifications.presets import ALLOWED_PLACEHOLDERS, TemplateCode
from waterdesk.notifications.rendering import TemplateError, placeholders, render

pytestmark = pytest.mark.django_db


def test_every_code_has_a_preset_template():
    codes = set(MessageTemplate.objects.values_list("code", flat=True))

    assert codes == set(TemplateCode.values)


@pytest.mark.parametrize("code", TemplateCode.values)
def test_preset_text_names_the_order(code):
    template = MessageTemplate.objects.get(code=code)
    # A summary names several orders, each other template names one.
    order_placeholder = "{numbers}" if code.endswith("_summary") else "{number}"

    assert order_placeholder in template.text
    assert set(placeholders(template.text)) <= ALLOWED_PLACEHOLDERS[code]


@pytest.mark.parametrize("code", TemplateCode.values)
def test_preset_text_passes_the_admin_check(code):
    MessageTemplate.objects.get(code=code).full_clean()


def test_admin_check_rejects_placeholder_without_value():
    template = MessageTemplate.objects.get(code="reply_rejected")
    template.text = "工单{number}的回复未通过审核，请联系{reviewer}。"

    with pytest.raises(ValidationError, match="reviewer"):
        template.full_clean()


def test_admin_check_rejects_attribute_placeholder():
    template = MessageTemplate.objects.get(code="reply_rejected")
    template.text = "工单{number.upper}的回复未通过审核。"

    with pytest.raises(ValidationError, match=r"\{number\.upper\}"):
        template.full_clean()


def test_admin_check_rejects_unbalanced_brace():
    template = MessageTemplate.objects.get(code="reply_rejected")
    template.text = "工单{number的回复未通过审核。"

    with pytest.raises(ValidationError):
        template.full_clean()


def test_doubled_braces_are_literal():
    assert render("{{ {number} }}", {"number": "A1"}, template_code="t") == "{ A1 }"


def test_missing_value_names_template_and_placeholder():
    with pytest.raises(TemplateError) as raised:
        render("工单{number}于{due}到期", {"number": "A1"}, template_code="reply_untrue")

    assert "reply_untrue" in str(raised.value)
    assert "{due}" in str(raised.value)
