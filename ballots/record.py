"""The published record of a meeting's secret ballots (issue 18 item 4): what anyone may check, as JSON.

For each closed question: its options, how many credentials were issued, every ballot by receipt code (the options
chosen and the nonce, so its receipt can be recomputed), the room's paper count as its own line (null when there
was none) and the tally, online ballots plus paper counts; and the meeting's hash-chained log of the
officers' actions (among them each officer's paper count entry and its confirmation), whose closing entries hold
each tally, the paper line and a digest of the ballot list. Nothing in it names a
voter or dates a ballot. scripts/verify_ballot_record.py checks it with the standard library alone.
"""

from assembly.models import Meeting
from ballots import log, services
from ballots.models import Question, Slot

FORMAT = "najran-coffee-ballot-record/1"


def published_questions(meeting: Meeting):
    """The meeting's questions whose voting has closed: only those have ballots to publish."""
    return Question.objects.filter(meeting=meeting, status=Question.Status.CLOSED).order_by("pk")


def question_record(question: Question) -> dict:
    rows = services.ballot_rows(question)
    return {
        "id": question.pk,
        "kind": question.kind,
        "title_ar": question.title_ar,
        "title_en": question.title_en,
        "seats": question.seats,
        "options": services.options_payload(question),
        "credentials_issued": Slot.objects.filter(question=question, issued=True).count(),
        "ballots": rows,
        "paper": services.paper_line(question),
        "tally": services.count(question, rows),
    }


def build(meeting: Meeting) -> dict:
    return {
        "format": FORMAT,
        "meeting": {
            "id": meeting.pk,
            "kind": meeting.kind,
            "starts_at": meeting.starts_at.isoformat(),
            "record_date": meeting.record_date.isoformat() if meeting.record_date else None,
        },
        "questions": [question_record(question) for question in published_questions(meeting)],
        "log": log.entries(meeting),
    }
