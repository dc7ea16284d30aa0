"""SMS length: the segment counter, and every event's SMS text fitting two segments in Arabic and English."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import Context

from members import outbox
from members.models import Channel

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# A production-length address (longer than the development default), so the test is not flattered.
SITE_URL = "https://portal.najrancoffee.sa"
LONG_NAME_AR = "عبدالرحمن"  # first names go in SMS; full names only in e-mail and the inbox
LONG_SERVICE_AR = "طلب نقل ملكية أسهم إلى عضو آخر"


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("{" * 80, "GSM-7", 160, 1),  # extension characters count two septets
        ("ب" * 70, "UCS-2", 70, 1),
        ("ب" * 71, "UCS-2", 71, 2),
        ("ب" * 134, "UCS-2", 134, 2),
        ("ب" * 135, "UCS-2", 135, 3),
        ("a" * 69 + "ب", "UCS-2", 70, 1),  # one Arabic letter makes the whole text UCS-2
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_the_segment_counter(text, encoding, units, segments):
    length = outbox.sms_length(text)

    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)


def test_fit_sms_shortens_the_text_and_keeps_the_link_whole():
    link = SITE_URL + "/n/AbCdEfGh/"
    text = "كلمة " * 40 + link

    fitted = outbox.fit_sms(text, keep_end=link)

    assert fitted.endswith("… " + link)
    assert outbox.sms_length(fitted).segments == 2


ENGLISH_VALUES = {
    LONG_NAME_AR: "Abdulrahman",
    "عبدالرحمن بن محمد آل مريح": "Abdulrahman bin Mohammed Al Muraih",
    LONG_SERVICE_AR: "Transfer of shares to another member",
    "12 جمادى الآخرة 1448 هـ": "12 Jumada II 1448 AH",
    "معاد لاستكمال النواقص": "Returned for missing items",
    "نص قصير": "short text",
}


def realistic(name: str) -> str:
    """A realistic, rather long value for a template variable, judged by its name (in the active language)."""
    from django.utils.translation import get_language

    value = _realistic(name)
    return ENGLISH_VALUES.get(value, value) if get_language() == "en" else value


def _realistic(name: str) -> str:
    lowered = name.lower()
    if "link" in lowered or "url" in lowered:
        return SITE_URL + "/n/AbCdEfGh/"
    if "reference" in lowered:
        return "NJC-2026-000123"
    if "membership_no" in lowered:
        return "10234"
    if "date" in lowered or lowered.endswith("_on") or lowered.endswith("_at"):
        return "12 جمادى الآخرة 1448 هـ"
    if "first_name" in lowered:
        return LONG_NAME_AR
    if "name" in lowered:
        return "عبدالرحمن بن محمد آل مريح"
    if "service" in lowered or "type" in lowered or "title" in lowered:
        return LONG_SERVICE_AR
    if "status" in lowered:
        return "معاد لاستكمال النواقص"
    if "days" in lowered or "count" in lowered or "number" in lowered:
        return "12"
    return "نص قصير"


class RealisticContext(dict):
    """Every variable a template asks for exists, with a realistic value (so any event's template can be measured)."""

    def __contains__(self, key) -> bool:
        return True

    def __missing__(self, key):
        if str(key).endswith("_count"):
            return 12  # counted in a plural ({% blocktranslate count %} needs a number)
        return realistic(str(key))

    def get(self, key, default=None):
        return self[key]


def sms_templates() -> list[Path]:
    """Every event's SMS text, in each app's folder of notification templates."""
    from members.notification_texts import TEMPLATE_FOLDERS

    return sorted(path for folder in TEMPLATE_FOLDERS for path in (TEMPLATES / folder).glob("*/sms*.txt"))


def test_every_app_that_sends_messages_keeps_their_texts_in_its_own_folder():
    from members.notification_texts import TEMPLATE_FOLDERS

    assert {"members/notifications", "requests_app/notifications", "surveys/notifications"} <= set(TEMPLATE_FOLDERS)
    assert {path.parent.name for path in sms_templates()} >= {"request_submitted", "survey_invitation", "test_message"}


def test_there_are_sms_templates_to_check():
    assert any(path.parent.name == "test_message" for path in sms_templates())


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("path", sms_templates(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_sms_template_fits_two_segments_with_realistic_values(path, language, settings):
    from django.utils import translation

    settings.SITE_URL = SITE_URL
    parts = path.name.split(".")
    if len(parts) == 3 and parts[1] != language:
        pytest.skip(f"{path.name} is the {parts[1]} text")
    template = outbox._engine().get_template(str(path.relative_to(TEMPLATES)))
    context = RealisticContext(short_link=SITE_URL + "/n/AbCdEfGh/", link=SITE_URL + "/members/requests/123/")

    with translation.override(language):
        text = "\n".join(
            line.strip() for line in template.render(Context(context)).strip().splitlines() if line.strip()
        )

    length = outbox.sms_length(text)
    assert length.segments <= outbox.MAX_SMS_SEGMENTS, f"{length.units} {length.encoding} units: {text!r}"
    assert SITE_URL in text, "an SMS carries a link to the page it is about"


def test_the_longest_announcement_title_fits_with_a_production_address(settings):
    settings.SITE_URL = SITE_URL
    title = "ب" * 80  # the longest title the form allows

    rendered = outbox.render_message(
        event="announcement",
        channel=Channel.SMS,
        language="ar",
        context={"title": title, "short_link": SITE_URL + "/a/99999/"},
        shorten=False,
    )

    assert outbox.sms_length(rendered.body).segments == 2
