"""Phone numbers said or typed: digits in any grouping, number words, "oh",
"double"/"triple", self-corrections; validated with phonenumbers (region CA)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import phonenumbers

from bella_nlp.numbers import MULTIPLIERS, TEENS, TENS, UNITS

_TOKEN = re.compile(r"\d+|[a-z]+(?:'[a-z]+)?|\.{2,}|…|[^\sa-z\d]")
# Words that may sit between the groups of one number ("the area code's 613 and the rest is").
_GLUE = frozenset({
    "then", "and", "area", "code", "code's", "codes", "the", "rest", "is", "uh", "um", "umm",
    "er", "erm", "dash", "hyphen", "plus", "it's", "its", "of", "number", "so",
})
# "Four one six, that's the area code, five five five, ...": a remark about the area code.
_AREA_REMARK = frozenset({"that's", "thats", "that", "which", "being"})
# Words that announce a correction of what came just before.
_REPAIR = frozenset({
    "sorry", "no", "wait", "actually", "mean", "meant", "last", "correction", "rather", "oops",
    "scratch", "maybe", "new", "instead", "better", "use", "changed", "now",
    # Montreal callers: "je veux dire", "pardon", "non".
    "dire", "pardon", "non",
})
# "one" after these is a pronoun ("the cell one", "the new one"), before these a count.
_ONE_AFTER = frozenset({
    "the", "new", "old", "other", "that", "this", "which", "work", "cell", "home", "mobile",
    "office", "house", "landline", "main", "best", "better", "right", "good", "business",
    "personal", "second", "first", "latest", "current",
})
_ONE_BEFORE = frozenset({"sec", "second", "moment", "minute", "min", "mo", "of"})
# What a caller calls each number, to honour "use the cell" when two are given.
_LABELS = {
    "cell": "cell", "cell's": "cell", "cellphone": "cell", "mobile": "cell", "mobile's": "cell",
    "cellular": "cell", "iphone": "cell",
    "home": "home", "home's": "home", "house": "home", "landline": "home", "landline's": "home",
    "work": "work", "work's": "work", "office": "work", "office's": "work", "business": "work",
    "desk": "work",
    "old": "old", "previous": "old", "former": "old", "used": "old", "fax": "fax",
    "phone": "phone",
    "hers": "other", "his": "other", "theirs": "other", "wife's": "other", "husband's": "other",
    "wife": "other", "husband": "other", "daughter's": "other", "son's": "other",
    "main": "main", "reception": "main", "switchboard": "main", "general": "main",
    "mine": "own", "direct": "own", "personal": "own", "own": "own",
}
_LABEL_WORD = (r"(?P<label>cell(?:ular)?(?: ?phone)?|mobile|home|house|landline|work|office|desk"
               r"|personal|direct|own)")
# "use the cell", "try my mobile first", "the cell's better", "home is best": the caller's pick.
_PREFER = re.compile(
    r"\b(?:use|try|call|text|prefer|go with|reach me (?:on|at)|best (?:to use|to call|is)"
    r"|better (?:to use|to call|is)|rather you (?:use|call))\s+(?:the |my |on |at )*"
    + _LABEL_WORD + r"\b(?! (?:is|was|number is)\b)"
    r"|\b" + _LABEL_WORD.replace("label", "label2")
    + r"(?:'s| one| number| phone)?(?:'s| is| would be| works)? (?:(?:the )?(?:better|best"
    r"|preferred|easier|easiest|quicker|quickest|faster|fastest|simpler|simplest|surest"
    r"|(?:more|most) reliable)(?: one)?|first|the one to (?:use|call))\b"
    # "The cell, mostly.", "preferably the home".
    r"|\b(?:mostly|usually|preferably|ideally) (?:the |my |on (?:the |my )?)?"
    + _LABEL_WORD.replace("label", "label4") + r"\b|\b" + _LABEL_WORD.replace("label", "label5")
    + r",? (?:mostly|usually|preferably|ideally)\b"
    # "I'm mostly at work": where the caller can be reached.
    r"|\bi'?m (?:mostly |usually |always |generally |normally |often )?(?:at |on (?:my |the )?)?"
    r"(?P<label3>work|home)\b",
    re.IGNORECASE,
)
_OLD_NUMBER = re.compile(r"\b(?:old|previous|former|ex)\b|\bused to be\b", re.IGNORECASE)
_STILL_GOOD = re.compile(r"\b(?:still (?:works|work|good|fine|the same|active|valid)"
                         r"|hasn'?t changed|same (?:one|number)|still use)\b", re.IGNORECASE)
# "The clinic called me from 416-555-0100, but mine is ...": the clinic's own number.
_AREA_AFTER = re.compile(r"(?:that'?s |is |thats |s )?(?:the |my )?area code\b")
_CLINIC_NUMBER = re.compile(r"\b(?:clinic|your (?:number|office|line)|you guys|called (?:me )?"
                            r"(?:\w+ ){0,2}from)\b")
_CALL_OTHER = re.compile(r"\b(?:call|text|try|reach|phone) (?:her|him|them)\b|\b(?:she|he)"
                         r"(?:'ll| will)? (?:answer|pick up|handles?)\b", re.IGNORECASE)
_FALLBACK = re.compile(r"\b(?:if|otherwise|else|failing that|in case|when|unless)\b", re.IGNORECASE)
# "if no answer", "no luck": "no" that is not a correction.
_NOT_REPAIR_AFTER_NO = frozenset({"answer", "luck", "reply", "response", "one", "pickup"})
# Said right after a short group, these make it a correction ("... 0197, sorry").
_REPAIR_AFTER = frozenset({"sorry", "oops", "correction", "rather", "mean", "meant"})
_SOFT_PUNCT = frozenset({",", "-", "(", ")", "+", "...", "…", "/", ":", ";"})
_DIGIT_PUNCT = _SOFT_PUNCT | {"."}
_NANP = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")


@dataclass
class _Tok:
    kind: str  # "num", "word", "punct"
    text: str
    # An "oh" said alone between pauses ("nine... oh... five"): maybe a hesitation.
    pause: bool = False


def _is_numberish(tok: _Tok | None) -> bool:
    if tok is None:
        return False
    if tok.kind == "num":
        return True
    w = tok.text
    return (w in UNITS and w not in ("oh", "o")) or w in TEENS or w in TENS or w in MULTIPLIERS


_DOTTED = re.compile(r"(?<=\d)\.(?=\d)")


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(_DOTTED.sub("-", text.lower())):
        t = m.group()
        if t[0].isdigit():
            out.append(_Tok("num", t))
        elif t[0].isalpha():
            out.append(_Tok("word", t))
        else:
            out.append(_Tok("punct", "..." if t == "…" else t))
    return out


def _neighbour(toks: list[_Tok], i: int, step: int,
               skip: frozenset[str] = _SOFT_PUNCT) -> _Tok | None:
    """Nearest token in direction ``step``, skipping soft punctuation only."""
    j = i + step
    while 0 <= j < len(toks):
        t = toks[j]
        if t.kind == "punct" and t.text in skip:
            j += step
            continue
        return t
    return None


# "seven digits", "two numbers", "it's got two fives", "three times": a count, not a digit.
_COUNTED = frozenset({
    "digits", "digit", "numbers", "phones", "times", "kids", "children", "boys", "girls",
    "weeks", "days", "months", "years", "hours", "minutes", "seconds", "people", "lines",
    "ones", "zeros", "zeroes", "ohs", "twos", "threes", "fours", "fives", "sixes", "sevens",
    "eights", "nines", "of",
})


def _to_digits(toks: list[_Tok]) -> list[_Tok]:
    """Turn number words into digit tokens; "oh" only counts next to other digits."""
    toks = [_Tok("count", t.text) if (
                (j + 1 < len(toks) and toks[j + 1].text in _COUNTED)
                or (j > 0 and toks[j - 1].text in ("have", "got")))
            and ((t.kind == "word" and (t.text in UNITS or t.text in TEENS or t.text in TENS)
                  and t.text not in ("oh", "o"))
                 or (t.kind == "num" and len(t.text) <= 2
                     and (j + 1 >= len(toks) or toks[j + 1].text != "of")))
            else t for j, t in enumerate(toks)]
    out: list[_Tok] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        w = t.text
        if t.kind != "word" or (out and out[-1].text in ("last", "first") and w in UNITS):
            # "the last four are 0129": a count, not a digit.
            out.append(t)
            i += 1
            continue
        prev_t, next_t = _neighbour(toks, i, -1, _DIGIT_PUNCT), _neighbour(toks, i, 1, _DIGIT_PUNCT)
        lone = not any(x is not None and (_is_numberish(x) or x.text in ("oh", "o", "double",
                                                                          "triple"))
                       for x in (prev_t, next_t))
        if w == "one" and ((out and out[-1].text in _ONE_AFTER) or lone or (
                i + 1 < n and toks[i + 1].text in _ONE_BEFORE)):
            # "the work one is ...", "the new one", "one sec": a pronoun, not a digit.
            out.append(t)
            i += 1
            continue
        if w in MULTIPLIERS:
            nxt = _neighbour(toks, i, 1)
            single = nxt is not None and nxt.kind == "num" and len(nxt.text) == 1
            if nxt is not None and (nxt.text in UNITS or single):
                digit = nxt.text if nxt.kind == "num" else str(UNITS[nxt.text])
                out.append(_Tok("num", digit * MULTIPLIERS[w]))
                i = toks.index(nxt, i) + 1
                continue
            out.append(t)
            i += 1
            continue
        if w in ("oh", "o"):
            # Decided in a second pass, once the digits around it are known.
            out.append(t)
            i += 1
            continue
        if w in TENS:
            value = TENS[w]
            j = i + 1
            if j < n and toks[j].text == "-":
                j += 1
            if j < n and toks[j].text in UNITS and toks[j].text not in ("oh", "o", "zero"):
                out.append(_Tok("num", str(value + UNITS[toks[j].text])))
                i = j + 1
                continue
            out.append(_Tok("num", str(value)))
            i += 1
            continue
        if w in TEENS:
            out.append(_Tok("num", str(TEENS[w])))
        elif w in UNITS:
            out.append(_Tok("num", str(UNITS[w])))
        elif w == "hundred" and out and out[-1].kind == "num":
            out.append(_Tok("num", "00"))
        else:
            out.append(t)
        i += 1
    return _zeros(_homophones(out))


# Words recognition writes for a digit said inside a number ("oh won two three").
_HOMOPHONES = {"for": "4", "fore": "4", "to": "2", "too": "2", "won": "1", "ate": "8",
               # French digits slipping into an English number ("five cinq five").
               "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7",
               "huit": "8", "neuf": "9"}


def _run_after(toks: list[_Tok], i: int, count_oh: bool = False) -> int:
    """How many digits are said in a row just after token ``i``."""
    return _digits_in_row(toks[i + 1 : i + 17], count_oh)


def _homophones(toks: list[_Tok]) -> list[_Tok]:
    """ "Nine oh five, five five five, oh one to eight": a digit's homophone between digits,
    when it makes the number exactly whole."""
    for i, t in enumerate(toks):
        if t.kind != "word" or t.text not in _HOMOPHONES:
            continue
        before, after = _run_before(toks, i, True), _run_after(toks, i, True)
        if before + 1 + after == 10 and (before or after == 9) and (after or before == 9):
            toks[i] = _Tok("num", _HOMOPHONES[t.text])
    return toks


def _past_glue(toks: list[_Tok], i: int) -> _Tok | None:
    """The first token after ``i`` that is neither soft punctuation nor (up to 4) glue words."""
    glue = 0
    for t in toks[i + 1 : i + 12]:
        if t.kind == "punct" and t.text in _SOFT_PUNCT:
            continue
        if t.kind == "word" and t.text in _GLUE and glue < 4:
            glue += 1
            continue
        return t
    return None


def _run_before(toks: list[_Tok], i: int, count_oh: bool = False) -> int:
    """How many digits are said in a row just before token ``i``."""
    return _digits_in_row(reversed(toks[max(0, i - 16) : i]), count_oh)


def _digits_in_row(toks: Iterable[_Tok], count_oh: bool) -> int:
    """Digits counted from the first token on, through digit punctuation, until a word
    (with ``count_oh``, "oh" and a digit's homophone count as one digit each)."""
    count = 0
    for t in toks:
        if t.kind == "num":
            count += len(t.text)
        elif count_oh and (t.text in ("oh", "o") or t.text in _HOMOPHONES):
            count += 1
        elif not (t.kind == "punct" and t.text in _DIGIT_PUNCT):
            break
    return count


def _zeros(toks: list[_Tok]) -> list[_Tok]:
    """ "oh"/"o" is 0 before a digit, or after one when no other word follows ("oh one oh oh")."""
    changed = True
    while changed:
        changed = False
        for i, t in enumerate(toks):
            if t.kind != "word" or t.text not in ("oh", "o"):
                continue
            # "Five. Oh. One.": digits read one per sentence.
            nxt = _neighbour(toks, i, 1, _DIGIT_PUNCT)
            prev = _neighbour(toks, i, -1, _DIGIT_PUNCT)
            if (prev is not None and prev.kind == "num" and nxt is not None
                    and nxt.kind == "word" and nxt.text in _GLUE):
                # "seven eight oh, then five five five": glue words sit between digit groups.
                after_glue = _past_glue(toks, i)
                if after_glue is not None and after_glue.kind == "num":
                    nxt = after_glue
            next_is_zero = nxt is not None and nxt.text in ("oh", "o")
            if (prev is not None and prev.kind == "num" and nxt is not None and nxt.kind == "word"
                    and _run_before(toks, i) in (9, 10)):
                # "... oh one four oh, that's my mother's": the "oh" completes the number.
                toks[i] = _Tok("num", "0")
                changed = True
                continue
            raw_prev = toks[i - 1].text if i else ""
            raw_next = toks[i + 1].text if i + 1 < len(toks) else ""
            pause = raw_prev in ("...", "…") and raw_next in ("...", "…")
            if (nxt is not None and nxt.kind == "num") or (
                prev is not None and prev.kind == "num"
                and (nxt is None or nxt.kind != "word" or next_is_zero)
            ):
                toks[i] = _Tok("num", "0", pause)
                changed = True
    return toks


@dataclass
class _Span:
    digits: str
    plus: bool
    repair_before: bool
    label: str | None = None
    # Where in ``digits`` a zero was a lone "oh" between pauses.
    pauses: tuple[int, ...] = ()
    # Said right after it, to the end of the sentence ("..., but don't call there.").
    after: str = ""
    # Said right before it ("... and it starts with 416 555").
    before: str = ""
    # Only hesitation ("uh, what is it,") between it and the next digits.
    hesitation_after: bool = False
    # The last group said ("... nine. Oh one six nine." -> "0169").
    last_group: str = ""
    # The first digits said ("Unit 5, 905-..." -> "5").
    first_group: str = ""


def _dedupe_groups(groups: list[str]) -> str:
    """ "Six one three. Six one three, five five five, ...": digits said twice in a row (a
    restart) count once, when that leaves a whole number."""
    digits = "".join(groups)
    half = len(digits) // 2
    if 6 <= len(digits) <= 20 and digits[:half] == digits[half:] and len(digits) % 2 == 0:
        cuts = {sum(len(g) for g in groups[:k]) for k in range(len(groups) + 1)}
        if half in cuts:
            return digits[:half]  # "Oh one three two? Oh one three two."
    if len(digits) <= 11 or len(digits) > 24:
        return digits
    bounds = [0]
    for g in groups:
        bounds.append(bounds[-1] + len(g))
    at = set(bounds)
    for b1 in bounds:
        for b2 in bounds:
            size = b2 - b1
            if size < 3 or b2 + size not in at or digits[b1:b2] != digits[b2 : b2 + size]:
                continue
            rest = digits[:b2] + digits[b2 + size :]
            if len(rest) == 10 or (len(rest) == 11 and rest[0] == "1"):
                return rest
    return digits


_HESITATION = frozenset({
    "uh", "um", "umm", "er", "erm", "hmm", "what", "is", "it", "was", "let", "me", "think",
    "see", "hold", "on", "wait", "i", "like", "you", "know", "hang", "sec", "second", "moment",
    "just", "a", "okay", "ok", "where", "then", "what's", "whats", "rest", "the", "remember",
    "forget", "how", "does", "go", "goes", "of", "that's", "thats", "so", "far", "digits",
    "numbers", "last", "are", "final", "end", "at", "and",
})
_STARTS_WITH = re.compile(r"\b(?:starts?|begins?|first part|before that|front)\b")


def _hesitation(toks: list[_Tok], i: int) -> bool:
    """Only hesitation words and punctuation between token ``i`` and the next digits."""
    words = 0
    for t in toks[i : i + 10]:
        if t.kind == "num":
            return words > 0
        if t.kind in ("word", "count"):
            # (a number word left as a word is a count: "the last two are ...")
            if t.kind == "word" and t.text not in _HESITATION and t.text not in UNITS:
                return False
            words += 1
    return False


def _words_after(toks: list[_Tok], i: int) -> str:
    words: list[str] = []
    for t in toks[i : i + 12]:
        if t.kind == "num" or t.text in (".", "?", "!"):
            break
        if t.kind == "word":
            words.append(t.text)
    return " ".join(words)


_LABEL_AFTER = re.compile(r"(?:is|that's|thats|which is|it's) (?:the |my |our )?(\w+)")
# "..., but don't call there", "that one's disconnected": a number the caller rules out.
_RULED_OUT = re.compile(r"\b(?:don'?t|do not|never|please don'?t) (?:call|use|text|ring|try)\b"
                        r"|\bnot (?:that|this) one\b|\b(?:disconnected|out of service|doesn'?t work"
                        r"|not working|no longer)\b")


def _label_before(toks: list[_Tok], i: int) -> str | None:
    """The label a caller put on the number starting at token ``i`` ("my cell's 204...")."""
    for t in reversed(toks[max(0, i - 5) : i]):
        if t.kind == "num" or t.text in (".", "?", "!"):
            return None
        word = t.text.removesuffix("'s")
        if t.kind == "word" and word in _LABELS:
            return _LABELS[word]
    return None


def _fallback_word(toks: list[_Tok], i: int) -> bool:
    """ "If no answer, my cell ...": "no" in a condition, not a correction."""
    prev = toks[i - 1].text if i > 0 else ""
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    return toks[i].text == "no" and (prev in ("if", "there's", "is") or nxt in _NOT_REPAIR_AFTER_NO)


def _spans(toks: list[_Tok]) -> list[_Span]:
    spans: list[_Span] = []
    cur: list[str] = []
    plus = False
    pending_glue = 0
    repair_seen = False
    cur_repair = False
    prev_plus = False
    area_after = False

    start = 0
    end = 0
    pauses: list[int] = []
    sentence_at = 0

    def close(groups: list[str]) -> _Span:
        digits = _dedupe_groups(groups)
        if len(digits) == 4 and sentence_at == 2 and digits[:2] == digits[2:]:
            digits = digits[:2]  # "... or nine two? Nine two."
        # "555 0123, area code 604": the area code said after the local number.
        if area_after and len(digits) == 10:
            digits = digits[7:] + digits[:7]
        after = _words_after(toks, end)
        if (len(digits) == 10 and _AREA_AFTER.match(after) and not area_after
                and _e164(digits, False) is None):
            # "555-0187 is the number, 289 the area code": the area code said last.
            digits = digits[7:] + digits[:7]
        # "(709) 555-0100 is the main line": a label said after the number, with "is", wins
        # over a word before it (which may be the previous number's).
        lm = _LABEL_AFTER.match(after)
        label = _LABELS.get(lm.group(1)) if lm else None
        if label is None:
            label = _label_before(toks, start)
        before = " ".join(t.text for t in toks[max(0, start - 6) : start] if t.kind == "word")
        return _Span(digits, plus, cur_repair, label, tuple(pauses) if digits == "".join(groups)
                     else (), after, before, _hesitation(toks, end),
                     "".join(groups)[sentence_at:] if sentence_at else "", groups[0])

    for idx, t in enumerate(toks):
        nxt = toks[idx + 1] if idx + 1 < len(toks) else None
        if (cur and t.kind == "punct" and t.text in ".?!" and nxt is not None
                and nxt.kind == "num" and len("".join(cur)) < 10):
            # "Five one four. Five five five. Oh one three eight." is one number.
            sentence_at = sum(len(c) for c in cur)
            continue
        if t.kind == "num":
            if not cur:
                start = idx
                pauses = []
                sentence_at = 0
                plus = prev_plus
                cur_repair = repair_seen
                repair_seen = False
                area_after = False
            if t.pause:
                pauses.append(sum(len(c) for c in cur))
            cur.append(t.text)
            end = idx + 1
            pending_glue = 0
            prev_plus = False
            continue
        prev_plus = t.text in ("+", "plus")
        if cur and t.kind == "punct" and t.text in _SOFT_PUNCT:
            ahead = _neighbour(toks, idx, 1)
            joined = "".join(cur)
            if not (ahead is not None and ahead.kind == "num" and len(ahead.text) == 3
                    and (len(joined) == 10 or (len(joined) == 11 and joined[0] == "1"))
                    and _e164(joined, False) is not None):
                continue
            # "780-555-0101, 780-555-0102": a whole number, then the next one's area code.
        area_remark = t.text in _AREA_REMARK and any(
            x.text == "area" for x in toks[idx + 1 : idx + 4])
        whole = sum(len(c) for c in cur) >= 10
        if (cur and t.kind == "word" and (t.text in _GLUE or area_remark) and not whole
                and pending_glue < (6 if area_after else 5)):
            pending_glue += 1
            if t.text == "area" and len("".join(cur)) == 7:
                area_after = True
            continue
        if cur:
            spans.append(close(cur))
            cur = []
        if t.kind == "word" and t.text in _REPAIR and not _fallback_word(toks, idx):
            repair_seen = True
        if (t.text == "or" and idx + 2 < len(toks) and toks[idx + 1].text in ("is", "was")
                and toks[idx + 2].text == "it"):
            repair_seen = True  # "... oh one two three... or is it oh one three two?"
        if t.text == "or" and any(x.text == "it" and y.text in ("is", "was")
                                  for y, x in pairwise(toks[max(0, idx - 6) : idx])):
            repair_seen = True  # "is it two nine or nine two? Nine two."
    if cur:
        spans.append(close(cur))
    return spans


@lru_cache(maxsize=4096)
def _e164(digits: str, plus: bool) -> str | None:
    if plus and not digits.startswith("1"):
        try:
            parsed = phonenumbers.parse("+" + digits, None)
        except phonenumbers.NumberParseException:
            return None
        return (
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            if phonenumbers.is_valid_number(parsed)
            else None
        )
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or not _NANP.match(digits):
        return None
    try:
        parsed = phonenumbers.parse(digits, "CA")
    except phonenumbers.NumberParseException:
        return None
    area = digits[:3]
    # Accept area codes newer than the library's metadata, but not N11 or 555.
    if phonenumbers.is_valid_number(parsed) or (area[1:] != "11" and area != "555"):
        return "+1" + digits
    return None


def _label_of(word: str) -> str:
    word = word.lower()
    return "cell" if word.startswith("cell") else _LABELS.get(word, "")


_ORDER_PICK = re.compile(
    r"\b(?:use|try|call|text|go with|prefer) (?:the )?(?P<a>first|second|last|latter|former"
    r"|1st|2nd)(?: one| number)?\b|\bthe (?P<b>first|second|last|latter|former|1st|2nd)"
    r"(?: one| number)?(?:'s| is| would be| works)? (?:the )?(?:better|best|preferred|easier"
    r"|easiest|quicker|quickest|more reliable|most reliable)\b"
    # "the second is my cell, use that".
    r"|\bthe (?P<c>first|second|last|latter|former|1st|2nd)(?: one| number)?\b[^.?!]{0,30}"
    r"\b(?:use|call|try|text) (?:that|this|it)\b",
    re.IGNORECASE,
)


def _preferred(text: str, spans: list[_Span]) -> str | None:
    """ "Home is X, cell is Y. Use the cell.": the number whose label (or place) the caller
    picked."""
    if len(spans) < 2:
        return None
    valid = [n for n in (_e164(span.digits, span.plus) for span in spans) if n]
    if len(set(valid)) >= 2:
        for m in _ORDER_PICK.finditer(text):
            clause = re.split(r"[.?!;]", text[max(0, m.start() - 30) : m.start()])[-1]
            if _FALLBACK.search(clause):
                continue
            word = (m.group("a") or m.group("b") or m.group("c")).lower()
            if word in ("second", "2nd"):
                return valid[1]
            return valid[0] if word in ("first", "1st", "former") else valid[-1]
    labelled = [(span.label, _e164(span.digits, span.plus)) for span in spans if span.label]
    if len(set(valid)) >= 2 and _CALL_OTHER.search(text):
        # "..., hers is 437-555-0158, call her": the other person's number.
        other = {number for label, number in labelled if label == "other" and number}
        if len(other) == 1:
            return other.pop()
    if len(set(valid)) < 2:
        return None
    own = {number for label, number in labelled if label == "own" and number}
    if len(own) == 1 and any(label == "main" and number for label, number in labelled):
        # "... is the main line, mine is ...": the caller's own number.
        return own.pop()
    choice = None
    for m in _PREFER.finditer(text):
        clause = re.split(r"[.?!;]", text[max(0, m.start() - 30) : m.start()])[-1]
        if _FALLBACK.search(clause):
            continue  # "if I don't answer, try my cell": a second choice
        choice = _label_of(m.group("label") or m.group("label2") or m.group("label3")
                           or m.group("label4") or m.group("label5"))
    if not choice:
        return None
    chosen = {number for label, number in labelled if label == choice and number}
    return chosen.pop() if len(chosen) == 1 else None


def _restart_within(digits: str) -> str | None:
    """A run of 11-14 digits in which a group was begun, then said again whole."""
    for p in range(7, len(digits) - 2):
        for k in range(min(4, p - 6), 1, -1):
            if digits[p - k : p] == digits[p : p + k] and len(digits) - k == 10:
                number = _e164(digits[: p - k] + digits[p:], False)
                if number is not None:
                    return number
    return None


def extract_phone(text: str) -> tuple[str | None, float]:
    """The number given, and a confidence.

    A later number replaces an earlier one only when a correction is signalled ("actually,
    the new one is ..."); "my cell is X, or my husband's, Y" keeps the first.
    """
    spans = _spans(_to_digits(_tokens(text)))
    if _OLD_NUMBER.search(text) and not _STILL_GOOD.search(text):
        # "My old number was ... but it's disconnected": not a number to call.
        spans = [span for span in spans if span.label != "old"]
    usable = [span for span in spans
              if not _RULED_OUT.search(span.after) and span.label != "fax"
              and not _CLINIC_NUMBER.search(span.before)]
    if len(usable) < len(spans) and any(_e164(span.digits, span.plus) for span in usable):
        spans = usable
    picked = _preferred(text, spans)
    if picked is not None:
        return picked, 0.85
    if not any(_e164(span.digits, span.plus) for span in spans):
        for span in spans:
            if len(span.digits) == 11 and span.digits[0] != "1":
                # "Five one nine... oh... five five five ...": a hesitant "oh" is not a digit,
                # when leaving out exactly one such zero makes a number.
                found = {n for n in (_e164(span.digits[:i] + span.digits[i + 1 :], False)
                                     for i in span.pauses) if n}
                if len(found) == 1:
                    return found.pop(), 0.6
        for first, second in pairwise(spans):
            if (len(first.digits) == 3 and len(second.digits) == 7) or (
                    len(first.digits) + len(second.digits) == 10 and first.hesitation_after):
                # "The area code? 416. And then 555-0166."; "... oh one, uh, what is it, one
                # six": one number said in two pieces.
                number = _e164(first.digits + second.digits, False)
                if number is not None:
                    return number, 0.75
            if (len(first.digits) == 4 and len(second.digits) == 6
                    and _STARTS_WITH.search(second.before)):
                # "0144 is the end, and it starts with 416 555": said back to front.
                number = _e164(second.digits + first.digits, False)
                if number is not None:
                    return number, 0.7
    best: str | None = None
    best_digits = ""
    confidence = 0.0
    prev: _Span | None = None
    for span in spans:
        earlier, prev = prev, span
        number = _e164(span.digits, span.plus)
        if (number is None and best is None and earlier is not None
                and (not span.repair_before or len(span.last_group) >= 3)
                and 3 <= len(span.digits) < 10 and 5 <= len(earlier.digits) < 10):
            # "... oh one five... what was it... oh one five eight": the group said again
            # from its start, complete this time.
            for said in dict.fromkeys(g for g in (span.last_group, span.digits) if len(g) >= 3):
                # (the whole span, or its last sentence: "... three two. Oh one three two.")
                for k in range(min(len(said), len(earlier.digits)) - 1, 1, -1):
                    head = earlier.digits[: len(earlier.digits) - k]
                    if earlier.digits.endswith(said[:k]) and len(head) + len(said) == 10:
                        number = _e164(head + said, False)
                        if number is not None:
                            best, best_digits, confidence = number, head + said, 0.75
                        break
                if best is not None:
                    break
            if best is not None:
                continue
        if (number is None and best is None and earlier is not None and span.repair_before
                and 4 <= len(span.digits) < 10 and len(earlier.digits) >= 10 - len(span.digits)):
            # "Nine oh two, five five... no wait, triple five, oh one four four": the
            # correction restarts after the area code that was already said.
            patched = earlier.digits[: 10 - len(span.digits)] + span.digits
            number = _e164(patched, False)
            if number is not None:
                best, best_digits, confidence = number, patched, 0.8
                continue
        if number is None and 11 <= len(span.digits) <= 14 and not span.plus:
            # "514 555 0179, uh, 0197, sorry": a number, then a corrected tail run into it.
            skip = 1 if span.digits[0] == "1" and len(span.digits) > 11 else 0
            head, tail = span.digits[skip : skip + 10], span.digits[skip + 10 :]
            rest = span.digits[len(span.first_group) :]
            if len(span.first_group) <= 2 and _e164(rest, False) is not None and (
                    best is None or span.repair_before):
                # "Unit 5, 905-555-0143": a number said just before the phone number.
                best, best_digits, confidence = _e164(rest, False), rest, 0.75
                continue
            restarted = _restart_within(span.digits)
            if restarted is not None and (best is None or span.repair_before):
                # "oh one... uh, oh one five five": the last group said again from its start.
                best, best_digits, confidence = restarted, restarted[2:], 0.75
                continue
            corrected = len(tail) == 4 or bool(_REPAIR_AFTER & set(span.after.split()))
            if _e164(head, False) is not None and 1 <= len(tail) <= 4 and not corrected:
                # "416-555-0123, 2 to 3 is best": digits after a whole number, no correction.
                number = _e164(head, False)
            elif _e164(head, False) is not None and 1 <= len(tail) <= 4:
                number = _e164(head[: 10 - len(tail)] + tail, False)
                if number is not None and (best is None or span.repair_before):
                    best, best_digits, confidence = number, number[2:], 0.7
                    continue
        if number is not None:
            if best is None or span.repair_before:
                best, best_digits = number, number[2:] if number.startswith("+1") else ""
                confidence = 0.95
            continue
        # "…0118. Sorry, the last digit is nine" / "…0192, no, 0129": a short tail replaces.
        corrects = span.repair_before or bool(_REPAIR_AFTER & set(span.after.split()))
        if best and best_digits and corrects and len(span.digits) < 10:
            tail = span.digits
            if len(span.last_group) >= 3 and len(tail) > len(span.last_group):
                # "... eight? No, nine. Oh one six nine.": the group said again whole.
                tail = span.last_group
            patched = best_digits[: 10 - len(tail)] + tail
            number = _e164(patched, False)
            if number is not None:
                best, best_digits = number, patched
                confidence = 0.85
        elif len(span.digits) >= 10 and len(span.digits) > 11:
            # Two numbers run together: the later one is usually the correction.
            number = _e164(span.digits[-10:], False)
            if number is not None:
                best, best_digits, confidence = number, span.digits[-10:], 0.6
    return best, confidence
