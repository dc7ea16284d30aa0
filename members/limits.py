"""Limits on getting in (passwords, codes, activation), made so that an attacker cannot lock a member out.

Every limit is keyed on what the person typed, normalised (`identifier`: 0500…, 500…, 966500… and +966500… are
one mobile; e-mail is case-insensitive), never on an empty key. The rules:

- Wrong passwords for one identifier: the first FREE_FAILURES are free, then each failure locks that identifier
  for a growing delay (1, 2, 4 … minutes, at most MAX_DELAY). An attacker guessing one member's password is slowed
  to a crawl, while everyone else signs in; the member keeps two ways in: a sign-in code to the registered mobile,
  and their e-mail as the other sign-in name.
- Per client address only a high ceiling (ADDRESS_CEILING an hour): a carrier NAT or the cooperative's Wi-Fi puts
  hundreds of members behind one address.
- Codes: a few per identifier per day (CODES_PER_DAY), so guesses per identifier per day are bounded by
  CODES_PER_DAY x the tries each code allows; text messages per number per day are capped where they are sent
  (SMS_PER_NUMBER_PER_DAY, members/code_delivery.py).

Refusals raise `Refused`, which carries when the person may try again and says so in Arabic. Counters live in the
shared cache (Redis in production); if the cache cannot be reached the limit lets the request through (each code
still dies after its own few wrong tries, counted in the database or the session).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.validators import normalise_saudi_mobile, western_digits

logger = logging.getLogger(__name__)

FREE_FAILURES = 5
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
FAILURE_MEMORY = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """`amount` hits per `window` for one key (an identifier, an address, a number)."""

    name: str
    amount: int
    window: timedelta


DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
# Per client address: a ceiling high enough for a whole village behind one carrier address.
ADDRESS_CEILING = Limit("address", 200, HOUR)
# Code requests per identifier (a mobile, an e-mail, a membership number with an ID number).
CODES_PER_HOUR = Limit("codes-hour", 3, HOUR)
CODES_PER_DAY = Limit("codes-day", 6, DAY)
# Text messages carrying a code, per receiving number, whatever asked for them.
SMS_PER_NUMBER_PER_DAY = Limit("sms-number", 10, DAY)


class Refused(Exception):
    """Over a limit; `retry_at` says when the person may try again."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at

    @property
    def message(self) -> str:
        local = timezone.localtime(self.retry_at)
        if local.date() == timezone.localdate():
            when = date_format(local, "TIME_FORMAT")
            return _("Too many attempts. Please try again after %(time)s.") % {"time": when}
        return _("Too many attempts. Please try again on %(date)s after %(time)s.") % {
            "date": date_format(local, "DATE_FORMAT"),
            "time": date_format(local, "TIME_FORMAT"),
        }

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.message, code="too_many_attempts")


def identifier(raw: str) -> str:
    """What the person typed, in one canonical form: a Saudi mobile as E.164, anything else trimmed and lower-case.

    Raises ValueError for an empty value: a limit is never keyed on nothing.
    """
    text = western_digits(str(raw or "")).strip()
    if not text:
        raise ValueError("a limit needs an identifier")
    if "@" not in text:
        try:
            return normalise_saudi_mobile(text)
        except ValidationError:
            pass
    return text.casefold()


def _key(*parts: str) -> str:
    return "members:limit:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def hit(limit: Limit, key: str) -> None:
    """Count one hit against `limit` for `key`; raise Refused once the window holds more than `amount` hits."""
    if not key:
        raise ValueError("a limit needs a key")
    count_key, until_key = _key(limit.name, key), _key(limit.name, key, "until")
    now = timezone.now()
    try:
        if cache.add(count_key, 0, int(limit.window.total_seconds())):
            cache.set(until_key, now + limit.window, int(limit.window.total_seconds()))
        count = cache.incr(count_key)
    except Exception:  # cache down, or the key expired between add and incr
        logger.warning("limit %s not counted: cache unavailable", limit.name)
        return
    if count > limit.amount:
        raise Refused(cache.get(until_key) or now + limit.window)


def check(limit: Limit, key: str) -> None:
    """Raise Refused if `key` has already used up `limit`, without counting a hit."""
    try:
        count = cache.get(_key(limit.name, key)) or 0
        until = cache.get(_key(limit.name, key, "until"))
    except Exception:
        return
    if count >= limit.amount:
        raise Refused(until or timezone.now() + limit.window)


def hit_all(limits: list[tuple[Limit, str]]) -> None:
    """Count every limit, then refuse with the latest time among those passed (counting all, so that a refusal
    on one does not leave the others unspent)."""
    refused: list[Refused] = []
    for limit, key in limits:
        try:
            hit(limit, key)
        except Refused as error:
            refused.append(error)
    if refused:
        raise max(refused, key=lambda error: error.retry_at)


# --- Wrong passwords: growing delays per identifier --------------------------------------------------------


def check_not_locked(ident: str) -> None:
    """Raise Refused while `ident` is in a delay after repeated wrong passwords."""
    try:
        until = cache.get(_key("locked", ident))
    except Exception:
        return
    if until and until > timezone.now():
        raise Refused(until)


def delay_after(failures: int) -> timedelta:
    """No delay for the first FREE_FAILURES; then 1, 2, 4 … minutes, at most MAX_DELAY."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY)


def record_failure(ident: str) -> None:
    """One wrong password for `ident`: remembered for a day; past the free ones, the identifier waits."""
    memory = int(FAILURE_MEMORY.total_seconds())
    try:
        cache.add(_key("failures", ident), 0, memory)
        failures = cache.incr(_key("failures", ident))
    except Exception:
        logger.warning("wrong password not counted: cache unavailable")
        return
    delay = delay_after(failures)
    if delay:
        cache.set(_key("locked", ident), timezone.now() + delay, int(delay.total_seconds()))


def clear_failures(ident: str) -> None:
    """After a right password (or a new one): the identifier starts afresh."""
    try:
        cache.delete_many([_key("failures", ident), _key("locked", ident)])
    except Exception:
        logger.warning("wrong-password count not cleared: cache unavailable")
