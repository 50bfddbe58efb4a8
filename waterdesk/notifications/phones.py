"""Mobile numbers of staff: the canonical form the outbox stores, and the masked form for logs."""

import phonenumbers


def normalize_mobile(raw: str | None) -> str | None:
    """Return the 11-digit mainland mobile number in `raw`, or None if it is not one.

    Accepts spaces, dashes and a +86 or 0086 prefix. Landlines return None: they cannot receive SMS.
    """
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return str(number.national_number)


def mask_phone(phone: str | None) -> str:
    """Return the phone number with all but the first 3 and last 4 digits hidden: 138****1234."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
