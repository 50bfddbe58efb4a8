"""Page forms of the exception paths: hand-over, return, extension, written report, merge,
attachments and the decisions on them.

As in forms.py, the actions check every value. These forms only turn page inputs into the
request body of an action and show the action's errors next to the fields they name.
"""

from django import forms
from django.utils.translation import gettext_lazy

from waterdesk.organization.models import Department

from .forms import LOCAL_INPUT_FORMATS, ActionForm


class RequestActionForm(ActionForm):
    """An action form whose field ids carry the action's name.

    The order page can show several of these forms at once (a hand-over and a return both have
    a note or a reason), and each label must point at its own field.
    """

    def __init__(self, *args, action_name: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action_name}_%s")
        super().__init__(*args, **kwargs)
        self.action_name = action_name

    def _text(self, name: str) -> str | None:
        return self.cleaned_data[name] or None


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TransferRequestForm(RequestActionForm):
    department = forms.ChoiceField(
        label=gettext_lazy("Department that agreed to take the order"), required=False
    )
    contact_person = forms.CharField(
        label=gettext_lazy("Agreeing person"), required=False, max_length=50
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Agreeing person's phone"), required=False, max_length=32
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=_textarea())

    def __init__(self, *args, own_department_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        if own_department_id is not None:
            departments = departments.exclude(pk=own_department_id)
        self.fields["department"].choices = [("", "—")] + [
            (item.code, item.name) for item in departments
        ]
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"

    def action_data(self) -> dict:
        return {
            "department": self._text("department"),
            "contact_person": self._text("contact_person"),
            "contact_phone": self._text("contact_phone"),
            "note": self._text("note"),
        }


class ReturnRequestForm(RequestActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Why the request is outside the utility's duty"),
        required=False,
        widget=_textarea(3),
    )
    basis = forms.CharField(label=gettext_lazy("Policy basis"), required=False, widget=_textarea())
    evidence = forms.CharField(
        label=gettext_lazy("On-site evidence"), required=False, widget=_textarea()
    )
    target_unit = forms.CharField(
        label=gettext_lazy("Unit that should take the request"), required=False, max_length=100
    )

    def action_data(self) -> dict:
        return {
            "reason": self._text("reason"),
            "basis": self._text("basis"),
            "evidence": self._text("evidence"),
            "target_unit": self._text("target_unit"),
        }


class ExtensionRequestForm(RequestActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Work done and why more time is needed"),
        required=False,
        widget=_textarea(3),
    )
    measures = forms.CharField(label=gettext_lazy("Measures"), required=False, widget=_textarea())
    expected_done_at = forms.DateTimeField(
        label=gettext_lazy("Expected completion time"),
        required=False,
        input_formats=LOCAL_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "invalid": gettext_lazy("Enter the expected completion date and time."),
        },
    )
    citizen_agreed = forms.BooleanField(
        label=gettext_lazy("The citizen was told and agreed to this time"), required=False
    )

    def action_data(self) -> dict:
        done_at = self.cleaned_data["expected_done_at"]
        return {
            "reason": self._text("reason"),
            "measures": self._text("measures"),
            "expected_done_at": done_at.isoformat() if done_at else None,
            "citizen_agreed": self.cleaned_data["citizen_agreed"],
        }


class ReportForm(RequestActionForm):
    process = forms.CharField(
        label=gettext_lazy("Process so far"), required=False, widget=_textarea(3)
    )
    measures = forms.CharField(label=gettext_lazy("Measures"), required=False, widget=_textarea(3))
    constraints = forms.CharField(
        label=gettext_lazy("What keeps a completion time from being given"),
        required=False,
        widget=_textarea(3),
    )

    def action_data(self) -> dict:
        return {
            "process": self._text("process"),
            "measures": self._text("measures"),
            "constraints": self._text("constraints"),
        }


class MergeForm(RequestActionForm):
    into = forms.CharField(
        label=gettext_lazy("Number of the earlier order"), required=False, max_length=32
    )

    # The number of a likely duplicate whose button was pressed; it wins over the typed number.
    candidate = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def action_data(self) -> dict:
        number = self.cleaned_data["candidate"] or self.cleaned_data["into"] or ""
        return {"into": number.strip().upper() or None}


class DecisionForm(RequestActionForm):
    """Approve or reject a request, a redo reply or a proposed exemption, with a comment."""

    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Reason or comment"), required=False, widget=_textarea()
    )

    def action_data(self) -> dict:
        return {
            "decision": self.cleaned_data["decision"] or None,
            "comment": self._text("comment"),
        }


class AttachmentForm(RequestActionForm):
    # Not required here, because add_attachment raises its own "choose a file" error.
    file = forms.FileField(label=gettext_lazy("Photo or PDF"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,application/pdf"
