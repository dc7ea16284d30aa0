"""Every change to a member record: one function per use case, each in one transaction.

Rules kept here (DOMAIN.md a.3, a.4, a.10): members are Saudi (ID starting with 1, see validators), shares are
whole, and no member holds more than 10 % of the cooperative's shares. `name_search` and the linked account's
mobile and e-mail follow the record in the same transaction.
"""

from collections.abc import Mapping, Set

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, models, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members import channel_table, code_delivery, outbox, register_columns, selectors, validators
from members.models import AccessLog, ConsentRecord, CorrectionRequest, Member, User
from members_portal.arabic import normalise

MAX_HOLDING_PERCENT = 10  # DOMAIN.md a.4: no member above 10 % of the capital
SHARE_CAP_LOCK = 7_351_001  # PostgreSQL advisory lock serialising changes to share holdings
# Fields staff change (a member asks for a correction): the register's table, members/register_columns.py.
EDITABLE_BY_STAFF = register_columns.EDITABLE_BY_STAFF


class ShareCapExceeded(ValidationError):
    """A change would leave a member holding more than MAX_HOLDING_PERCENT of all shares."""


def name_search_for(full_name_ar: str, full_name_en: str = "") -> str:
    """What the directory searches: both names, folded by members_portal.arabic.normalise."""
    return normalise(f"{full_name_ar} {full_name_en}")[:200]


def _advisory_lock(key: int) -> None:
    """Serialise a rule that spans rows (a total, a sequence) across concurrent transactions; PostgreSQL only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def check_share_cap(new_holdings: Mapping[str, int], *, exclude_pks: Set[int] = frozenset()) -> None:
    """Raise ShareCapExceeded if any holding in `new_holdings` (label → shares) is above the cap of the total.

    The total is every share held by members whose membership has not ended, with the members in `exclude_pks`
    counted at their new holdings instead of their current ones. Call inside the transaction, after
    `_advisory_lock(SHARE_CAP_LOCK)`, so two changes cannot both pass against the same old total.
    """
    for label, shares in new_holdings.items():
        if shares < 0:
            raise ValidationError(_("%(who)s: shares cannot be negative.") % {"who": label})
    others = (
        Member.objects.exclude(status__in=Member.ENDED_STATUSES)
        .exclude(pk__in=exclude_pks)
        .aggregate(total=Sum("shares"))["total"]
        or 0
    )
    total = others + sum(new_holdings.values())
    over = [label for label, shares in new_holdings.items() if shares * 100 > total * MAX_HOLDING_PERCENT]
    if over:
        raise ShareCapExceeded(
            _(
                "No member may hold more than %(percent)s%% of the cooperative's shares (%(total)s in all): "
                "%(who)s would be above it."
            )
            % {"percent": MAX_HOLDING_PERCENT, "total": total, "who": "، ".join(over[:5])}
        )


def _column_label(name: str) -> str:
    field = Member._meta.get_field(name)
    assert isinstance(field, models.Field), "a consent is a column of the register, not a relation"
    return str(field.verbose_name)


def _sync_account(member: Member) -> None:
    """The account signs in with the register's mobile and e-mail: copy them over, refusing a clash."""
    user = member.user
    if user is None:
        return
    if User.objects.filter(phone=member.mobile).exclude(pk=user.pk).exists():
        raise ValidationError({"mobile": _("This mobile number belongs to another account.")})
    user.phone = member.mobile
    user.phone_verified = True  # the register is the source of truth for a member's mobile
    email_taken = member.email and User.objects.filter(email__iexact=member.email).exclude(pk=user.pk).exists()
    user.email = "" if email_taken else member.email
    user.save(update_fields=["phone", "phone_verified", "email"])


def _tell_the_old_contact(member: Member, before: Mapping[str, object], changed: list[str]) -> None:
    """A mobile or e-mail changed on the record is announced to the one it replaced (after commit): if someone
    else had it changed, the member hears of it where they still read messages."""
    if member.user is None:
        return
    with translation.override(member.language or "ar"):
        if "mobile" in changed and before["mobile"]:
            code_delivery.send_sms_later(
                str(before["mobile"]),
                _(
                    "Najran Coffee Cooperative: the mobile number on your membership record was changed to one "
                    "ending in %(last_digits)s. If you did not ask for it, call the cooperative at once."
                )
                % {"last_digits": str(member.mobile)[-3:]},
            )
        if "email" in changed and before["email"]:
            code_delivery.send_email_later(
                EmailMessage(
                    subject=_("Najran Coffee Cooperative: the e-mail on your membership record was changed"),
                    body=_(
                        "The e-mail address on your membership record was changed. From now on messages go to the "
                        "new address. If you did not ask for it, call the cooperative at once."
                    ),
                    to=[str(before["email"])],
                )
            )


@transaction.atomic
def create_member(*, by: User | None, **fields) -> Member:
    """Add one member to the register (staff, the admin, the demo). Validates every field and the share cap."""
    member = Member(**fields)
    member.name_search = name_search_for(member.full_name_ar, member.full_name_en)
    member.full_clean()
    if member.shares and member.status not in Member.ENDED_STATUSES:
        _advisory_lock(SHARE_CAP_LOCK)
        check_share_cap({member.full_name_ar: member.shares})
    member.save()
    if by is not None:
        log_access(viewer=by, member=member, action=AccessLog.Action.CHANGED_RECORD, detail="created")
    return member


@transaction.atomic
def update_member(*, member: Member, by: User | None, changes: Mapping[str, object]) -> Member:
    """Change fields of a record as staff: validate, keep the share cap, name_search and the account in step.

    Writes an access-log line naming the changed fields. Raises ValidationError and changes nothing on bad input.
    """
    unknown = set(changes) - set(EDITABLE_BY_STAFF)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    locked = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    before = {name: getattr(locked, name) for name in changed}
    for name in changed:
        setattr(locked, name, changes[name])
    locked.name_search = name_search_for(locked.full_name_ar, locked.full_name_en)
    locked.full_clean()
    if {"shares", "status"} & set(changed) and locked.status not in Member.ENDED_STATUSES:
        _advisory_lock(SHARE_CAP_LOCK)
        check_share_cap({locked.full_name_ar: locked.shares}, exclude_pks={locked.pk})
    locked.save()
    if {"mobile", "email"} & set(changed):
        _sync_account(locked)
        _tell_the_old_contact(locked, before, changed)
    if by is not None:
        log_access(
            viewer=by,
            member=locked,
            action=AccessLog.Action.CHANGED_RECORD,
            detail=", ".join(sorted(changed)),
            changes={name: (before[name], getattr(locked, name)) for name in changed},
        )
    return locked


@transaction.atomic
def update_preferences(*, member: Member, by: User, language: str, surveys_opt_out: bool, **consents: bool) -> Member:
    """The member's own choices, changed directly: language and the channels they agree to (dated when changed).

    `consents` holds a yes or no per consent field of the channel table (`sms_consent=…`, `email_consent=…`); a
    channel left out keeps its value. Only the member may change them; each channel refuses a consent it cannot
    honour (e-mail needs an e-mail address on record).
    """
    if member.user_id != by.pk:
        raise ValidationError(_("Only the member can change their own preferences."))
    fields = channel_table.consent_fields()
    unknown = set(consents) - set(fields)
    if unknown:
        raise ValueError(f"not a consent of the channel table: {', '.join(sorted(unknown))}")
    for kind in channel_table.TABLE:
        if kind.consent_field in consents:
            kind.check_consent(member, consents[kind.consent_field])
    locked = Member.objects.select_for_update().get(pk=member.pk)
    changed = {name: given for name, given in consents.items() if getattr(locked, name) != given}
    if changed:
        locked.consent_updated_at = timezone.now()
    for kind in channel_table.TABLE:
        if kind.consent_field in changed:
            # The words the member saw on the page, in the language they read it in: what they agreed to.
            wording = kind.wording or _column_label(kind.consent_field)
            ConsentRecord.objects.create(
                member=locked,
                channel=kind.channel,
                given=changed[kind.consent_field],
                wording=str(wording),
                language=translation.get_language() or "ar",
            )
    locked.language = language
    for name, given in consents.items():
        setattr(locked, name, given)
    locked.surveys_opt_out = surveys_opt_out
    locked.full_clean()
    locked.save(update_fields=["language", *consents, "surveys_opt_out", "consent_updated_at", "updated_at"])
    return locked


@transaction.atomic
def request_correction(
    *, member: Member, by: User, field: str, requested_value: str, reason: str = ""
) -> CorrectionRequest:
    """A member asks staff to correct a locked field of their own record. Nothing on the record changes yet.

    One open request per field: a second one for the same field is refused until staff handle the first.
    """
    if member.user_id != by.pk:
        raise ValidationError(_("Only the member can ask to correct their own record."))
    if member.correction_requests.filter(field=field, status=CorrectionRequest.Status.OPEN).exists():
        raise ValidationError(_("You already asked to correct this; staff will answer that request first."))
    if field == "mobile":
        # The member hears at once that the number cannot receive a text (052…), instead of staff finding out later.
        try:
            requested_value = validators.normalise_saudi_mobile(requested_value)
        except ValidationError as error:
            raise ValidationError({"requested_value": error.messages}) from error
    correction = CorrectionRequest(
        member=member,
        field=field,
        current_value=register_columns.display(member, field)[:200],
        requested_value=requested_value.strip(),
        reason=reason.strip(),
    )
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def apply_correction(*, correction: CorrectionRequest, by: User, staff_note: str = "") -> CorrectionRequest:
    """Staff accept a correction: the record takes the requested value (all record rules apply), the request
    is closed, the member is notified. Raises ValidationError (nothing changes) if the value breaks a rule."""
    locked = CorrectionRequest.objects.select_for_update().select_related("member").get(pk=correction.pk)
    if locked.status != CorrectionRequest.Status.OPEN:
        raise ValidationError(_("This correction request was already handled."))
    if locked.member.user_id is not None and locked.member.user_id == by.pk:
        # A staff member who is also a member would otherwise approve their own shares, name or ID.
        raise ValidationError(
            _("You cannot correct your own record: another staff member decides this request."), code="own_record"
        )
    value = register_columns.clean(locked.field, locked.requested_value)
    update_member(member=locked.member, by=by, changes={locked.field: value})
    return _close_correction(locked, by=by, status=CorrectionRequest.Status.APPLIED, staff_note=staff_note)


@transaction.atomic
def decline_correction(*, correction: CorrectionRequest, by: User, staff_note: str) -> CorrectionRequest:
    """Staff decline a correction with a reason the member reads; the record is unchanged."""
    if not staff_note.strip():
        raise ValidationError({"staff_note": _("Say why the correction is declined; the member will read it.")})
    locked = CorrectionRequest.objects.select_for_update().select_related("member").get(pk=correction.pk)
    if locked.status != CorrectionRequest.Status.OPEN:
        raise ValidationError(_("This correction request was already handled."))
    return _close_correction(locked, by=by, status=CorrectionRequest.Status.DECLINED, staff_note=staff_note)


def _close_correction(correction: CorrectionRequest, *, by: User, status: str, staff_note: str) -> CorrectionRequest:
    correction.status = status
    correction.staff_note = staff_note.strip()
    correction.handled_by = by
    correction.handled_at = timezone.now()
    correction.save(update_fields=["status", "staff_note", "handled_by", "handled_at"])
    log_access(
        viewer=by,
        member=correction.member,
        action=AccessLog.Action.HANDLED_CORRECTION,
        detail=f"{correction.field}: {status}",
    )
    outbox.queue_notification(
        member=correction.member,
        event="correction_handled",
        key=f"correction:{correction.pk}:{status}",
        link="/members/me/",
        context={"field": str(correction.get_field_display()), "status": status, "note": correction.staff_note},
    )
    return correction


REVEALABLE = AccessLog.REVEALABLE


def reveal_detail(*, by: User, member: Member, field: str) -> str:
    """A staff member shows one masked detail of a record in full: written to the access log (which detail)
    before the value is returned. Raises KeyError for a detail that is not masked."""
    if field not in REVEALABLE:
        raise KeyError(field)
    log_access(viewer=by, member=member, action=AccessLog.Action.REVEALED, detail=field)
    return str(getattr(member, field))


def log_access(
    *, viewer: User, member: Member, action: str, detail: str = "", changes: Mapping[str, tuple] | None = None
) -> AccessLog:
    """Write one access-log line (who, whom, what; the time is added), with each changed field's value before and
    after (`changes`: {field: (before, after)}). Never updated or deleted afterwards."""
    values = {
        name: {"from": _as_text(before), "to": _as_text(after)} for name, (before, after) in (changes or {}).items()
    }
    return AccessLog.objects.create(viewer=viewer, member=member, action=action, detail=detail[:300], changes=values)


def _as_text(value) -> str:
    return "" if value is None else str(value)


def record_viewed(*, viewer: User, member: Member, detail: str) -> AccessLog:
    """The one way a look at a member's record is written to the access log: the staff record page, the member's
    summary on a staff request page, the admin's change page.

    On PostgreSQL the line commits with synchronous_commit off: a crash within a fraction of a second could lose it,
    a price worth paying on pages staff open all day (a commit that waits for the WAL flush costs more than the rest
    of the page). It is one statement, one round trip to the database instead of four (begin, set, insert, commit):
    set_config(..., true) lasts until the statement's own transaction ends (or the request's, inside one). The line
    is never skipped.
    """
    entry = AccessLog(viewer=viewer, member=member, action=AccessLog.Action.VIEWED_RECORD, detail=detail[:300])
    if connection.vendor != "postgresql":
        entry.save()
        return entry
    entry.at = timezone.now()
    fields = {field.name: field for field in AccessLog._meta.concrete_fields}
    columns = [fields[name] for name in ("viewer", "member", "action", "detail", "changes", "at")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH off AS (SELECT set_config('synchronous_commit', 'off', true)) "  # noqa: S608 (names from the model)
            f"INSERT INTO {connection.ops.quote_name(AccessLog._meta.db_table)} "
            f"({', '.join(connection.ops.quote_name(str(column.column)) for column in columns)}) "
            f"SELECT %s, %s, %s, %s, %s::jsonb, %s FROM off RETURNING id",
            [column.get_db_prep_save(getattr(entry, column.attname), connection) for column in columns],
        )
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    return entry


def open_record_for_staff(*, by: User, pk: int, detail: str) -> Member:
    """One member's record opened by a staff member, within their departments' members (Member.DoesNotExist
    otherwise), and the look written to the access log."""
    member = selectors.record_for_staff(by=by, pk=pk)
    record_viewed(viewer=by, member=member, detail=detail)
    return member
