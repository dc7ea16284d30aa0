"""Masking personal data in free text (survey comments, anonymous suggestions) before it is stored.

Mobile numbers, national ID / iqama numbers (and any other long run of digits: IBANs, account numbers)
and e-mail addresses are replaced by a mask, in Western or Arabic-Indic digits, with or without
separators. Stored masked, so no page, export or database copy can show them.
"""

import re
import unicodedata

NUMBER_MASK = "[•••]"
EMAIL_MASK = "[•••@•••]"

_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
# Seven or more digits, allowing one space, dash, dot or slash between them, and a leading + or 00.
_LONG_NUMBER = re.compile(rf"(?:\+|\b00)?{_DIGIT}(?:[\s\-./]?{_DIGIT}){{6,}}")
_EMAIL = re.compile(r"[\w.+\-]+\s*(?:@|＠|\[at\]|\(at\))\s*[\w\-]+(?:\s*(?:\.|\[dot\])\s*[\w\-]+)+", re.IGNORECASE)
# Saudi IBAN: SA and 22 digits, often written in groups of four.
_IBAN = re.compile(r"\bSA\s?\d{2}(?:\s?[0-9A-Z]{4}){5}\b", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Drop control and invisible direction characters (keeping line breaks and tabs); trim the ends."""
    kept = [char for char in (text or "") if char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cf"}]
    return "".join(kept).replace("\r", "").strip()


def mask_personal_data(text: str) -> str:
    """The text with e-mail addresses, IBANs and every long number masked."""
    text = clean_text(text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _IBAN.sub(NUMBER_MASK, text)
    return _LONG_NUMBER.sub(NUMBER_MASK, text)
