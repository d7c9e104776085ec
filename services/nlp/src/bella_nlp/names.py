"""People's names: "my name is", spelled letters (which win over what
recognition heard), accents, hyphens, apostrophes, particles, first/last
name given in either order, and restatements ("Jon... sorry, Jonathan Kim")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from bella_nlp.cleaning import strip_accents

_TOKEN = re.compile(
    r"\b(?:St|Ste|Mt|Jr|Sr)\.|[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*|\d+|"
    r"\.{2,}|…|[^\w\s]"
)
_HYPHEN_SPELLED = re.compile(r"^(?:[A-Za-z]-)+[A-Za-z]$")
_PARTICLES = frozenset(
    {
        "de",
        "da",
        "del",
        "della",
        "dela",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "st",
        "bin", "los", "las", "lo", "des", "af", "zu",
        "ibn",
        "al",
        "el",
        "ben",
        "dos",
        "das",
        "do",
        "y",
        "ter",
        "ten",
        "mac",
        "mc",
    }
)
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "doctor", "mister", "madame", "monsieur",
                     "pastor", "reverend", "rev", "chief", "imam", "rabbi", "deacon", "professor",
                     "prof", "mme", "mlle", "mx", "elder"})
# Said before a name but not part of it (unlike "Dr. Patel", who is someone else).
_COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "mister", "madame", "mme", "mlle"})
_SPELL_GLUE = {"apostrophe": "'", "dash": "-", "hyphen": "-"}
_CONNECT = frozenset(
    {"that's", "thats", "spelled", "spelt", "it's", "its", "is", "as", "that", "like", "with", "an"}
)

# Leading words that introduce a name but are not part of it.
_LEAD_INS_SAID: tuple[tuple[str, ...], ...] = (
    ("my", "name", "is"),
    ("my", "name's"),
    ("my", "names"),
    ("the", "name", "is"),
    ("name", "is"),
    ("name's",),
    ("names",),
    ("the", "name's"),
    ("this", "is"),
    ("it", "is"),
    ("it's",),
    ("its",),
    ("i'm",),
    ("i", "am"),
    ("call", "me"),
    ("it's", "under"),
    ("under",),
    ("yeah",),
    ("yes",),
    ("yep",),
    ("yup",),
    ("hi",),
    ("hello",),
    ("hey",),
    ("oh",),
    ("okay",),
    ("ok",),
    ("so",),
    ("well",),
    ("sure",),
    ("just",),
    ("sorry",),
    ("and",),
    ("but",),
    ("anyway",),
    ("let's", "say"),
    ("then",),
    ("auntie",),
    ("aunt",),
    ("uncle",),
    ("grandma",),
    ("grandpa",),
    ("granny",),
    ("nana",),
    ("kokum",),
    ("cousin",),
    ("short", "for"),
    ("it's", "short", "for"),
    ("that's", "short", "for"),
    ("let's", "go", "with"),
    ("let's", "do"),
    ("go", "with"),
    ("we'll", "say"),
    ("how", "about"),
    ("officially",),
    ("technically",),
    ("legally",),
    ("formally",),
    ("properly",),
    ("really",),
    ("though",),
    ("alright",),
    ("all", "right"),
    ("uh",),
    ("um",),
    ("sure", "thing"),
    ("of", "course"),
    ("first", "name", "is"),
    ("first", "name's"),
    ("first", "name"),
    ("last", "name", "is"),
    ("last", "name's"),
    ("last", "name"),
    ("lastname", "is"),
    ("lastname's",),
    ("lastname",),
    ("firstname", "is"),
    ("firstname's",),
    ("firstname",),
    ("surname's",),
    ("surname", "is"),
    ("surname",),
    ("family", "name", "is"),
    ("family", "name's"),
    ("family", "name"),
    ("given", "name"),
    ("full", "name", "is"),
    ("full", "name"),
    ("actually",),
    ("no",),
    ("it", "would", "be"),
    ("it'd", "be"),
    ("that", "would", "be"),
    ("put", "it", "under"),
    ("book", "it", "under"),
    ("patient", "is"),
    ("patient's", "name", "is"),
    ("for",),
    ("my", "first", "name", "is"),
    ("my", "first", "name's"),
    ("my", "last", "name", "is"),
    ("my", "last", "name's"),
    ("my", "surname", "is"),
    ("my", "family", "name", "is"),
    ("his", "name", "is"),
    ("his", "name's"),
    ("her", "name", "is"),
    ("her", "name's"),
    ("their", "name", "is"),
    ("their", "name's"),
    ("c'est",),
    ("je", "m'appelle"),
    ("i", "said"),
    ("like", "i", "said"),
    ("as", "i", "said"),
    ("it's", "spelled"),
    ("you", "can", "put"),
    ("put",),
    ("that's",),
    ("thats",),
    ("it", "should", "be"),
    ("you", "can", "put", "it", "under"),
    ("put", "it", "down", "under"),
    ("put", "down"),
    ("put", "me", "down", "for"),
    ("put", "me", "down", "as"),
    ("put", "me", "under"),
    ("put", "us", "under"),
    ("booking's", "for"),
    ("booking", "is", "for"),
    ("appointment's", "for"),
    ("appointment", "is", "for"),
    ("it's", "for"),
    ("it", "is", "for"),
    ("that's", "for"),
    ("this", "is", "for"),
    ("it's", "booked", "under"),
    ("i'm", "calling", "for"),
    ("calling", "for"),
    ("i'm", "booking", "for"),
    ("booking", "for"),
    ("it's", "under"),
    ("still",),
    ("also",),
    ("again",),
    ("mister",),
    ("mr",),
    ("mrs",),
    ("ms",),
    ("miss",),
    ("dr",),
    ("doctor",),
    ("elder",),
    ("father",),
    ("sister",),
    ("brother",),
    ("mx",),
    ("pastor",),
    ("reverend",),
    ("rev",),
    ("chief",),
    ("imam",),
    ("rabbi",),
    ("deacon",),
    ("professor",),
    ("prof",),
    ("madame",),
    ("monsieur",),
    ("mme",),
    ("i'd", "say"),
    ("i", "would", "say"),
    ("i", "think"),
    ("i", "guess"),
    ("probably",),
    ("maybe",),
    ("the",),
)
_RELATION_WORDS = (
    "son", "daughter", "mom", "mother", "dad", "father", "wife", "husband", "kid", "child",
    "grandson", "granddaughter", "partner", "brother", "sister", "boy", "girl",
)
# "It's for a Ms. Theresa Quewezance", "a patient named ..."
_LEAD_INS_SAID = _LEAD_INS_SAID + tuple(
    ("a", t) for t in ("mr", "mrs", "ms", "miss", "dr", "doctor", "mister", "mx")
) + (("a", "patient", "named"), ("someone", "named"), ("a", "lady", "named"),
     ("a", "guy", "named"), ("a", "man", "named"), ("a", "woman", "named"))
# "The appointment's for my son Tyler": the relation is not part of the name.
_LEAD_INS_SAID = _LEAD_INS_SAID + tuple(
    (owner, rel) for owner in ("my", "our") for rel in _RELATION_WORDS
)
# Longest first, so "you can put it under" wins over "you can put".
_LEAD_INS = tuple(sorted(_LEAD_INS_SAID, key=len, reverse=True))
_CUES_ANY_EXPECT = (
    ("my", "name", "is"),
    ("my", "name's"),
    ("my", "names"),
    ("name's",),
    ("name", "is"),
    ("this", "is"),
    ("it's",),
    ("it", "is"),
    ("i'm",),
    ("i", "am"),
    ("under",),
    ("call", "me"),
    ("his", "name", "is"),
    ("her", "name", "is"),
    ("c'est",),
)

_STOP = frozenset(
    """
a about above actually after afternoon again ago ah all also am an and another any anybody
anyone anything anytime anyway anywhere appointment are aren't around as ask asking at available
away back bad be because been before being best bird both but by bye call called calling can
can't cancel cannot card check checkup cleaning clinic close come coming could couldn't cousin
daughter day days dentist did didn't do does doesn't doing don't done down each either else
email emergency english enough evening every everything exactly excuse family fine first
for forget found friday from get gets getting give go goes going gonna good got great had hang
has hasn't have haven't having he he's hear hello her here hers hey hi him his hold holiday
home how husband i i'd i'll i'm i've if in into is isn't it it'd it'll it's its just kid kids
know last later least let let's like line little look looking lot mailing make many maybe me
mean mine minute moment monday more morning most much must my myself name name's names need
needs never new next nice no nobody none nope not nothing now number of off office oh okay ok
on once one only or other our out over patient patients phone please pretty probably question
quick quite rather ready real really receptionist right same saturday say second see she she's
should so some somebody someone something sometime son sorry speak spell spelled still such
sunday sure surname take talk tell than thank thanks that that's thats the their them then
there there's these they they're thing things think this those though through thursday time
to today tomorrow too tooth try tuesday two uh um under until up us very wait want wanted was
wasn't we we're wednesday week well were what what's when where which while who whoever why
wife will with without won't work would wouldn't yeah yes yep yet you you're your yours yup
bonjour oui merci non allo hmm mm okay alright sir madam ma'am gonna wanna gotta wrong correct
person human representative operator agent repeat pardon hello? huh mom dad mother father
brother sister child children baby grandmother grandfather partner boyfriend girlfriend
myself himself herself teeth guess guys folks everyone else's may might shall here speaking calling
honestly seriously nevermind apologies whatever whatever's basically anyway anyways obviously
definitely probably absolutely perhaps unfortunately actually literally complicated private
personal confidential pass skip nah naw mhm okey dokey yessir eh er erm
pronounced pronounce pronunciation sounds rhymes
happy satisfied cool perfect awesome lovely wonderful understood true funny crazy weird
""".split()
)


_WORD_NAMES = frozenset({"will", "little", "best", "long", "young", "may", "june", "april",
                         "august", "hope", "grace", "joy", "faith", "mark", "bill", "rich",
                         "sunny", "summer", "brown", "white", "black", "green", "king", "case",
                         "sunday", "bird", "day", "english", "good"})


@dataclass
class _Tok:
    text: str
    word: bool


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(t, t[0].isalpha()) for t in _TOKEN.findall(text)[:400]]


def _is_letter(t: _Tok) -> bool:
    # Recognition writes spelled letters in capitals; a lower-case "a" is the article.
    return t.word and len(t.text) == 1 and t.text.isalpha() and t.text.isupper()


def _is_lower_letter(t: _Tok) -> bool:
    return t.word and len(t.text) == 1 and t.text.isalpha() and t.text.islower()


def _after_title(toks: list[_Tok], idx: int) -> bool:
    """Whether the word before ``idx`` (past punctuation) follows a title ("Ms. Arbour, ...")."""
    words = [t.text.lower() for t in toks[max(0, idx - 5) : idx] if t.word]
    return len(words) >= 2 and words[-2] in _TITLES


def _letter_example(toks: list[_Tok], j: int) -> int:
    """How many tokens after the letter at ``j`` only illustrate it ("as in kilo")."""
    letter = toks[j].text.lower()
    k = j + 1
    if k < len(toks) and toks[k].text.lower() in ("as", "for", "like"):
        if toks[k].text.lower() == "as" and k + 1 < len(toks) and toks[k + 1].text.lower() == "in":
            k += 1
        k += 1
        if (k < len(toks) and toks[k].word and len(toks[k].text) > 1
                and strip_accents(toks[k].text[0]).lower() == letter):
            return k - j
    return 0


def _spelled_word(letters: str) -> str:
    out = []
    upper_next = True
    for ch in letters:
        if ch in "'-":
            out.append(ch)
            upper_next = True
            continue
        out.append(ch.upper() if upper_next else ch.lower())
        upper_next = False
    return "".join(out)


_NOISE_WORD = re.compile(r"([a-z])\1\1|^[b-df-hj-np-tv-xz]{3,}$")


def _looks_like_name(word: str) -> bool:
    w = word.lower().replace("’", "'")
    if w in _STOP or w in _TITLES or _NOISE_WORD.search(w):
        # "Shhh", "Hmmm", "Pfft": sounds, not names ("Ng" is short enough to stay a name).
        return False
    return word[0].isupper() and word[0].isalpha()


def _similar(a: str, b: str) -> float:
    a = strip_accents(a).lower().replace("'", "").replace("-", "")
    b = strip_accents(b).lower().replace("'", "").replace("-", "")
    return Levenshtein.normalized_similarity(a, b)


def _earlier_match(toks: list[_Tok], idx: int, spelled: str) -> tuple[int | None, float]:
    """The name word before ``idx`` (same name, up to 3 words back) most like ``spelled``."""
    best: tuple[int | None, float] = (None, -1.0)
    k = idx - 1
    words = 0
    while k >= 0 and words < 3:
        t = toks[k]
        if t.word:
            if not _looks_like_name(t.text):
                break
            sim = _similar(t.text, spelled)
            if sim > best[1]:
                best = (k, sim)
            words += 1
        elif t.text not in ",-":
            break
        k -= 1
    return best


def _before_remark(toks: list[_Tok], idx: int, spelled: str) -> int | None:
    """The name word, set off by a comma a short remark before ``idx``, that ``spelled``
    spells."""
    k = idx - 1
    while k >= 0 and idx - k <= 14:
        t = toks[k]
        if t.word and _looks_like_name(t.text) and not _is_letter(t):
            ok = toks[k + 1].text in ",." and _similar(t.text, spelled) >= 0.8
            return k if ok else None
        k -= 1
    return None


def _drop_spelling_remarks(toks: list[_Tok]) -> list[_Tok]:
    """ "Beatriz, with a Z, Costa": a remark about a letter, set off between two name words,
    leaves the name whole."""
    i = 1
    while i < len(toks):
        comma = toks[i].text == ","
        w = i + 1 if comma else i
        if (w < len(toks) and toks[i - 1].word and _looks_like_name(toks[i - 1].text)
                and toks[w].text.lower() in ("with", "without")):
            k = w + 1
            if k < len(toks) and toks[k].text.lower() in ("a", "an", "no", "one", "two"):
                k += 1
            letters = 0
            while k < len(toks) and _is_letter(toks[k]) and letters < 3:
                k += 1
                letters += 1
            # "Tayler with an E R, Mackenzie": up to three letters, then the surname.
            if (letters and k + 1 < len(toks) and toks[k].text == ","
                    and toks[k + 1].word and _looks_like_name(toks[k + 1].text)):
                # "Jon without an H, Jon Keller": the name restarted, said once.
                same = toks[k + 1].text.lower() == toks[i - 1].text.lower()
                later = [t.text.lower() for t in toks[k + 1 : k + 5] if t.word]
                if not same and toks[i - 1].text.lower() in later[1:]:
                    # "O'Neil with one L, Patrick O'Neil": the remark was about a word the
                    # full name that follows repeats.
                    toks = [*toks[: i - 1], *toks[k + 1 :]]
                else:
                    toks = [*toks[:i], *toks[k + (2 if same else 1) :]]
            elif not letters and comma:
                toks = _drop_word_remark(toks, i)
        elif comma and toks[i - 1].word and _looks_like_name(toks[i - 1].text):
            toks = _drop_word_remark(toks, i)
        i += 1
    return toks


_LETTER_PLURAL = re.compile(r"^[A-Z]'?s$")
# "Pierre-Luc, with a hyphen, Desrosiers", "Mary Anne, two words, Kelly".
_REMARK_WORDS = frozenset({
    "hyphen", "hyphenated", "dash", "accent", "accents", "apostrophe", "space", "capital",
    "capitals", "word", "words", "grave", "acute", "cedilla", "dots", "umlaut", "circumflex",
})


def _drop_word_remark(toks: list[_Tok], comma: int) -> list[_Tok]:
    """Drop a short remark about how a name is written, set off by commas between two name
    words ("Pierre-Luc, with a hyphen, Desrosiers")."""
    k = comma + 1
    words = 0
    plurals = 0
    while (k < len(toks) and toks[k].word and (toks[k].text[0].islower() or _is_letter(toks[k])
                                               or _LETTER_PLURAL.match(toks[k].text))
           and words < 7):
        # "two Ms and two Ls": letters counted are a remark about the spelling too.
        plurals += bool(_LETTER_PLURAL.match(toks[k].text))
        k += 1
        words += 1
    remark = {t.text.lower() for t in toks[comma + 1 : k]}
    if (words and (remark & _REMARK_WORDS or plurals) and k + 1 < len(toks)
            and toks[k].text == ","
            and toks[k + 1].word and _looks_like_name(toks[k + 1].text)):
        same = toks[k + 1].text.lower() == toks[comma - 1].text.lower()
        later = [t.text.lower() for t in toks[k + 2 : k + 6] if t.word]
        if not same and toks[comma - 1].text.lower() in later:
            # "Zhi Hao, two words, Zhi Hao Lin": the full name restarts after the remark.
            return [*toks[: comma + 1], *toks[k + 1 :]]
        return [*toks[:comma], *toks[k + (2 if same else 1) :]]
    return toks


def _apply_spelling(toks: list[_Tok]) -> tuple[list[_Tok], bool]:
    """Replace the word a spelled-out run refers to with the spelled form."""
    toks = _drop_spelling_remarks(toks)
    spelled_any = False
    i = 0
    while i < len(toks):
        t = toks[i]
        run_letters = ""
        j = i
        if t.word and _HYPHEN_SPELLED.match(t.text):
            run_letters = t.text.replace("-", "")
            j = i + 1
            # "E L dash A M I N" style continuation
        lower_seen = False
        first_part = -1  # letters before the run's first comma
        while j < len(toks):
            tj = toks[j]
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if ((_is_letter(tj) or _is_lower_letter(tj)) and not tj.text.isascii()
                    and nxt is not None and nxt.word and len(nxt.text) > 1
                    and _looks_like_name(nxt.text)):
                # "Ó Sé", "Ó Briain": an Irish particle, not a spelled letter.
                break
            if ((_is_letter(tj) or _is_lower_letter(tj)) and run_letters
                    and run_letters[-1].lower() == tj.text.lower() and _letter_example(toks, j)):
                # "Nadia B., B for Bravo": the letter said again to confirm it.
                j += _letter_example(toks, j) + 1
                continue
            if _is_letter(tj) or _is_lower_letter(tj):
                lower_seen = lower_seen or tj.text.islower()
                run_letters += tj.text
                # "K as in kilo", "B for boy", "C like Charlie": the word only says the letter.
                j += _letter_example(toks, j)
            elif (tj.text.lower() in ("double", "triple") and nxt is not None
                  and (_is_letter(nxt) or _is_lower_letter(nxt))
                  and (run_letters or _is_letter(toks[j - 1] if j else tj))):
                # "M A double L O Y"
                run_letters += nxt.text * (2 if tj.text.lower() == "double" else 3)
                j += 1
            elif tj.word and _HYPHEN_SPELLED.match(tj.text):
                run_letters += tj.text.replace("-", "")
            elif tj.word and tj.text.lower() in _SPELL_GLUE and run_letters:
                run_letters += _SPELL_GLUE[tj.text.lower()]
            elif not tj.word and tj.text in "-.," and run_letters:
                if tj.text == "," and first_part < 0:
                    first_part = len(run_letters)
            else:
                break
            j += 1
        if (run_letters and i > 0 and toks[i - 1].word
                and toks[i - 1].text in ("Mac", "Mc", "Fitz", "Van", "De", "Di", "Du", "La", "Le")):
            # "MacEachern, Mac E A C H E R N": the prefix said as a word, the rest spelled.
            i -= 1
            run_letters = toks[i].text + run_letters
        letters_only = sum(c.isalpha() for c in run_letters)
        if lower_seen and letters_only < 3:
            # Lower-case "a" and "i" are words; three or more single letters are spelling.
            i += 1
            continue
        # "Sara with no H", "Katherine with a K": a remark about the spelling, not the spelling.
        prev_word = toks[i - 1].text.lower() if i > 0 else ""
        # ("Nguyen with N G U Y E N" is a spelling, though.)
        head = letters_only if first_part < 0 else first_part
        if letters_only < 2 or (prev_word in ("with", "without", "no", "a", "an", "double")
                                and head <= 2):
            i += 1
            continue
        # Trim trailing punctuation tokens from the run.
        end = j
        while end > i and not toks[end - 1].word:
            end -= 1
        if (end + 2 < len(toks) and toks[end].text == "," and toks[end + 1].word
                and toks[end + 1].text[0].islower()):
            # "Miriam, M I R I A M, like in the Bible, Abboud": a remark after the spelling,
            # then the rest of the name.
            k = end + 1
            while k < len(toks) and k - end <= 10 and toks[k].text not in ".?!;:":
                # "with a C, not a K": the remark may run over a comma.
                if toks[k].text == "," and not (k + 1 < len(toks) and toks[k + 1].word
                                                and toks[k + 1].text[0].islower()):
                    break
                k += 1
            remark = {t.text.lower() for t in toks[end + 1 : k]}
            if (k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].word
                    and len(toks[k + 1].text) > 1 and _looks_like_name(toks[k + 1].text)
                    and toks[end + 1].text.lower() not in ("and", "but", "or")
                    and not remark & {"name", "surname", "lastname", "name's"}):
                # "Ayaan, A Y A A N, he's my son, Ayaan Qureshi": the name restarted.
                again = _similar(toks[k + 1].text, run_letters) >= 0.8 and (
                    k + 2 < len(toks) and toks[k + 2].word)
                toks = [*toks[: end + 1], *toks[k + (2 if again else 1) :]]
        # "Siobhan, S I O B H A N, O'Neill": the run sat inside one name (also "... Mehta"),
        # unless the full name restarts after it ("Mr. Ng, N G, Gary Ng").
        restarts = any(t.word and _similar(t.text, run_letters) >= 0.8
                       for t in toks[end + 1 : end + 6])
        # "Ms. Arbour, A R B O U R, Claudette": a titled surname spelled; the first name after
        # it is said on its own.
        titled = _after_title(toks, i)
        if (
            not restarts
            and not titled
            and end + 1 < len(toks)
            and (toks[end].text == "," or toks[end].text == "…" or toks[end].text[:2] == "..")
            and toks[end + 1].word
            and (_looks_like_name(toks[end + 1].text)
                 # "Ines, I N E S, da Silva": a particle opens the surname.
                 or (toks[end + 1].text in _PARTICLES and end + 2 < len(toks)
                     and toks[end + 2].word and _looks_like_name(toks[end + 2].text)))
        ):
            end += 1
        spelled = _spelled_word(run_letters.strip("'-"))
        if (
            end + 1 < len(toks)
            and toks[end].text == "."
            and toks[end + 1].word
            and _looks_like_name(toks[end + 1].text)
            and (end + 2 == len(toks) or not toks[end + 2].word)
            and i >= 2 and toks[i - 1].text in ".," and toks[i - 2].word
            and _similar(toks[i - 2].text, spelled) >= 0.8
        ):
            # "Tamsin. T A M S I N. Okafor.": a word spelled to confirm it, then the surname
            # on its own is the rest of the same name.
            end += 1
        spelled_any = True
        # Candidate words: nearest name-like word before (within 4 tokens) and after (within 3).
        before_idx = None
        k = i - 1
        steps = 0
        while k >= 0 and steps < 5:
            # "Ayesha with a Y, A Y E S H A": a letter remark between the word and its spelling.
            is_connector = toks[k].text.lower() in _CONNECT or _is_letter(toks[k]) or (
                toks[k].text.lower() in ("a", "no", "one", "two", "without", "but"))
            if toks[k].word and not is_connector and _looks_like_name(toks[k].text):
                before_idx = k
                break
            if toks[k].word and not is_connector:
                break
            k -= 1
            steps += 1
        after_idx = None
        k = end
        steps = 0
        while k < len(toks) and steps < 3:
            if toks[k].word and _looks_like_name(toks[k].text):
                after_idx = k
                break
            if toks[k].word:
                break
            k += 1
            steps += 1
        if before_idx is None:
            # "Rhiannon, people always get it wrong, R H I A N N O N, Morrison": a remark
            # between the name and its spelling.
            far = _before_remark(toks, i, spelled)
            if far is not None:
                # "Thomas, but spelled with no H, T O M A S": the spelling wins.
                word = toks[far].text if _similar(toks[far].text, spelled) >= 0.99 else spelled
                toks = [*toks[:far], _Tok(word, True), *toks[end:]]
                i = far + 1
                continue
        if before_idx is not None:
            # "Eilidh Mackay, that's E I L I D H": the spelling may be of an earlier word of
            # the name; when it clearly is, that word is the one spelled.
            far_idx, far_sim = _earlier_match(toks, before_idx, spelled)
            near_sim = _similar(toks[before_idx].text, spelled)
            if far_idx is not None and far_sim >= 0.5 and far_sim >= near_sim + 0.3:
                new_word = toks[far_idx].text if far_sim >= 0.99 else spelled
                toks = [*toks[:far_idx], _Tok(new_word, True), *toks[far_idx + 1 : i],
                        *toks[end:]]
                i = far_idx + 1
                continue
        sim_before = _similar(toks[before_idx].text, spelled) if before_idx is not None else -1.0
        sim_after = _similar(toks[after_idx].text, spelled) if after_idx is not None else -1.0
        prefer_before = sim_before >= 0.5 or sim_before >= sim_after or sim_after < 0.6
        if before_idx is not None and prefer_before:
            target = before_idx
            keep_original = sim_before >= 0.99
            new_word = toks[target].text if keep_original else spelled
            toks = [*toks[:target], _Tok(new_word, True), *toks[end:]]
            i = target + 1
        elif after_idx is not None:
            keep_original = sim_after >= 0.99
            new_word = toks[after_idx].text if keep_original else spelled
            toks = [*toks[:i], _Tok(new_word, True), *toks[after_idx + 1 :]]
            i += 1
        else:
            toks = [*toks[:i], _Tok(spelled, True), *toks[end:]]
            i += 1
    return toks, spelled_any


# "my", "the patient's", "my husband's", "my father-in-law's"
# Longest first: the alternation takes the first that fits.
_DOCUMENTS = (r"(?:health card|insurance card|driver's licen[cs]e|chart|file|card|account|"
              r"records?|passport|id|insurance|licen[cs]e|papers)")
_OWNER = r"(?:(?:my|his|her|their|our|the|your) [a-z-]+'s|my|his|her|their|our|the|your|[a-z-]+'s)"
# Families of lead-ins too many to list as word tuples: requests to write the name down
# ("could you put down", "can you book it under the name"), statements of the name ("his name
# would be", "the name on the file is"), where the booking sits ("the appointment's under",
# "it'll be for"), nicknames ("everybody calls me") and "that'd be".
_LEAD_RE = re.compile(
    r"(?:(?:i'm |i am |we're |we are |i'll be |i'd like to |i want to |i need to |i wanna )?"
    r"(?:(?:could|can|would|will) you (?:please |just |maybe )?|please |just |go ahead and |"
    r"you can (?:just )?|you could (?:just )?|if you could (?:just )?)?"
    r"(?:put|book|write|pop|stick|list|have|leave|file|enter|save|register|sign|schedule|add|"
    r"booking|putting|writing|signing|making it|use|using)"
    r"(?: (?:it|that|this|me|us|him|her|them|the appointment|the booking|that one|it all|"
    r"the name))?"
    r"(?: (?:down|in|up))?(?: (?:under|as|for|with))?(?: the name(?: of)?)?"
    r"|(?:(?:my|his|her|the) )?(?:first|last)(?:'s| is| one is| one's| would be)"
    # said without the verb: "her name Fatima Noori", "my name Arturo"
    r"|(?:my|his|her|their|the patient's|patient) name(?! is| was| would| will| should|'s)"
    r"|(?:" + _OWNER + r" )?(?:(?:first|last|full|family|given|middle|legal|sur|maiden|married|"
    r"whole|complete|real|proper|actual|official|english|birth|christian) ?)?name"
    r"(?: on (?:the|my|his|her|their) (?:file|account|card|chart|booking))?"
    # "the name you'll want is", "the name to use is"
    r"(?: you(?:'ll| will| would|'d)? (?:want|need)| to (?:use|put)| for (?:the|this) "
    r"(?:booking|appointment))?"
    r"(?:'s| is| was| would be| will be| should be| ought to be| goes| reads| you have)"
    r"|(?:(?:the|my|his|her|our) )?(?:appointment|booking|reservation|file|account|chart|visit|"
    r"it|that|this|everything)(?:'s| is| was| will be|'ll be| would be|'d be| should be| can be|"
    r" could be| is gonna be|'s gonna be| is going to be|'s going to be| goes| can go| should go)?"
    r"(?: (?:booked|listed|filed|saved|made|registered|down))? (?:under|for)"
    r"(?: the name(?: of)?)?"
    r"|(?:(?:everybody|everyone|people|most people|my friends|friends|they|you can|just) )?"
    r"calls? me|(?:i|he|she|they) go(?:es)? by"
    r"|(?:(?:i'm|i am|he's|she's|he is|she is) )?(?:better |also |usually )?known as"
    r"|(?:(?:i'm|i am|we're|we are) )?(?:calling|booking|phoning|asking) (?:for|about|on behalf of)"
    r"|on behalf of"
    r"|(?:(?:it's|that's|it is|which is|is|was) )?(?:spelled|spelt|spelling)(?: is| like| as)?"
    r"|(?:just )?(?:tell|say to) (?:them|her|him|the dentist|the doctor|the hygienist)(?: that)?"
    # French: "mon nom de famille, c'est", "prénom Luc, nom Bélanger"
    r"|(?:et )?(?:mon |son |le |ton )?(?:nom de famille|nom|prénom|prenom)(?: c'est| est)?"
    # "Mine is Jorge Silva"
    r"|(?:mine|his|hers|theirs|ours)(?:'s| is| would be| will be)"
    # "she's called Imani", "he goes by Sunny", "named after"
    r"|(?:(?:he|she|it|they|i|we)(?:'s| is|'m| am|'re| are| was) )?(?:called|named)"
    # "The kid is Ezra Goldberg", "she's Ayumi"
    r"|(?:(?:the|my|our) (?:kid|child|patient|boy|girl|baby|son|daughter|wife|husband|mom|"
    r"mother|dad|father|partner|grandson|granddaughter|grandmother|grandfather|little one)|he|"
    r"she)(?:'s| is| would be| will be)"
    # Where the caller is on file: "you've probably got me as", "I'm in your system under",
    # "look under", "try", "my chart should say".
    r"|you(?:'ve| have| had|'d| would| should| might| may| will|'ll)? (?:probably |likely |"
    r"maybe |still )?(?:have |got |find |see |had )?(?:me|him|her|us|them|it|that) (?:down |in |"
    r"on file |in there |in the system |in your system )?(?:as|under)"
    r"|(?:i'm|i am|he's|she's|we're|(?:i|he|she|we|it) (?:should|might|would|could|will|may) "
    r"be|i'd be|i'll be|i was) (?:in there|in the system|in your system|on file|listed|down|"
    r"registered|booked|saved) (?:as|under)"
    r"|(?:just |please |maybe |you can |you could )?(?:look|check|search|try|find)"
    r"(?: me| it| him| her)?(?: up)?(?: (?:under|for|as))?"
    # "on my health card it's", "my passport says", "in English it's"
    r"|(?:on|in) (?:my|his|her|the|their) " + _DOCUMENTS + r"(?: it's| it is| it says| it'll say|"
    r" it should say)?"
    r"|in (?:english|french|chinese|mandarin|cantonese|punjabi|hindi|arabic|somali|tagalog|"
    r"vietnamese|korean|japanese|portuguese|spanish|italian|ukrainian|russian|farsi|persian|"
    r"urdu|tamil)(?: it's| it is)?"
    r"|(?:(?:my|his|her|the|it|that) (?:" + _DOCUMENTS + r"|booking|appointment|reservation)|it)"
    r"(?:'ll| should| will| might| would)? (?:say|says|read|reads|show|shows|list|lists)"
    r"(?: it)?(?: as| under)?"
    r"|(?:it|that|this)(?:'d be|'ll be| would be| will be| should be| is gonna be|'s gonna be|"
    r" is going to be|'s going to be| might be))(?= |$)"
)


def _strip_lead(words: list[str], lead_ins: tuple[tuple[str, ...], ...]) -> tuple[list[str], str]:
    """Remove lead-in phrases; report whether it was introduced as a first or last name."""
    role = ""
    changed = True
    while changed and words:
        changed = False
        lower = [w.lower().replace("’", "'") for w in words]
        m = _LEAD_RE.match(" ".join(lower))
        said = m.group() if m else ""
        n = len(said.split())
        for lead in lead_ins:
            if len(lead) > n and tuple(lower[: len(lead)]) == lead:
                said, n = " ".join(lead), len(lead)
                break
        if n and n < len(words) + 1:
            if "first" in said or "given" in said or "prénom" in said or "prenom" in said:
                role = "first"
            elif "nom" in said.split():
                role = "last"
            elif ("last" in said or "surname" in said or "family" in said
                  or said.split()[-1] in _TITLES):
                # "Mrs. Kaur": a title goes with the surname.
                role = "last"
            words = words[n:]
            changed = True
    return words, role


_ROLE_WORDS = {"first": "first", "given": "first", "christian": "first", "last": "last",
               "family": "last", "surname": "last", "lastname": "last", "firstname": "first"}
_TAIL_VERBS = frozenset({"is", "was", "be", "would", "will", "should", "that's", "thats", "that",
                         "which", "which's", "it's", "its", "and"})
_TAIL_OWNERS = frozenset({"the", "my", "his", "her", "their", "our", "your"})


def _role_tail(words: list[str]) -> tuple[list[str], str]:
    """ "Hersi is the last name", "that's my first name": a role said after the name."""
    lower = [w.lower().replace("’", "'") for w in words]
    if len(lower) >= 2 and lower[-1] == "name" and lower[-2] in _ROLE_WORDS:
        role, k = _ROLE_WORDS[lower[-2]], len(lower) - 2
    elif lower and lower[-1] in ("surname", "lastname", "firstname"):
        role, k = _ROLE_WORDS[lower[-1]], len(lower) - 1
    else:
        return words, ""
    if k and lower[k - 1] in _TAIL_OWNERS:
        k -= 1
    if not k or (lower[k - 1] not in _TAIL_VERBS and not lower[k - 1].endswith("'s")):
        # "My last name" alone, or "first name Sylvie" read the other way: not a tail.
        return words, ""
    while k and lower[k - 1] in _TAIL_VERBS:
        k -= 1
    rest = words[:k]
    if rest and rest[-1].lower().endswith("'s") and rest[-1][0].isupper():
        # "Hersi's the last name"
        rest = [*rest[:-1], rest[-1][:-2]]
    return rest, role


def _name_prefix(words: list[str], relaxed: bool) -> list[str]:
    out: list[str] = []
    for i, w in enumerate(words):
        lw = w.lower()
        if (out and lw == "or" and i + 1 < len(words)
                and words[i + 1].lower() in ("maybe", "perhaps", "possibly", "rather", "actually")):
            # "Luc or maybe Lucas Gravel": the later alternative, when it is the fuller.
            alt = _name_prefix(words[i + 2 :], relaxed)
            if len(alt) >= len(out):
                return alt
            break
        if out and w[0].islower() and (
            lw in _PARTICLES or ("-" in lw and lw.split("-")[0] in _PARTICLES)
        ):
            # "de la Cruz", "al-Farouq"
            out.append(w)
            continue
        if lw in _WORD_NAMES and w[0].isupper() and not relaxed:
            # "Will Tremblay", "Sarah Little": a capitalised word that is also a name,
            # taken only next to another name word.
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if out or (nxt[:1].isupper() and nxt.lower() not in _STOP):
                out.append(w)
                continue
        if out and w[0].isupper() and lw in _SHORT_NAME_WORDS:
            # "Nguyen Van An", "Tran Do": short capitalised words inside a name.
            out.append(w)
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (out and not relaxed and w[0].isupper() and len(w) > 2 and lw in _STOP
                and nxt[:1].isupper() and len(nxt) > 1 and nxt.lower() not in _STOP):
            # "Joseph Many Grey Horses": a capitalised common word inside a name.
            out.append(w)
            continue
        if (lw in _STOP or lw in _TITLES or lw.removesuffix("'s") in _STOP
                or _NOISE_WORD.search(lw)):
            break
        if not (w[0].isalpha() and (w[0].isupper() or relaxed)):
            break
        if len(w) > 3 and w[-2:] in ("'s", "’s") and i + 1 < len(words):
            # "Karen's fine", "Noah's the name": the 's is "is".
            out.append(w[:-2])
            break
        out.append(w)
        if len(out) >= 5:
            break
    # A trailing particle is dangling ("Anna van"), unless it is a surname ("Thanh Truc Le").
    while out and out[-1].lower() in _PARTICLES and not (
            len(out) > 1 and out[-1][0].isupper() and out[-1].lower() in _SHORT_NAME_WORDS):
        out.pop()
    return out


@dataclass
class _Candidate:
    words: list[str]
    role: str
    index: int
    whole: bool = True


_ROLE_OPENERS = frozenset({"last", "first", "surname", "family", "given", "my", "the", "his",
                           "her"})


def _clauses(toks: list[_Tok]) -> list[list[str]]:
    clauses: list[list[str]] = [[]]
    for t in toks:
        if t.word:
            clauses[-1].append(t.text)
        elif t.text == "." and clauses[-1] and clauses[-1][-1].lower() in _TITLES:
            # "Mrs. Kaur": the title's full stop does not end the clause.
            continue
        elif t.text in ",.?!;:…" or t.text.startswith(".."):
            if clauses[-1]:
                clauses.append([])
    out: list[list[str]] = []
    for c in clauses:
        # "... is spelled J A S M E E N and last name is K H A N": "and" opens a new part.
        # "People call me Sandy but my legal name is Alexandra Kostas": "but" too.
        k = next((i for i in range(1, len(c) - 1) if c[i].lower() in ("and", "but")
                  and c[i + 1].lower() in _ROLE_OPENERS), None)
        if k is not None:
            out.extend(part for part in (c[:k], c[k:]) if part)
        elif c:
            out.append(c)
    return out


def _title(words: list[str], relaxed: bool) -> str:
    if not relaxed:
        return " ".join(words)
    return " ".join(w if w.lower() in _PARTICLES else _spelled_word(w) for w in words)


# Short words that are also name parts ("Nguyen Van An", "Tran Do", "Marie Le").
_SHORT_NAME_WORDS = frozenset({"an", "do", "le", "la", "ha", "ho", "ma", "mi", "lo"})
_RELATIONS = frozenset({
    "mom", "mother", "dad", "father", "son", "daughter", "wife", "husband", "kid", "child",
    "partner", "sister", "brother", "grandmother", "grandfather", "grandma", "grandpa", "boy",
    "girl", "niece", "nephew", "friend", "mum", "grandson", "granddaughter", "stepson",
    "stepdaughter", "fiance", "fiancé", "fiancee", "fiancée",
})
_ASSISTANT = "bella"
_NAME_CORRECTION = re.compile(
    r"\b(?:sorry|no|not|nope|wait|actually|i mean|rather|wrong|oops|scratch that|correction|"
    r"instead|but|pardon|well)\b", re.IGNORECASE)
# Dental plans and places callers mention that look like a person's name.
_ORGS = re.compile(
    r"\b(?:canada life|sun life|manulife|blue cross|green shield|great[- ]west life|empire life|"
    r"desjardins insurance|industrial alliance|telus health|tim hortons|shoppers drug mart|"
    # and holidays: "It's Labour Day"
    r"(?:labour|labor|canada|victoria|family|boxing|remembrance|heritage|louis riel|islander|"
    r"civic|patriots|st\.? jean|saint[- ]jean|good|mother's|father's|new year's) day|good friday|"
    r"easter \w+|christmas \w+|thanksgiving \w+|"
    # and season's greetings: "Merry Christmas, I need to cancel"
    r"merry \w+|happy (?:new year|holidays|easter|thanksgiving|hanukkah|diwali|eid|ramadan|"
    r"lunar new year|canada day|victoria day|halloween|valentine's|birthday)|season's greetings|"
    r"joyeux \w+|bonne (?:annee|année|fete|fête))\b",
    re.IGNORECASE)
_NICKNAME = re.compile(r"\b(?:go(?:es)? by|call(?:s)? (?:me|him|her)|known as|prefers?)\b",
                       re.IGNORECASE)
_FILLER_LEADS = frozenset({"hmm", "uh", "um", "oh", "so", "well", "and", "but", "yeah", "yes",
                           "okay", "ok", "right", "ah", "anyway", "actually", "the"})
_IS_NAME_NEXT = frozenset({"the", "fine", "good", "okay", "ok", "alright", "enough", "easier",
                           "easiest", "best", "spelled", "spelt", "short", "my", "his", "her"})
_SIGN_OFF = frozenset({"here", "speaking", "calling", "again", "please", "thanks", "thank"})
# "calling for Sunrise Dental": a business, not a person.
_PLACE_WORDS = frozenset({"dental", "dentistry", "dentist", "dentists", "clinic", "office",
                          "orthodontics", "centre", "center", "smiles", "smile", "health",
                          "group", "associates", "care", "hospital", "pharmacy", "insurance"})
_PUT_VERBS = frozenset({"put", "book", "write", "list", "save", "enter", "file", "sign",
                        "register", "pop", "stick", "use", "schedule"})
_SIGNED = frozenset({"here", "speaking", "calling"})
_FOR_CUES = tuple(sorted((
    ("it's", "for"), ("it", "is", "for"), ("this", "is", "for"), ("that's", "for"),
    ("it's", "under"), ("it", "is", "under"), ("on", "behalf", "of"), ("calling", "for"),
    ("phoning", "for"), ("appointment", "is", "for"), ("appointment's", "for"),
    ("booking", "is", "for"), ("booking's", "for"), ("appointment", "is", "under"),
    ("appointment's", "under"),
), key=len, reverse=True))
_NAME_CUE = re.compile(r"\b(?:name(?:'s| is)|call me|this is)\s")


def _drop_title(words: list[str]) -> list[str]:
    """ "Mrs. Doris Campbell" -> "Doris Campbell": a courtesy title is not part of the name
    (kept when nothing but a surname follows it)."""
    if len(words) > 2 and words[0].lower().rstrip(".") in _COURTESY_TITLES:
        return words[1:]
    return words


def _word_name(words: list[str], relaxed: bool) -> list[str]:
    """ "Will", "May Young": a capitalised word that is also a common word, then any name."""
    if words and words[0][:1].isupper() and words[0].lower() in _WORD_NAMES:
        return [words[0], *_name_prefix(words[1:], relaxed)]
    return []


def extract_name(text: str, expect: str) -> tuple[str | None, float]:
    if not text:
        return None, 0.0
    name, confidence = _extract_name(text, expect, text == text.lower())
    if (name is None and expect == "name" and text != text.lower()
            and _NAME_CUE.search(text.lower())):
        # Recognition sometimes leaves a name in lower case ("It's john smith").
        name, confidence = _extract_name(text, expect, True)
        confidence = min(confidence, 0.6)
    return name, confidence


def _extract_name(text: str, expect: str, relaxed: bool) -> tuple[str | None, float]:
    toks = _tokens(text)
    toks, spelled = _apply_spelling(toks)
    candidates: list[_Candidate] = []
    relation_before = False
    pending_role = ""
    # Names are short: bound the work on long or adversarial input.
    for idx, clause in enumerate(_clauses(toks)[:40]):
        clause = clause[:16]
        after_relation, relation_before = relation_before, (
            len(clause) >= 2 and clause[-2].lower() in ("my", "our")
            and clause[-1].lower() in _RELATIONS)
        if expect == "name":
            if len(clause) > 1 and clause[0] in ("is", "was"):
                # "the patient, my mother, is Rosa Albanese": the verb after an aside (a question
                # would start with a capital "Is").
                clause = clause[1:]
            clause, tail_role = _role_tail(clause)
            words, role = _strip_lead(clause, _LEAD_INS)
            forced: list[str] = []
            if (len(words) < len(clause) and not _name_prefix(words, relaxed)
                    and any("name" in w.lower() for w in clause[: len(clause) - len(words)])):
                # "My name's Will", "first name's Will": a word that is also a name, after a
                # lead-in that says a name follows.
                forced = _word_name(words, relaxed)
            if tail_role:
                if not words and candidates and not candidates[-1].role:
                    # "Mohamud, M O H A M U D, that's my first name": said of the name before.
                    candidates[-1].role = tail_role
                    continue
                role = tail_role
            if role and not (_name_prefix(words, relaxed) or forced):
                # "Last name, uh, Karimi", "Surname first? Sato", "the last name is a mouthful,
                # Wisniewski": the lead-in applies to the next name said.
                pending_role = role
                continue
            if not role and pending_role and all(w.lower() in _STOP for w in words):
                continue
            role, pending_role = role or pending_role, ""
            name = _name_prefix(words, relaxed) or forced
            whole = len(name) == len(words)
            introduced = len(words) < len(clause)
            if not (name and whole):
                # "Cleaning for Rita Moreno", "the checkup's for Wes Pelletier": the name the
                # booking is for, ending the clause.
                for p in range(1, len(words)):
                    if words[p - 1].lower() in ("for", "under") and words[p][0].isupper():
                        tail = _name_prefix(words[p:], relaxed)
                        if tail and len(tail) == len(words) - p:
                            name, whole, introduced = tail, True, True
                            break
            lead = [w.lower().rstrip(".") for w in clause[: len(clause) - len(words)]]
            if (name and not whole and lead and lead[-1] in _TITLES
                    and all(w in _FILLER_LEADS for w in lead[:-1])):
                # "Dr. Patel referred me": someone else, spoken about, not a name given.
                continue
            # A lone capitalised word starting a longer sentence ("Lemme check") is not a name
            # unless something introduced it or it is signed off ("Dave here").
            if name and not whole and not introduced and len(name) == 1:
                # "Katherine with a K": a remark about a letter keeps the name.
                remark = (words[1].lower() in ("with", "without") and len(words) <= 4
                          and len(words[-1]) == 1 and words[-1].isupper())
                # "Noah's the name", "Karen's fine": the name and "is".
                is_said = (words[0][-2:] in ("'s", "’s") and words[1].lower() in _IS_NAME_NEXT
                           and words[0][:-2].lower() not in _RELATIONS)
                if words[1].lower() not in _SIGN_OFF and not remark and not is_said:
                    continue
            if len(words) > 2 and words[0].lower() == "like":
                words = words[1:]
            if (len(words) > 1 and words[0][0].islower() and words[1][0].isupper()
                    and any(words[0].lower() == w.lower() for c in candidates for w in c.words)):
                # "Mercy, like mercy. Mercy Osei" (recognition ran the repeat together):
                # the word already given as a name.
                words = [words[0].capitalize(), *words[1:]]
                name = _name_prefix(words, relaxed)
                whole = len(name) == len(words)
            if not (name and whole) and (candidates or name):
                # "like Everybody Loves Raymond Tessier" (a repeat run together by recognition),
                # "Ngozi but she spells it Ngozi Eze": the name already given, restated in full
                # at the end of the clause.
                given = {w.lower() for c in candidates for w in c.words} | {
                    w.lower() for w in name}
                for p in range(max(1, len(name)), len(words)):
                    if words[p][0].isupper() and words[p].lower() in given:
                        tail = _name_prefix(words[p:], relaxed)
                        if len(tail) >= 2 and len(tail) == len(words) - p:
                            name, whole = tail, True
                        break
            prev = candidates[-1] if candidates else None
            if (name and prev is not None and clause[0].lower() == "and" and whole and not role
                    # not "it's Jamal, and my wife is Aisha": another person
                    and not any(w.lower() in _RELATIONS or w.lower() in _TAIL_OWNERS
                                for w in clause[: len(clause) - len(words)])
                    and len(name) == 1 and len(prev.words) == 1 and prev.index == idx - 1
                    and prev.role != "last" and name[0].lower() != prev.words[0].lower()):
                # "Abdiaziz, A B D I A Z I Z, and Hirsi, H I R S I": one name in two parts.
                prev.words = [*prev.words, *name]
                continue
            if name:
                candidates.append(_Candidate(name, role, idx, whole))
            continue
        lower = [w.lower().replace("’", "'") for w in clause]
        before = len(candidates)
        if after_relation:
            # "to book for my mom, Helen Park" ("..., Mrs. Agnes Bird"): the name right after
            # the relation.
            # (Not reassigning ``clause``: the cue scan below indexes it in step with ``lower``.)
            named = _drop_title(clause)
            name = _name_prefix(named, False)
            if name and len(name) == len(named):
                candidates.append(_Candidate(name, "", idx))
        for pos in range(len(lower)):
            if (pos + 2 < len(lower) and lower[pos] in ("my", "our")
                    and lower[pos + 1] in _RELATIONS):
                # "calling for my son Kai Nakamura, he needs ...", "book my husband Raj in":
                # the name right after the relation, inside the sentence.
                name = _name_prefix(clause[pos + 2 :], False)
                if name and not _ORGS.search(" ".join(name)):
                    candidates.append(_Candidate(name, "", idx))
                    break
            for_cue = next((len(c) for c in _FOR_CUES if tuple(lower[pos : pos + len(c)]) == c),
                           0)
            if for_cue:
                # "It's for Abdullah Rahimi", "calling on behalf of Gordon Bell", "the
                # appointment is for Mia Chen": a full name only ("it's for Invisalign", "it's
                # for March" are not names).
                rest = clause[pos + for_cue :]
                name = _name_prefix(_drop_title(rest), False)
                if len(name) >= 2 and not any(w.lower() in _PLACE_WORDS for w in name):
                    candidates.append(_Candidate(name, "", idx))
                    break
            for cue in _CUES_ANY_EXPECT:
                if tuple(lower[pos : pos + len(cue)]) == cue:
                    rest = _drop_title(clause[pos + len(cue) :])
                    name = _name_prefix(rest, False)
                    if not name and any("name" in w for w in cue):
                        # "my name is Will and I need a cleaning"
                        name = _word_name(rest, False)
                    if name:
                        candidates.append(_Candidate(name, "", idx))
                    break
        if expect in ("phone", "intent") and len(candidates) == before:
            # A full name said as a clause of its own, or signed off ("Sure, Elena Rossi,
            # 416-555-0168", "Cancellation for Wednesday, Priya Nair.", "Siobhan Walsh here"):
            # two or more capitalised name words and nothing else.
            words = clause
            while words and words[0].lower() in _FILLER_LEADS:
                words = words[1:]
            if words and words[0].lower() in _PUT_VERBS:
                # "Put Emmanuel Osei, 613-...", "Write down Ana Lima": a request to note it.
                stripped, _ = _strip_lead(words, ())
                if not any(w.lower().rstrip(".") in _TITLES for w in words[: len(words)
                                                                          - len(stripped)]):
                    words = stripped
            k = next((i for i in range(2, min(len(words), 5)) if words[i].lower() in _SIGNED), 0)
            if k and len(words) > k + 1 and words[k + 1].lower() in ("to", "about", "for"):
                # "Patricia Gill calling to reschedule", "Omar Haddad here about my crown".
                words = words[: k + 1]
            signed = len(words) == 2 and words[-1].lower() in _SIGNED
            if (len(words) >= 3 or signed) and words[-1].lower() in _SIGN_OFF:
                words = words[:-1]
            name = _name_prefix(words, False)
            # "Mandeep here, I need to cancel": a lone first name signed off is a name too.
            if ((len(name) >= 2 or signed) and name and len(name) == len(words)
                    and not any(w.lower() in _PLACE_WORDS for w in name)):
                candidates.append(_Candidate(name, "", idx))
        if candidates and idx > candidates[0].index:
            # A bare restatement of a name already given ("under Farah. Hodan Farah.").
            name = _name_prefix(clause, False)
            if len(name) == len(clause) >= 2 and any(
                n.lower() in (w.lower() for w in name) for c in candidates for n in c.words
            ):
                candidates.append(_Candidate(name, "", idx))
    # A lone letter is an initial or noise, not a name; "Bella" alone is the assistant being
    # addressed ("Thanks, Bella", "It's Bella, right?"), not the caller.
    candidates = [c for c in candidates if sum(len(w) for w in c.words) >= 2
                  and not (len(c.words) == 1 and c.words[0].lower() == _ASSISTANT)
                  and not _ORGS.search(" ".join(c.words))]
    if not candidates:
        return None, 0.0
    firsts = [c for c in candidates if c.role == "first"]
    lasts = [c for c in candidates if c.role == "last"]
    others = [c for c in candidates if not c.role]
    if firsts and (lasts or others):
        last = (lasts or others)[-1]
        words = firsts[-1].words + [w for w in last.words if w not in firsts[-1].words]
        return _title(words, relaxed), 0.85
    if lasts and len(lasts[-1].words) == 1:
        # "Paul. P A U L. Last name Quinlan.": a lone first name, then the last name.
        # "It's Mrs. Kaur. Balwinder.": the first name may come after, said on its own.
        alone = [c for c in others if len(c.words) == 1
                 and (c.index < lasts[-1].index or c.whole)
                 and c.words[0].lower() != lasts[-1].words[0].lower()]
        if alone:
            return _title(alone[-1].words + lasts[-1].words, relaxed), 0.8
    # The fullest name wins; then one said on its own ("Daniel." over "Dan is fine"); then
    # the latest ("Jon... sorry, Jonathan").
    best = max(candidates, key=lambda c: (len(c.words), c.whole, c.index))
    if not _NAME_CORRECTION.search(text):
        # "Jenny Ho, Richmond Hill", "Maude Lachance. Merry Christmas": with no correction said,
        # a second, unrelated name of the same length is a place or a greeting, not the name.
        # ("it's Big Mike. Michael Santos." is one name restated.)
        earlier = [c for c in candidates if c.index < best.index and c.whole == best.whole
                   and len(c.words) == len(best.words)
                   and all(_similar(a, b) < 0.4 for a in best.words for b in c.words)]
        if earlier:
            best = earlier[0]
    last = candidates[-1]
    if (last is not best and last.whole and len(last.words) >= 2 and _NICKNAME.search(text)
            and {w.lower() for w in last.words} & {w.lower() for w in best.words}):
        # "Ng Siu Ming, but I go by Stanley. Stanley Ng.": the name they go by, restated in
        # full at the end, is the one to book under.
        best = last
    confidence = 0.95 if spelled else 0.85 if len(best.words) > 1 else 0.7
    return _title(best.words, relaxed), confidence
