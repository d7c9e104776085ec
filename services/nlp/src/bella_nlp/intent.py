"""What the caller wants: book, cancel, reschedule, a human, or information.

Checked in order of how decisive a phrase is: asking for a person beats
everything; a change of an existing appointment beats a cancellation
("cancel and rebook"), unless the rebooking is refused ("don't want to rebook").
"""

from __future__ import annotations

import re

from bella_nlp.cleaning import strip_accents

_HUMAN = re.compile(
    r"(?<!was )(?<!were )(?<!been )\b(?:(?:speak|talk|chat)(?:ing)? (?:to|with) (?:a |an |the |"
    r"some )?(?:real |actual |live )?"
    r"(?:person|human|someone|somebody|whoever|the person who|receptionist|representative|"
    r"agent|operator|staff|"
    r"front desk|manager|office manager|people|(?:a )?real one)(?! else)|real person|human being|"
    r"^(?:(?:a|an|the|please|uh|um),? )*(?:representative|operator|agent|receptionist|human|person"
    r"|front desk)(?:,? please)?\W*$|"
    r"put me through|transfer me|get (?:me )?through to|connect me|"
    r"is (?:there )?(?:someone|somebody|anyone|anybody) "
    r"(?:i can|to) (?:talk|speak)|i usually (?:deal|talk|speak) with|(?:talk|speak) to a human|"
    r"is (?!(?:any|some)(?:one|body)\b)[a-z]+ (?:there|in|available)\??$|can i talk to [a-z]+\??$|"
    r"(?:speak|talk)(?:ing)? (?:to|with) (?:(?:the|a|your) (?:dental )?(?:hygienist|dentist)"
    r"|dr\.? [a-z]+|doctor [a-z]+)"
    r"(?! about)|let me (?:talk|speak) to|get me (?:a|the) (?:person|human|receptionist)|"
    r"\b(?:i|we) (?:can|could) (?:talk|speak) (?:to|with)\b|"
    r"\b(?:need|want) (?:the|a|an) (?:receptionist|front desk|real person|human|representative"
    r"|operator|office manager)\b|"
    r"deal with (?:a|an|the) (?:real |actual |live )?(?:person|human)|"
    r"(?:can|could|would) (?:someone|somebody|a person) (?:please )?call (?:me|us) back|"
    r"parler (?:a|avec) quelqu'un)"
)
_HUMAN_MORE = re.compile(
    r"\b(?:human|leave a message|(?:is|can) (?:dr\.?|doctor) [a-z]+ (?:available|there|in)|"
    r"speak to (?:dr\.?|doctor) [a-z]+)\b"
)
_HUMAN_NAME_THERE = re.compile(r"\bis [A-Z][a-z]+ (?:there|in|available|around)\b")
_RESCHEDULE = re.compile(
    r"\b(?:re-?schedul\w*|re-?book\w*|postpon\w*|push (?:it|that|my \w+) (?:back|forward|out|to)|"
    r"change (?:it |that )?to|move (?:it|that|this) to|"
    r"move (?:my|our|his|her|the|[a-z]+'s) (?:[\w']+ )?(?:appointment|booking|cleaning|checkup"
    r"|visit|filling|crown|exam)|moving my|"
    r"change (?:the (?:date|time|day)|my (?:appointment|booking|time|date|cleaning|checkup)|"
    r"(?:my|our|his|her|the|[a-z]+'s) [\w']+ (?:appointment|booking|cleaning|checkup|visit) to|"
    r"it to)|switch (?:my|our) (?:appointment|booking|time)|bump (?:my|it|our)|"
    r"(?:another|a different|a later|an earlier) (?:day|time|date)|different (?:day|time|date))"
)
# Softer cues that mean a change only when an appointment already exists.
_RESCHEDULE_SOFT = re.compile(
    r"\b(?:instead|make it|later in the day|move (?:it|that|the)|new (?:time|date|day)|"
    r"earlier than|later than|sooner|"
    r"switch (?:it|the|my)|push (?:it|that)|earlier|later)\b"
)
_NO_REBOOK = re.compile(r"\b(?:don'?t|do not|won'?t|not) (?:want to |wanna )?re-?(?:book|schedul)")
_CANCEL = re.compile(
    r"\b(?:cancel(?!lation (?:policy|policies|fee|fees|charge))\w*|"
    r"won'?t be needing|(?:don'?t|do not|no longer|won'?t|will not|not (?:gonna|going to)) "
    r"(?:need|want) (?:the|my|our|that|this|his|her) (?:[\w']+ )?(?:appointment|booking|spot)"
    r"(?! (?:moved|changed|rescheduled|to be)\b)|"
    r"(?:delete|remove) (?:my|the|our|his|her) (?:appointment|booking)|"
    r"call off|call (?:it|that|the \w+|my \w+|our \w+) off|bail(?:ing)? on|"
    r"remove (?:me|us|him|her|them) from|"
    r"drop (?:my|the|our|his|her) (?:appointment|booking|cleaning|checkup)|"
    r"take (?:me|us|him|her|(?:my|our|his|her) names?) off|"
    r"(?:scrap|nix|ditch)(?:ping)? (?:my|the|our|his|her|[a-z]+'s) (?:[\w']+ )?"
    r"(?:appointment|booking|cleaning|checkup)|"
    r"won'?t (?:be able to )?(?:make it|come|make (?:my|the|our))|"
    r"can'?t (?:make it|come|make my)|not (?:gonna|going to) (?:be able to )?(?:make|come)|"
    r"unable to (?:make|come)|annuler)"
)
_HAVE_APPOINTMENT = re.compile(
    r"\b(?:my|our|his|her|the|\w+'s) (?:appointment|booking|cleaning|checkup|visit)\b|"
    r"\bi booked\b|\b(?:booked|scheduled) (?:for|on|at)\b|scheduled time|my time\b|"
    r"appointment(?:'s| is) (?:at|on|for)|i(?:'ve| have) (?:got )?an appointment|"
    # Running late means there is an appointment to move.
    r"(?:running|gonna be|going to be|i'?ll be|i'?m) (?:a (?:bit|little) |really |very )?late\b"
)
_INFO = re.compile(
    r"\b(?:how much|cost|costs|price|prices|pricing|fee|fees|charge|insurance|direct bill\w*|"
    r"do you (?:take|accept|bill|offer|do|have a dentist|speak|see|treat)|accept\w* (?:the |my )?"
    r"(?:[a-z]+ ){1,3}(?:plan|insurance)|dental plan|elevators?|washrooms?|bathrooms?|stairs|"
    r"ramp|is there (?:a|an) [a-z]+ (?:in|at|near|by|close to) (?:the|your)|"
    r"hours|what time do you|when do you (?:open|close)|"
    r"(?:earliest|latest) (?:do )?you (?:guys )?(?:open|close)|are you open|"
    r"are you closed|open on|closed (?:on|for)|where (?:\w+ )?are you|located|location|"
    r"address|parking|"
    r"(?:to|i|we|you) park|park (?:my|the|your|near|nearby|close|on|at|in)|wheelchair|"
    r"accessible|payment plans?|how long (?:does|do|will|is)|how long a|"
    r"directions|moving (?:locations?|offices?|clinics?)|relocat\w*|new location|"
    r"bus|subway|transit|speaks? [A-Za-z]+|languages?|new patients\?|"
    r"(?:accepting|taking) (?:on |in )?(?:any )?new patients|canadian dental care plan|cdcp|"
    r"where is|where's|"
    r"bill|billing|polic(?:y|ies)|covers?|fax|what'?s (?:your|the) (?:e-?mail|phone|number|website|"
    r"postal code)|invoice|receipt|quote|estimate|covered|coverage|referral|"
    r"(?:you'?re|you are) (?:open|closed)|(?:like|want|need) to know|can you tell me|"
    r"open (?:during|over|for|around|late|early|on|at|saturdays?|sundays?|weekends?|evenings?)|"
    r"wondering if (?!you)|"
    r"does (?:dr\.? [a-z]+|the dentist|the clinic|your office) (?:do|offer|take|accept)|"
    r"get there|how do i get)\b"
)
_BOOK = re.compile(
    r"\b(?:book\w*|make an appointment|make (?:a|an) (?:appointment|booking)|appointment for|"
    r"set (?:that|it|one|something|an appointment) up|get in|back to back|"
    r"get (?:me|us|him|her|them|my \w+(?: and (?:me|i|my \w+))?) in\b(?! (?:the|a|my|touch)\b)|"
    r"come in|see (?:him|her|me|someone|"
    r"somebody|a dentist|the dentist|them|us)|look at (?:it|them|my)|openings?|availabilit\w*|"
    r"available|squeeze (?:me|him|her|us) in|fit (?:me|him|her|us) in|need a dentist|"
    r"looking (?:to|for)|(?:do|would|did)? ?you (?:have|had) (?:anything|any time|something|"
    r"any room)|i'?d like (?:a|an|"
    r"to)|i want (?:a|an|to get)|i wanna|i need (?:a|an|to "
    r"(?:get|see|come|make|book))|schedule (?:a|an|my)|spots?|slots?|appointment|new patient|"
    r"prendre (?:un )?rendez-vous|rendez-vous)\b"
)
_NEG_BEFORE = re.compile(
    r"(?:\bnot|\bdon'?t (?:want to|wanna|need to)?|\bno need to|\bdidn'?t|\bnever)\s*$"
)
_CHANGE_WISH = re.compile(
    r"\b(?:instead|another (?:day|time)|a different|new (?:time|date|day)|move it|switch|"
    r"can (?:we|i) (?:do|make it)|how about)\b"
)
# After a cancellation, these mean a new booking (so, a change of appointment).
_BOOK_AGAIN = re.compile(
    r"\b(?:book|schedule (?:a|an|another|me|us|it|something)|make (?:a|an|another) (?:new )?"
    r"appointment|set up|new appointment|"
    r"another (?:one|appointment))\b"
)
# Asking for a free slot is booking, even when phrased as a question.
_AVAILABILITY = re.compile(
    r"\b(?:openings?|available|availability|spots?|slots?|get in|"
    r"(?:have|had) (?:anything|any time|something|any room|room)|"
    r"(?:like|want|need|wanna) to (?:come in|book|schedule|make an appointment)|"
    r"(?:get|make|book|have) (?:an|a) (?:appointment|booking)|(?:could|can) (?:i|we) come in)\b"
)
_EMERGENCY_BOOK = re.compile(
    r"\b(?:emergency|knocked out|swollen|killing me|toothache|chipped|cracked|broke|abscess|"
    r"hurts|pain)\b"
)


def extract_intent(text: str, service: str | None = None) -> tuple[str | None, float]:
    raw = strip_accents(text).replace("’", "'")
    t = raw.lower().strip()
    if not t:
        return None, 0.0
    if _HUMAN.search(t) or _HUMAN_MORE.search(t) or _HUMAN_NAME_THERE.search(raw):
        return "human", 0.9
    no_rebook = bool(_NO_REBOOK.search(t))
    if not no_rebook and (
        _RESCHEDULE.search(t) or (_RESCHEDULE_SOFT.search(t) and _HAVE_APPOINTMENT.search(t))
    ):
        return "reschedule", 0.85
    cancel = next(
        (m for m in _CANCEL.finditer(t)
         if not _NEG_BEFORE.search(t, max(0, m.start() - 24), m.start())),
        None,
    )
    if cancel and not no_rebook and (
        _CHANGE_WISH.search(t) or _BOOK_AGAIN.search(t, cancel.end())
    ):
        # "can't come Friday, can we do Monday instead?" / "cancel ... and book for next week"
        return "reschedule", 0.7
    if cancel or no_rebook:
        return "cancel", 0.9
    if _INFO.search(t) and not _AVAILABILITY.search(t):
        return "info", 0.8
    if _BOOK.search(t):
        return "book", 0.85
    if service == "emergency" or _EMERGENCY_BOOK.search(t):
        return "book", 0.7
    if service is not None:
        return "book", 0.6
    return None, 0.0
