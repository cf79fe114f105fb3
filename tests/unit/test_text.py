"""Visitor text: any Unicode kept as typed, control characters gone, the limit exact, a 5 MB paste cheap."""

import time
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.text import limit_text, strip_controls


def test_accents_emoji_and_right_to_left_text_are_kept_as_typed():
    for text in ("Café crème, één oogje", "👩‍👧 🇧🇪 ❤️", "مرحبا بكم", "שלום", "a\u200fb", "e\u0301", "Привіт"):
        assert strip_controls(text) == text


def test_control_characters_go_and_line_breaks_become_newlines():
    assert strip_controls("a\x00b\x1b[31mc\x7fd\x9be") == "ab[31mcde"
    assert strip_controls("one\r\ntwo\rthree\u2028four\x0bfive\nsix") == "one\ntwo\nthree\nfour\nfive\nsix"
    assert strip_controls("a\tb") == "a b"
    assert strip_controls("lone \ud800 surrogate") == "lone  surrogate"


def test_the_limit_counts_characters_after_cleaning():
    assert limit_text("\x00" * 10 + "abc", 3) == ("abc", False)
    assert limit_text("abcd", 3) == ("abc", True)
    assert limit_text("abc", 3) == ("abc", False)
    assert limit_text("abc", 0) == ("abc", False)


def test_a_crlf_on_a_piece_boundary_stays_one_newline():
    text = "x" * 4095 + "\r\n" + "y" * 10
    assert limit_text(text, 1000)[0] == "x" * 1000
    assert limit_text(text, 5000)[0] == "x" * 4095 + "\n" + "y" * 10


def test_a_5_mb_paste_is_cut_without_reading_all_of_it():
    paste = "Hallo 😀 " * 625_000
    started = time.perf_counter()
    kept, cut = limit_text(paste, 300)
    limited = time.perf_counter() - started
    assert (len(kept), cut) == (300, True)
    started = time.perf_counter()
    strip_controls(paste)
    assert limited < (time.perf_counter() - started) / 10
    kept, cut = limit_text("\x01" * 5_000_000, 300)  # the worst case: everything must be read
    assert (kept, cut) == ("", False)


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_limit_equals_clean_then_cut(text, max_length):
    cleaned = strip_controls(text)
    expected = (cleaned[:max_length], len(cleaned) > max_length) if max_length else (cleaned, False)
    assert limit_text(text, max_length) == expected
    cleaned.encode("utf-8")  # storable as JSON text
    assert not any(unicodedata.category(c) in ("Cc", "Cs") and c != "\n" for c in cleaned)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_printable_text_is_never_changed(text):
    assert strip_controls(text) == text
