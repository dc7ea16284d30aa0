"""Input rules for what people type: national IDs, Saudi mobiles, IBANs, and text that is safe to store and export.

Each `normalise_*` function returns the canonical form or raises ValidationError with a translated message;
each `validate_*` function is a Django field validator built on it. Digits may be typed in Arabic-Indic
(٠١٢٣) or Eastern Arabic-Indic (۰۱۲۳) form; they are stored as Western digits (DOMAIN.md c.2, c.3, c.11).
"""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_SEPARATORS = re.compile(r"[\s\-\u00a0().]")
_MOBILE_SHAPE = re.compile(r"^(?:\+966|00966|966|0)?(5\d{8})$")

# Marks and embeddings that change how text is displayed without being visible: a name holding them can
# look like another name, or scramble the line it is printed in (CVE-2021-42574 style "Trojan source").
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Text a spreadsheet would run as a formula when the export is opened (CSV injection).
_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s.,]*$")


def western_digits(value: str) -> str:
    """Arabic-Indic and Eastern Arabic-Indic digits as 0-9; everything else unchanged."""
    return str(value).translate(_DIGITS)


# --- National ID -------------------------------------------------------------------------------------


def national_id_checksum_ok(digits: str) -> bool:
    """The check used for Saudi IDs: positions 1, 3, 5, 7, 9 doubled (digits of the product summed), the others
    added as they are; valid when the total is a multiple of 10 (DOMAIN.md c.2)."""
    total = 0
    for position, char in enumerate(digits):
        digit = int(char)
        if position % 2 == 0:
            doubled = digit * 2
            total += doubled // 10 + doubled % 10
        else:
            total += digit
    return total % 10 == 0


def national_id_check_digit(first_nine: str) -> str:
    """The last digit that makes `first_nine` a valid ID (for synthetic demo and test data only)."""
    for candidate in "0123456789":
        if national_id_checksum_ok(first_nine + candidate):
            return candidate
    raise ValueError(first_nine)  # unreachable: one of ten digits always balances the sum


def normalise_national_id(value: str) -> str:
    """A national ID or Iqama number: 10 digits, first 1 (citizen) or 2 (resident), valid check digit."""
    digits = _SEPARATORS.sub("", western_digits(value or ""))
    if not digits:
        raise ValidationError(_("Enter the national ID number."), code="required")
    if not digits.isascii() or not digits.isdigit() or len(digits) != 10:
        raise ValidationError(_("A national ID number has exactly 10 digits."), code="national_id_format")
    if digits[0] not in "12":
        raise ValidationError(
            _("A national ID number starts with 1 (citizen) or 2 (resident)."), code="national_id_prefix"
        )
    if not national_id_checksum_ok(digits):
        raise ValidationError(
            _("This national ID number is not valid: please check the digits."), code="national_id_checksum"
        )
    return digits


def normalise_member_national_id(value: str) -> str:
    """A member's ID: valid, and a citizen's (starting with 1): members of a Saudi cooperative are Saudi (a.3)."""
    digits = normalise_national_id(value)
    if digits[0] != "1":
        raise ValidationError(
            _("Members must be Saudi citizens: the national ID number must start with 1, not an Iqama number."),
            code="national_id_not_citizen",
        )
    return digits


def validate_member_national_id(value: str) -> None:
    normalise_member_national_id(value)


# --- Mobile ------------------------------------------------------------------------------------------


def normalise_saudi_mobile(value) -> str:
    """A Saudi mobile as E.164 `+9665XXXXXXXX`, from 05…, 5…, 9665…, 009665… or +9665…, any digits, spaces or dashes.

    The shape (9 digits after 05) is not enough: the number must be one the numbering plan gives to a mobile
    network (`phonenumbers`), since the SMS channel refuses the others (052…) and a code would never arrive.
    """
    text = _SEPARATORS.sub("", western_digits(str(value or "")))
    if not text:
        raise ValidationError(_("Enter the mobile number."), code="required")
    match = _MOBILE_SHAPE.match(text)
    if not match:
        raise ValidationError(
            _("Enter a Saudi mobile number, for example 05XXXXXXXX (10 digits starting with 05)."),
            code="mobile_not_saudi",
        )
    number = phonenumbers.parse("+966" + match.group(1))
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }:
        raise ValidationError(
            _("This is not a Saudi mobile network number (%(prefix)s…): please check the number."),
            params={"prefix": "0" + match.group(1)[:2]},
            code="mobile_not_in_use",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_saudi_mobile(value) -> None:
    normalise_saudi_mobile(value)


def local_mobile(value) -> str:
    """A Saudi mobile as Saudis write it (05XXXXXXXX); anything else as it is."""
    try:
        return "0" + normalise_saudi_mobile(value)[4:]
    except ValidationError:
        return str(value or "")


# --- IBAN --------------------------------------------------------------------------------------------

_IBAN_SEPARATORS = re.compile(r"[\s\-\u00a0]")


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616 mod-97: the first four characters moved to the end, letters as 10-35, the number mod 97 is 1."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def normalise_saudi_iban(value) -> str:
    """A Saudi IBAN as stored: `SA` and 22 digits, upper case, no spaces; the mod-97 check digits must hold."""
    text = _IBAN_SEPARATORS.sub("", western_digits(str(value or ""))).upper()
    if not text:
        raise ValidationError(_("Enter the IBAN."), code="required")
    if not text.startswith("SA"):
        raise ValidationError(_("A Saudi IBAN starts with SA."), code="iban_country")
    if len(text) != 24:
        raise ValidationError(
            _("A Saudi IBAN has 24 characters: SA and 22 digits (you typed %(count)s)."),
            params={"count": len(text)},
            code="iban_length",
        )
    if not (text[2:].isascii() and text[2:].isdigit()):
        raise ValidationError(_("After SA, a Saudi IBAN has digits only."), code="iban_format")
    if not iban_checksum_ok(text):
        raise ValidationError(
            _("This IBAN is not valid: please check the digits against your bank's IBAN certificate."),
            code="iban_checksum",
        )
    return text


def validate_saudi_iban(value) -> None:
    normalise_saudi_iban(value)


# --- Text --------------------------------------------------------------------------------------------


def has_bidi_controls(value: str) -> bool:
    return any(char in BIDI_CONTROLS for char in value)


def has_control_characters(value: str) -> bool:
    """Control characters other than bidi marks (those have their own message): NUL, escape, line breaks…"""
    return any(unicodedata.category(char) == "Cc" for char in value)


def looks_like_formula(value: str) -> bool:
    """Text a spreadsheet would evaluate (=cmd|…, @SUM, +1+cmd); a signed plain number (+966…, -3) is not."""
    if not value:
        return False
    if value.startswith(_FORMULA_START):
        return True
    return value[0] in "+-" and not _SIGNED_NUMBER.match(value)


def validate_plain_text(value: str) -> None:
    """Refuse invisible direction controls, control characters and formulas in names and free text."""
    if has_bidi_controls(value):
        raise ValidationError(
            _("This text contains invisible direction-control characters; please type it again without them."),
            code="bidi_controls",
        )
    if has_control_characters(value):
        raise ValidationError(_("This text contains control characters."), code="control_characters")
    if looks_like_formula(value.strip()):
        raise ValidationError(
            _("This text starts like a spreadsheet formula (=, +, -, @) and cannot be accepted."), code="formula"
        )


def validate_membership_no(value: str) -> None:
    """Membership numbers as the register writes them: letters, digits, dashes and slashes, up to 20."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9/-]{0,19}", value or ""):
        raise ValidationError(
            _("A membership number is made of letters, digits, dashes or slashes (up to 20)."),
            code="membership_no_format",
        )
