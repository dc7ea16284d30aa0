"""What staff write for the board or for each other stays with them; only what is written for the member reaches
the member. Checked for the whole class: every free-text field of every staff form says who reads it, and each
field the member does not read is typed into through its real page and looked for on every member page and
in every message the member gets."""

import json

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import members.forms
import members.outbox_forms
import requests_app.desk.staff_forms
import requests_app.move_forms
import surveys.forms
import surveys.reports.forms
from members.models import Notification
from members_portal.readers import Readers
from requests_app.models import TimelineEvent
from tests.requests_app.factories import RequestTypeFactory, UserFactory
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request

pytestmark = pytest.mark.django_db

MARKER = "سرّي-للمجلس-٧٣١"

# Staff forms: every form of these modules, and the staff forms of modules shared with member forms.
STAFF_FORM_MODULES = [
    requests_app.desk.staff_forms,
    requests_app.move_forms,
    members.outbox_forms,
    surveys.reports.forms,
]
STAFF_FORMS_ELSEWHERE = [
    members.forms.CorrectionDecisionForm,
    members.forms.DirectorySearchForm,
    members.forms.ImportUploadForm,
    surveys.forms.AdoptedSuggestionForm,
]
# Inputs that search or filter: they are not kept, so nobody reads them.
SEARCH_INPUTS = {"q", "event", "membership_no", "period", "first_month", "last_month"}


def staff_forms() -> list[type[forms.BaseForm]]:
    found = list(STAFF_FORMS_ELSEWHERE)
    for module in STAFF_FORM_MODULES:
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
        ]
    return found


def free_text_fields() -> list[tuple[str, str, forms.Field]]:
    return [
        (form.__name__, name, field)
        for form in staff_forms()
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField and name not in SEARCH_INPUTS
    ]


def test_every_free_text_field_on_a_staff_form_says_who_reads_it():
    fields = free_text_fields()
    assert len(fields) >= 10

    unmarked = [
        f"{form}.{name}" for form, name, field in fields if not isinstance(getattr(field, "readers", None), Readers)
    ]
    silent = [f"{form}.{name}" for form, name, field in fields if not str(field.help_text).strip()]

    assert unmarked == []
    assert silent == []


# --- Each field the member does not read, typed into through its page ------------------------------------------


@pytest.fixture
def board_service(coffee):
    return RequestTypeFactory(department=coffee, code="TQ-B1", name_ar="التنازل عن الأسهم", needs_board_decision=True)


def refer_with_a_note(clerk, board_service):
    service_request = make_request(board_service, status=Status.IN_PROGRESS)
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("requests_app:staff-request-move", args=[service_request.reference_no, "refer-to-board"]),
        {"refer-to-board-version": service_request.version, "refer-to-board-note": MARKER},
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    return service_request


def write_an_internal_note(clerk, board_service):
    service_request = make_request(board_service, status=Status.UNDER_REVIEW)
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("requests_app:staff-request-note", args=[service_request.reference_no]), {"text": MARKER}
    )
    assert response.status_code == 302
    return service_request


NOT_FOR_THE_MEMBER = {
    ("ReferForm", "note"): refer_with_a_note,
    ("NoteForm", "text"): write_an_internal_note,
}


def test_every_field_the_member_does_not_read_is_checked_below():
    not_for_member = {(form, name) for form, name, field in free_text_fields() if not field.readers.reach_the_member}

    assert not_for_member == set(NOT_FOR_THE_MEMBER)


def everything_the_member_sees(service_request) -> str:
    member = service_request.member
    client = Client()
    client.force_login(member.user)
    pages = [
        reverse("requests_app:request-detail", args=[service_request.reference_no]),
        reverse("requests_app:request-list"),
        reverse("members:inbox"),
        reverse("members:profile"),
        reverse("members:export-json"),
    ]
    seen = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        seen.append(response.content.decode())
    seen += [f"{n.subject}\n{n.body}" for n in Notification.objects.filter(member=member)]
    return json.dumps(seen, ensure_ascii=False)


@pytest.mark.parametrize("field", sorted(NOT_FOR_THE_MEMBER), ids="{0[0]}.{0[1]}".format)
def test_text_written_for_staff_or_the_board_never_reaches_the_member(field, clerk, board_service):
    service_request = NOT_FOR_THE_MEMBER[field](clerk, board_service)

    assert service_request.timeline.filter(note__contains=MARKER).exists()  # it was kept, for its readers
    assert MARKER not in everything_the_member_sees(service_request)


def test_the_board_reads_the_note_written_for_it_and_the_member_is_told_only_the_new_status(clerk, board_service):
    service_request = refer_with_a_note(clerk, board_service)
    board = Client()
    board.force_login(UserFactory(roles=["board"]))

    page = board.get(reverse("requests_app:board-decision", args=[service_request.reference_no])).content.decode()

    assert MARKER in page
    note = service_request.timeline.get(kind=TimelineEvent.Kind.BOARD_NOTE)
    assert (note.note, note.visible_to_member, note.actor) == (MARKER, False, clerk)
    told = Notification.objects.get(member=service_request.member, channel="inbox")
    assert "بانتظار" in told.body or "Pending" in told.body
