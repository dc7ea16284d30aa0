"""The holder accepts a proxy only with the one-time code sent to their mobile on record: six digits, kept as a keyed
hash, ten minutes, five wrong tries, not resent within a minute; declining needs no code. Each refusal in Arabic."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assembly import proxies, services
from assembly.models import Proxy
from members import activation
from tests.assembly.conftest import draft_meeting
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


@pytest.fixture
def offered(secretary, make_user, django_capture_on_commit_callbacks):
    saad = MemberFactory(user=make_user("saad@example.org"), shares=3)
    fahd = MemberFactory(user=make_user("fahd@example.org"), shares=3)
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    return proxies.appoint(meeting=meeting, principal=saad, holder_national_id=fahd.national_id)


def test_the_code_goes_by_sms_to_the_holders_mobile_and_only_its_hash_is_kept(
    offered, sms_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        code = proxies.send_code(proxy=offered, holder=offered.holder)

    message = json.loads(sms_file.read_text(encoding="utf-8").splitlines()[-1])
    assert message["to"] == str(offered.holder.mobile)
    assert code in message["text"] and len(code) == 6 and code.isdigit()
    offered.refresh_from_db()
    assert offered.code_hash and code not in offered.code_hash
    assert offered.status == Proxy.Status.OFFERED


def test_the_right_code_accepts_and_tells_the_principal(offered):
    code = proxies.send_code(proxy=offered, holder=offered.holder)

    proxies.accept(proxy=offered, holder=offered.holder, code=code)

    offered.refresh_from_db()
    assert (offered.status, offered.code_hash) == (Proxy.Status.ACCEPTED, "")


def test_arabic_indic_digits_are_read_as_the_code(offered):
    code = proxies.send_code(proxy=offered, holder=offered.holder)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    proxies.accept(proxy=offered, holder=offered.holder, code=arabic)

    offered.refresh_from_db()
    assert offered.status == Proxy.Status.ACCEPTED


def test_wrong_codes_are_counted_and_after_five_even_the_right_one_fails(offered):
    code = proxies.send_code(proxy=offered, holder=offered.holder)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = []
    for _try in range(activation.MAX_ATTEMPTS):
        with pytest.raises(proxies.ValidationError) as refused:
            proxies.accept(proxy=offered, holder=offered.holder, code=wrong)
        messages.append(refused.value.messages[0])

    with pytest.raises(proxies.ValidationError) as refused:
        proxies.accept(proxy=offered, holder=offered.holder, code=code)

    assert "الرمز غير صحيح" in messages[0] and "4" in messages[0]
    assert "محاولات خاطئة كثيرة" in messages[-1]
    assert "محاولات خاطئة كثيرة" in refused.value.messages[0]
    offered.refresh_from_db()
    assert (offered.status, offered.code_attempts) == (Proxy.Status.OFFERED, activation.MAX_ATTEMPTS)


def test_an_expired_code_is_refused_and_a_new_one_waits_a_minute(offered):
    code = proxies.send_code(proxy=offered, holder=offered.holder)
    with pytest.raises(proxies.ValidationError) as too_soon:
        proxies.send_code(proxy=offered, holder=offered.holder)
    Proxy.objects.filter(pk=offered.pk).update(code_sent_at=timezone.now() - datetime.timedelta(minutes=11))

    with pytest.raises(proxies.ValidationError) as expired:
        proxies.accept(proxy=offered, holder=offered.holder, code=code)
    fresh = proxies.send_code(proxy=offered, holder=offered.holder)
    proxies.accept(proxy=offered, holder=offered.holder, code=fresh)

    assert "أقل من دقيقة" in too_soon.value.messages[0]
    assert "انتهت صلاحية الرمز" in expired.value.messages[0]
    offered.refresh_from_db()
    assert offered.status == Proxy.Status.ACCEPTED


def test_one_proxys_code_does_not_accept_another(offered, make_user):
    code = proxies.send_code(proxy=offered, holder=offered.holder)
    ali, omar = MemberFactory(shares=2), MemberFactory(shares=2)
    meeting = offered.meeting
    meeting.eligible.create(member=ali, membership_no=ali.membership_no, shares=2)
    meeting.eligible.create(member=omar, membership_no=omar.membership_no, shares=2)
    other = proxies.appoint(meeting=meeting, principal=ali, holder_national_id=omar.national_id)
    proxies.send_code(proxy=other, holder=omar)

    with pytest.raises(proxies.ValidationError):
        proxies.accept(proxy=other, holder=omar, code=code)


def test_declining_needs_no_code(offered):
    proxies.decline(proxy=offered, holder=offered.holder)

    offered.refresh_from_db()
    assert offered.status == Proxy.Status.DECLINED


def test_a_wrong_code_on_the_page_says_so_in_arabic_beside_the_field_and_accepts_nothing(client, offered):
    client.force_login(offered.holder.user)
    page = reverse("assembly:meeting-member", args=[offered.meeting_id])
    assert client.post(reverse("assembly:proxy-code", args=[offered.meeting_id, offered.pk])).status_code == 302
    assert 'data-testid="proxy-code-form"' in client.get(page).content.decode()

    response = client.post(reverse("assembly:proxy-accept", args=[offered.meeting_id, offered.pk]), {"code": "12"})

    assert response.status_code == 400
    assert "الرمز غير صحيح" in response.content.decode()
    offered.refresh_from_db()
    assert (offered.status, offered.code_attempts) == (Proxy.Status.OFFERED, 1)
