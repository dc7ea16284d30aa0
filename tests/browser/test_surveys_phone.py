"""The survey from the SMS link, on a 360 px phone, in Arabic, checked with axe; and without JavaScript."""

import importlib
import json
import time

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from members.models import Governorate
from requests_app.models import RequestType, ServiceRequest
from surveys import services
from surveys.models import Invitation, Questionnaire, QuestionnaireVersion, Response
from tests.browser.helpers import axe_check, save_screenshot
from tests.requests_app.factories import MemberFactory, RequestTypeFactory, ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = importlib.import_module("surveys.migrations.0002_seed_default_questionnaire")


@pytest.fixture
def survey_sms(live_server, settings, tmp_path):
    """A completed request of a demo-like member, invited through the outbox; returns the link from the SMS file."""
    settings.SITE_URL = live_server.url
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    # A transactional test starts from an emptied database: the seed migration's questionnaire is put back.
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="default", defaults={"name": "الاستبانة العامة", "is_default": True, **SEED.DEFAULT}
    )
    if created:
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, content=SEED.DEFAULT)
    member = MemberFactory(governorate=Governorate.THAR, sms_consent=True, language="ar")
    service_request = ServiceRequestFactory(
        member=member,
        request_type=RequestTypeFactory(name_ar="طلب شتلات بن"),
        status=ServiceRequest.Status.COMPLETED,
        outcome="سُلّمت الشتلات",
    )
    services.invite_for_request(service_request=service_request, origin=Invitation.Origin.COMPLETED)
    messages = [json.loads(line) for line in settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()]
    [sms] = [message for message in messages if "/surveys/s/" in message["text"]]
    return {"text": sms["text"], "link": sms["text"].split()[-1], "service_request": service_request}


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_a_member_answers_the_survey_from_the_sms_link_on_a_phone_in_arabic(phone_page, survey_sms):
    page = phone_page
    started = time.monotonic()

    page.goto(survey_sms["link"])

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("كيف كانت خدمتنا؟")
    _no_horizontal_scroll(page)
    axe_check(page)
    save_screenshot(page, "survey-phone-ar")
    overall = page.get_by_role("group", name="ما تقييمك العام للخدمة؟")
    overall.get_by_text("جيد", exact=True).click()
    page.get_by_role("group", name="ما مدى سرعة إنجاز طلبك؟").get_by_text("5", exact=True).click()
    page.get_by_role("group", name="ما مدى لباقة الموظفين في التعامل معك؟").get_by_text("5", exact=True).click()
    page.get_by_role("group", name="ما مدى احتمال أن توصي بخدمات الجمعية لمزارع آخر؟").get_by_text(
        "9", exact=True
    ).click()
    page.get_by_label("هل لديك ملاحظة تساعدنا على التحسين؟ (اختياري)").fill("شكرًا، اتصلوا على 0551234567")
    page.get_by_role("button", name="أرسل تقييمي").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا لك على تقييمك")
    assert time.monotonic() - started < 60
    axe_check(page)
    save_screenshot(page, "survey-phone-ar-thanks")
    response = Response.objects.get()
    assert (response.overall, response.speed, response.courtesy, response.recommend) == (4, 5, 5, 9)
    assert response.comment == "شكرًا، اتصلوا على [•••]"
    # His is the only answer of the month: the governorate would point at him, so it is not stored (coarsening).
    assert (response.governorate, response.request_type) == ("", None)

    page.goto(survey_sms["link"])
    expect(page.get_by_role("heading", level=1)).to_have_text("سبقت الإجابة عن هذه الاستبانة")
    axe_check(page)
    save_screenshot(page, "survey-phone-ar-already-answered")


def test_an_excellent_rating_is_also_offered_contact_and_accepting_opens_a_complaint(phone_page, survey_sms):
    if not RequestType.objects.filter(kind=RequestType.Kind.COMPLAINT, active=True).exists():
        RequestTypeFactory(kind=RequestType.Kind.COMPLAINT, name_ar="شكوى")
    page = phone_page
    page.goto(survey_sms["link"])

    page.get_by_role("group", name="ما تقييمك العام للخدمة؟").get_by_text("ممتاز", exact=True).click()
    page.get_by_role("button", name="أرسل تقييمي").click()
    expect(page.get_by_role("heading", name="هل تريد أن نتواصل معك؟")).to_be_visible()
    expect(page.get_by_text("ولن يروا تقييمك ولا تعليقك")).to_be_visible()
    _no_horizontal_scroll(page)
    axe_check(page)
    save_screenshot(page, "survey-phone-ar-contact-offer")
    page.get_by_role("button", name="نعم، تواصلوا معي").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("سنتواصل معك")
    axe_check(page)
    save_screenshot(page, "survey-phone-ar-contact-opened")
    complaint = ServiceRequest.objects.get(request_type__kind=RequestType.Kind.COMPLAINT)
    assert complaint.member == survey_sms["service_request"].member


def test_a_member_opens_the_rating_page_of_a_request_and_nothing_is_created_until_they_send(
    phone_page, survey_sms, live_server
):
    service_request = survey_sms["service_request"]
    Invitation.objects.filter(service_request=service_request).delete()
    page = phone_page
    client = Client()
    client.force_login(service_request.member.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto(f"{live_server.url}/surveys/rate/{service_request.reference_no}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("كيف كانت خدمتنا؟")
    assert not Invitation.objects.filter(service_request=service_request).exists()
    _no_horizontal_scroll(page)
    axe_check(page)
    page.get_by_role("group", name="ما تقييمك العام للخدمة؟").get_by_text("جيد", exact=True).click()
    page.get_by_role("button", name="أرسل تقييمي").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا لك على تقييمك")
    assert Invitation.objects.get(service_request=service_request).answered


def test_the_survey_works_without_javascript(new_context, survey_sms):
    context = new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(survey_sms["link"])

    page.get_by_role("group", name="ما تقييمك العام للخدمة؟").get_by_text("ممتاز", exact=True).click()
    page.get_by_role("button", name="أرسل تقييمي").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا لك على تقييمك")
    assert Response.objects.get().overall == 5


def test_a_forged_link_shows_a_clear_arabic_page_on_a_phone(phone_page, survey_sms):
    phone_page.goto(survey_sms["link"].rsplit("/", 2)[0] + "/AAAAAAAAAAAAAAAA/")

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("رابط الاستبانة غير صالح")
    axe_check(phone_page)
    save_screenshot(phone_page, "survey-phone-ar-forged")
