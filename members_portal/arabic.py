"""Arabic text normalisation for search: the same name matches however it was typed."""

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
    }
)
_SPACES = re.compile(r"\s+")
# Bidi controls and other invisible format characters (category Cf): never part of a name.
_FORMAT_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalise(text: str) -> str:
    """Fold diacritics, tatweel, the forms of alef, ya/alef maqsura, ta marbuta/ha, hamza seats, and case."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _FORMAT_CHARS.sub("", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTERS).casefold()
    return _SPACES.sub(" ", text).strip()


def to_western_digits(text: str) -> str:
    """Arabic-Indic digits (١٢٣ and ۱۲۳) to 0-9, leaving everything else as it is."""
    return (text or "").translate(
        {**{0x0660 + d: str(d) for d in range(10)}, **{0x06F0 + d: str(d) for d in range(10)}}
    )
