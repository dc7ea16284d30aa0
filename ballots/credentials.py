"""Voting credentials and receipt codes: the arithmetic, kept apart from the rules so the verifier can copy it.

A credential is `<random>.<tag>`: 128 random bits (secrets.token_urlsafe) and a tag, an HMAC of the slot's id and
the random part under a key derived from SECRET_KEY. The tag lets the portal check that a credential was made for the
slot the voter is using (a member cannot cast with a code they made up, nor a holder whose proxy ended with the
principal's code through their own slot) without storing anything about it: the credential is shown to the voter
once and kept nowhere. The ballot is stored under its SHA-256; even with the key, going from a ballot back to a slot
needs the random part, which only the voter has.

The receipt code is derived from the ballot: the first 10 base32 characters of the SHA-256 of the question's id, the
options chosen and a random nonce stored with the ballot. scripts/verify_ballot_record.py recomputes it.
"""

import base64
import hashlib
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

TAG_SALT = "ballots.credential"
RECEIPT_LENGTH = 10


def _tag(slot_id: int, random_part: str) -> str:
    return salted_hmac(TAG_SALT, f"{slot_id}:{random_part}", algorithm="sha256").hexdigest()[:20]


def issue(slot_id: int) -> str:
    """A new credential for this slot. The caller shows it to the voter and keeps it nowhere."""
    random_part = secrets.token_urlsafe(16)
    return f"{random_part}.{_tag(slot_id, random_part)}"


def belongs(credential: str, slot_id: int) -> bool:
    """Was this credential made for this slot?"""
    random_part, _dot, tag = credential.strip().partition(".")
    return bool(random_part and tag) and constant_time_compare(tag, _tag(slot_id, random_part))


def digest(credential: str) -> str:
    """The key a ballot is stored under."""
    return hashlib.sha256(credential.strip().encode()).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def receipt(question_id: int, options: list[int], nonce: str) -> str:
    """The receipt code of a ballot: what the voter finds in the published list."""
    text = f"{question_id}|{','.join(str(option) for option in sorted(options))}|{nonce}"
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()[:RECEIPT_LENGTH]
