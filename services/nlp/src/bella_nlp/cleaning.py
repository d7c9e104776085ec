"""Speech-artefact filtering: control characters, fillers, repeated words and
"sorry, I mean ..." repairs, so every field parser sees the same tidy text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TEXT_BYTES = 4096

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")
_FILLER = re.compile(
    r"(?<![\w'.-])(?:u+h+|u+m+|u+h+m+|e+r+m*|a+h+|h+m+|m{2,}|you know|i mean)(?![\w'-])[,.]?\s*",
    re.IGNORECASE,
)
# "ten, sorry, I mean eleven" / "Jon... sorry, Jonathan": drop the word that was corrected.
_REPAIR = re.compile(
    r"(?<![\w'-])([\w'-]{1,40}+)(?![\w'-])(?:\.\.\.|…|,)?\s+(?:sorry|no|oops)?,?\s*"
    r"(?:i mean|i meant|i mean to say|"
    r"make that|or rather|rather(?=,))\s*,?\s+",
    re.IGNORECASE,
)
# Stutters ("the the", "Jon... Jon"); digits and number words repeat legitimately ("five five
# five"). Not across a full stop ("call me Alex. Alex Nowak." is a name restated), nor into a
# possessive or contraction ("Karen, Karen's fine").
_REPEAT = re.compile(
    r"\b(?!(?:oh|zero|one|two|three|four|five|six|seven|eight|nine|no|bye|ha)\b)"
    r"(?<![\w'-])([a-z][\w'-]{1,40}+)(?![\w'-])(?:(?:,{0,3}|\.{2,3}|…)\s+\1(?![\w']))+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'-]+")


# "10 a.m. No, make that 11": the word before the cue is itself the correction signal, and
# the thing corrected came earlier; keep it so "no, 11" still reads as a changed time.
_SIGNAL_WORDS = frozenset({"no", "sorry", "oops", "wait", "actually", "okay", "ok"})


def _drop_corrected(m: re.Match[str]) -> str:
    return f"{m.group(1)}, " if m.group(1).lower() in _SIGNAL_WORDS else ""


def sanitize(text: str) -> str:
    """NFC-normalised text without control characters, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    # Curly apostrophes from recognition or keyboards: names keep the plain one ("O'Neill").
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\u2018", "'")
    text = _ANSI.sub(" ", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def too_long(text: str) -> bool:
    return len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES


@dataclass
class Cleaned:
    text: str
    artifact_ratio: float


def clean(text: str) -> Cleaned:
    """Text with fillers, stutters and explicit repairs removed."""
    before = len(_WORD.findall(text))
    out = _REPAIR.sub(_drop_corrected, text)
    out = _FILLER.sub("", out)
    out = _REPEAT.sub(r"\1", out)
    out = _SPACES.sub(" ", out).strip(" ,")
    after = len(_WORD.findall(out))
    ratio = (before - after) / before if before else 0.0
    return Cleaned(out, max(0.0, min(1.0, ratio)))


def strip_accents(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
