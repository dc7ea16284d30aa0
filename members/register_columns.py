"""The columns of the register, in one table: the titles the import accepts for each, the cleaner that turns typed
text into the value the record stores, who may change it, and how the record page shows it.

The register import (`members/importing/`), the record page (`templates/members/_record.html`), correction
requests (what a member may ask to correct, `CorrectionRequest.field`; how staff's accepted value is cleaned),
staff changes (`services.update_member`, the admin) and the member's data export all iterate over `COLUMNS`.
A new column of the register is a field on `Member` (and its migration) and a row here.

A cleaner (members/register_cleaners.py) takes text (a cell of the file, a correction asked for) and returns the value
as the record stores it, or KEEP (an empty cell that leaves the record as it is: a new record takes the default); it
raises ValidationError with a message for people, in the active language, naming what was typed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.text import capfirst

from members import register_cleaners as cleaners
from members.models.accounts import Member
from members.validators import normalise_member_national_id, normalise_saudi_mobile

KEEP = cleaners.KEEP


class Editor(StrEnum):
    """Who changes a column once the record exists."""

    STAFF = "staff"  # staff (members.services.update_member, the admin) and the register import
    MEMBER = "member"  # the member, on the preferences page; the import may give the first value
    BOARD = "board"  # a decision of the board (members/register.py): the withdrawal and its refund
    PORTAL = "portal"  # the portal itself (the date consent last changed)


class Show(StrEnum):
    """How the record page shows a column (the data export lists every column)."""

    TEXT = "text"  # the value (a choice's label), or a dash when there is none
    MASKED = "masked"  # staff pages mask it until a deliberate "show", written to the access log
    DATE = "date"  # in both calendars
    BADGE = "badge"  # the membership status, coloured
    ELSEWHERE = "elsewhere"  # not in the list: the withdrawal lines and the preferences card show it


@dataclass(frozen=True)
class Column:
    name: str  # the Member field
    editor: Editor
    aliases: tuple[str, ...] = ()  # column titles the import accepts besides the name; none: not imported
    clean: Callable[[str], object] | None = None
    required: bool = False  # a register file without this column is refused
    correctable: bool = False  # a member may ask staff to correct it (Editor.STAFF columns only)
    show: Show = Show.TEXT
    ltr: bool = False  # Latin text (digits, an address, a date) shown left to right inside Arabic
    lang: str = ""  # the language the value is written in, when it is fixed (the two names)
    omit_empty: bool = False  # the record page leaves the line out when there is no value

    @property
    def label(self) -> str:
        return Member._meta.get_field(self.name).verbose_name

    @property
    def imported(self) -> bool:
        return bool(self.aliases)


# --- The table -----------------------------------------------------------------------------------------
# In the order of the record page; the import page, the correction form and the data export list them in it too.

COLUMNS: tuple[Column, ...] = (
    Column(
        "membership_no",
        Editor.STAFF,
        ("membership number", "membership no", "رقم العضوية"),
        cleaners.membership_no,
        required=True,
        ltr=True,
    ),
    Column("status", Editor.STAFF, ("الحالة",), cleaners.status, show=Show.BADGE),
    Column(
        "full_name_ar",
        Editor.STAFF,
        ("name", "arabic name", "الاسم", "الاسم الكامل", "الاسم بالعربية"),
        cleaners.full_name_ar,
        required=True,
        correctable=True,
        lang="ar",
    ),
    Column(
        "full_name_en",
        Editor.STAFF,
        ("english name", "name_en", "الاسم بالإنجليزية", "الاسم بالانجليزية"),
        cleaners.words("full_name_en"),
        correctable=True,
        lang="en",
        omit_empty=True,
    ),
    Column(
        "national_id",
        Editor.STAFF,
        ("national id", "id number", "رقم الهوية", "رقم الهوية الوطنية", "السجل المدني"),
        normalise_member_national_id,
        required=True,
        correctable=True,
        show=Show.MASKED,
        ltr=True,
    ),
    Column(
        "mobile",
        Editor.STAFF,
        ("phone", "mobile number", "الجوال", "رقم الجوال"),
        normalise_saudi_mobile,
        required=True,
        correctable=True,
        show=Show.MASKED,
        ltr=True,
    ),
    Column(
        "email", Editor.STAFF, ("e-mail", "البريد الإلكتروني", "البريد"), cleaners.email, correctable=True, ltr=True
    ),
    Column("governorate", Editor.STAFF, ("المحافظة",), cleaners.governorate, required=True, correctable=True),
    Column(
        "village",
        Editor.STAFF,
        ("centre", "village or centre", "القرية", "المركز", "القرية أو المركز"),
        cleaners.words("village"),
        correctable=True,
    ),
    Column(
        "coffee_trees",
        Editor.STAFF,
        ("coffee trees", "عدد أشجار البن", "أشجار البن"),
        cleaners.whole_number("coffee_trees"),
        correctable=True,
    ),
    Column(
        "farm_area_dunum",
        Editor.STAFF,
        ("farm area", "مساحة المزرعة", "مساحة المزرعة (دونم)"),
        cleaners.farm_area,
        correctable=True,
        ltr=True,
    ),
    Column(
        "shares",
        Editor.STAFF,
        ("number of shares", "عدد الأسهم", "الأسهم"),
        cleaners.whole_number("shares"),
        correctable=True,
    ),
    Column("joined_on", Editor.STAFF, ("joining date", "تاريخ الانضمام"), cleaners.joined_on, show=Show.DATE, ltr=True),
    Column("withdrawn_on", Editor.BOARD, show=Show.ELSEWHERE),
    Column("refund_due", Editor.BOARD, show=Show.ELSEWHERE),
    Column("language", Editor.MEMBER, ("اللغة",), cleaners.language, show=Show.ELSEWHERE),
    Column(
        "sms_consent",
        Editor.MEMBER,
        ("الموافقة على الرسائل النصية",),
        cleaners.yes_or_no("sms_consent"),
        show=Show.ELSEWHERE,
    ),
    Column(
        "email_consent",
        Editor.MEMBER,
        ("الموافقة على البريد الإلكتروني",),
        cleaners.yes_or_no("email_consent"),
        show=Show.ELSEWHERE,
    ),
    # Never imported: a WhatsApp opt-in is given on the member's own page, with the words they saw (ConsentRecord).
    Column("whatsapp_consent", Editor.MEMBER, show=Show.ELSEWHERE),
    Column("consent_updated_at", Editor.PORTAL, show=Show.ELSEWHERE, ltr=True),
    Column("surveys_opt_out", Editor.MEMBER, show=Show.ELSEWHERE),
)
BY_NAME = {column.name: column for column in COLUMNS}
IMPORTED = tuple(column for column in COLUMNS if column.imported)
REQUIRED = tuple(column.name for column in IMPORTED if column.required)
EDITABLE_BY_STAFF = tuple(column.name for column in COLUMNS if column.editor == Editor.STAFF)
CORRECTABLE = tuple(column.name for column in COLUMNS if column.correctable)


def correction_choices() -> list[tuple[str, str]]:
    """What a member may ask to correct (`CorrectionRequest.field`'s choices: a callable, so no migration)."""
    return [(name, BY_NAME[name].label) for name in CORRECTABLE]


def clean(name: str, text: str):
    """The value column `name` stores for `text` (stripped); ValidationError with a message for people."""
    return BY_NAME[name].clean(str(text).strip())


@dataclass(frozen=True)
class RecordLine:
    column: Column
    label: str
    value: object  # as stored
    display: str  # as shown: a choice's label, or the value as text
    masked: str = ""  # for a Show.MASKED column, what staff pages show until "show" (Member.<name>_masked)

    @property
    def name(self) -> str:
        return self.column.name


def record_lines(member: Member) -> list[RecordLine]:
    """The record page's lines for one member, in the table's order (the page decides about masking)."""
    lines = []
    for column in COLUMNS:
        if column.show == Show.ELSEWHERE:
            continue
        value = getattr(member, column.name)
        if column.omit_empty and not value:
            continue
        masked = getattr(member, f"{column.name}_masked") if column.show == Show.MASKED else ""
        lines.append(
            RecordLine(
                column=column,
                label=capfirst(column.label),
                value=value,
                display=display(member, column.name),
                masked=masked,
            )
        )
    return lines


def display(member: Member, name: str) -> str:
    """Column `name` of a record as people read it: a choice's label, or the value as text ("" for none)."""
    display_method = getattr(member, f"get_{name}_display", None)
    if display_method is not None:
        return str(display_method())
    value = getattr(member, name)
    return "" if value is None else str(value)
