"""Every change in the surveys app: one function per use case, each in one transaction.

The use cases live in this package's modules, by family: `questionnaires`, `invitations` (tokens, invitations,
reminders), `answering` (the anonymous response, the staff tally, the reseal) and `suggestion_box` (the suggestion
box and the offer to be contacted); `common` holds what they share. Import them from here.

Anonymity rules the code keeps (DESIGN.md, "Surveys and anonymity"):
- `submit_response` marks the invitation answered and writes an anonymous `Response` in one
  transaction; the response gets dimensions copied from the request, never a key back to it.
- Nothing here logs an invitation next to a response; the thank-you page carries the offer to be
  contacted as a signed value naming the invitation, never the response.
- Staff results are running sums (`StaffResultTally`), so no response row names a staff member.
"""

from surveys.services.answering import RESEAL_LOCK_KEY, Answer, reseal_anonymous_rows, submit_response
from surveys.services.common import RATABLE_STATUSES, InvitationRefused, month_of, quarter_of
from surveys.services.invitations import (
    INVITATION_DAYS,
    REMINDER_AFTER,
    find_invitation,
    hash_token,
    invitation_for_portal,
    invitation_token,
    invite_for_request,
    portal_version,
    send_reminders,
    survey_path,
)
from surveys.services.questionnaires import current_version, publish_version, questionnaire_for
from surveys.services.suggestion_box import (
    CONTACT_OFFER_MAX_AGE,
    CONTACT_OFFER_SALT,
    SuggestionResult,
    adopt_suggestion,
    contact_offer,
    request_contact,
    submit_suggestion,
)

__all__ = [
    "CONTACT_OFFER_MAX_AGE",
    "CONTACT_OFFER_SALT",
    "INVITATION_DAYS",
    "RATABLE_STATUSES",
    "REMINDER_AFTER",
    "RESEAL_LOCK_KEY",
    "Answer",
    "InvitationRefused",
    "SuggestionResult",
    "adopt_suggestion",
    "contact_offer",
    "current_version",
    "find_invitation",
    "hash_token",
    "invitation_for_portal",
    "invitation_token",
    "invite_for_request",
    "month_of",
    "portal_version",
    "publish_version",
    "quarter_of",
    "questionnaire_for",
    "request_contact",
    "reseal_anonymous_rows",
    "send_reminders",
    "submit_response",
    "submit_suggestion",
    "survey_path",
]
