"""Times of day and parts of day.

A bare hour follows FORMAT.md: 1-7 means afternoon, 8-11 morning, 12 noon,
unless a.m./p.m. or a part of day ("in the morning", "evening") says otherwise.
Ranges and bounds ("between 1 and 3", "after 6") give a part of day, not a time.
Later mentions win; a time after "not" is dropped ("3, not 2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bella_nlp.temporal_text import DEFER, RELATIVES

_AMPM = r"(?:\s?(?P<ampm>[ap]m)\b)?"
# Ordinal suffixes only when attached ("the 9th"), so "at 9 then" / "at 4 this" stay times.
_DUR = r"(?!(?:st|nd|rd|th)\b|\s*(?:days?|weeks?|months?|years?|minutes?|mins?|hours?|hrs?"
_DUR += r"|people|kids"
_DUR += r"|of\b|%|:|/|\.\d|-year|from (?:now|today)))"
_POD_WORD = re.compile(
    r"\b(?P<early>early |late |mid[- ]?)?(?P<pod>mornings?|afternoons?|evenings?|tonight|night"
    r"|first thing|(?:(?:right )?when|as soon as|once) you(?:'re| are)? open\b(?! (?:on|at|till"
    r"|until|from))|at opening(?: time)?|opening time|after lunch|before lunch|before noon"
    r"|lunchtime"
    r"|after work|after school|before work|before school|after dinner|end of (?:the )?day|"
    r"later in the day|late in the day|end of the afternoon|(?:just |right )?before (?:you )?"
    r"clos(?:e|ing)|closing time|(?:the |your )?(?:last|latest) (?:appointment|slot|spot|one|thing)"
    r" (?:of the day|you have|you've got|available|possible|in the day)"
    r"|(?:after|around|over|at|before) (?:supper|dinner)(?:time)?|(?:supper|dinner)time"
    r"|as early as (?:possible|you can|you have)|the earlier the better|earlier in the day"
    r"|(?:after |before |around |at |over )?breakfast(?: ?time)?"
    r"|earliers? (?:is |would be )?(?:better|best|preferred|good)"
    r"|early(?= if\b| as\b| please\b| would\b| is\b| on\b|\s*[.?!,]|$)"
    r"|(?:over|at|around|during|on my) lunch(?: hour| break)?|lunch hour|lunch break"
    r"|(?:the )?(?:first|1st|earliest) (?:appointment|slot|thing|spot)|early morning|early bird"
    r"|(?:the )?earliest (?:time |slot |one |appointment )?(?:you have|you've got|available"
    r"|possible)?(?=,? ?(?:tomorrow|today|on|this|next|monday|tuesday|wednesday|thursday|friday"
    r"|saturday))"
    # "Tuesday, the earliest you've got": the earliest on a day said just before.
    r"|(?:(?<=[a-z]day, )|(?<=[a-z]day )|(?<=tomorrow, )|(?<=tomorrow ))"
    r"(?:the )?earliest (?:time |slot |one |appointment )?(?:you have|you've got"
    r"|available|possible|you can do|you can give me))\b"
)
_POD_OF = {
    "morning": "morning", "mornings": "morning", "first thing": "morning",
    "when you open": "morning", "right when you open": "morning", "before lunch": "morning",
    "before noon": "morning", "afternoon": "afternoon", "afternoons": "afternoon",
    "after lunch": "afternoon", "after school": "afternoon", "later in the day": "afternoon",
    "evening": "evening", "evenings": "evening", "tonight": "evening", "night": "evening",
    "after work": "evening", "lunchtime": "afternoon", "after dinner": "evening",
    "end of the day": "afternoon", "before work": "morning", "before school": "morning",
    "end of day": "afternoon", "late in the day": "afternoon", "end of the afternoon": "afternoon",
    "closing time": "afternoon", "the earlier the better": "morning",
    "early": "morning", "after supper": "evening", "after suppertime": "evening",
    "after dinnertime": "evening", "suppertime": "evening", "dinnertime": "evening",
    "before supper": "afternoon", "before dinner": "afternoon",
    "early morning": "morning", "early bird": "morning",
}
_PAST_POD = re.compile(r"\b(?:last|yesterday|since|this past)\s*$")
_NOT = re.compile(r"(?:\bnot|\binstead of|\brather than|\bexcept)\s+(?:at\s+)?(?:the\s+)?$")

_TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(r"\b(?:between|from) (?P<h1>\d{1,2})(?::(?P<m1>\d\d))?"
                         r"(?:\s?(?P<a1>[ap]m))?"
                         r" (?:and|to|till|until|-) (?P<h2>\d{1,2})(?::(?P<m2>\d\d))?" + _AMPM)),
    # "between 10 and noon", "from noon till 3".
    ("range", re.compile(r"\b(?:between|from) (?P<h1>\d{1,2})(?::(?P<m1>\d\d))?"
                         r"(?:\s?(?P<a1>[ap]m))? (?:and|to|till|until|-) (?:12 )?(?:noon|midday)\b"
                         r"(?P<h2>)(?P<m2>)")),
    ("range", re.compile(r"\b(?:between|from) (?:12 )?(?:noon|midday)(?P<h1>)(?P<m1>)(?P<a1>)"
                         r" (?:and|to|till|until|-) (?P<h2>\d{1,2})(?::(?P<m2>\d\d))?" + _AMPM)),
    ("range", re.compile(r"\b(?P<h1>\d{1,2})(?::(?P<m1>\d\d))?(?:\s?(?P<a1>[ap]m))? ?(?:-|to|or) ?"
                         r"(?P<h2>\d{1,2})(?::(?P<m2>\d\d))?\s?(?P<ampm>[ap]m)\b")),
    # "noon or 1", "11 or noon": noon is 12 in a span.
    ("range", re.compile(r"\b(?:12 )?(?:noon|midday) or (?P<h2>1|2)\b(?P<h1>)(?P<m1>)(?P<m2>)"
                         r"(?P<a1>)(?!:)")),
    ("range", re.compile(r"\b(?P<h1>9|10|11) or (?:12 )?(?:noon|midday)\b(?P<h2>)(?P<m1>)(?P<m2>)"
                         r"(?P<a1>)")),
    # "Thursday, 2 30": hour and minutes with no colon, after the day.
    ("hm", re.compile(r"\b(?:\w*day|tomorrow|today|[0-3]?\d(?:st|nd|rd|th)),? (?P<h>1[0-2]|[1-9]) "
                      r"(?P<m>[0-5]\d)\b" + _AMPM + _DUR)),
    # "around 2 or 3": two bare hours name a span of the day, not a time (the empty groups
    # give the range code the minutes and a.m./p.m. it reads).
    ("range", re.compile(r"\b(?:around |about |like |maybe |say )?(?P<h1>1[0-2]|[1-9]) or "
                         r"(?P<h2>1[0-2]|[1-9])(?P<m1>)(?P<m2>)(?P<a1>)\b"
                         r"(?!:|\s?[ap]m|\s?o'?clock|\s*(?:people|kids|days?|weeks?|hours?|of)\b)")),
    # "sometime around 3 to 4": a span of the day ("10 to 4" stays 3:50, checked below).
    ("range", re.compile(r"\b(?:around|about|like|maybe|say|sometime|anywhere|anytime|roughly) "
                         r"(?P<h1>1[0-2]|[1-9])(?P<m1>)(?P<a1>) (?P<to>to|-) (?P<h2>1[0-2]|[1-9])"
                         r"(?P<m2>)\b(?!:)" + _AMPM)),
    # "Wednesday, 1 to 3": a span too ("10 to 4", "5 to 6" stay times, checked below).
    ("range", re.compile(r"\b(?P<h1>1[0-2]|[1-9])(?P<m1>)(?P<a1>) (?P<to>to|till|until|-) "
                         r"(?P<h2>1[0-2]|[1-9])(?P<m2>)\b(?!:)" + _AMPM)),
    ("half_h", re.compile(r"\bhalf (?P<h>1[0-2]|[1-9])\b(?! (?:hours?|days?|weeks?))" + _AMPM)),
    ("past", re.compile(r"\b(?P<m>quarter|half|\d{1,2})(?: minutes)? (?:past|after) "
                        r"(?P<h>\d{1,2})\b" + _AMPM)),
    ("to", re.compile(r"(?<!between )(?<!from )\b(?P<m>quarter|5|10|15|20|25)(?: minutes)? "
                      r"(?:to|till|til|before|of) (?P<h>\d{1,2})\b" + _AMPM)),
    ("bound", re.compile(r"\b(?P<rel>after|before|past|from|by|no later than|not later than"
                         r"|not after) (?P<h>1[0-2]|[1-9])"
                         r"(?::(?P<m>\d\d))?" + _AMPM + _DUR)),
    ("hm", re.compile(r"(?<=\bat )(?P<h>1[0-2]|0?[1-9]) (?P<m>[0-5]\d)\b" + _AMPM + _DUR)),
    # The 24-hour clock: "1530", "0930", "fifteen thirty" (-> "15 30"), "fifteen hundred
    # hours", "oh nine hundred". Hours 06-18 only, so years ("2026", "1958") stay years.
    ("h24", re.compile(r"(?<![\d:/.#$-])(?<!room )(?<!suite )(?<!unit )(?<!ext )"
                       r"(?<!extension )(?<!number )(?<!code )(?P<h>0[6-9]|1[0-8])(?P<m>[0-5]\d)"
                       r"(?: hours| hrs| h)?\b"
                       r"(?![:/.-]?\d|\s?(?:[ap]m|s\b|dollars|bucks|km))")),
    ("h24", re.compile(r"\b(?P<h>1[3-9]|2[0-1]) (?P<m>[0-5]\d)\b(?!\s?(?:[ap]m|o'?clock)|:)"
                       + _DUR)),
    ("h24", re.compile(r"\b(?:(?:oh|0) ?)?(?P<h>[6-9]|1\d|2[0-1]) hundred(?: hours| hrs| h)?\b"
                       r"(?P<m>)")),
    # "at 930", "around 245": recognition dropped the colon; a bare hour as FORMAT.md says.
    ("hm", re.compile(r"(?:(?<=\bat )|(?<=\bby )|(?<=\baround )|(?<=\babout ))(?P<h>[1-9])"
                      r"(?P<m>[0-5]\d)\b(?![:/.-]?\d)" + _AMPM + _DUR)),
    ("hm", re.compile(r"\b(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)\b" + _AMPM)),
    ("h_ampm", re.compile(r"\b(?P<h>1[0-2]|0?[1-9])\s?(?P<ampm>[ap]m)\b")),
    ("oclock", re.compile(r"\b(?P<h>1[0-2]|0?[1-9]) (?:o'?clock|sharp)\b" + _AMPM)),
    ("noon", re.compile(r"\b(?:12 )?(?:noon|mid-?day)\b")),
    ("bare", re.compile(r"\b(?:at|around|about|like|say|maybe|said|says|wanted|want|then|is|or|"
                        r"prefer|do|make it|how about|ideally|for|until|"
                        r"not \d{1,2}(?::\d\d)?(?: ?[ap]m)?|wait|sorry|no|actually|"
                        r"mean|rather)\s?,?\s?"
                        r"(?:like |maybe |around |about )?"
                        r"(?P<h>1[0-2]|0?[1-9])\b" + _DUR + r"(?!\s?(?:[ap]m|o'?clock|-\d))")),
    # "Tuesday the 3rd, 11." / "Friday, 10, if you can": a bare hour set off after a day.
    ("bare", re.compile(r"\b(?:\w*day|tomorrow|today|tonight|morning|afternoon|evening"
                        r"|[0-3]?\d(?:st|nd|rd|th)|next week),? "
                        r"(?:then,? )?"
                        r"(?:at )?(?P<h>1[0-2]|[1-9])(?=\s*(?:[.?!;]|$|,|-- |\s(?:then|please|if"
                        r"|works|would|is|okay|ok|good|or so|maybe|for me)\b))")),
    # "The Tuesday after Easter, 10.": a bare hour closing the sentence after a comma.
    ("bare", re.compile(r"(?<=[a-z], )(?P<h>1[0-2]|[1-9])(?=[.?!](?: |$)|$)")),
    # "Monday then. 9.": a bare hour said as a sentence of its own.
    ("bare", re.compile(r"(?:^|(?<=[.?!] ))(?P<h>1[0-2]|[1-9])(?=[.?!](?: |$)|$)")),
    # Quebec's "10h30", "14h", "8h30".
    ("hm", re.compile(r"\b(?P<h>[01]?\d|2[0-3])h(?P<m>[0-5]\d)?\b")),
    # "I've got a thing at 2, so 11?": a bare hour after "so", closing the thought.
    ("bare", re.compile(r"\bso,? (?P<h>1[0-2]|[1-9])(?=\s*(?:[.?!,;]|$|then\b|works\b|ok\b"
                        r"|okay\b|maybe\b|instead\b))")),
    # "Ten tomorrow?", "3 on Friday": a bare hour opening the sentence, then the day.
    ("bare", re.compile(r"(?:^|(?<=[.?!,;] ))(?:like |maybe |say |around |about )?"
                        r"(?P<h>1[0-2]|[1-9])(?= (?:tomorrow|today|tonight|on (?:the )?\w*day"
                        r"|\w*day)\b)")),
    ("bare_pod", re.compile(r"\b(?P<h>1[0-2]|[1-9]) (?:(?:in the|this|tomorrow|at) ?)?(?P<pod>"
                            r"morning|afternoon|evening|night)\b")),
    # "Or 3. 2 is better.": a bare hour that opens a sentence and is judged.
    ("bare", re.compile(r"(?:^|(?<=[.?!,] ))(?P<h>1[0-2]|[1-9])(?= (?:is|would be|works|sounds"
                        r"|suits)\b|s (?:better|best|good|fine|great|perfect)\b)")),
]


# "My son is 7", "room for 3": an age or a head count, not an hour.
_NOT_A_TIME = re.compile(
    r"\b(?:(?:son|daughter|kid|child|boy|girl|he|she|baby|grandson|granddaughter|who|age|i)"
    r" is|(?:room|space|spots?|seats?|appointments?|a table|booking|openings?) for)\s?,?\s?$")


@dataclass
class TimeMention:
    start: int
    end: int
    minutes: int | None  # minutes after midnight, None for a part-of-day only mention
    part_of_day: str | None
    confidence: float


def _hour24(h: int, ampm: str | None, pod: str | None) -> int:
    if ampm == "am" or (ampm is None and pod == "morning"):
        return 0 if h == 12 and ampm == "am" else h
    if ampm == "pm" or pod in ("afternoon", "evening"):
        return h + 12 if h < 12 else h
    if h == 0 or h >= 13:
        return h
    return h + 12 if 1 <= h <= 7 else h


def pod_of_minutes(minutes: int) -> str:
    if minutes < 12 * 60:
        return "morning"
    if minutes < 17 * 60:
        return "afternoon"
    return "evening"


def _pod_of(phrase: str) -> str | None:
    if phrase in _POD_OF:
        return _POD_OF[phrase]
    if "lunch" in phrase:
        return "afternoon"
    if "clos" in phrase or phrase.split()[0] in ("last", "latest") or phrase.split()[1:2] in (
            ["last"], ["latest"]):
        # "just before you close", "the last appointment of the day": a clinic's day ends
        # in the afternoon.
        return "afternoon"
    if phrase.startswith(("as early", "earlier")) or "breakfast" in phrase or "open" in phrase:
        return "morning"
    if "supper" in phrase or "dinner" in phrase:
        return "evening"
    if phrase.split()[-1] in ("appointment", "slot", "thing", "spot") or "earliest" in phrase:
        return "morning"
    return None


# "'cause mornings I drive my kid", "evenings are bad": a part of day the caller is busy in.
_BUSY_POD = re.compile(
    r"(?:'?s| are| is)? (?:no good|bad|out|busy|tough|hard|impossible|difficult|a no|not good"
    r"|don'?t work|won'?t work)|,? (?:i|we) (?:drive|work|have|take|do|can'?t|'?m busy|'?m at"
    r"|'?re busy|'?ve got)\b|,? i'?m (?:busy|working|at work|at school|in class)")
_CANT_POD = re.compile(r"\b(?:can'?t|cannot|can not|couldn'?t) (?:do|make|come)(?: in)?"
                       r"(?: the| in the| any)?\s+$")


def find_parts_of_day(text: str) -> list[TimeMention]:
    out = []
    for m in _POD_WORD.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if _PAST_POD.search(before):
            continue
        if _NOT.search(before) or _CANT_POD.search(text[max(0, m.start() - 24) : m.start()]):
            continue
        if _BUSY_POD.match(text, m.end()) and _POD_WORD.search(text[: m.start()]):
            continue  # busy then, and another part of day was said
        pod = _pod_of(m.group("pod"))
        if pod is None:
            continue
        out.append(TimeMention(m.start(), m.end(), None, pod, 0.8))
    return out


def _context_pod(text: str, start: int, end: int, pods: list[TimeMention]) -> str | None:
    """Part of day that qualifies a time: right after it, else the utterance's last one."""
    after = text[end : end + 22]
    m = re.match(r"\s*,?\s*(?:in the |this |at )?(morning|afternoon|evening|night|tonight)", after)
    if m:
        return _POD_OF.get(m.group(1), "evening")
    # Only a part of day in the same sentence qualifies ("Tonight? No. Tomorrow at 8.").
    lo = max(text.rfind(c, 0, start) for c in ".?!") + 1
    hi_candidates = [i for i in (text.find(c, end) for c in ".?!") if i >= 0]
    hi = min(hi_candidates) if hi_candidates else len(text)
    # ... and not one that belongs to another day ("Saturday morning, 9, or Monday at 5").
    same = [p for p in pods if lo <= p.start < hi
            and not _DAY_WORD.search(text[min(p.end, end) : max(p.start, start)])]
    if same:
        return min(same, key=lambda p: abs(p.start - start)).part_of_day
    return None


def find_times(text: str) -> list[TimeMention]:
    pods = find_parts_of_day(text)
    taken: list[tuple[int, int]] = []
    mentions: list[TimeMention] = []
    for kind, pattern in _TIME_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            before = text[max(0, s - 14) : s]
            if _NOT.search(before):
                continue
            g = m.groupdict()
            if kind == "bare" and _NOT_A_TIME.search(text[max(0, s - 20) : m.start("h")]):
                continue  # "my son is 7", "room for 3"
            ampm = g.get("ampm")
            pod = _context_pod(text, s, e, pods)
            if kind == "range" and g.get("to") and (
                    not 1 <= (int(g["h2"]) - int(g["h1"])) % 12 <= 3
                    or (int(g["h1"]) in (5, 10) and not re.search(r"\b(?:around|about|like|maybe"
                                                                  r"|say|sometime|anywhere"
                                                                  r"|anytime|roughly) $",
                                                                  text[max(0, s - 12) : s + 1]))):
                taken.pop()  # "around 10 to 4", "5 to 6" are ten to four, five to six
                continue
            if kind == "range":
                # An empty hour is noon ("between 10 and noon").
                h1 = _hour24(int(g["h1"] or 12), g.get("a1") or ampm, pod)
                h2 = _hour24(int(g["h2"] or 12), ampm, pod)
                if h2 < h1 and h2 + 12 <= 23:
                    h2 += 12
                lo_min, hi_min = h1 * 60 + int(g["m1"] or 0), h2 * 60 + int(g["m2"] or 0)
                if lo_min < 12 * 60 and hi_min > 13 * 60 and hi_min - lo_min >= 5 * 60:
                    continue  # "between 9 and 5": the whole day, no part of it
                mentions.append(TimeMention(s, e, None, pod_of_minutes((lo_min + hi_min) // 2),
                                            0.7))
                continue
            if kind == "bound":
                h = _hour24(int(g["h"]), ampm, pod)
                minutes = h * 60 + int(g["m"] or 0)
                if g["rel"] in ("before", "by") or "later" in g["rel"] or g["rel"] == "not after":
                    minutes -= 60
                mentions.append(TimeMention(s, e, None, pod_of_minutes(minutes), 0.6))
                continue
            if kind == "half_h":
                h = _hour24(int(g["h"]), ampm, pod)
                mentions.append(TimeMention(s, e, h * 60 + 30, None, 0.7))
                continue
            if kind == "noon":
                if re.search(r"\b(?:before|by|until|till|no later than|not later than|not after)"
                             r"\s+$", text[max(0, s - 20) : s]):
                    mentions.append(TimeMention(s, e, None, "morning", 0.7))
                    continue
                if re.search(r"\bafter\s+$", before):
                    mentions.append(TimeMention(s, e, None, "afternoon", 0.7))
                    continue
                mentions.append(TimeMention(s, e, 12 * 60, None, 0.95))
                continue
            if kind == "bare_pod":
                p = _POD_OF.get(g["pod"], "evening")
                h = _hour24(int(g["h"]), None, p)
                mentions.append(TimeMention(s, e, h * 60, None, 0.9))
                continue
            h_raw = int(g["h"])
            if kind in ("past", "to"):
                mw = g["m"]
                mins = 15 if mw == "quarter" else 30 if mw == "half" else int(mw)
                if mins >= 60 or h_raw > 12 or h_raw == 0:
                    continue
                h = _hour24(h_raw, ampm, pod)
                total = h * 60 + mins if kind == "past" else h * 60 - mins
                mentions.append(TimeMention(s, e, total % (24 * 60), None, 0.85))
                continue
            mins = int(g.get("m") or 0)
            if h_raw > 23:
                continue
            if kind == "h24":
                mentions.append(TimeMention(s, e, h_raw * 60 + mins, None, 0.85))
                continue
            h = _hour24(h_raw, ampm, pod)
            conf = 0.95 if ampm or kind == "hm" else 0.8
            mentions.append(TimeMention(s, e, h * 60 + mins, None, conf))
    mentions.sort(key=lambda x: x.start)
    return mentions


# "I know you open at 8", "you close at 6, right?", "I get off work at 5": the clinic's hours
# or the caller's own day, not the time asked for (when another time was said).
_HOURS_REMARK = re.compile(
    r"\b(?:open|opens|opening|close|closes|closing|shut|shuts|lunch is|off work|get off|gets off"
    r"|finish(?:es)?(?: work)?|done(?: work)?|shift (?:ends|starts|is over)|start work|starts work"
    r"|school (?:ends|gets out|lets out)|work (?:till|until|from)"
    r"|drop(?:ping)? (?:off )?(?:the kids?|him|her|them|my \w+)(?: off)?(?: at (?:school|daycare))?"
    r"|pick(?:ing)? up (?:the kids?|him|her|them|my \w+)|pick(?:ing)? (?:the kids?|him|her|them"
    r"|my \w+) up|(?:my )?(?:bus|train|flight|meeting|class|shift|ferry)(?: (?:is|leaves|starts"
    r"|ends|lands|gets in|arrives|comes|gets here))?|have to be (?:at work|back|home|somewhere)"
    r"|need to leave"
    r"|leave work|i (?:work|start|start work|finish)"
    r"|(?:i'?m |we'?re )?(?:flying|driving|heading|leaving|taking off)(?: out| in| back| home"
    r"| off)?"
    r"|(?:i'?ve got|i have|i got|i'?ve) (?:work|school|class|practice|a \w+|an \w+)"
    r"|i'?m (?:out|off|done|finished)(?: (?:of )?(?:work|school|class))?)(?: up)?"
    r"(?: at| by| around)?\s*$")
_TIME_TAG = re.compile(r"[^.?!]{0,30}?,? (?:right|isn'?t (?:it|that)|don'?t you|aren'?t you|eh"
                       r"|correct)\?")


_DAY_WORD = re.compile(r"\b(?:\w+day|tomorrow|today|tonight|[0-3]?\d(?:st|nd|rd|th))\b")
# "at 1, and my daughter right after, at 1:30": someone else's time ("my wife says 10 is
# better" is not).
_OTHER_PERSON = re.compile(rf"\b(?:my|our|his|her|their) (?:{RELATIVES})s?\b")


def _remark(text: str, m: TimeMention, prev_end: int = 0) -> bool:
    if _HOURS_REMARK.search(text[max(0, m.start - 40) : m.start]):
        return True
    between = text[prev_end : m.start]
    if prev_end and _OTHER_PERSON.search(between) and not DEFER.search(
            between + text[m.end : m.end + 20]):
        return True
    return bool(_TIME_TAG.match(text, m.end)) and bool(
        re.search(r"\b(?:you|you're|you guys|the office|the clinic)\b",
                  text[max(text.rfind(c, 0, m.start) for c in ".?!") + 1 : m.start]))


def extract_time(text: str) -> tuple[str | None, str | None, float, float]:
    """(HH:MM or None, part of day or None, time confidence, part-of-day confidence).

    The part of day is only given when no exact time was.
    """
    mentions = find_times(text)
    exact = [m for m in mentions if m.minutes is not None]
    if exact:
        own = [m for i, m in enumerate(exact)
               if not _remark(text, m, exact[i - 1].end if i else 0)]
        # A lone remark ("the earlier the better, I work at noon") leaves the part of day.
        lone_remark = len(exact) == 1 and (bool(find_parts_of_day(text))
                                           or any(m.part_of_day for m in mentions))
        exact = own or ([] if lone_remark else exact)
    if exact:
        last = exact[-1]
        assert last.minutes is not None
        return f"{last.minutes // 60:02d}:{last.minutes % 60:02d}", None, last.confidence, 0.0
    pods = sorted(
        [m for m in mentions if m.part_of_day] + find_parts_of_day(text), key=lambda m: m.start
    )
    if pods:
        return None, pods[-1].part_of_day, 0.0, pods[-1].confidence
    return None, None, 0.0, 0.0
