"""A proxy on 360 px phones, in Arabic (GOV-01): Saad gives his proxy to Fahd by national ID (the page shows only
Fahd's name and membership number to confirm), is refused appointing himself, sees it waiting; Fahd finds it on the
same meeting page, asks to accept, is refused a wrong code and accepts with the one his phone received by SMS; Saad
sees it accepted. axe on every page."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services
from assembly.models import Proxy
from members.models import Notification
from members.roles import Role
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"


def last_code(sms_file) -> str:
    """The six digits of the last text message, as the holder reads them on their phone."""
    text = json.loads(sms_file.read_text(encoding="utf-8").splitlines()[-1])["text"]
    return re.search(r"\d{6}", text).group()


def test_a_member_gives_his_proxy_by_national_id_and_the_holder_accepts(new_context, live_server, make_user, settings):
    settings.SITE_URL = live_server.url
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    fahd_account = make_user("fahd@example.org", Role.MEMBER, first_name="فهد", last_name="آل منصور")
    saad = MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح")
    fahd = MemberFactory(user=fahd_account, shares=3, full_name_ar="فهد بن علي آل منصور")
    meeting = services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    services.add_agenda_item(meeting=meeting, by=secretary, kind="accounts", title_ar="الحسابات", title_en="Accounts")
    services.publish_notice(meeting=meeting, by=secretary)
    meeting_page = live_server.url + reverse("assembly:meeting-member", args=[meeting.pk])

    principal = phone(new_context)
    login(principal, live_server, saad_account.email, PASSWORD)
    principal.goto(live_server.url + "/")
    principal.get_by_test_id("next-meeting").get_by_role("link", name="تفاصيل الاجتماع").click()
    proxy = principal.get_by_test_id("proxy")
    proxy.get_by_label("رقم الهوية الوطنية للعضو الذي توكّله").fill(saad.national_id)
    proxy.get_by_role("button", name="البحث عن العضو").click()
    principal.get_by_role("button", name="أكّد التوكيل").click()
    expect(principal.get_by_test_id("proxy")).to_contain_text("لا يمكنك توكيل نفسك")
    visit(principal, "proxy-refused")
    assert not Proxy.objects.exists()

    principal.get_by_label("رقم الهوية الوطنية للعضو الذي توكّله").fill(fahd.national_id)
    principal.get_by_role("button", name="البحث عن العضو").click()
    candidate = principal.get_by_test_id("proxy-candidate")
    expect(candidate).to_contain_text("فهد بن علي آل منصور")
    expect(candidate).to_contain_text(fahd.membership_no)
    visit(principal, "proxy-confirm")
    candidate.get_by_role("button", name="أكّد التوكيل").click()
    expect(principal.locator(".alert-success")).to_contain_text("أُعطي توكيلك")
    expect(principal.get_by_test_id("proxy-given-status")).to_have_text("بانتظار قبول الوكيل")
    visit(principal, "proxy-waiting")
    assert Notification.objects.filter(member=fahd, event="proxy_offered", channel="inbox").exists()

    holder = phone(new_context)
    login(holder, live_server, fahd_account.email, PASSWORD)
    holder.goto(meeting_page)
    offered = holder.get_by_test_id("proxy-offered")
    expect(offered).to_contain_text("سعد بن محمد آل مريح")
    visit(holder, "proxy-offered")
    offered.get_by_role("button", name="اقبل التوكيل").click()
    expect(holder.locator(".alert-success")).to_contain_text("أُرسل رمز إلى جوالك")
    code_form = holder.get_by_test_id("proxy-code-form")
    code_form.get_by_label("الرمز المرسل إلى جوالك").fill("000000")
    code_form.get_by_role("button", name="اقبل التوكيل بهذا الرمز").click()
    expect(holder.get_by_test_id("proxy-code-form")).to_contain_text("الرمز غير صحيح")
    visit(holder, "proxy-code-wrong")
    assert Proxy.objects.get().status == Proxy.Status.OFFERED
    holder.get_by_label("الرمز المرسل إلى جوالك").fill(last_code(settings.SMS_FILE_PATH))
    holder.get_by_role("button", name="اقبل التوكيل بهذا الرمز").click()
    expect(holder.locator(".alert-success")).to_contain_text("قبلت التوكيل")
    expect(holder.get_by_test_id("proxy-offered-status")).to_have_text("مقبول")
    visit(holder, "proxy-accepted")

    principal.reload()
    expect(principal.get_by_test_id("proxy-given-status")).to_have_text("مقبول")
    expect(principal.get_by_role("button", name="ألغِ توكيلي")).to_be_visible()
    visit(principal, "proxy-accepted-principal")
    assert Notification.objects.filter(member=saad, event="proxy_answered", channel="inbox").exists()
