"""Writing a checked register file: new members created, existing ones updated (only the columns in the file), in
one transaction, all or nothing, re-checked first against the register as it is then."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import services
from members.importing import checking
from members.importing.report import ImportReport, RowResult
from members.models import AccessLog, Member, User

BATCH = 1000
NEW_DEFAULTS = {"full_name_en": "", "email": "", "village": "", "status": Member.Status.ACTIVE, "sms_consent": True}


@transaction.atomic
def commit(report: ImportReport, *, by: User | None) -> tuple[int, int]:
    """Write a problem-free report: new members created, existing ones updated (only the file's columns).

    All or nothing. Under the share-cap lock the report is re-checked against the database as it is now;
    if anything changed in between that breaks a rule, ValidationError is raised and nothing is written.
    Linked accounts follow their record's mobile and e-mail; each written record gets an access-log line.
    Returns (created, updated).
    """
    services._advisory_lock(services.SHARE_CAP_LOCK)
    fresh = ImportReport(
        columns=report.columns, rows=[RowResult(line=r.line, values=dict(r.values)) for r in report.rows]
    )
    checking.check_against_register(fresh, checking.Register.load())
    if not report.ok or not fresh.ok:
        raise ValidationError(_("The file has problems; nothing was imported. Check it again and correct them."))
    now = timezone.now()
    columns = set(report.columns)
    existing = {
        member.membership_no: member
        for member in Member.objects.filter(
            membership_no__in=[row.values["membership_no"] for row in fresh.rows]
        ).select_related("user")
    }
    new_members, changed_members = [], []
    for row in fresh.rows:
        values = row.values
        member = existing.get(values["membership_no"])
        if member is None:
            member = Member(**{**NEW_DEFAULTS, **values})
            if "sms_consent" in values or "email_consent" in values:
                member.consent_updated_at = now
            new_members.append(member)
        else:
            if ("sms_consent" in values and values["sms_consent"] != member.sms_consent) or (
                "email_consent" in values and values["email_consent"] != member.email_consent
            ):
                member.consent_updated_at = now
            for key, value in values.items():
                setattr(member, key, value)
            changed_members.append(member)
        member.name_search = services.name_search_for(member.full_name_ar, member.full_name_en)
        member.updated_at = now
    Member.objects.bulk_create(new_members, batch_size=BATCH)
    update_fields = sorted((columns - {"membership_no"}) | {"name_search", "updated_at", "consent_updated_at"})
    Member.objects.bulk_update(changed_members, update_fields, batch_size=BATCH)
    _sync_accounts(changed_members, columns)
    if by is not None:
        AccessLog.objects.bulk_create(
            [
                AccessLog(viewer=by, member=m, action=AccessLog.Action.IMPORTED)
                for m in [*new_members, *changed_members]
            ],
            batch_size=BATCH,
        )
    return len(new_members), len(changed_members)


def _sync_accounts(members: list[Member], columns: set[str]) -> None:
    """Accounts sign in with the record's mobile and e-mail: copy changed ones over (clashes were refused)."""
    if not {"mobile", "email"} & columns:
        return
    users = []
    for member in members:
        user = member.user
        if user is None:
            continue
        mobile = str(member.mobile)
        if str(user.phone) != mobile or ("email" in columns and user.email != member.email):
            user.phone = mobile
            user.phone_verified = True
            if "email" in columns and not User.objects.filter(email__iexact=member.email).exclude(pk=user.pk).exists():
                user.email = member.email
            users.append(user)
    User.objects.bulk_update(users, ["phone", "phone_verified", "email"], batch_size=BATCH)


def import_file(data: bytes, filename: str, *, by: User | None) -> tuple[ImportReport, int, int]:
    """Check and, when there is no problem, commit (the management command). Returns (report, created, updated)."""
    report = checking.check_file(data, filename)
    if not report.ok:
        return report, 0, 0
    created, updated = commit(report, by=by)
    return report, created, updated
