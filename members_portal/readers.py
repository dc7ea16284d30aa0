"""Who reads what staff type. Every free-text field of a staff form is marked with its readers and says them
in its help text; only the member's fields (replies, outcomes, reasons, what is missing) ever reach the member.

tests/requests_app/test_what_staff_write.py holds the whole class: every such field is marked, and text typed into a
field the member does not read never appears on the member's pages or in their messages.
"""

import enum

from django import forms
from django.utils.translation import gettext_lazy as _


class Readers(enum.Enum):
    MEMBER = "member"  # the member the request or record is about
    PUBLIC = "public"  # every member, or anyone (announcements, the public page of adopted suggestions)
    BOARD = "board"  # the board and the staff, never the member
    STAFF = "staff"  # the staff only

    @property
    def reach_the_member(self) -> bool:
        return self in {Readers.MEMBER, Readers.PUBLIC}


STANDARD_HELP = {
    Readers.MEMBER: _("The member reads this."),
    Readers.PUBLIC: _("Members read this."),
    Readers.BOARD: _("For the board and the staff: the member never sees this."),
    Readers.STAFF: _("Staff only: the member never sees this."),
}


def read_by(readers: Readers, field: forms.Field) -> forms.Field:
    """Mark a free-text field with who reads it; without help text of its own it gets the standard sentence."""
    field.readers = readers  # type: ignore[attr-defined]  # read by the form templates
    if not field.help_text:
        field.help_text = STANDARD_HELP[readers]
    return field
