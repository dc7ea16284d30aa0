"""The hash-chained log of officers' actions on a meeting's secret questions (preparing, opening, closing).

Each entry's digest is the SHA-256 of the previous entry's digest followed by the canonical JSON of its own body
(seq, action, time, details); the first entry follows 64 zeros. The record publishes the entries and
scripts/verify_ballot_record.py recomputes the chain: an entry changed, dropped or moved breaks it. Voters' actions
are never logged (a time per voter would narrow a ballot down).
"""

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from assembly.models import Meeting
from ballots.models import LogEntry
from members.models import User

GENESIS = "0" * 64


def canonical(value: object) -> bytes:
    """The one JSON spelling the chain hashes: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def body(*, seq: int, action: str, at: datetime.datetime, payload: dict) -> dict:
    return {"seq": seq, "action": action, "at": at.astimezone(datetime.UTC).isoformat(), "payload": payload}


def chain(previous: str, entry_body: dict) -> str:
    return hashlib.sha256(previous.encode() + canonical(entry_body)).hexdigest()


def append(*, meeting: Meeting, action: str, payload: dict, by: User) -> LogEntry:
    """Add the next entry to the meeting's chain; the meeting row is locked so two officers never take one number."""
    with transaction.atomic():
        Meeting.objects.select_for_update().only("pk").get(pk=meeting.pk)
        last = LogEntry.objects.filter(meeting=meeting).order_by("-seq").first()
        seq, previous = (last.seq + 1, last.digest) if last else (1, GENESIS)
        at = timezone.now().replace(microsecond=0)
        payload = {**payload, "by": by.get_full_name() or by.get_username()}
        return LogEntry.objects.create(
            meeting=meeting,
            seq=seq,
            action=action,
            payload=payload,
            at=at,
            by=by,
            previous=previous,
            digest=chain(previous, body(seq=seq, action=action, at=at, payload=payload)),
        )


def entries(meeting: Meeting) -> list[dict]:
    """The meeting's chain as the record publishes it."""
    return [
        {
            **body(seq=entry.seq, action=entry.action, at=entry.at, payload=entry.payload),
            "previous": entry.previous,
            "digest": entry.digest,
        }
        for entry in LogEntry.objects.filter(meeting=meeting).order_by("seq")
    ]
