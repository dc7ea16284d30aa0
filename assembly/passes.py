"""A member's pass to a General Assembly meeting: what the door desk scans or types to find them.

The QR carries a token signed with the project's secret (django.core.signing, a salt of its own) naming the meeting
and the member by their ids, never the national ID: a forged or altered token fails its signature, and a token for
another meeting is told apart from an unknown one. Under the QR is a short code for the desk to type when the camera
cannot read it: the membership number and four letters signed for this meeting and member.
"""

import base64
import hmac
from dataclasses import dataclass

import segno
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from assembly.models import EligibleMember, Meeting
from members.models import Member
from members_portal.arabic import to_western_digits

TOKEN_SALT = "assembly.pass"  # noqa: S105 (a signing salt, not a password)
CODE_SALT = "assembly.pass-code"
CODE_LETTERS = 4


class PassRefused(Exception):
    """The scanned token or typed code names nobody at this meeting; the message is the desk's."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def token(meeting: Meeting, member: Member) -> str:
    return signing.dumps({"meeting": meeting.pk, "member": member.pk}, salt=TOKEN_SALT)


def _check_letters(meeting_id: int, member_id: int) -> str:
    digest = salted_hmac(CODE_SALT, f"{meeting_id}:{member_id}", algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:CODE_LETTERS]


def short_code(meeting: Meeting, eligible: EligibleMember) -> str:
    """The membership number as the record date wrote it, and four letters for this meeting: "10001-K7QX"."""
    return f"{eligible.membership_no}-{_check_letters(meeting.pk, eligible.member_id)}"


def qr_svg_data_uri(meeting: Meeting, member: Member) -> str:
    """The token as a QR image (an SVG data URI, sharp at any print size; the CSP allows data: images)."""
    return segno.make(token(meeting, member), error="m").svg_data_uri(scale=8, border=2)


@dataclass(frozen=True)
class Found:
    member_id: int


def read_token(meeting: Meeting, value: str) -> Found:
    """The member a scanned token names, for this meeting; PassRefused otherwise (nothing is looked up)."""
    try:
        data = signing.loads(value.strip(), salt=TOKEN_SALT)
    except signing.BadSignature as error:
        raise PassRefused(_("This is not a pass of the cooperative."), code="unknown") from error
    if data.get("meeting") != meeting.pk:
        raise PassRefused(_("This pass is for another meeting."), code="other_meeting")
    return Found(member_id=int(data["member"]))


def read_code(meeting: Meeting, value: str) -> Found:
    """The member a typed short code names, for this meeting; PassRefused otherwise. Arabic-Indic digits and lower
    case are accepted (a desk's keyboard)."""
    membership_no, _dash, letters = to_western_digits(value).strip().upper().rpartition("-")
    unknown = PassRefused(_("No pass has this code. Check it, or search by membership number."), code="unknown")
    if not membership_no or len(letters) != CODE_LETTERS:
        raise unknown
    rows = EligibleMember.objects.filter(membership_no=membership_no).values_list("meeting_id", "member_id")
    for meeting_id, member_id in rows:
        if hmac.compare_digest(_check_letters(meeting_id, member_id), letters):
            if meeting_id != meeting.pk:
                raise PassRefused(_("This pass is for another meeting."), code="other_meeting")
            return Found(member_id=member_id)
    raise unknown
