"""Page forms. Each binds what the user typed and turns it into the request body of an action.

The actions check every value themselves, with the same Chinese messages as the API. These forms
only convert page inputs (check boxes, local date and time fields) into that body. They also put
the action's errors next to the fields the errors name.
"""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waterdesk.callbacks.models import CallbackKind, CallbackOutcome
from waterdesk.orders.errors import ActionError
from waterdesk.orders.listing import SORT_NEAREST_DUE, SORT_NEWEST, OrderFilters
from waterdesk.orders.models import Category, ContactOutcome
from waterdesk.orders.statuses import Channel, OrderType, Status
from waterdesk.organization.models import Department
from waterdesk.policy.models import get_policy

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class ActionForm(forms.Form):
    """A form whose values go to an action; the action's checks are the ones that count."""

    use_required_attribute = False
    # Action field names that this form shows under another name.
    field_aliases: dict[str, str] = {}

    def add_action_error(self, error: ActionError, *, default_field: str | None = None) -> None:
        """Show the action's error next to each field its details name, or above the form.

        Details without a field (the violations of a rejected reply) go to `default_field`.
        """
        placed = False
        for detail in error.details:
            field = detail.get("field", default_field)
            field = self.field_aliases.get(field, field)
            message = detail.get("message") or error.message
            if field in self.fields:
                self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


def _category_choices():
    return [("", "—")] + [
        (item.code, item.name) for item in Category.objects.filter(is_active=True)
    ]


def _department_choices(blank: bool = True):
    choices = [(item.code, item.name) for item in Department.objects.filter(is_active=True)]
    return [("", "—"), *choices] if blank else choices


class NewOrderForm(ActionForm):
    """The eight elements of a new order, in the order a dispatcher takes them on the phone."""

    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=32)
    # The maximum length is the policy's, set in __init__, as the action checks that limit.
    address = forms.CharField(label=gettext_lazy("Address"), required=False)
    content = forms.CharField(
        label=gettext_lazy("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=gettext_lazy("Fault category"), required=False)
    department = forms.ChoiceField(label=gettext_lazy("Responsible department"), required=False)
    time_limit_hours = forms.CharField(
        label=gettext_lazy("Time limit (hours)"), required=False, max_length=10
    )
    reporter = forms.CharField(label=gettext_lazy("Reporter"), required=False, max_length=100)
    channel = forms.ChoiceField(
        label=gettext_lazy("Source"), choices=Channel.choices, initial=Channel.HOTLINE
    )
    order_type = forms.ChoiceField(
        label=gettext_lazy("Order type"), choices=OrderType.choices, initial=OrderType.GENERAL
    )
    external_id = forms.CharField(
        label=gettext_lazy("12345 hotline number"), required=False, max_length=64
    )
    redo_of = forms.CharField(
        label=gettext_lazy("Original order of the redo"), required=False, max_length=32
    )
    redo_reasons = forms.CharField(
        label=gettext_lazy("Redo reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    callback_required = forms.BooleanField(
        label=gettext_lazy("The citizen wants a callback"), required=False, initial=True
    )
    night_contact_allowed = forms.BooleanField(
        label=gettext_lazy("Contact at night is allowed"), required=False
    )
    dispatch = forms.BooleanField(
        label=gettext_lazy("Dispatch at once"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["department"].choices = _department_choices()
        history = {
            "hx-get": reverse_lazy("web:dispatch-history"),
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "#history",
            "hx-include": "#id_phone, #id_address",
        }
        self.fields["phone"].widget.attrs.update(
            {"autofocus": True, "inputmode": "tel", "autocomplete": "off", **history}
        )
        address = self.fields["address"]
        address.max_length = get_policy().max_address_length
        address.validators.append(MaxLengthValidator(address.max_length))
        address.widget.attrs.update(
            {"autocomplete": "off", "maxlength": str(address.max_length), **history}
        )
        self.fields["content"].widget.attrs["data-enter-submits"] = "true"
        self.fields["time_limit_hours"].widget.attrs["inputmode"] = "decimal"

    def action_data(self) -> dict:
        values = self.cleaned_data
        data = {
            "channel": values["channel"],
            "order_type": values["order_type"],
            "category": values["category"] or None,
            "department": values["department"] or None,
            "address": values["address"],
            "content": values["content"],
            "reporter": values["reporter"] or None,
            "phone": values["phone"] or None,
            "external_id": values["external_id"] or None,
            "redo_of": values["redo_of"] or None,
            "redo_reasons": values["redo_reasons"] or None,
            "callback_required": values["callback_required"],
            "night_contact_allowed": values["night_contact_allowed"],
            "dispatch": values["dispatch"],
        }
        if values["time_limit_hours"]:
            data["time_limit_hours"] = values["time_limit_hours"].strip()
        return data


class DispatchForm(ActionForm):
    department = forms.ChoiceField(label=gettext_lazy("Responsible department"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices()


class ContactAttemptForm(ActionForm):
    at = forms.DateTimeField(
        label=gettext_lazy("Time of the attempt"),
        input_formats=LOCAL_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter the date and time of the attempt."),
            "invalid": gettext_lazy("Enter the date and time of the attempt."),
        },
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ContactOutcome.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)

    def action_data(self, accepted_at: datetime.datetime | None) -> dict:
        return {
            "at": self._precise_time(accepted_at).isoformat(),
            "outcome": self.cleaned_data["outcome"],
            "note": self.cleaned_data["note"] or None,
        }

    def _precise_time(self, accepted_at: datetime.datetime | None) -> datetime.datetime:
        """Return the attempt time, read within the minute the field can express.

        The field has minute precision, so 10:05 typed for a call right after accepting at
        10:05:40 means the call came after acceptance, not at 10:05:00 before it: such a time
        becomes the acceptance time. Any other time is taken as typed.
        """
        at = self.cleaned_data["at"]
        if accepted_at is not None and at < accepted_at:
            accepted_minute = accepted_at.replace(second=0, microsecond=0)
            if at == accepted_minute:
                return accepted_at
        return at


def normalize_newlines(text: str) -> str:
    """Return `text` with the browser's CRLF line ends as LF, so offsets match the text box."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ReplyForm(ActionForm):
    content = forms.CharField(
        label=gettext_lazy("Reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def reply_text(self) -> str:
        return normalize_newlines(self.cleaned_data["content"])


class ReviewForm(ActionForm):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Reason or comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def action_data(self) -> dict:
        return {
            "decision": self.cleaned_data["decision"] or None,
            "comment": self.cleaned_data["comment"] or None,
        }


class CloseForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for closing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def action_data(self) -> dict:
        return {"reason": self.cleaned_data["reason"] or None}


# The callback script of the regulation, step by step.
CALLBACK_STEPS = [
    ("greeting", gettext_lazy("Greet the citizen")),
    ("introduction", gettext_lazy("Introduce yourself and the utility")),
    ("inquiry", gettext_lazy("Ask about the case")),
    ("thanks", gettext_lazy("Thank the citizen")),
    ("record", gettext_lazy("Record the callback")),
    ("statistics", gettext_lazy("Fill in the callback statistics form")),
]

YES_NO_CHOICES = [("", "—"), ("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]
TRUTHFUL_CHOICES = [
    ("", "—"),
    ("yes", gettext_lazy("The reply is true")),
    ("no", gettext_lazy("The reply is not true")),
]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CallbackForm(ActionForm):
    """One callback: the script as a checklist, the inquiry questions, and the outcome.

    Field names are those of the callback action, so its errors land next to their fields.
    """

    kind = forms.ChoiceField(label=gettext_lazy("Callback kind"), choices=CallbackKind.choices)
    script_steps = forms.MultipleChoiceField(
        label=gettext_lazy("Callback script"),
        choices=CALLBACK_STEPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_contacted = forms.ChoiceField(
        label=gettext_lazy("Did staff contact the citizen or come on site?"),
        choices=YES_NO_CHOICES,
        required=False,
    )
    work_done = forms.CharField(
        label=gettext_lazy("What exactly was done, in the citizen's words?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problem_solved = forms.ChoiceField(
        label=gettext_lazy("Is the problem solved?"), choices=YES_NO_CHOICES, required=False
    )
    reply_truthful = forms.ChoiceField(
        label=gettext_lazy("Is the department's reply true?"),
        choices=TRUTHFUL_CHOICES,
        required=False,
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Satisfaction"), choices=CallbackOutcome.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind: str = CallbackKind.RESULT, **kwargs):
        """`kind` is the callback the order owes now; the form offers that kind only."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, CallbackKind(kind).label)]
        self.fields["kind"].initial = kind
        self.owed_kind = kind

    def clean(self):
        values = super().clean()
        reached = values.get("outcome") and values["outcome"] != CallbackOutcome.UNREACHABLE
        if reached:
            ticked = values.get("script_steps") or []
            missing = [label for code, label in CALLBACK_STEPS if code not in ticked]
            if missing:
                self.add_error(
                    "script_steps",
                    _("Follow the whole callback script. Not yet ticked: %(steps)s.")
                    % {"steps": "、".join(str(label) for label in missing)},
                )
        # The questions about the result apply once the work is done, not to a process callback.
        if reached and self.owed_kind == CallbackKind.RESULT:
            for field in ("staff_contacted", "problem_solved"):
                if not values.get(field):
                    self.add_error(field, _("Ask the citizen and choose an answer."))
        return values

    def action_data(self) -> dict:
        """Return the callback action's body; an unreachable citizen answered no questions."""
        values = self.cleaned_data
        reached = values["outcome"] != CallbackOutcome.UNREACHABLE
        data = {
            "kind": values["kind"],
            "outcome": values["outcome"],
            "note": values["note"] or None,
            "script_steps": values["script_steps"],
        }
        if reached:
            data.update(
                {
                    "reply_truthful": _yes_no(values["reply_truthful"]),
                    "staff_contacted": _yes_no(values["staff_contacted"]),
                    "problem_solved": _yes_no(values["problem_solved"]),
                    "work_done": values["work_done"] or None,
                }
            )
        return data


OVERDUE_CHOICES = [("", "—"), ("yes", gettext_lazy("Overdue")), ("no", gettext_lazy("Not overdue"))]
SORT_CHOICES = [
    (SORT_NEWEST, gettext_lazy("Newest first")),
    (SORT_NEAREST_DUE, gettext_lazy("Nearest due first")),
]


class SearchForm(forms.Form):
    """The filters of the order list of the API, with dates in local time."""

    q = forms.CharField(label=gettext_lazy("Number, phone, address or text"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=[("", "—"), *Status.choices], required=False
    )
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    order_type = forms.ChoiceField(
        label=gettext_lazy("Order type"), choices=[("", "—"), *OrderType.choices], required=False
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Source"), choices=[("", "—"), *Channel.choices], required=False
    )
    overdue = forms.ChoiceField(
        label=gettext_lazy("Deadline"), choices=OVERDUE_CHOICES, required=False
    )
    created_from = forms.DateField(
        label=gettext_lazy("Created from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    created_to = forms.DateField(
        label=gettext_lazy("Created until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Order"), choices=SORT_CHOICES, required=False, initial=SORT_NEWEST
    )
    cursor = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices()
        self.fields["q"].widget.attrs.update({"autofocus": True, "type": "search"})

    def filters(self) -> OrderFilters:
        values = self.cleaned_data
        return OrderFilters(
            status=values["status"] or None,
            department=values["department"] or None,
            order_type=values["order_type"] or None,
            channel=values["channel"] or None,
            overdue={"yes": True, "no": False}.get(values["overdue"]),
            q=values["q"] or None,
            created_from=_local_midnight(values["created_from"]),
            # The end date is inclusive on the page: orders of that whole day match.
            created_to=_local_midnight(values["created_to"], days_after=1),
        )

    def sort_order(self) -> str:
        return self.cleaned_data.get("sort") or SORT_NEWEST


def _local_midnight(day: datetime.date | None, days_after: int = 0) -> datetime.datetime | None:
    if day is None:
        return None
    moment = datetime.datetime.combine(day + datetime.timedelta(days=days_after), datetime.time())
    return timezone.make_aware(moment)
