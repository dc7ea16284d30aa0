"""The member's proxy pages: appoint by national ID (the match shown by name and number only), answer, revoke; each
refusal in Arabic beside the form with nothing changed; nobody acts on another member's proxy."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from assembly import proxies, services
from assembly.models import Meeting, Proxy
from members.models import Notification
from members.roles import Role
from tests.assembly.conftest import draft_meeting
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(secretary, make_user):
    board_user = UserFactory()
    board_user.groups.add(Group.objects.get_or_create(name=Role.BOARD)[0])
    return {
        "saad": MemberFactory(user=make_user("saad@example.org", Role.MEMBER), shares=3, full_name_ar="سعد آل مريح"),
        "fahd": MemberFactory(user=make_user("fahd@example.org", Role.MEMBER), shares=3, full_name_ar="فهد آل منصور"),
        "ali": MemberFactory(user=make_user("ali@example.org", Role.MEMBER), shares=3),
        "board": MemberFactory(shares=3, user=board_user),
    }


@pytest.fixture
def meeting(secretary, people, django_capture_on_commit_callbacks):
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    return meeting


def signed_in(client, member):
    client.force_login(member.user)
    return client


def page_of(meeting):
    return reverse("assembly:meeting-member", args=[meeting.pk])


def test_the_principal_finds_the_holder_by_national_id_confirms_and_the_holder_accepts(client, meeting, people):
    saad, fahd = people["saad"], people["fahd"]
    signed_in(client, saad)
    appoint = reverse("assembly:proxy-appoint", args=[meeting.pk])

    found = client.post(appoint, {"national_id": fahd.national_id}).content.decode()
    assert "فهد آل منصور" in found and fahd.membership_no in found
    assert str(fahd.mobile.national_number) not in found  # the name and the number only
    assert not Proxy.objects.exists()

    assert client.post(appoint, {"national_id": fahd.national_id, "confirm": "yes"}).status_code == 302
    proxy = Proxy.objects.get()
    assert (proxy.principal, proxy.holder, proxy.status) == (saad, fahd, Proxy.Status.OFFERED)
    assert Notification.objects.filter(member=fahd, event="proxy_offered", channel="inbox").exists()
    assert 'data-testid="proxy-given"' in client.get(page_of(meeting)).content.decode()

    signed_in(client, fahd)
    assert 'data-testid="proxy-offered"' in client.get(page_of(meeting)).content.decode()
    client.post(reverse("assembly:proxy-code", args=[meeting.pk, proxy.pk]))
    assert 'data-testid="proxy-code-form"' in client.get(page_of(meeting)).content.decode()
    proxy.refresh_from_db()
    code = "123456"
    proxy.code_hash = proxies._code_hash(proxy, code)  # the SMS is read in the browser test; here, a known code
    proxy.save(update_fields=["code_hash"])
    client.post(reverse("assembly:proxy-accept", args=[meeting.pk, proxy.pk]), {"code": code})
    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.ACCEPTED
    assert Notification.objects.filter(member=saad, event="proxy_answered", channel="inbox").exists()

    signed_in(client, saad)
    client.post(reverse("assembly:proxy-revoke", args=[meeting.pk, proxy.pk]))
    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.REVOKED
    assert Notification.objects.filter(member=fahd, event="proxy_revoked", channel="inbox").exists()


def test_the_holder_declines(client, meeting, people):
    proxy = proxies.appoint(meeting=meeting, principal=people["saad"], holder_national_id=people["fahd"].national_id)
    signed_in(client, people["fahd"])

    client.post(reverse("assembly:proxy-decline", args=[meeting.pk, proxy.pk]))

    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.DECLINED


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "لا يمكنك توكيل نفسك"),
        ("board", "لا يجوز لعضو مجلس الإدارة أن يكون وكيلًا عن عضو"),
        ("not_eligible", "لا يوجد في قائمة"),
        ("holds_one", "يحمل توكيلًا"),
        ("gives_one", "وكّلت"),
        ("cut_off", "أُغلق التوكيل قبل الاجتماع بـ"),
    ],
)
def test_each_refusal_shows_the_arabic_message_beside_the_form_and_changes_nothing(
    client, meeting, people, case, message
):
    saad, fahd, ali = people["saad"], people["fahd"], people["ali"]
    holder = {"self": saad, "board": people["board"], "not_eligible": MemberFactory(shares=3)}.get(case, fahd)
    if case == "holds_one":
        proxies.appoint(meeting=meeting, principal=ali, holder_national_id=fahd.national_id)
    if case == "gives_one":
        proxies.appoint(meeting=meeting, principal=saad, holder_national_id=ali.national_id)
    if case == "cut_off":
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=47))
    before = list(Proxy.objects.values_list("pk", "status"))
    messages_before = Notification.objects.count()
    signed_in(client, saad)

    response = client.post(
        reverse("assembly:proxy-appoint", args=[meeting.pk]), {"national_id": holder.national_id, "confirm": "yes"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Proxy.objects.values_list("pk", "status")) == before
    assert Notification.objects.count() == messages_before


def test_an_unknown_national_id_shows_no_member_and_no_confirm_button(client, meeting, people):
    signed_in(client, people["saad"])

    page = client.post(reverse("assembly:proxy-appoint", args=[meeting.pk]), {"national_id": "1999999999"})

    assert "لا يوجد في قائمة" in page.content.decode()
    assert 'data-testid="proxy-candidate"' not in page.content.decode()


def test_a_member_cannot_answer_or_revoke_another_members_proxy(client, meeting, people):
    proxy = proxies.appoint(meeting=meeting, principal=people["saad"], holder_national_id=people["fahd"].national_id)
    signed_in(client, people["ali"])

    answer = client.post(reverse("assembly:proxy-code", args=[meeting.pk, proxy.pk]))
    revoke = client.post(reverse("assembly:proxy-revoke", args=[meeting.pk, proxy.pk]))
    signed_in(client, people["saad"])  # the principal cannot answer for the holder, the holder cannot revoke
    own_answer = client.post(reverse("assembly:proxy-accept", args=[meeting.pk, proxy.pk]), {"code": "123456"})
    signed_in(client, people["fahd"])
    holder_revoke = client.post(reverse("assembly:proxy-revoke", args=[meeting.pk, proxy.pk]))

    assert [answer.status_code, revoke.status_code, own_answer.status_code, holder_revoke.status_code] == [404] * 4
    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.OFFERED


def test_a_member_not_on_the_meetings_list_cannot_appoint(client, meeting, people):
    outsider = MemberFactory(user=UserFactory(), shares=3)
    signed_in(client, outsider)

    response = client.post(
        reverse("assembly:proxy-appoint", args=[meeting.pk]), {"national_id": people["fahd"].national_id}
    )

    assert response.status_code == 404
    assert not Proxy.objects.exists()
