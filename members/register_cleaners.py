"""The cleaners of the register's columns (members/register_columns.py): each takes typed text (a cell of a register
file, a correction asked for) and returns the value as the record stores it, or KEEP (an empty optional cell: the
record keeps its value, a new record takes the default). A refusal is a ValidationError whose message, in the active
language, names what was typed. A new column usually takes one of the kinds here (words, a whole number, one of its
choices, yes or no, a date).
"""

import functools
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models.accounts import Governorate, Member
from members.validators import validate_membership_no, western_digits
from members_portal.arabic import normalise

KEEP = object()  # a cleaner's answer for an empty optional cell: the record keeps its value (or takes the default)
# The statuses a register file may give; applicants and deceased members are never set by an import.
IMPORT_STATUSES = (Member.Status.ACTIVE, Member.Status.SUSPENDED, Member.Status.WITHDRAWN)
_YES = {"1", "yes", "y", "true", "نعم", "موافق"}
_NO = {"0", "no", "n", "false", "لا", "غير موافق"}


def _words(text: str) -> str:
    return " ".join(text.split())


def membership_no(text: str) -> str:
    number = text.upper()
    if not number:
        raise ValidationError(_("The membership number is missing."))
    validate_membership_no(number)
    return number


def full_name_ar(text: str) -> str:
    name = _words(text)
    if not name:
        raise ValidationError(_("The Arabic name is missing."))
    return name[: Member._meta.get_field("full_name_ar").max_length]


def words(name: str) -> Callable[[str], str]:
    def clean(text: str) -> str:
        return _words(text)[: Member._meta.get_field(name).max_length]

    return clean


def email(text: str) -> str:
    email = text.lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("The e-mail address “%(value)s” is not valid.") % {"value": email}) from None
    return email


def whole_number(name: str) -> Callable[[str], int]:
    def clean(text: str) -> int:
        number = western_digits(text) or "0"
        try:
            amount = Decimal(number)
        except InvalidOperation:
            amount = None
        label = Member._meta.get_field(name).verbose_name
        if amount is None or amount < 0:
            raise ValidationError(
                _("%(column)s: “%(value)s” is not a whole number.") % {"column": label, "value": number}
            )
        if amount != amount.to_integral_value():
            if name == "shares":
                raise ValidationError(_("Shares are whole: %(value)s cannot be split.") % {"value": number})
            raise ValidationError(
                _("%(column)s: “%(value)s” is not a whole number.") % {"column": label, "value": number}
            )
        return int(amount)

    return clean


def farm_area(text: str) -> Decimal:
    number = western_digits(text) or "0"
    try:
        area = Decimal(number).quantize(Decimal("0.01"))
        if area < 0 or area >= Decimal("10000000"):
            raise InvalidOperation
    except InvalidOperation:
        raise ValidationError(_("The farm area “%(value)s” is not a number of dunums.") % {"value": number}) from None
    return area


def _date(text: str) -> date | None:
    text = western_digits(text)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def joined_on(text: str) -> date | None:
    if not text:
        return None
    joined = _date(text)
    if joined is None or joined > timezone.localdate():
        raise ValidationError(_("The joining date “%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text})
    return joined


def _lookup(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    """normalised key or label (Arabic and English) → key: the register may be kept in either language."""
    choices = list(choices)
    table = {normalise(key): key for key, _label in choices}
    for language in ("en", "ar"):
        with translation.override(language):
            table.update({normalise(str(label)): key for key, label in choices})
    return table


def one_of(choices: Callable[[], Iterable[tuple[str, str]]], refusal: Callable[[str], str], *, empty_keeps: bool):
    """A cleaner for a column with choices, given by key or by label in either language (built once, on first use)."""
    lookup = functools.cache(lambda: _lookup(choices()))

    def clean(text: str):
        if not text and empty_keeps:
            return KEEP
        key = lookup().get(normalise(text)) if text else None
        if key is None:
            raise ValidationError(refusal(text))
        return key

    return clean


def yes_or_no(name: str) -> Callable:
    def clean(text: str):
        if not text:
            return KEEP
        answer = normalise(text)
        if answer in _YES:
            return True
        if answer in _NO:
            return False
        raise ValidationError(_("%(column)s: write yes or no.") % {"column": Member._meta.get_field(name).verbose_name})

    return clean


governorate = one_of(
    lambda: Governorate.choices,
    lambda value: _("The governorate “%(value)s” is not one of the governorates of Najran Region.") % {"value": value},
    empty_keeps=False,
)
status = one_of(
    lambda: [(status.value, status.label) for status in IMPORT_STATUSES],
    lambda value: _("The status “%(value)s” is not active, suspended or withdrawn.") % {"value": value},
    empty_keeps=True,
)
language = one_of(
    lambda: Member.Language.choices,
    lambda value: _("The language “%(value)s” is not Arabic or English.") % {"value": value},
    empty_keeps=True,
)
