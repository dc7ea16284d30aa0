import pytest
from django.core.exceptions import ValidationError

from members import validators


@pytest.mark.parametrize("value", ["1000000008", "١٠٠٠٠٠٠٠٠٨", "1000 000 008", "۱۰۰۰۰۰۰۰۰۸"])
def test_a_valid_citizen_id_is_accepted_in_any_digits(value):
    assert validators.normalise_member_national_id(value) == "1000000008"


def test_the_check_digit_is_computed_the_luhn_like_way():
    first_nine = "109876543"

    check = validators.national_id_check_digit(first_nine)

    assert validators.national_id_checksum_ok(first_nine + check)
    assert not validators.national_id_checksum_ok(first_nine + str((int(check) + 1) % 10))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("100000000", "national_id_format"),
        ("10000000089", "national_id_format"),
        ("10000000a8", "national_id_format"),
        ("3000000001", "national_id_prefix"),
        ("1000000009", "national_id_checksum"),
        ("", "required"),
    ],
)
def test_a_malformed_id_is_refused_with_its_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validators.normalise_national_id(value)

    assert error.value.code == code


def test_an_iqama_is_a_valid_id_but_not_a_member_id():
    iqama = "2" + "00000000"
    iqama += validators.national_id_check_digit(iqama)

    assert validators.normalise_national_id(iqama) == iqama
    with pytest.raises(ValidationError) as error:
        validators.normalise_member_national_id(iqama)
    assert error.value.code == "national_id_not_citizen"


@pytest.mark.parametrize(
    "value",
    [
        "0501234567",
        "501234567",
        "966501234567",
        "00966501234567",
        "+966501234567",
        "+966 50 123 4567",
        "٠٥٠١٢٣٤٥٦٧",
        "050-123-4567",
    ],
)
def test_saudi_mobiles_normalise_to_e164(value):
    assert validators.normalise_saudi_mobile(value) == "+966501234567"


@pytest.mark.parametrize("value", ["0401234567", "+971501234567", "05012345", "0112345678", "hello", ""])
def test_a_non_saudi_or_non_mobile_number_is_refused(value):
    with pytest.raises(ValidationError):
        validators.normalise_saudi_mobile(value)


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "@SUM(A1)", "+1+cmd", "-2+3*cmd", "\t=1"])
def test_formulas_are_recognised(value):
    assert validators.looks_like_formula(value)


@pytest.mark.parametrize("value", ["+966501234567", "-3", "محمد", "Ali = Ahmed", ""])
def test_plain_text_and_signed_numbers_are_not_formulas(value):
    assert not validators.looks_like_formula(value)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_bidi_controls_in_a_name_are_refused(char):
    with pytest.raises(ValidationError) as error:
        validators.validate_plain_text(f"محمد{char}علي")

    assert error.value.code == "bidi_controls"
