"""The citizen page's forms: a new request, and a progress lookup."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waterdesk.orders.fields import normalize_phone
from waterdesk.orders.models import Category
from waterdesk.policy.models import get_policy

from .photos import detect_image_type

# Create-order fields and the form fields that carry them, to show create_order's problems.
ORDER_FIELD_TO_FORM_FIELD = {
    "category": "category",
    "address": "address",
    "content": "description",
    "phone": "phone",
    "reporter": "name",
}


def photo_limit_megabytes() -> str:
    return f"{settings.PUBLIC_PHOTO_MAX_BYTES / (1024 * 1024):g}"


class RequestForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Problem"),
        queryset=Category.objects.none(),
        to_field_name="code",
        empty_label=gettext_lazy("Choose the kind of problem"),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        help_text=gettext_lazy("Street, number and building, as exact as you can."),
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=32,
        help_text=gettext_lazy("We call this number about your request."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    name = forms.CharField(
        label=gettext_lazy("How to address you (optional)"),
        required=False,
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, photo_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_too_large = photo_too_large
        policy = get_policy()
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        # The limits are policy values a utility may change, so they are set per form.
        for name, max_length in (
            ("address", policy.max_address_length),
            ("description", policy.max_content_length),
            ("name", policy.max_reporter_length),
        ):
            field = self.fields[name]
            field.max_length = max_length
            field.validators.append(MaxLengthValidator(max_length))
            field.widget.attrs["maxlength"] = str(max_length)
        self.fields["photo"].help_text = _("JPEG, PNG or WebP, at most %(limit)s MB.") % {
            "limit": photo_limit_megabytes()
        }
        self.photo_type: tuple[str, str] | None = None

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(
                _(
                    "This is not a valid phone number. Enter an 11-digit mobile number such as "
                    "13800001234, or a landline with its area code such as 0396-7033818."
                )
            )
        return phone

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if self.photo_too_large or (photo and photo.size > settings.PUBLIC_PHOTO_MAX_BYTES):
            raise forms.ValidationError(
                _("The photo is larger than %(limit)s MB. Choose a smaller photo.")
                % {"limit": photo_limit_megabytes()}
            )
        if not photo:
            return None
        self.photo_type = detect_image_type(photo)
        if self.photo_type is None:
            raise forms.ValidationError(
                _(
                    "The file is not a JPEG, PNG or WebP photo. "
                    "Choose a photo in one of these formats."
                )
            )
        return photo

    def order_data(self) -> dict:
        """Return the create-order request for this form's cleaned data."""
        data = self.cleaned_data
        return {
            "channel": "web",
            "category": data["category"].code,
            "address": data["address"],
            "content": data["description"],
            "phone": data["phone"],
            "reporter": data["name"] or None,
            # A dispatcher checks requests from the web before they go to a department.
            "dispatch": False,
        }

    def add_order_problems(self, details: list[dict]) -> None:
        """Show create_order's field problems on the form fields they belong to."""
        for item in details:
            field = ORDER_FIELD_TO_FORM_FIELD.get(item.get("field"))
            self.add_error(field, item["message"])


class LookupForm(forms.Form):
    number = forms.RegexField(
        label=gettext_lazy("Request number"),
        regex=r"^[A-Za-z0-9-]{4,32}$",
        max_length=32,
        error_messages={
            "invalid": gettext_lazy("Enter the request number, such as GD202612040001.")
        },
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    phone_last_four = forms.RegexField(
        label=gettext_lazy("Last four digits of your phone"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        error_messages={"invalid": gettext_lazy("Enter exactly four digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_number(self):
        return self.cleaned_data["number"].upper()
