"""Odd input never crashes and gives a sensible empty result."""

from __future__ import annotations

import pytest
from bella_nlp.extractor import extract
from bella_nlp.result import GOLD_FIELDS
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import MONDAY


def empty(result: object) -> bool:
    return all(getattr(result, f) is None for f in GOLD_FIELDS)


@pytest.mark.parametrize("expect", ["intent", "name", "phone", "datetime", "service", "confirm"])
@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x1b[31m\x7f", "😀😀🦷🦷", "...", "?!", "\u200b\ufeff", "🦷" * 1000],
)
def test_noise_gives_an_empty_result(text: str, expect: str) -> None:
    assert empty(extract(text, expect, MONDAY))


def test_oversize_text_gives_an_empty_result_quickly() -> None:
    text = "I want to book a cleaning tomorrow at 3, my number is 416-555-0199. " * 300
    assert len(text.encode()) > 20_000
    assert empty(extract(text, "intent", MONDAY))


def test_control_characters_inside_words_do_not_hide_the_content() -> None:
    result = extract("It's\x00 416\x07-555-0199\x1f", "phone", MONDAY)
    assert result.phone == "+14165550199"


def test_french_gives_no_invented_fields() -> None:
    result = extract("Bonjour, je ne parle pas anglais, désolé.", "name", MONDAY)
    assert result.name is None and result.phone is None


def test_unknown_expect_and_zone_fall_back_safely() -> None:
    result = extract("Tomorrow at 3.", "weather", MONDAY, "Mars/Olympus_Mons")
    assert (result.date, result.time) == ("2026-11-24", "15:00")


def test_naive_now_is_treated_as_utc() -> None:
    result = extract("Today at 3.", "datetime", MONDAY.replace(tzinfo=None), "America/Toronto")
    assert result.date == "2026-11-23"

_WORDS = st.sampled_from([
    "oh", "double", "triple", "five", "ninety", "the", "3rd", "Monday", "next", "after",
    "Christmas", "weekend", "at", "2", ":", "30", "p.m.", "sorry", "no", "A", "B", "-", ",",
    "apostrophe", "my", "name", "is", "O'Neill", "Zoë", "between", "and", "quarter", "to",
    "416", "555", "0199", "+1", "(", ")", "...", "yes", "cancel", "tomorrow", "day", "before",
])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS, max_size=30),
       expect=st.sampled_from(["intent", "name", "phone", "datetime", "service", "confirm"]))
def test_random_word_salad_never_crashes(words: list[str], expect: str) -> None:
    result = extract(" ".join(words), expect, MONDAY)
    if result.time:
        assert len(result.time) == 5 and result.time[2] == ":"
        assert 0 <= int(result.time[:2]) <= 23 and 0 <= int(result.time[3:]) <= 59
    if result.phone:
        assert result.phone.startswith("+")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_random_unicode_never_crashes(text: str) -> None:
    extract(text, "intent", MONDAY)


@pytest.mark.parametrize(
    "unit", ["A-", "A ", "oh ", "O'", "five, ", "sorry I mean ", "Monday ", "between 1 and "]
)
def test_adversarial_4kb_input_does_not_hang(unit: str) -> None:
    import time

    text = (unit * 4096)[:4096]
    started = time.perf_counter()
    for expect in ("intent", "name", "phone", "datetime"):
        extract(text, expect, MONDAY)
    # Quadratic backtracking took seconds here; linear work takes milliseconds.
    assert time.perf_counter() - started < 4.0
