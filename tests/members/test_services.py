import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members import selectors, services
from members.models import AccessLog, ConsentRecord, CorrectionRequest, Member, Notification
from tests.members.factories import MemberFactory, member_account

pytestmark = pytest.mark.django_db


def test_create_member_keeps_name_search_folded_for_search(staff_user):
    member = services.create_member(
        by=staff_user,
        membership_no="777",
        national_id="1000000008",
        full_name_ar="أَحْمَد بن علي آل مريح",
        mobile="0501112233",
        governorate="najran",
    )

    assert member.name_search.startswith("احمد بن علي ال مريح")
    assert str(member.mobile) == "+966501112233"
    assert AccessLog.objects.filter(member=member, viewer=staff_user, action="changed_record").exists()


def test_create_member_refuses_an_iqama_number(staff_user):
    iqama = "2000000006"

    with pytest.raises(ValidationError):
        services.create_member(
            by=staff_user,
            membership_no="778",
            national_id=iqama,
            full_name_ar="اسم",
            mobile="0501112234",
            governorate="najran",
        )

    assert not Member.objects.filter(membership_no="778").exists()


def test_share_cap_refuses_a_holding_above_ten_percent(staff_user):
    MemberFactory.create_batch(9, shares=10)
    member = MemberFactory(shares=10)  # 10 of 100: exactly 10 %

    with pytest.raises(services.ShareCapExceeded):
        services.update_member(member=member, by=staff_user, changes={"shares": 12})  # 12 of 102

    member.refresh_from_db()
    assert member.shares == 10


def test_share_cap_allows_exactly_ten_percent(staff_user):
    MemberFactory.create_batch(9, shares=10)
    member = MemberFactory(shares=0)

    services.update_member(member=member, by=staff_user, changes={"shares": 10})

    member.refresh_from_db()
    assert member.shares == 10


def test_withdrawn_members_do_not_count_towards_the_capital(staff_user):
    MemberFactory.create_batch(9, shares=10)
    MemberFactory(shares=50, status=Member.Status.WITHDRAWN)
    member = MemberFactory(shares=0)

    with pytest.raises(services.ShareCapExceeded):
        services.update_member(member=member, by=staff_user, changes={"shares": 11})


def test_update_member_moves_the_accounts_mobile_with_the_record(staff_user):
    member = member_account()

    services.update_member(member=member, by=staff_user, changes={"mobile": "+966507654321"})

    member.user.refresh_from_db()
    assert str(member.user.phone) == "+966507654321"
    assert member.user.phone_verified


def test_update_member_refuses_a_mobile_of_another_account_and_changes_nothing(staff_user):
    member = member_account()
    original = str(member.mobile)

    with pytest.raises(ValidationError):
        services.update_member(member=member, by=staff_user, changes={"mobile": str(staff_user.phone)})

    member.refresh_from_db()
    assert str(member.mobile) == original


def test_preferences_date_the_consent_only_when_it_changes(member):
    services.update_preferences(
        member=member, by=member.user, language="en", sms_consent=True, email_consent=False, surveys_opt_out=True
    )
    member.refresh_from_db()
    assert member.language == "en"
    assert member.consent_updated_at is None

    services.update_preferences(
        member=member, by=member.user, language="en", sms_consent=False, email_consent=True, surveys_opt_out=True
    )
    member.refresh_from_db()
    assert (member.sms_consent, member.email_consent) == (False, True)
    assert member.consent_updated_at is not None


def test_another_user_cannot_change_a_members_preferences(member, other_member):
    with pytest.raises(ValidationError):
        services.update_preferences(
            member=member,
            by=other_member.user,
            language="en",
            sms_consent=False,
            email_consent=False,
            surveys_opt_out=False,
        )


def test_email_consent_needs_an_email_on_record():
    member = member_account(email="")

    with pytest.raises(ValidationError):
        services.update_preferences(
            member=member, by=member.user, language="ar", sms_consent=True, email_consent=True, surveys_opt_out=False
        )


def test_a_correction_changes_nothing_until_staff_apply_it(member, staff_user):
    correction = services.request_correction(
        member=member, by=member.user, field="full_name_ar", requested_value="سعيد محمد علي آل مريح", reason="خطأ"
    )
    member.refresh_from_db()
    assert member.full_name_ar == "سعيد بن محمد آل مريح"
    assert correction.current_value == "سعيد بن محمد آل مريح"

    services.apply_correction(correction=correction, by=staff_user, staff_note="")

    member.refresh_from_db()
    correction.refresh_from_db()
    assert member.full_name_ar == "سعيد محمد علي آل مريح"
    assert member.name_search == "سعيد محمد علي ال مريح"
    assert correction.status == CorrectionRequest.Status.APPLIED
    assert Notification.objects.filter(member=member, event="correction_handled").exists()


def test_a_correction_that_breaks_a_rule_is_refused_and_stays_open(member, staff_user):
    correction = services.request_correction(
        member=member, by=member.user, field="national_id", requested_value="1000000009"
    )

    with pytest.raises(ValidationError):
        services.apply_correction(correction=correction, by=staff_user)

    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.OPEN


def test_declining_a_correction_needs_a_reason(member, staff_user):
    correction = services.request_correction(member=member, by=member.user, field="shares", requested_value="5")

    with pytest.raises(ValidationError):
        services.decline_correction(correction=correction, by=staff_user, staff_note=" ")
    services.decline_correction(correction=correction, by=staff_user, staff_note="لا يوجد مستند")

    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.DECLINED


def test_a_second_open_correction_of_the_same_field_is_refused(member):
    services.request_correction(member=member, by=member.user, field="village", requested_value="هدادة")

    with pytest.raises(ValidationError):
        services.request_correction(member=member, by=member.user, field="village", requested_value="ثار")


def test_a_whatsapp_opt_in_and_opt_out_are_each_kept_with_their_date_and_the_words_shown(member):
    with translation.override("ar"):
        services.update_preferences(
            member=member, by=member.user, language="ar", surveys_opt_out=False, whatsapp_consent=True
        )
    services.update_preferences(
        member=member, by=member.user, language="ar", surveys_opt_out=False, whatsapp_consent=False
    )

    opt_out, opt_in = ConsentRecord.objects.filter(member=member)
    member.refresh_from_db()
    assert member.whatsapp_consent is False
    assert (opt_in.channel, opt_in.given, opt_in.language) == ("whatsapp", True, "ar")
    assert "واتساب" in opt_in.wording and opt_in.at <= opt_out.at and opt_out.given is False


def test_a_consent_left_as_it_was_records_nothing(member):
    services.update_preferences(
        member=member, by=member.user, language="ar", surveys_opt_out=False, whatsapp_consent=member.whatsapp_consent
    )

    assert not ConsentRecord.objects.exists()


def test_the_data_export_lists_each_consent_with_the_words_shown(member):
    services.update_preferences(
        member=member, by=member.user, language="ar", surveys_opt_out=False, whatsapp_consent=True
    )

    [consent] = selectors.member_data_export(member)["consents"]

    record = ConsentRecord.objects.get(member=member)
    assert (consent["channel"], consent["agreed"], consent["wording"]) == ("whatsapp", True, record.wording)
