"""Getting into the portal: activation of a member from the register, and registration of an applicant.

Activation (also the way back in after a forgotten password): membership number + national ID → a one-time
code to the mobile and e-mail **on record** (never to a number typed in the form) → a new password.
Registration: national ID + a mobile the applicant proves with a code → an applicant account.

Answers never tell whether a membership number or ID exists, neither in words nor in time: `start_activation`
returns a token either way and hands the same background task the token after commit; the task (in the worker,
after the response) draws the code, stores its keyed hash and sends it, or finds no row and sends nothing. The
code itself is never stored, logged or carried in a task message. A wrong code, an expired code and a token with
no code behind it all fail the same way.

Limits (members.limits): per identifier typed (the membership number *with* the ID number, or the mobile), a few
codes an hour and a day; per client address only a high ceiling; per code MAX_ATTEMPTS wrong tries (in the
database). A stranger trying a member's (sequential) membership number with made-up ID numbers spends their own
limits, never the member's.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members import channels, limits, services
from members.models import Member, OneTimeCode, User
from members.roles import Role
from members.validators import normalise_member_national_id, normalise_saudi_mobile, western_digits
from members_portal import enqueue

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5  # wrong codes before a code dies
RESEND_AFTER = timedelta(seconds=60)
PASSWORD_WINDOW = timedelta(minutes=20)  # time from a proven code to choosing the password

TooManyAttempts = limits.Refused


def _check_limits(*, client: str, subject: str) -> None:
    """Count one code request for the identifier typed and for the client address; raise Refused past either."""
    limits.hit_all(
        [
            (limits.CODES_PER_HOUR, subject),
            (limits.CODES_PER_DAY, subject),
            (limits.ADDRESS_CEILING, f"codes:{client}"),
        ]
    )


def _hash(token: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _send_code(*, phone: str, email: str, code: str, language: str) -> None:
    """The code by SMS (and e-mail when there is an address), in the worker. A failing channel is logged: the
    person sees the same page either way and can ask for the code again."""
    try:
        limits.hit(limits.SMS_PER_NUMBER_PER_DAY, limits.identifier(phone))
    except limits.Refused:
        logger.warning("Daily cap of code messages reached for a number; code not sent")
        return
    with translation.override(language):
        text = _("Najran Coffee Cooperative: your activation code is %(code)s. It expires in %(minutes)s minutes.") % {
            "code": code,
            "minutes": int(CODE_TTL.total_seconds() // 60),
        }
        subject = _("Your activation code for the members portal")
    try:
        channels.send_code_sms(phone, text)
    except channels.SmsError:
        logger.exception("Could not send an activation code by SMS")
    if email:
        try:
            channels.send_email(email, subject, text)
        except channels.EmailError:
            logger.exception("Could not send an activation code by e-mail")


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- Activation --------------------------------------------------------------------------------------


@transaction.atomic
def start_activation(*, membership_no: str, national_id: str, client: str) -> str:
    """Send an activation code to the mobile (and e-mail) on the record matching both numbers, if there is one.

    Returns a token for the next step in every case. Raises TooManyAttempts (for anyone) past the limits, and
    ValidationError only for an ID whose format is wrong (that says nothing about the register).
    """
    national_id = normalise_member_national_id(national_id)
    membership_no = western_digits(membership_no).strip().upper()
    _check_limits(client=client, subject=activation_subject(membership_no, national_id))
    token = new_token()
    member = (
        Member.objects.filter(membership_no=membership_no, national_id=national_id)
        .exclude(status=Member.Status.APPLICANT)
        .first()
    )
    if member is not None:
        OneTimeCode.objects.create(
            purpose=OneTimeCode.Purpose.ACTIVATION,
            token=token,
            member=member,
            phone=member.mobile,
            expires_at=timezone.now() + CODE_TTL,
        )
    _issue_after_commit(token)
    return token


def activation_subject(membership_no: str, national_id: str) -> str:
    """The identifier an activation is limited on: both numbers as typed (normalised), never the membership
    number alone, which anyone can guess for any member."""
    return f"activation:{membership_no}:{national_id}"


def _issue_after_commit(token: str) -> None:
    """The same step for every attempt, known or not: the worker draws and sends the code after the response."""
    from members import tasks

    enqueue.after_commit(tasks.send_access_code, token)


def issue_code(token: str) -> bool:
    """Draw a fresh code for the attempt `token`, store its hash and send it to the mobile (and e-mail) on the
    row. Idempotent: only the call that finds the row waiting for a code sends one. False when there is no row
    (an unknown membership number or ID: nothing is sent) or the code was already issued."""
    code = _new_code()
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update(of=("self",))
            .select_related("member")
            .filter(token=token, code_hash="", used_at=None)
            .first()
        )
        if row is None:
            return False
        row.code_hash = _hash(token, code)
        row.save(update_fields=["code_hash"])
    member = row.member
    language = (member.language if member else row.language) or "ar"
    _send_code(phone=str(row.phone), email=member.email if member else "", code=code, language=language)
    return True


@transaction.atomic
def resend_code(*, token: str, subject: str, client: str) -> None:
    """A fresh code for the same attempt (not within RESEND_AFTER of the last one). Silent when the token has no
    live code, so a resend says nothing either. Counts against the same limits as a first request, on the
    identifier the attempt started with (`subject`)."""
    _check_limits(client=client, subject=subject)
    row = OneTimeCode.objects.select_for_update().filter(token=token).first()
    if row is not None and row.used_at is None and row.created_at <= timezone.now() - RESEND_AFTER:
        row.code_hash = ""
        row.created_at = timezone.now()
        row.expires_at = timezone.now() + CODE_TTL
        row.attempts = 0
        row.save(update_fields=["code_hash", "created_at", "expires_at", "attempts"])
    _issue_after_commit(token)


@transaction.atomic
def verify_code(*, token: str, code: str, purpose: str) -> OneTimeCode | None:
    """The code row if `code` is right for `token`, live and not yet used (it is used up now); else None.

    A wrong code counts against the row; after MAX_ATTEMPTS wrong codes even the right one fails.
    """
    code = "".join(ch for ch in western_digits(code) if ch.isdigit())
    row = OneTimeCode.objects.select_for_update().filter(token=token, purpose=purpose).first()
    if row is None or not row.is_live or row.attempts >= MAX_ATTEMPTS:
        return None
    if not hmac.compare_digest(row.code_hash, _hash(token, code)):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row


def _check_proven(code: OneTimeCode, purpose: str) -> None:
    if code.purpose != purpose or code.used_at is None or code.used_at < timezone.now() - PASSWORD_WINDOW:
        raise ValidationError(_("This step has expired. Please start again."), code="expired")


def _new_username() -> str:
    return f"u-{secrets.token_hex(6)}"


def _set_password(user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)


@transaction.atomic
def complete_activation(*, code: OneTimeCode, password: str) -> User:
    """After a proven code: create (or reuse) the member's account with the register's mobile and e-mail and
    the chosen password, holding the member role. Also how a member resets a forgotten password.

    Raises ValidationError for a weak password, an expired step, or a mobile another account already uses.
    """
    _check_proven(code, OneTimeCode.Purpose.ACTIVATION)
    assert code.member_id is not None, "an activation code is always issued for a record of the register"
    member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=code.member_id)
    user = member.user
    if user is None:
        if User.objects.filter(phone=member.mobile).exists():
            raise ValidationError(
                _("Your mobile number is already used by another account. Please contact the cooperative."),
                code="phone_taken",
            )
        user = User(username=_new_username())
    user.first_name = member.full_name_ar[:150]
    user.last_name = ""
    user.phone = member.mobile
    user.phone_verified = True
    email_taken = member.email and User.objects.filter(email__iexact=member.email).exclude(pk=user.pk).exists()
    user.email = "" if email_taken else member.email
    user.is_active = True
    _set_password(user, password)
    user.save()
    if member.user_id is None:
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    user.groups.add(*Group.objects.filter(name=Role.MEMBER))
    return user


# --- A new password by a code to the mobile ------------------------------------------------------------


def password_reset_subject(phone: str) -> str:
    return f"password:{phone}"


@transaction.atomic
def start_password_reset(*, mobile: str, client: str) -> str:
    """ "Forgot your password?" for anyone with a mobile on their account: a code to that mobile, then a new
    password. Returns a token in every case and takes the same path for an unknown mobile (nothing is sent).

    Raises ValidationError only for a malformed mobile, Refused past the limits.
    """
    phone = normalise_saudi_mobile(mobile)
    _check_limits(client=client, subject=password_reset_subject(phone))
    token = new_token()
    user = User.objects.filter(phone=phone, is_active=True).select_related("member").first()
    if user is not None:
        member = getattr(user, "member", None)
        OneTimeCode.objects.create(
            purpose=OneTimeCode.Purpose.PASSWORD_RESET,
            token=token,
            user=user,
            member=member,
            phone=phone,
            language=member.language if member else translation.get_language()[:2],
            expires_at=timezone.now() + CODE_TTL,
        )
    _issue_after_commit(token)
    return token


@transaction.atomic
def complete_password_reset(*, code: OneTimeCode, password: str) -> User:
    """After a proven code: the account's new password; its wrong-password delays start afresh.

    Raises ValidationError for a weak password or an expired step.
    """
    _check_proven(code, OneTimeCode.Purpose.PASSWORD_RESET)
    assert code.user_id is not None, "a new password's code is always issued for an account"
    user = User.objects.select_for_update().get(pk=code.user_id)
    _set_password(user, password)
    user.save(update_fields=["password"])
    for sign_in_name in (str(user.phone or ""), user.email):
        if sign_in_name:
            limits.clear_failures(limits.identifier(sign_in_name))
    return user


# --- Applicant registration --------------------------------------------------------------------------


@transaction.atomic
def start_registration(*, national_id: str, mobile: str, client: str) -> str:
    """Send a code to the mobile the applicant typed, to prove they hold it. Returns the attempt's token.

    Raises ValidationError for a malformed ID or mobile, TooManyAttempts past the limits. Whether the ID or
    mobile is already known is only checked once the code is proven (`complete_registration`).
    """
    normalise_member_national_id(national_id)
    phone = normalise_saudi_mobile(mobile)
    _check_limits(client=client, subject=registration_subject(phone))
    token = new_token()
    OneTimeCode.objects.create(
        purpose=OneTimeCode.Purpose.REGISTRATION,
        token=token,
        phone=phone,
        language=translation.get_language()[:2],
        expires_at=timezone.now() + CODE_TTL,
    )
    _issue_after_commit(token)
    return token


def registration_subject(phone: str) -> str:
    return f"phone:{phone}"


@transaction.atomic
def complete_registration(
    *,
    code: OneTimeCode,
    national_id: str,
    full_name_ar: str,
    governorate: str,
    village: str,
    email: str,
    language: str,
    password: str,
) -> User:
    """After the mobile is proven: an applicant account and an applicant record (no membership number yet).

    The applicant may then apply for membership; `services.admit_applicant` makes them a member later.
    Refuses (one message for all cases) an ID, mobile or e-mail the portal already knows.
    """
    _check_proven(code, OneTimeCode.Purpose.REGISTRATION)
    national_id = normalise_member_national_id(national_id)
    known = (
        Member.objects.filter(national_id=national_id).exists()
        or Member.objects.filter(mobile=code.phone).exists()
        or User.objects.filter(phone=code.phone).exists()
        or (email and User.objects.filter(email__iexact=email).exists())
    )
    if known:
        raise ValidationError(
            _(
                "We cannot register you with these details. If you are already a member, activate your account; "
                "otherwise please contact the cooperative."
            ),
            code="already_known",
        )
    user = User(
        username=_new_username(), first_name=full_name_ar[:150], email=email, phone=code.phone, phone_verified=True
    )
    _set_password(user, password)
    user.save()
    user.groups.add(*Group.objects.filter(name=Role.APPLICANT))
    services.create_member(
        by=None,
        user=user,
        membership_no="",
        national_id=national_id,
        full_name_ar=full_name_ar,
        mobile=code.phone,
        email=email,
        governorate=governorate,
        village=village,
        status=Member.Status.APPLICANT,
        language=language,
        sms_consent=True,
        email_consent=bool(email),
        consent_updated_at=timezone.now(),
    )
    return user
