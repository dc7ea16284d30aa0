"""A service's own fields are checked like the rest of the portal: IBANs, ID numbers, mobiles, counts, dates."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.utils import translation

from requests_app.forms import RequestForm
from requests_app.models import RequestField, RequestType
from tests.requests_app.factories import RequestFieldFactory, RequestTypeFactory

pytestmark = pytest.mark.django_db

Kind = RequestField.FieldType
GOOD_IBAN = "SA0380000000608010167519"


def _form_with(field_type: str, value: str, *, required: bool = True) -> RequestForm:
    request_type = RequestTypeFactory()
    RequestFieldFactory(request_type=request_type, key="answer", field_type=field_type, required=required)
    with translation.override("ar"):
        form = RequestForm(request_type, {"token": "7f0c6a38-2d7a-4b53-9e8c-7a3f0c2b9d11", "answer": value})
        form.is_valid()
    return form


@pytest.mark.parametrize(
    "typed", [GOOD_IBAN, "sa03 8000 0000 6080 1016 7519", "SA03-8000-0000-6080-1016-7519", "SA٠٣٨٠٠٠٠٠٠٠٦٠٨٠١٠١٦٧٥١٩"]
)
def test_an_iban_typed_in_any_usual_way_is_kept_in_its_compact_form(typed):
    form = _form_with(Kind.IBAN, typed)

    assert form.is_valid(), form.errors
    assert form.cleaned_answers()[0]["value"] == GOOD_IBAN


@pytest.mark.parametrize(
    ("typed", "message_part"),
    [
        ("SA0380000000608010167518", "غير صحيح"),  # one digit off: the mod-97 check fails
        ("AE070331234567890123456", "SA"),
        ("SA03800000006080101675", "24"),
        ("SA03800000006080101675AB", "أرقام"),
    ],
)
def test_a_wrong_iban_is_refused_with_an_arabic_reason(typed, message_part):
    form = _form_with(Kind.IBAN, typed)

    assert not form.is_valid()
    assert message_part in form.errors["answer"][0]


@pytest.mark.parametrize("typed", ["1000000008", "2000000006", "١٠٠٠٠٠٠٠٠٨"])
def test_a_national_id_or_iqama_with_a_good_check_digit_is_accepted(typed):
    form = _form_with(Kind.NATIONAL_ID, typed)

    assert form.is_valid(), form.errors
    assert form.cleaned_answers()[0]["value"] in {"1000000008", "2000000006"}


@pytest.mark.parametrize(
    ("typed", "message_part"),
    [("1000000001", "غير صحيح"), ("3000000004", "يبدأ"), ("12345", "10")],
)
def test_a_wrong_national_id_is_refused_with_an_arabic_reason(typed, message_part):
    form = _form_with(Kind.NATIONAL_ID, typed)

    assert not form.is_valid()
    assert message_part in form.errors["answer"][0]


def test_a_mobile_field_refuses_a_number_no_saudi_network_uses():
    form = _form_with(Kind.MOBILE, "0521234567")

    assert not form.is_valid()
    assert "052" in form.errors["answer"][0]


def test_a_mobile_field_keeps_a_real_mobile_in_international_form():
    form = _form_with(Kind.MOBILE, "٠٥٥ ١٢٣ ٤٥٦٧")

    assert form.is_valid(), form.errors
    assert form.cleaned_answers()[0]["value"] == "+966551234567"


@pytest.mark.parametrize(("typed", "expected"), [("١٢٠", 120), ("1,200", 1200), ("٣٠٠", 300)])
def test_a_count_accepts_arabic_indic_digits(typed, expected):
    form = _form_with(Kind.WHOLE_NUMBER, typed)

    assert form.is_valid(), form.errors
    assert form.cleaned_answers()[0]["value"] == expected


@pytest.mark.parametrize("typed", ["2.5", "-3", "كثير"])
def test_a_count_refuses_fractions_negatives_and_words(typed):
    assert not _form_with(Kind.WHOLE_NUMBER, typed).is_valid()


def test_a_number_accepts_arabic_indic_digits_and_the_arabic_decimal_separator():
    form = _form_with(Kind.NUMBER, "١٢٫٥")

    assert form.is_valid(), form.errors
    assert form.cleaned_answers()[0]["value"] == "12.5"


def test_a_date_accepts_arabic_indic_digits_and_refuses_nonsense():
    assert _form_with(Kind.DATE, "٢٠٢٦-١١-٠٣").cleaned_answers()[0]["value"] == "2026-11-03"
    assert not _form_with(Kind.DATE, "2026-13-45").is_valid()


def test_an_optional_checked_field_may_be_left_empty():
    assert _form_with(Kind.IBAN, "", required=False).is_valid()


def test_the_seed_catalogue_checks_ibans_id_numbers_and_counts():
    """The data migration gave the services that existed before it the checked types."""
    types = {
        (field.request_type.code, field.key): field.field_type
        for field in RequestField.objects.select_related("request_type").filter(request_type__code__startswith="MEM")
    }

    assert types[("MEM-01", "iban")] == Kind.IBAN
    assert types[("MEM-04", "iban")] == Kind.IBAN
    assert types[("MEM-03", "transferee_id")] == Kind.NATIONAL_ID
    assert types[("MEM-05", "deceased_id")] == Kind.NATIONAL_ID
    assert types[("MEM-01", "shares")] == Kind.WHOLE_NUMBER


def test_the_data_migration_leaves_a_field_an_administrator_retyped():
    migration = importlib.import_module("requests_app.migrations.0007_use_checked_field_types_in_catalogue")
    service = RequestType.objects.get(code="MEM-04")
    service.fields.filter(key="iban").update(field_type=Kind.LONG_TEXT)

    migration.forward(global_apps, None)

    assert service.fields.get(key="iban").field_type == Kind.LONG_TEXT


def _update_form(what: str, new_value: str) -> RequestForm:
    """«تحديث بيانات العضو»: a choice of what to update, then the new value as free text."""
    request_type = RequestTypeFactory()
    RequestFieldFactory(
        request_type=request_type,
        key="what",
        field_type=Kind.CHOICE,
        choices="mobile|رقم الجوال|Mobile\nemail|البريد الإلكتروني|E-mail\niban|الآيبان|IBAN\nfarm|بيانات المزرعة|Farm",
    )
    RequestFieldFactory(request_type=request_type, key="new_value", field_type=Kind.LONG_TEXT)
    with translation.override("ar"):
        form = RequestForm(
            request_type, {"token": "7f0c6a38-2d7a-4b53-9e8c-7a3f0c2b9d11", "what": what, "new_value": new_value}
        )
        form.is_valid()
    return form


@pytest.mark.parametrize(
    ("what", "typed", "kept"),
    [
        ("mobile", "٠٥٥١٢٣٤٥٦٧", "+966551234567"),
        ("email", " Saeed@Example.ORG ", "saeed@example.org"),
        ("iban", "sa03 8000 0000 6080 1016 7519", GOOD_IBAN),
        ("farm", "مزرعة في وادي حبونا، 300 شجرة", "مزرعة في وادي حبونا، 300 شجرة"),
    ],
)
def test_a_new_value_is_checked_and_kept_as_the_kind_chosen_for_it(what, typed, kept):
    form = _update_form(what, typed)

    assert form.is_valid(), form.errors
    assert {row["key"]: row["value"] for row in form.cleaned_answers()}["new_value"] == kept


@pytest.mark.parametrize(
    ("what", "typed"), [("mobile", "0521234567"), ("email", "saeed@"), ("iban", "SA0380000000608010167518")]
)
def test_a_new_value_that_is_wrong_for_the_kind_chosen_is_refused_beside_it(what, typed):
    form = _update_form(what, typed)

    assert not form.is_valid()
    assert form.errors["new_value"]
