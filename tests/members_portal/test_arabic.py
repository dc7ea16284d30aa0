import pytest

from members_portal.arabic import normalise, to_western_digits


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("مُحَمَّد", "محمد"),
        ("عـــلي", "علي"),
        ("مصطفى", "مصطفي"),
        ("فاطمة", "فاطمه"),
        ("  سعيد   آل  مريح ", "سعيد ال مريح"),
    ],
)
def test_spellings_of_the_same_name_normalise_alike(typed, stored):
    assert normalise(typed) == normalise(stored)


def test_bidi_controls_are_dropped():
    assert normalise("\u202eعلي\u202c") == "علي"


def test_latin_text_is_case_folded():
    assert normalise("Ahmed AL-Yami") == "ahmed al-yami"


def test_arabic_indic_digits_become_western():
    assert to_western_digits("٠٥٠١٢٣٤٥٦٧ ۱۲") == "0501234567 12"
    assert normalise("١٢٣") == "123"
