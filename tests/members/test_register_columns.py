"""The register's columns are one table (members/register_columns.py): the import, the record page, corrections,
staff changes and the data export read it, so they cannot disagree about a column."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import channel_table, importing, register_columns, selectors, services
from members.forms import CorrectionRequestForm
from members.models import AccessLog, CorrectionRequest, Member
from members.register_columns import COLUMNS, Editor, Show
from tests.members.factories import MemberFactory
from tests.members.test_importing import HEADER, as_csv, problems_of, rows

pytestmark = pytest.mark.django_db


def test_every_column_is_a_field_of_the_record_and_every_imported_one_has_a_cleaner():
    for column in COLUMNS:
        Member._meta.get_field(column.name)
        assert not column.imported or column.clean is not None, column.name
        assert not column.correctable or column.editor == Editor.STAFF, column.name
        assert not column.required or column.imported, column.name


def test_the_import_knows_a_column_by_any_title_the_table_gives_it():
    for column in register_columns.IMPORTED:
        for title in (column.name, *column.aliases):
            mapping, _ignored, _problems = importing.map_columns([title])
            assert list(mapping.values()) == [column.name], title


def test_a_file_without_a_required_column_of_the_table_is_refused_naming_it():
    required = [column for column in COLUMNS if column.required]
    header = [column.name for column in required[1:]]

    _mapping, _ignored, problems = importing.map_columns(header)

    assert problems and str(required[0].label) in problems[0]


def test_a_member_may_ask_to_correct_exactly_the_correctable_columns(member):
    form = CorrectionRequestForm()
    offered = [key for key, _label in form.fields["field"].choices if key]
    refused = CorrectionRequestForm({"field": "membership_no", "requested_value": "X-1", "reason": ""})

    assert offered == list(register_columns.CORRECTABLE)
    assert "shares" in offered and "membership_no" not in offered
    assert not refused.is_valid() and "field" in refused.errors


def test_staff_change_the_staff_columns_and_nothing_else(member, staff_user):
    assert tuple(c.name for c in COLUMNS if c.editor == Editor.STAFF) == services.EDITABLE_BY_STAFF

    with pytest.raises(ValueError):
        services.update_member(member=member, by=staff_user, changes={"language": "en"})


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("governorate", "Thar", "thar"),  # by its English label as well as its Arabic one
        ("coffee_trees", "٣٠٠", 300),  # Arabic-Indic digits
        ("full_name_ar", "  سعيد   محمد آل مريح ", "سعيد محمد آل مريح"),  # spaces folded as in an import
    ],
)
def test_a_correction_is_cleaned_as_the_same_cell_of_an_import_would_be(member, staff_user, field, typed, stored):
    correction = services.request_correction(member=member, by=member.user, field=field, requested_value=typed)

    services.apply_correction(correction=correction, by=staff_user)

    member.refresh_from_db()
    assert getattr(member, field) == stored == register_columns.clean(field, typed)


def test_a_correction_the_import_would_refuse_is_refused_with_the_imports_message(member, staff_user):
    correction = services.request_correction(member=member, by=member.user, field="shares", requested_value="2.5")
    table = rows(1)
    table[0][6] = "2.5"

    with pytest.raises(ValidationError) as refusal:
        services.apply_correction(correction=correction, by=staff_user)

    report = importing.check_file(as_csv(table, header=HEADER), "register.csv")
    assert refusal.value.messages == problems_of(report)[2]
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.OPEN


def test_the_record_page_shows_each_column_the_table_puts_on_it(client, member):
    client.force_login(member.user)

    response = client.get(reverse("members:profile"))

    shown = [line.name for line in response.context["record"]]
    on_the_page = [
        c.name for c in COLUMNS if c.show != Show.ELSEWHERE and (not c.omit_empty or getattr(member, c.name))
    ]
    assert shown == on_the_page
    for line in response.context["record"]:
        assert str(line.label) in response.content.decode()


def test_staff_see_every_masked_column_of_the_table_masked_and_may_show_each(client, staff_user):
    member = MemberFactory(national_id="1000012343", mobile="+966500000777")
    client.force_login(staff_user)

    page = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()

    masked = {c.name for c in COLUMNS if c.show == Show.MASKED}
    assert masked == set(AccessLog.REVEALABLE)
    assert "1000012343" not in page and "500000777" not in page
    for name in masked:
        assert f'name="reveal" value="{name}"' in page


def test_the_data_export_lists_every_column_of_the_table(member):
    export = selectors.member_data_export(member)

    assert [line["field"] for line in export["record"]] == [c.name for c in COLUMNS]


def test_every_channels_consent_and_address_is_a_column_of_the_register():
    # A new channel's consent field needs its row here too (the data export, and the import if files carry it).
    fields = {name for kind in channel_table.TABLE for name in kind.member_fields}

    assert fields <= set(register_columns.BY_NAME)
