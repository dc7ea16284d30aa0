import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import (
    AccessLog,
    ConsentRecord,
    CorrectionRequest,
    Member,
    MemberImport,
    Notification,
    ShareAcquisition,
)
from members.roles import Role
from tests.members.factories import MemberFactory, UserFactory, member_account
from tests.members.test_importing import as_csv, rows

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    ("members:directory", {}),
    ("members:correction-list", {}),
    ("members:import-upload", {}),
]
MEMBER_PAGES = [
    ("members:profile", {}),
    ("members:preferences", {}),
    ("members:correction-new", {}),
    ("members:export-json", {}),
]


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- Permission boundaries -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES + MEMBER_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
def test_members_and_board_cannot_reach_staff_pages(as_user, member, board_user, name, kwargs):
    assert as_user(member.user).get(reverse(name, kwargs=kwargs)).status_code == 403
    assert as_user(board_user).get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
def test_staff_reach_staff_pages(as_user, staff_user, name, kwargs):
    assert as_user(staff_user).get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), MEMBER_PAGES)
def test_staff_and_board_without_a_member_record_cannot_reach_member_pages(
    as_user, staff_user, board_user, name, kwargs
):
    assert as_user(staff_user).get(reverse(name, kwargs=kwargs)).status_code == 403
    assert as_user(board_user).get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), MEMBER_PAGES)
def test_members_reach_their_own_pages(as_user, member, name, kwargs):
    assert as_user(member.user).get(reverse(name, kwargs=kwargs)).status_code == 200


def test_the_member_page_is_staff_only(client, as_user, member, other_member, board_user):
    url = reverse("members:member-detail", args=[other_member.pk])

    assert client.get(url).status_code == 302
    assert as_user(member.user).get(url).status_code == 403
    assert as_user(board_user).get(url).status_code == 403
    assert not AccessLog.objects.exists()


def test_staff_only_actions_refuse_members(as_user, member, staff_user):
    correction = CorrectionRequest.objects.create(member=member, field="village", requested_value="ثار")
    member_import = MemberImport.objects.create(uploaded_by=staff_user, original_name="x.csv")
    client = as_user(member.user)

    assert (
        client.post(reverse("members:correction-decide", args=[correction.pk]), {"decision": "apply"}).status_code
        == 403
    )
    assert client.get(reverse("members:import-preview", args=[member_import.pk])).status_code == 403
    assert client.post(reverse("members:import-commit", args=[member_import.pk])).status_code == 403
    correction.refresh_from_db()
    assert correction.status == "open"


def test_the_data_export_holds_only_the_signed_in_members_data(as_user, member, other_member):
    response = as_user(member.user).get(reverse("members:export-json"))

    data = json.loads(response.content)
    text = response.content.decode()
    assert {item["field"]: item["value"] for item in data["record"]}["national_id"] == member.national_id
    assert other_member.national_id not in text and other_member.full_name_ar not in text
    assert response["Content-Disposition"].startswith("attachment")


def test_the_data_export_holds_the_members_dated_share_acquisitions(as_user, member, other_member):
    day = datetime.date(2026, 12, 1)
    ShareAcquisition.objects.create(member=member, shares=5, how="subscription", acquired_on=day)
    ShareAcquisition.objects.create(member=other_member, shares=9, how="transfer", acquired_on=day)

    data = json.loads(as_user(member.user).get(reverse("members:export-json")).content)

    assert [(row["shares"], row["how"], row["acquired_on"]) for row in data["share_acquisitions"]] == [
        (5, "subscription", "2026-12-01")
    ]


# --- The directory --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["احمد", "أحمد", "أَحْمَد", "آل مريح احمد"])
def test_directory_search_by_name_ignores_hamza_and_diacritics(as_user, staff_user, query):
    wanted = MemberFactory(full_name_ar="أحمد بن سالم آل مريح")
    MemberFactory(full_name_ar="سالم بن علي آل حارث")

    response = as_user(staff_user).get(reverse("members:directory"), {"q": query})

    assert list(response.context["page"].object_list) == [wanted]


@pytest.mark.parametrize("field", ["membership_no", "national_id", "mobile"])
def test_directory_search_by_number(as_user, staff_user, field):
    wanted = MemberFactory()
    MemberFactory.create_batch(3)
    query = {
        "membership_no": wanted.membership_no,
        "national_id": wanted.national_id,
        "mobile": "0" + str(wanted.mobile)[4:],
    }[field]

    response = as_user(staff_user).get(reverse("members:directory"), {"q": query})

    assert list(response.context["page"].object_list) == [wanted]


def test_directory_query_count_does_not_grow_with_rows(as_user, staff_user, django_assert_num_queries):
    client = as_user(staff_user)
    MemberFactory.create_batch(3)
    client.get(reverse("members:directory"))  # warm the session
    # session, user, roles, count, rows
    with django_assert_num_queries(7):  # + the staff member's departments, whether one keeps the register
        client.get(reverse("members:directory"))
    MemberFactory.create_batch(30)
    with django_assert_num_queries(7):  # + the staff member's departments, whether one keeps the register
        response = client.get(reverse("members:directory"), {"q": "مريح"})
    assert len(response.context["page"].object_list) == 25


def test_opening_a_record_writes_the_access_log(as_user, staff_user, other_member):
    response = as_user(staff_user).get(reverse("members:member-detail", args=[other_member.pk]))

    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.viewer, entry.member, entry.action) == (staff_user, other_member, AccessLog.Action.VIEWED_RECORD)


def test_member_page_query_count_is_constant(as_user, staff_user, django_assert_num_queries):
    member = member_account()
    client = as_user(staff_user)
    client.get(reverse("members:member-detail", args=[member.pk]))
    for field in ("village", "shares", "email"):
        CorrectionRequest.objects.create(member=member, field=field, requested_value="1")
    for how in ShareAcquisition.How:
        ShareAcquisition.objects.create(member=member, shares=5, how=how, acquired_on=datetime.date(2026, 12, 1))
    # session, user, roles, departments, keeps the register?, member+account, the access log line (on PostgreSQL its
    # commit without waiting for the disk in the same statement, as on the staff request page), requests,
    # corrections, share acquisitions
    with django_assert_num_queries(10):
        client.get(reverse("members:member-detail", args=[member.pk]))


def test_an_unknown_member_page_is_404(as_user, staff_user):
    assert as_user(staff_user).get(reverse("members:member-detail", args=[999999])).status_code == 404


# --- The member's own pages -------------------------------------------------------------------------------


def test_preferences_change_directly_and_switch_the_language(as_user, member):
    response = as_user(member.user).post(
        reverse("members:preferences"),
        {"language": "en", "sms_consent": "on", "email_consent": "on", "surveys_opt_out": ""},
    )

    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.language, member.email_consent) == ("en", True)
    assert member.consent_updated_at is not None
    assert response.cookies["django_language"].value == "en"


def test_the_preferences_page_lets_the_member_answer_for_themselves(as_user, member):
    page = as_user(member.user).get(reverse("members:preferences"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert "أوافق على الرسائل النصية" in page
    assert "أوافق على البريد الإلكتروني" in page
    assert "لا أرغب في استبانات قياس الرضا" in page
    assert "يوافق على" not in page and "لا يرغب" not in page  # the record's words, about someone else


def test_opting_in_to_whatsapp_on_the_page_keeps_the_arabic_words_the_member_saw(as_user, member):
    client = as_user(member.user)
    page = client.get(reverse("members:preferences"), HTTP_ACCEPT_LANGUAGE="ar")
    wording = str(page.context["form"].fields["whatsapp_consent"].label)

    client.post(
        reverse("members:preferences"),
        {"language": "ar", "sms_consent": "on", "whatsapp_consent": "on", "surveys_opt_out": ""},
        HTTP_ACCEPT_LANGUAGE="ar",
    )

    [record] = ConsentRecord.objects.filter(member=member)
    assert wording in page.content.decode() and "واتساب" in wording
    assert (record.channel, record.given, record.wording) == ("whatsapp", True, wording)


def test_a_text_message_consent_keeps_the_words_the_member_saw_in_the_first_person(as_user, member):
    client = as_user(member.user)
    sms_consent = member.sms_consent

    client.post(
        reverse("members:preferences"),
        {"language": "ar", "sms_consent": "" if sms_consent else "on", "surveys_opt_out": ""},
        HTTP_ACCEPT_LANGUAGE="ar",
    )

    record = ConsentRecord.objects.get(member=member, channel="sms")
    assert (record.given, record.wording) == (not sms_consent, "أوافق على الرسائل النصية")


def test_the_preferences_page_shows_which_channels_reach_the_member_and_the_last_result(as_user, member):
    Notification.objects.create(
        member=member, channel="sms", event="test_message", language="ar", key="t:1:sms",
        status=Notification.Status.SENT, delivery_state=Notification.DeliveryState.FAILED,
    )  # fmt: skip

    response = as_user(member.user).get(reverse("members:preferences"))

    reach = {line.channel: line for line in response.context["reach"]}
    assert list(reach) == ["inbox", "sms", "email", "whatsapp"]
    assert reach["sms"].reaches and not reach["sms"].last_ok and reach["sms"].last_status
    assert not reach["whatsapp"].reaches and reach["whatsapp"].last_status == ""


def test_a_correction_request_goes_to_staff_without_changing_the_record(as_user, member, staff_user):
    as_user(member.user).post(
        reverse("members:correction-new"),
        {"field": "full_name_ar", "requested_value": "سعيد محمد آل مريح", "reason": ""},
    )

    member.refresh_from_db()
    assert member.full_name_ar == "سعيد بن محمد آل مريح"
    response = as_user(staff_user).get(reverse("members:correction-list"))
    assert [c.member for c in response.context["page"]] == [member]


def test_staff_apply_a_correction_from_the_list(as_user, member, staff_user):
    correction = CorrectionRequest.objects.create(member=member, field="village", requested_value="ثار")

    as_user(staff_user).post(reverse("members:correction-decide", args=[correction.pk]), {"decision": "apply"})

    member.refresh_from_db()
    assert member.village == "ثار"


# --- Import through the staff form ---------------------------------------------------------------------------


def test_staff_upload_preview_and_commit(as_user, staff_user):
    client = as_user(staff_user)
    upload = SimpleUploadedFile("register.csv", as_csv(rows(12)), content_type="text/csv")

    response = client.post(reverse("members:import-upload"), {"file": upload})
    member_import = MemberImport.objects.get()
    assert response.url == reverse("members:import-preview", args=[member_import.pk])
    preview = client.get(response.url)
    assert preview.status_code == 200 and not Member.objects.exists()

    client.post(reverse("members:import-commit", args=[member_import.pk]), {"action": "commit"})

    assert Member.objects.count() == 12


def test_the_preview_lists_each_rows_problems_in_arabic(as_user, staff_user):
    table = rows(12)
    table[0][3] = "12345"
    upload = SimpleUploadedFile("register.csv", as_csv(table), content_type="text/csv")

    response = as_user(staff_user).post(reverse("members:import-upload"), {"file": upload}, follow=True)

    content = response.content.decode()
    assert "رقم جوال سعودي" in content
    assert "استيراد" in content
    assert not Member.objects.exists()


def test_the_mobile_cannot_be_changed_around_the_register(as_user, member):
    response = as_user(member.user).post(reverse("account_change_phone"), {"phone": "0509999999"})

    member.user.refresh_from_db()
    assert response.url == reverse("members:correction-new") + "?field=mobile"
    assert str(member.user.phone) == str(member.mobile)


def test_a_staff_member_who_is_a_member_cannot_apply_a_correction_of_their_own_record(as_user):
    staff_member = member_account(village="ثار")
    staff_member.user.groups.add(Group.objects.get(name=Role.STAFF))
    correction = CorrectionRequest.objects.create(member=staff_member, field="village", requested_value="هدادة")

    as_user(staff_member.user).post(reverse("members:correction-decide", args=[correction.pk]), {"decision": "apply"})

    staff_member.refresh_from_db()
    correction.refresh_from_db()
    assert staff_member.village == "ثار"
    assert correction.status == CorrectionRequest.Status.OPEN


# --- Masked details and what showing one leaves behind ------------------------------------------------------


def test_the_directory_shows_national_ids_and_mobiles_masked(as_user, staff_user):
    wanted = MemberFactory(national_id="1000012343", mobile="+966500000777")

    html = as_user(staff_user).get(reverse("members:directory"), {"q": wanted.membership_no}).content.decode()

    assert "1000012343" not in html and "0500000777" not in html and "500000777" not in html
    assert "••••••2343" in html and "••••••0777" in html


def test_the_record_page_masks_the_id_until_staff_show_it_and_the_log_says_what_was_shown(as_user, staff_user):
    member = MemberFactory(national_id="1000012343")
    client = as_user(staff_user)
    url = reverse("members:member-detail", args=[member.pk])

    opened = client.get(url).content.decode()
    shown = client.post(url, {"reveal": "national_id"}).content.decode()

    assert "1000012343" not in opened
    assert "1000012343" in shown
    revealed = AccessLog.objects.get(action=AccessLog.Action.REVEALED)
    assert (revealed.viewer, revealed.member, revealed.detail) == (staff_user, member, "national_id")


def test_showing_anything_but_a_masked_detail_is_refused_and_logs_nothing(as_user, staff_user):
    member = MemberFactory()

    response = as_user(staff_user).post(reverse("members:member-detail", args=[member.pk]), {"reveal": "password"})

    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEALED).exists()


# --- Whose records staff may open --------------------------------------------------------------------------


def test_staff_see_in_the_directory_only_the_members_of_their_departments(as_user):
    from requests_app.models import DepartmentMembership
    from tests.requests_app.factories import RequestTypeFactory, ServiceRequestFactory

    seedlings = RequestTypeFactory(needs_board_decision=False)
    clerk = UserFactory(roles=[Role.STAFF])
    DepartmentMembership.objects.create(department=seedlings.department, user=clerk)
    ours = ServiceRequestFactory(request_type=seedlings, department=seedlings.department).member
    elsewhere = MemberFactory()
    client = as_user(clerk)

    listed = list(client.get(reverse("members:directory")).context["page"].object_list)

    assert listed == [ours]
    assert client.get(reverse("members:member-detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("members:member-detail", args=[ours.pk])).status_code == 200
