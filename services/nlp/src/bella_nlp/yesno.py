"""Yes and no in their many forms: "yup", "mm-hmm", "that works", "not really",
and the Canadian "no, yeah" (yes) versus "yeah, no" (no). The last cue wins."""

from __future__ import annotations

import re

from bella_nlp.cleaning import strip_accents

_NEUTRAL = re.compile(
    r"\b(?:yes and no|yeah and no|kind of|sort of|not yet|no idea|unsure|hard to say|"
    r"can'?t (?:say|tell)(?: for sure| yet| right now)?|"
    r"(?:i'?m|i am) (?:pretty |quite |very |totally )?(?:sure|positive|certain)|"
    r"not (?:really |quite |so |too |totally |entirely |a hundred percent |100% )?(?:sure|certain)|"
    r"don'?t know|dunno|no worries|no rush|no hurry|"
    # "Nah, I'm good": declining politely; the cue before it decides.
    r"i'?m (?:good|fine|ok|okay|alright)(?!\s+with))\b"
)
_NO = re.compile(
    r"\b(?:uh[- ]uh|unh[- ]unh|nuh[- ]uh|mm-mm|"
    r"no|nope|nah|negatory|nay|non|negative|(?:guess|think|suppose|hope|afraid) not|"
    r"i (?:don'?t|do not)(?! (?:know|mind|care|think so|see why not))|not at all|"
    r"(?:a )?different (?:day|time|date)|"
    r"another (?:day|time|date)|make it(?! work| happen)|(?:anything|something) (?:earlier|later|"
    r"else)|"
    r"i'?d (?:rather|prefer)|can (?:we|i|you) (?:do|make|move|change|switch)|(?:definitely|"
    r"absolutely|certainly|of course) not|"
    r"(?:i )?don'?t think so|i don'?t think|not for me|not (?:quite|really|right|correct|exactly|"
    r"good|great|"
    r"ideal|that)|that'?s (?:wrong|incorrect|not it)|wrong|incorrect|doesn'?t work|don'?t work|"
    r"won'?t work|(?:can'?t|cannot|couldn'?t) (?:really )?(?:do|make|manage|swing|handle|fit)|"
    # "that's not a good time", "isn't very convenient", "no good".
    r"(?:not|isn'?t|is not|wasn'?t|ain'?t) (?:a |an |the |very |so |too |that |super |really )?"
    r"(?:good|great|ideal|convenient|suitable|fine|ok|okay|perfect|best|doable|workable)\b|"
    r"no good|"
    r"not doable|undoable|no deal|not on your (?:nelly|life)|i doubt (?:it|that)|doubtful|no-?go|"
    r"not gonna work|not going to work|"
    r"instead|change it|not (?:in )?(?:the )?(?:morning|afternoon|evening|tonight)|rather not|"
    r"(?<!what )i said|not what i said|not (?:at |on )?(?:\d+|the|[a-z]+day)|decline|"
    # A read-back that is off: "close, but it's 0148", "you're missing a digit", "my old one".
    r"(?:close|almost|nearly)(?=,| but)|missing (?:a|one|an?) |(?:an? )?extra (?:digit|letter|"
    r"number)|"
    r"typo|misspel\w+|spelled (?:wrong|incorrectly|differently)|backwards|"
    r"(?:mixed|switched|swapped) (?:up|around)|\bold (?:one|number|address|email|cell|phone)|"
    r"(?:please |no,? )?don'?t(?= *[.!]* *$)|"
    # "that's not gonna fly", "won't cut it": a negated verb of suiting.
    r"(?:won'?t|doesn'?t|does not|will not|not gonna|not going to|isn'?t gonna|isn'?t going to|"
    r"wouldn'?t|ain'?t gonna|ain'?t going to) (?:really |quite )?(?:work|fly|cut it|suit|do)|"
    r"(?:way |a bit |a little |bit |kinda |kind of |far |much |just )?too (?:early|late|soon|far|"
    r"long|expensive|much)|(?:a bit|a little|bit|kinda|rather|quite|pretty) (?:late|early)|"
    r"nothing (?:earlier|later|sooner|else|before|after)|pas (?:ca|possible|bon|du tout)|"
    r"(?:that'?s|it'?s|this is|that is) not (?:my|mine|me|it|right|correct|what|how|the one)|"
    r"(?:isn'?t|is not|wasn'?t) (?:my|mine|me|it|right|correct)|no way|not a chance|let'?s not|"
    r"don'?t bother|(?:i'?d |we'?d )?sooner not|not (?:happy|thrilled|keen|crazy about)|(?:not|"
    r"never) (?:going to|"
    r"gonna) happen|"
    r"outdated|out of date|take a pass|pass on (?:it|that)|"
    r"(?:won'?t|will not|wouldn'?t) be able to(?= *[.,!?]| *$)|won'?t make it|"
    r"i'?d say (?:not|no)|not a hope|no hope|fat chance|"
    r"not on your life|"
    r"(?:probably|likely|maybe|perhaps|better) not|"
    r"no chance|not likely|not happening|no can do|(?:hard|i'?ll) pass|"
    # "the morning would be better": another slot preferred over the one offered.
    r"(?:morning|afternoon|evening|[a-z]+day|week|\d+(?::\d\d)?|one|later|earlier|sooner|time) "
    r"(?:would|'d|will|might|is|works|suits me)? ?(?:be |work |suit me )?better|"
    # "a bit later?": asking for another slot.
    r"(?:bit|little|tad|any|something|anything|slightly|much|hour|touch) (?:later|earlier|sooner)|"
    r"not (?:this|that|now|today|tomorrow|then|this time|that day)|"
    # "I can't, I'm working": a bare can't, or being busy then.
    r"(?:(?:i|we) (?:really |just |honestly |simply )?|(?:^|(?<=[,.] )))(?:can'?t|cannot|couldn'?t)"
    r"(?= *[,.;!?]| *$)|"
    r"(?:not|won'?t|isn'?t|wouldn'?t) (?:gonna |going to )?be possible|impossible|"
    r"(?:i'?m|i am|we'?re|we are|i'?ll be|we'?ll be) (?:working|busy|away|at work|out of town|"
    r"not available|unavailable|booked|travel+ing)\b)\b"
)
_YES = re.compile(
    r"\b(?:yes|yessir|yes+|yeah|yea|yep|yup|ya|yah|sure|correct|right|exactly|absolutely|"
    r"definitely|"
    r"certainly|of course|perfect|great|good|fine|okay|ok|alright|all right|sounds good|"
    r"works|will work|that'?ll work|that works|go ahead|book it|do it|please do|confirm(?:ed)?|"
    r"uh[- ]huh|mm[- ]hmm|mhm|mm[- ]hm|oui|si|affirmative|i guess so|guess so|(?:i )?suppose so|"
    r"for sure|"
    r"(?:won'?t|will not|wouldn'?t|shouldn'?t|shall not) be (?:a|an|any) (?:problem|issue|trouble)|"
    r"(?:i'?d say|i think|i believe|i hope) so|(?:could|might|may|should|would|'d) work|"
    r"make it work|no problem|not a problem|"
    r"by all means|count me in|sign me up|(?:i'?m|we'?re) (?:in|game|down)(?=\W*$)|indeed|"
    r"ouais|ouai|ben oui|bien oui|(?:spot|dead) on|^please(?=\W*$)|"
    r"(?:i'?d|i would|we'?d) (?:love|like) (?:that|it)\b|"
    r"(?:i'?ll|we'?ll|i will|we will) be there|no (?:complaints?|objections?|arguments?)|"
    r"just the ticket|music to my ears|make it happen|"
    r"no trouble|happy with (?:that|it|this)|(?:that'?s|this is|"
    r"that is) the one|go on,? then|"
    r"you bet(?:cha)?|aye|yeppers|yepper|"
    r"(?:sounds like a|it'?s a) plan|"
    r"sounds (?:great|fine|lovely|perfect|right|about right)|"
    r"cool|sweet|awesome|brilliant|gotcha|roger(?: that)?|"
    r"certainement|d'accord|parfait|bien sur|exactement|c'est (?:ca|bon|parfait|correct)|ca marche|"
    r"(?:i )?don'?t mind|doesn'?t matter|why not|go for it|(?:you )?got it|"
    r"let'?s do (?:it|that)|(?<!can )do that|doable|(?<!no )deal\b|(?:that'?s|it'?s) a go\b|"
    r"(?:i|we) (?:can|could) (?:make|manage|do|swing|handle|fit|work with) (?:that|it|this)|"
    r"book me|totally|that'?s it|"
    r"that is it|bang on|looks good|lovely|excellent|wonderful|"
    r"(?:that|it|this)(?:'?ll| will| should| would|'d) do\b(?! (?:it|that|the|a)\b)|"
    r"(?:i|we)(?:'?ll| will) take (?:it|that|that one|the \w+(?: one)?)|"
    r"i (?:suppose|guess|reckon)(?= *[,.;!?]| *$)|"
    r"ok(?:ey|ie|ay)?[- ]?dok(?:ey|ie|y|e)?)\b"
)


# "Not Tuesday, but Wednesday works": the yes is for another slot, so the offer is refused.
_SLOT = (
    r"(?:the )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|morning|afternoon|evening|tomorrow|"
    r"today|next week|this week|\d{1,2}(?::\d\d)?(?: ?[ap]\.?m\.?)?|the \d{1,2}(?:st|nd|rd|th)?)"
)
_NOT_SLOT = re.compile(rf"\bnot (?:on |at )?(?:{_SLOT}|that (?:day|time|one)|then)\b")
_SLOT_OK = re.compile(
    rf"\b{_SLOT} (?:works|would work|is (?:fine|good|ok|okay|better|great|perfect)|"
    r"'?s (?:fine|good|better|ok|okay|great|perfect)|suits|is better|would be better)\b|"
    r"\b(?:any ?)?(?:other|another|different) (?:day|time|one)s?(?:'s| is| are| would be)? ?"
    r"(?:fine|good|ok|okay|better|great|works)\b"
)
# A condition or a concession after the answer: "Sure, as long as ...", "Yes, although I might ..."
_CONDITION = re.compile(
    r"\b(?:as long as|so long as|provided(?: that)?|assuming|if|unless|although|though|even if)\b"
)
_NEGATED_YES = re.compile(
    r"(?:\bnot|\bno|n't)\s+(?:(?:a|an|the|very|so|too|that|super|really|exactly)\s+)?$")
_DOUBTED = re.compile(r"\b(?:don'?t|do not|doesn'?t) (?:think|believe)\b[^,.!?;]*$")


def extract_confirm(text: str) -> tuple[str | None, float]:
    t = strip_accents(text).lower().replace("’", "'")
    t = _NEUTRAL.sub(" ", t)
    cues: list[tuple[int, str]] = []
    for m in _NO.finditer(t):
        cues.append((m.end(), "no"))
    for m in _YES.finditer(t):
        # "not good", "no good" are caught as no; skip the inner positive word.
        if _NEGATED_YES.search(t, max(0, m.start() - 16), m.start()):
            continue
        # "I don't think that works": the positive word is what they doubt.
        if _DOUBTED.search(t, max(0, m.start() - 40), m.start()):
            continue
        cues.append((m.end(), "yes"))
    if not cues:
        return None, 0.0
    cond = _CONDITION.search(t)
    if cond and any(end <= cond.start() for end, _ in cues):
        # "Sure, as long as it's not too early": what follows is a condition, not the answer.
        cues = [c for c in cues if c[0] <= cond.start()]
    refused = _NOT_SLOT.search(t)
    if refused and _SLOT_OK.search(t, refused.end()):
        return "no", 0.7
    cues.sort()
    values = {v for _, v in cues}
    last = cues[-1][1]
    return last, 0.9 if len(values) == 1 else 0.7
