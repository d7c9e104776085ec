"""What the caller wants: book, cancel, reschedule, a human, or information.

Checked in order of how decisive a phrase is: asking for a person beats
everything; a change of an existing appointment beats a cancellation
("cancel and rebook"), unless the rebooking is refused ("don't want to rebook").

Most cues are built from small lexicons rather than listed phrase by phrase: a
verb that undoes or moves (_UNDO_VERB, _MOVE_VERB) with any way of naming the
appointment (_APPT: "my cleaning", "Wednesday's appointment", "the kids' slots"),
not turning up (_NOT_ATTEND: "won't be coming", "can't keep", "I'm not making it"),
staff a caller asks for (_STAFF, _BOSS). A cancel or move cue is ignored when it is
negated ("please don't move it") or hypothetical ("is there a fee if I cancel?").
A held appointment (_HAVE_APPOINTMENT) turns soft cues ("earlier", "instead",
"I'll be away", "I'm sick", "changed my mind") into a change or a cancellation.
What is left: a booking request, then any question about the clinic is info,
unless it is about the call itself ("who is this?", "can you hear me?").
"""

from __future__ import annotations

import re

from bella_nlp.cleaning import strip_accents

# Lexicons: the families of words the patterns below combine (verb x object), so that a
# new verb or a new way to name the appointment covers every construction at once.
# Whose appointment: "my", "the", "Wednesday's", "my son's".
_DET = r"(?:my|our|his|her|their|the|this|that|these|those|[a-z]+'s)"
# What is being cancelled or moved: the appointment itself or the visit it is for.
_APPT_NOUN = (
    r"(?:appointments?|appts?|bookings?|reservations?|rendez-vous|spots?|slots?|visits?|"
    r"sessions?|things?|cleanings?|check-?ups?|exams?|fillings?|crowns?|root canals?|consults?|"
    r"consultations?|extractions?|whitening|hygiene|recall|time slot|"
    r"(?:recurring|usual|regular|booked|current|appointment) times?)"
)
_APPT = rf"{_DET} (?:[\w'-]+ ){{0,3}}?{_APPT_NOUN}\b"
# "What days is the hygienist in?", "when is Dr. Roy in?": a question about the schedule,
# not a wish to speak to someone.
_SCHEDULE_ASKED = r"(?<!days )(?<!day )(?<!when )(?<!time )(?<!times )(?<!often )"
# "I need to get booked for ...": a booking wished for, not one held.
_NOT_YET = r"(?<!get )(?<!be )(?<!getting )"
# "can't come in before 5" is a constraint on a booking, not a cancellation.
_CONSTRAINT = (
    r"(?! (?:in )?(?:until|till|'til|before|after|unless|during|on weekdays|mornings|"
    r"afternoons|evenings|that early|that late)\b)"
)
# A caller saying they will not turn up: "won't be coming", "I'm not coming", "not gonna keep".
_NOT_ATTEND = (
    r"(?:won'?t|will not|can'?t|cannot|can not|couldn'?t|shan'?t|shall not|(?:no|not) can|"
    r"not (?:gonna|going to|able to)|no longer(?: able to)?|"
    r"unable to|(?:i'?m|we'?re|he'?s|she'?s|they'?re|i am|we are|he is|she is) not|"
    r"(?:isn'?t|aren'?t|is not|are not)(?: (?:gonna|going to|able to))?) "
    r"(?:be )?(?:able to )?(?:be )?"
    r"(?:com(?:e|ing)(?: in)?|mak(?:e|ing) it(?: in)?|mak(?:e|ing) (?:my|the|our|his|her|their|"
    r"that|this)|show(?:ing)? up|attend(?:ing)?|keep(?:ing)? (?:my|the|our|his|her|their|that|"
    r"this|it|[a-z]+'s)|be (?:there|in|coming|making it|around|here|available)|"
    r"do (?:it|that|this)(?! (?:at|in|for|before|after|on [a-z]+s)\b)|"
    r"do (?:his|her|my|our|their|the) (?:[\w']+ )?(?:appointment|booking|cleaning|checkup|slot)|"
    r"(?:do|make) (?:the \d+(?:st|nd|rd|th)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
    r"today|tonight|this (?:week|afternoon|morning|evening))\b)"
    rf"{_CONSTRAINT}"
)
# Verbs that undo an appointment when they take one as object.
_UNDO_VERB = (
    r"(?:annul\w*|scrap|nix|ditch|drop|delete|remove|withdraw|forfeit|void|release|free up|"
    r"give up|give away|let go of|get rid of|cancel|cross off|strike|erase|kill|axe|"
    r"skip|pass on|take a pass on|pull(?:ing|ed)? the plug on|free|forget(?: about)?|never ?mind|"
    r"wipe out|wipe|scratch|cross out|rub out|un-?book|undo|strike out|forgo|forego)"
    r"(?:ping|ing|ed|s)?"
)
# Verbs that move an appointment when they take one as object.
_MOVE_VERB = (
    r"(?:re-?arrang\w*|re-?organi[sz]\w*|flip|flipping|re-?jig\w*|juggl\w*|shuffl\w*|put off|"
    r"putting off|"
    r"adjust\w*|amend\w*|modif\w+|alter\w*|tweak\w*|updat\w+|"
    r"move|moving|moved|shift|shifting|bump|bumping|push|pushing|slide|sliding|swap|"
    r"swapping|trade|trading|exchange|switch|switching|postpone|delay|delaying|rearrange|"
    r"rearranging|reschedule|rebook|bring forward|bring up|change|changing)"
)
# Whole-utterance requests for a person: "Operator.", "Zero, zero, agent please."
_PERSON_WORDS = frozenset(
    "a an the please uh um zero 0 operator agent representative rep receptionist human "
    "person live real actual front desk reception press talk speak to a someone somebody transfer "
    "now just customer service care anybody anyone".split()
)
_WORDS = re.compile(r"[a-z0-9]+")
_ROBOT = re.compile(
    r"\b(?:(?:don'?t|do not|not|no|hate|tired of|sick of|rather not|instead of|rather than|"
    r"enough|stop|done with|can'?t stand|no more|not another)\b(?: [\w']+){0,5}? "
    r"(?:(?:a |the |this |these |some |an )?(?:robots?|bots?|machines?|computers?|"
    r"automated|recordings?|ai|menus?|automatic))|"
    r"(?:talk|speak|chat)(?:ing)? (?:to|with) (?:a |an |the )?(?:person|human)(?: being)?"
    r",? not (?:a |an |the )?(?:robots?|bots?|machines?|computers?))\b"
)
# Spoken variants of "you" that hide a question's form: "do you guys do", "are you folks open".
_YOU_PLURAL = re.compile(r"\b(?:you (?:guys|folks|people|all|lot)|y'?all|youse)\b")

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
    r"(?:i can|to) (?:talk|speak)|"
    r"(?:is|are) (?:there )?(?:someone|somebody|anyone|anybody|a person|a human|a dentist|"
    r"a hygienist|a staff member|any(?: of (?:the|your)| one from the)? staff(?: members?)?)"
    r"(?: there)? (?:available|free|around) (?:to|who can|that can) "
    r"(?:talk|speak|chat)|i usually (?:deal|talk|speak) with|(?:talk|speak) to a human|"
    r"is (?!(?:any|some)(?:one|body)\b|(?:mon|tues|wednes|thurs|fri|satur|sun|to)day\b|"
    r"(?:tomorrow|that|this|it|everything|there|parking|the)\b)[a-z]+ (?:there|in|available)\??$|"
    r"can i talk to [a-z]+\??$|"
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
    rf"\b(?:human|leave a message|{_SCHEDULE_ASKED}"
    r"(?:is|can) (?:dr\.?|doctor) [a-z]+ (?:available|there|in)"
    # "Is Dr. Power in the office Thursdays?" asks about the schedule.
    r"(?! (?:the office |the clinic )?(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)days\b)|"
    r"speak to (?:dr\.?|doctor) [a-z]+)\b"
)
_HUMAN_CONTACT = re.compile(
    r"\b(?:(?:be|get) (?:put through|transferred|connected|patched through)\b|"
    r"(?:been )?on hold (?:forever|for ages|for so long|too long)|"
    r"(?:is|are) (?:there )?(?:a|an|the|your|any) (?:manager|supervisor|owner|receptionist|boss|"
    r"office manager|person|human|real person) (?:available|around|there|in|free|on)\b|"
    r"get (?:me )?(?:dr\.? |doctor )[a-z]+(?: for me| on the (?:phone|line))?(?:,? please)?\W*$|"
    r"get (?:a ?hold|ahold|in touch|through) (?:of|to|with) (?!you\b)|"
    r"(?:a|have a|quick) (?:quick )?word with|"
    r"(?:call|phone|ring) (?:me|us) back|give (?:me|us) a (?:call|ring|shout|buzz|bell)(?: back)?|"
    r"get back to (?:me|us)|return (?:my|our) call|"
    r"(?:reach|contact) (?:someone|somebody|a person|a human|the (?:office manager|receptionist"
    r"|front desk|billing)|dr\.? [a-z]+|doctor [a-z]+)|"
    r"(?:someone|somebody|a person|a human) (?:from|in|at|who (?:does|handles|works in)) "
    r"(?:the )?(?:billing|accounts|accounting|front|reception|office|insurance)|"
    r"(?:calling|looking|asking) for (?:the |your )?(?:billing|accounts|reception|front desk|"
    r"insurance) (?:department|office|person|people|team|desk)|"
    r"^(?:(?:hi|hello|um|uh|yes|yeah|the),? )*(?:billing|accounts|reception|front desk)"
    r"(?: (?:department|office|person|people|team))?"
    r"(?:,? please)?\W*$)"
)
_HUMAN_NAME_THERE = re.compile(
    r"\b(?i:is) (?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Today|Tomorrow|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"That|This|It|There|Everything|Anyone|Someone|Anybody|Somebody|Invisalign|Botox|Sedation|"
    r"Nitrous|Parking|Whitening|Wifi|Interac)\b)"
    r"[A-Z][a-z]+(?:-[A-Z][a-z]+)? (?:there|in|available|around|working|on today|in today|free)\b"
    r"|\bask(?:ing)? for (?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"[A-Z][a-z]+\b"
)
# Who a caller asks to be put through to (not "someone": "get someone to look at it" books).
_STAFF = (
    r"(?:a (?:real |live |actual )?(?:person|human)(?: being)?|(?:the|a|an|your) (?:receptionist|"
    r"front desk|front|reception|operator|agent|representative|office manager|manager|billing|"
    r"accounts|secretary|admin|administrator|staff member|person in charge|dentist|hygienist|"
    r"dental assistant|assistant|doctor|front office|back office|main office)|reception|billing|"
    r"accounts|"
    r"whoever(?:'s| is) in charge|dr\.? [a-z]+|doctor [a-z]+)"
)
# Staff a caller asks to talk to (not the dentist: "talk to the dentist about veneers" books).
_BOSS = (
    r"(?:(?:the|your|a) (?:owner|boss|supervisor|director|manager|office manager|practice manager|"
    r"clinic manager|receptionist|front desk|secretary|admin|administrator|billing person|"
    r"(?:dental )?assistant|nurse|"
    r"person in charge)|(?:someone|somebody|the person|whoever(?:'s| is)) in charge|"
    r"(?:the |your |a )?(?:scheduling|booking|billing|insurance|accounts|reception) (?:person|"
    r"people|"
    r"department|team|office|desk|coordinator|manager|lady|guy))"
)
_HUMAN_STAFF = re.compile(
    rf"\b(?:(?:speak|talk|chat)(?:ing)? (?:to|with) {_BOSS}|who'?s in charge|who is in charge|"
    rf"{_SCHEDULE_ASKED}(?<!hours )"
    r"(?:is|are) (?:your|the) (?:receptionist|front desk|office manager|manager|owner|billing "
    r"person|secretary|dentist|hygienist|doctor|dr\.? [a-z]+)(?: [a-z]+)?(?: still)? "
    r"(?:around|there|in|available|free|"
    r"working|on)(?= *(?:today|now|right now|at the moment)?\s*(?:[?.!,]|$))|"
    rf"(?:transfer|pass|put|hand|connect|forward|patch)(?:ing)? (?:me|us|this call|the call|"
    rf"my call)(?: (?:on|over|through|back))? (?:to|with)(?: (?:someone|somebody|anyone|{_STAFF}))|"
    rf"(?:can|could|may) (?:i|we) (?:have|get|please have|please get) {_STAFF}(?:,? please)?"
    r"(?=\s*[.?!,]|\s*$)|"
    rf"(?:get|find|give) (?:me|us) (?:someone|somebody|a (?:real |live |actual )?(?:person|human)|"
    rf"{_STAFF})\b(?! (?:to|who can) (?:look|see|check|fix))|"
    r"(?:someone|somebody|anyone|anybody|a person)"
    r"(?: there| in the office| at the (?:office|front))? (?:i|we) (?:can|could|might) "
    r"(?:ask|talk|speak|chat|get help)|"
    rf"(?:speak|talk|chat)(?:ing)? (?:to|with) whoever|"
    r"(?:(?:can|could|would) you (?:please )?)?put "
    r"(?!(?:me|us|him|her|it|them|my|our|that|this|something|anything|down|in|off|up|back)\b)"
    r"(?:[a-z]+|the (?:office |practice |clinic )?\w+|dr\.? \w+|doctor \w+) on\b"
    r"(?! (?:the (?:list|wait ?list|schedule|calendar|books?)|for|at|hold)\b)|"
    r"(?:(?:free|available|around)|(?:got|have) a (?:minute|moment|sec|second)) (?:for|to) "
    r"(?:a )?(?:quick )?(?:chat|word|talk|call|phone call|question)|"
    r"(?:have|has|got) a (?:minute|moment|sec|second) to (?:talk|chat|speak)|"
    r"(?:a|get a|request a|the) call ?-?back\b|"
    r"(?:speak|talk|chat)(?:ing)? (?:to|with) (?:the|that) (?:lady|guy|woman|man|girl|gentleman|"
    r"fellow|one|person) (?:i|who|that)\b|"
    r"(?:get|have|ask) (?:someone|somebody|the \w+|dr\.? \w+|doctor \w+|her|him|them)"
    r"(?: (?:from|at|in|on) (?:the |your )?[\w-]+(?: [\w-]+)?)? (?:to )?"
    r"(?:call|phone|ring|contact|email) (?:me|us)\b|"
    # A message for staff: "could you tell Dr. Kaur I called?", "let the hygienist know".
    rf"(?:tell|let|remind) (?:{_STAFF}|her|him) (?:know )?(?:that )?(?:i|we|my \w+) "
    r"(?:called|phoned|rang|was calling|were calling|'m calling|'re calling|am calling|"
    r"returned|stopped by|dropped by)\b|"
    rf"(?:pass|give|leave|take|relay)(?: on| along)? (?:a|my|our|this|the) message\b|"
    rf"(?:pass|give|relay) (?:this|that|it) (?:on |along )?to {_STAFF}|"
    r"(?:file|make|lodge|register) a complaint|complain to|live body|warm body|"
    r"(?:can i|could i|can you|could you) get (?:her|him|them) back|(?:put|transfer) me back to|"
    r"one of (?:your|the) (?:staff|team|people|receptionists|dentists|hygienists)|"
    r"(?:can|could) (?:someone|somebody|anyone|a person) (?:please )?help (?:me|us) (?:book|with|"
    r"understand|figure|sort)|(?:someone|somebody|the person|whoever(?:'s| is)) in charge|"
    r"who (?:takes care of|handles|deals with|looks after|does) (?:the |my |our )?(?:billing|"
    r"insurance|claims|scheduling|bookings|accounts|payments)|"
    r"(?:can|could|would|will) (?:the \w+|dr\.? \w+|doctor \w+|she|he|someone|somebody|they) "
    r"(?:please )?(?:call|phone|ring|text|email|contact) (?:me|us)\b|"
    r"who (?:should|do|can|could|would|will) (?:i|we) (?:talk|speak|ask)\b|"
    # Another office calling the clinic: a pharmacy, an insurer, a hospital.
    r"calling from (?:the |a |an )?(?:[\w'.-]+ ){0,3}?(?:pharmacy|insurance|insurer|hospital|"
    r"clinic|"
    r"lab|laboratory|dental office|doctor'?s office|company)\b|"
    r"(?:this is|it'?s|calling from) (?:sun ?life|manulife|blue cross|green ?shield|canada life|"
    r"desjardins|great[- ]west|the pharmacy|the hospital)\b|"
    r"(?:the )?(?:best|right) person to (?:talk|speak|ask)|"
    r"(?:can|could) (?:someone|somebody|anyone|anybody) (?:please )?assist|"
    r"help (?:me |us )?with (?:my |the |an? |our )?(?:insurance|bill|billing|forms?|claim|account|"
    r"paperwork|invoice|statement)|"
    r"(?:get|have|need|want) (?:someone|somebody|a person) (?:to )?(?:explain|go over|"
    r"walk me through|"
    r"answer|discuss)\b|"
    # A question for the dentist ("talk to the dentist about whether I need a crown"), and a
    # named person ("could I speak with Karen"); "talk to the dentist about veneers" books.
    r"(?:speak|talk|chat) (?:to|with) (?:the|a|your) (?:dentist|hygienist|doctor) about (?:whether|"
    r"if|what|how|why|my (?:results|x-?rays?|bill|treatment|medication|prescription|tests?|scan))|"
    r"(?:can|could|may) (?:i|we) (?:please )?(?:speak|talk|chat) (?:to|with) "
    r"(?!(?:you|the|a|an|dentist|someone|somebody|anyone)\b)[a-z]+\b(?! about)|"
    r"looking for (?:the|your) (?:office manager|receptionist|manager|owner|front desk|billing|"
    r"person in charge|hygienist|dentist)\b|looking for (?:dr\.?|doctor) [a-z]+|"
    r"(?:trying|want|need|like|hoping|wanted) to (?:reach|contact|get hold of|get ahold of|"
    r"get in touch with) (?!you\b|the other |another |a different )|"
    rf"get (?:{_STAFF}|{_BOSS}|[a-z]+) on the (?:phone|line)|"
    r"(?:was told|asked me|told me) to (?:ask for|speak (?:to|with)|talk (?:to|with))|"
    r"return(?:ing)? (?:a|her|his|their|your|the|dr\.? \w+'s|[a-z]+'s) (?:phone )?call|"
    r"(?:speak|talk|chat)(?:ing)? (?:to|with) (?:her|him)\b|"
    r"(?:want|need|wish|like)(?: to)? (?:speak|talk)(?: (?:to|with) (?:someone|somebody|a person|"
    r"you|them))?\W*$|"
    r"(?:can|could|would) you page|page (?:dr\.?|doctor) |"
    r"calling (?:for|to speak to) (?:dr\.?|doctor) |"
    r"(?:discuss|go over|sort out|talk about|review)(?: [\w']+){0,6}? with (?:a (?:real |live )?"
    r"person|someone|somebody|a human|a staff member|staff)\b|"
    r"ask (?:the|a|your) (?:dentist|hygienist|doctor|receptionist) (?:if|whether|what|how|why)\b|"
    r"ask (?:the|a|your) (?:dentist|hygienist|doctor|receptionist) (?:a |some )?(?:quick )?"
    r"questions?|"
    r"^(?:(?:hi|hello|yes|yeah|um|uh|ok|okay),? )*(?:dr\.?|doctor) [a-z]+(?:'s office)?"
    r"(?:,? please)?[.!?]?$|"
    r"(?:someone|somebody|anyone|anybody|a person)(?: there| in the office)? (?:who|that) "
    r"(?:can|could) (?:help|assist|answer|explain|talk)\b)"
)
_RESCHEDULE = re.compile(
    r"(?<!')\b(?:re[- ]?schedul\w*|re[- ]?book\w*|postpon\w*|"
    r"push (?:it|that|my \w+) (?:back|forward|out|to)|"
    r"change (?:it |that )?to|move (?:it|that|this) to|"
    r"move (?:my|our|his|her|the|[a-z]+'s) (?:[\w']+ )?(?:appointment|booking|cleaning|checkup"
    r"|visit|filling|crown|exam)|moving my|"
    r"change (?:the (?:date|time|day)|my (?:appointment|booking|time|date|cleaning|checkup)|"
    r"(?:my|our|his|her|the|[a-z]+'s) [\w']+ (?:appointment|booking|cleaning|checkup|visit) to|"
    r"it to)|switch (?:my|our) (?:appointment|booking|time)|bump (?:my|it|our)|"
    r"(?:another|a different|a later|an earlier) (?:appointment )?(?:day|time|date)|"
    r"different (?:day|time|date))"
)
_RESCHEDULE_MORE = re.compile(
    rf"\b(?:{_MOVE_VERB} (?:(?:back|up|forward|ahead|out|over) )?{_APPT}"
    rf"(?<!\bchange my filling)(?<!\bchange my crown)|"
    r"(?:move|moving|shift|shifting|bump|bumping|push|pushing|slide|sliding|switch|switching|nudge|"
    r"nudging) "
    r"(?:me|us|him|her|them|it|that|this|things) (?:\w+ )?(?:to|up|back|over|ahead|forward|into|"
    r"onto|later|earlier|out|around|round)\b|"
    r"(?:move|shift|bump|push|slide|nudge) (?:me|us|it|that|things|everything) (?:a|one|two|three|"
    r"a couple(?: of)?|a few) (?:weeks?|days?|months?|hours?)\b|"
    # "Wednesday instead of Tuesday": a day replacing the one they hold.
    r"(?:instead of|rather than) (?:the |my |our )?(?:usual |regular |normal )?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"tomorrow|today|tonight|the \d+(?:st|nd|rd|th)?|next week|this week|\d+(?::\d\d)?"
    r"(?: ?[ap]\.?m\.?| o'?clock)?)\b|"
    r"(?:make it|do it) (?:[\w']+ ){0,4}?instead\b|rain ?-?checks?\b|"
    r"make it (?:[\w']+ ){0,3}?(?:later|earlier|sooner)\b|"
    r"(?:movable|moveable|changeable|reschedulable)\b|"
    r"(?:need|want|like|have|get)(?: to have)? (?:my|our|the|his|her|[a-z]+'s) (?:[\w']+ )?"
    r"(?:appointment|booking|cleaning|checkup|visit|slot) (?:changed|moved|switched|pushed|bumped|"
    r"rescheduled|shifted)\b|"
    r"same time,? (?:but|just|only)? ?(?:on|next|the|a)\b|"
    r"(?:switch|change|swap)(?:ing)? (?:hygienists?|dentists?|doctors?|providers?)[^.?!]{0,40}"
    r"\bmy (?:next|upcoming|[a-z]+day'?s?) |"
    r"(?:can'?t|cannot|can no longer) do (?:the )?(?:mornings?|afternoons?|evenings?|weekends?|"
    r"weekdays?|[a-z]+days) any ?more|"
    rf"(?:merge|combine|consolidate) (?:them|those|the two|both|{_APPT})|"
    r"push (?:it|that|this)(?! (?:in|through|down|on|off|away)\b)|"
    rf"bring (?:{_APPT}|it|that) (?:forward|up|ahead|earlier|back)\b|"
    rf"{_APPT}(?: [\w']+){{0,3}}? (?:has to|needs to|will have to|must|should) (?:move|change|"
    rf"shift|"
    r"be moved|be changed)\b|"
    rf"kick (?:{_APPT}|it|that|things) (?:down the road|back|out|forward)\b|"
    r"re-?(?:shuffl|jigg?|arrang|organi[sz])\w*|"
    r"(?:move|shift|bump|push|change|switch) (?:it|that|me|us|him|her|them)"
    r"(?:,? (?:please|for me))?(?=\W*$)|"
    r"(?:change|switch|swap|trade)(?:ing)? (?:the )?(?:days|dates|times|slots|spots)\b|"
    r"(?:an earlier|a later|a sooner) (?:appointment|slot|spot|opening|booking)|"
    r"than (?:planned|scheduled|booked|expected|arranged|(?:we|i|you) (?:said|agreed|planned|"
    r"booked|arranged|discussed))\b|"
    # "Can I swap to an afternoon?"
    r"(?:swap|switch|change|move|shift|bump)(?:ping|ing)? (?:it |that |me |us |him |her )?"
    r"(?:over )?to "
    r"(?:a |an |the |another |a different |a later |an earlier )?(?:morning|afternoon|evening|"
    r"[a-z]+day|\d|week|time|slot|date|day|later|earlier)|"
    # "instead" said to an open question: something already held is being replaced.
    r"instead(?! of)\b|"
    # "an earlier slot than the one I have"
    r"(?:earlier|later|sooner|different|better)(?: [\w']+){0,2} than (?:the one|what|my|mine|"
    r"the \d+(?:st|nd|rd|th)?\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"(?:i|we)(?:'m| am|'re| are| have| had|'ve) (?:got|booked|scheduled|down))|"
    # "change Thursday to Friday", "switch my 10 o'clock for a 2".
    r"(?:change|changing|switch|switching|move|moving|swap|swapping|shift|shifting|bump|bumping|"
    r"push|pushing|slide|sliding) "
    r"(?:it |that |my |our |the |this )?(?:from )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"tomorrow|today|the \d+(?:st|nd|rd|th)?|\d+(?::\d\d)?(?: ?[ap]\.?m\.?| o'?clock)?)"
    r"(?:'s)?(?: (?:appointment|booking|one|slot|spot))? (?:to|for|with|over to)\b|"
    # "go from the 2 o'clock to something in the morning"
    r"(?:go|switch|change|move|shift|bump|push)(?:ing)? (?:[\w']+ ){0,2}?from (?:the |my |our )?"
    r"[\w':.]+(?: [\w':.]+){0,3}? to\b|"
    r"(?:change|changing|switch|switching) (?:the )?(?:hour|time|timing|day|date|slot)s? "
    r"(?:of|for)|"
    r"(?:trade|swap|exchange|switch)(?:ping)? (?:in )?(?:it|that|my|our|the) (?:[\w']+ ){0,2}"
    r"(?:for|with)\b|"
    r"(?:later|earlier|another|a different|a new|other) date|"
    r"(?:a new|another|a different|some other|other) (?:time|day|slot|spot|appointment time)"
    r"(?: for (?:it|that|my|our|his|her|the))|"
    r"move (?:it|that) (?:up|back|over|along)|"
    r"(?:can|could) (?:i|we) (?:come|go) (?:in )?(?:earlier|later|sooner)\b|"
    rf"put (?:{_APPT}|it|that|this|them) (?:off|back(?! on\b| in\b)|forward|ahead|later)\b|"
    # "could that be changed to the morning?": the passive of a moving verb, said of the
    # appointment (not "my flight got changed").
    rf"(?:(?:it|that|this|one|mine|i|we|he|she|they|me|us)\b|{_APPT_NOUN}|[ap]\.?m\.?|o'?clock|"
    r"\d+(?::\d\d)?|[a-z]*day'?s?)"
    r"(?: [\w'.:]+){0,4}? (?:be|get|got|been|getting) (?:changed|moved|switched|shifted|pushed|"
    r"bumped|rescheduled|rebooked|postponed|delayed|rearranged|put off)\b)"
)
# Softer cues that mean a change only when an appointment already exists.
_RESCHEDULE_SOFT = re.compile(
    r"\b(?:instead|make it(?! to\b)|later in the day|move (?:it|that|the)|new (?:time|date|day)|"
    r"wrong (?:date|time|day)|the (?:date|time|day) wrong|fix (?:it|that)\b|any chance (?:of|for)|"
    # "I picked the wrong day, I meant Thursday" (the repair leaves "the wrong Thursday").
    r"(?:picked|chose|booked|selected|clicked|entered|put in|got|made it for) the wrong\b|"
    r"wrong (?:[a-z]+day|one|week|month)\b|"
    r"change (?:the|my) (?:dentist|hygienist|doctor|provider)|"
    r"(?:i'?d|i would|we'?d|we would) (?:prefer|rather)|(?:would|'d) (?:prefer|rather have)|"
    r"wiggle room|flexib\w+|leeway|any give\b|closer to (?:lunch|noon|\d|christmas|[a-z]+day|"
    r"(?:the )?(?:end|start|beginning|weekend|holidays|morning|afternoon|evening|\d+)|my)|"
    r"anything (?:closer|sooner|earlier|later)|"
    r"earlier than|later than|sooner|"
    r"switch (?:it|the|my)|push (?:it|that)|earlier|later|"
    r"(?:can|could|would) (?:i|we) (?:do|make it|go with|have|get|come|try)|"
    r"(?:try|shoot|aim) for (?:a |an |the |another |next |this |[a-z]+day|tomorrow|\d)|"
    r"(?:i|we) (?:could|can) (?:do|make it|go with|come)\b|"
    r"what else|(?:something|anything) else|other (?:times?|days?|dates?|options?|openings?)|"
    r"rather than|instead of|(?:actually|really) (?:meant|wanted)|i meant|"
    r"(?:should|supposed to) (?:have been|be) (?:on|at|for)|"
    r"(?:a|another) (?:time|day|date) that|(?:a different|another|a new|some other) one|"
    r"what'?s open|anything open|what (?:else )?(?:do you have|have you got)|"
    r"(?:do you have|have you got|is there) (?:the \d+(?:st|nd|rd|th)?|\d+|[a-z]+day|"
    r"a (?:later|earlier))|"
    r"(?:can|could) (?:you|we) (?:find|figure out|look for|"
    r"work out))\b"
)
# "not gonna make it", "don't think I'll make it": not turning up, not a change of time.
_NOT_MAKING = re.compile(r"(?:n'?t|\bnot|\bcant|\bwont|\bunable|\bdoubt|\bnever)\b[\w' ]{0,24}$")


def _soft_change(t: str) -> bool:
    """A soft change cue, leaving out "make it" when it is said of not coming."""
    return any(
        not m.group().endswith("make it")
        or not _NOT_MAKING.search(t, max(0, m.start() - 30), m.start())
        for m in _RESCHEDULE_SOFT.finditer(t)
    )


_NO_REBOOK = re.compile(r"\b(?:don'?t|do not|won'?t|not) (?:want to |wanna )?re-?(?:book|schedul)")
_CANCEL = re.compile(
    r"\b(?:cancel(?!lation (?:policy|policies|fee|fees|charge|notice|window|period|rules?|"
    r"terms))\w*|"
    r"won'?t be (?:needing|requiring|wanting|using|keeping)|call(?:ing)? it quits|"
    r"(?:don'?t|do not|no longer|won'?t|will not|not (?:gonna|going to)) "
    r"(?:need|want) (?:the|my|our|that|this|his|her) (?:[\w']+ )?(?:appointment|booking|spot)"
    r"(?! (?:moved|changed|rescheduled|to be)\b)|"
    r"(?:delete|remove) (?:my|the|our|his|her) (?:appointment|booking)|"
    r"call off|call (?:it|that|the \w+|my \w+|our \w+) off|bail(?:ing)? on|"
    r"remove (?:me|us|him|her|them) from|"
    r"drop (?:my|the|our|his|her) (?:appointment|booking|cleaning|checkup)|"
    r"take (?:me|us|him|her|(?:my|our|his|her) names?) off|"
    r"(?:scrap|nix|ditch)(?:ping)? (?:my|the|our|his|her|[a-z]+'s) (?:[\w']+ )?"
    r"(?:appointment|booking|cleaning|checkup)|"
    rf"(?:won'?t (?:be able to )?(?:make it|come|make (?:my|the|our))|"
    rf"can'?t (?:make it|come|make my)|not (?:gonna|going to) (?:be able to )?(?:make|come)|"
    rf"(?:don'?t think|doubt|not sure) (?:i|we|he|she|they)(?:'ll| will| can| could|'m going to|"
    rf"'re going to| am going to| are going to|'m gonna|'re gonna)? (?:be able to )?make it|"
    rf"unable to (?:make|come)){_CONSTRAINT}|annuler)"
)
_CANCEL_MORE = re.compile(
    rf"\b(?:{_NOT_ATTEND}|"
    rf"{_UNDO_VERB} {_APPT}|"
    rf"(?:don'?t|do not|doesn'?t|does not|no longer|won'?t|will not|not (?:gonna|going to)) "
    rf"(?:really |actually )?(?:need|want|require)(?:s)? {_APPT}"
    r"(?! (?:moved|changed|rescheduled|switched|to be)\b)|"
    r"give (?:my|our|his|her|their|the) (?:spot|slot|appointment|time) (?:to|away)|"
    r"(?:won'?t|doesn'?t|does not|will not|isn'?t going to|not going to|not gonna) (?:work|fly|"
    r"suit)"
    r"(?: for (?:me|us))? (?:anymore|any more|after all)|no longer (?:works|suits)|"
    r"take (?:me|us|him|her|them|my \w+|our \w+) (?:out of|off of|off) (?:the |your |"
    r"[a-z]+'s )?(?:schedule|books?|calendar|list)|"
    r"(?:count|leave) (?:me|us|him|her) out|"
    rf"(?:(?:back|pull|bow|drop|opt)(?:ing|ping)? out of|miss|"
    rf"missing|(?:have|got|need) to skip) {_APPT}|"
    r"(?:(?:back|pull|bow|drop|opt)(?:ing|ping)? out(?: of)?|pass(?:ing)? on) "
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|tomorrow|today|the \d+|it\b|that\b|this one|"
    r"all of them|them all|both|them\b)|"
    r"decided (?:not to (?:go|come|attend|bother)|against it)\b|"
    r"(?:don'?t|do not) (?:expect|wait for|count on) (?:me|us|him|her|them)\b|"
    r"give (?:it|that|this|them|(?:the |my |our )?[\w']+(?: [\w']+)?) a (?:miss|pass)|"
    rf"(?:don'?t|do not|no need to) (?:hold|keep|save|reserve) (?:{_APPT}|it|that|(?:mon|tues|"
    rf"wednes|"
    r"thurs|fri|satur|sun)day|tomorrow|the \d+\w*)|"
    rf"hold(?:ing)? off (?:on )?{_APPT}|"
    rf"(?:{_APPT}(?: [\w']+){{0,3}}?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
    r"the \d+(?:st|nd|rd|th)?) ?(?:(?:is|'s) (?:off|cancell?ed|not happening|a no-?go)|"
    r"(?:won'?t be|will not be|isn'?t|is not) happening)\b|"
    r"(?:be|being) a no-?show|(?:back|pull|bow)(?:ing)? out(?=\W*$|,)|"
    rf"let (?:it|that|this|them|{_APPT}) go\b|"
    r"mark (?:me|us|him|her|them|it|that)(?: down)? as (?:not coming|cancel\w*|absent|a no-?show)|"
    r"skip (?:it|that|this one|this time|them)\b|"
    r"(?:it'?s|that'?s) a no (?:for|on) (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
    r"today|"
    r"the \d+\w*|that|it|us|me)\b|"
    r"(?:cross|scratch|strike|mark|wipe) (?:me|us|him|her|them|my \w+|our \w+) off\b|"
    r"sit (?:this one|it|that one|this time|(?:mon|tues|wednes|thurs|fri|satur|sun)day) out|"
    # "The 3 o'clock is a problem": the held slot no longer suits.
    r"(?:appointment|booking|o'?clock|[ap]\.?m\.?|\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
    r"(?:'s| is) (?:a (?:problem|bust)|an issue|no good|not good|bad|tough|tricky|difficult)\b|"
    rf"(?:don'?t|do not|no longer) (?:really )?(?:need|want|require)s? (?:a|an) (?:[\w'-]+ )?"
    rf"{_APPT_NOUN}\b(?= (?:after all|anymore|any more|now|for now))|"
    r"don'?t think (?:i|we|he|she)(?:'ll| will| can| could|'m| am) (?:be able to )?(?:make it|come|"
    r"be there|be in|manage)|"
    r"(?:drop|scrap|ditch|nix|axe|kill|scratch) (?:it|that|them)\b(?! (?:off|by|in|over)\b)|"
    r"take (?:it|that|them|me|us) off(?=\W*$)|"
    rf"(?:decided against|(?:decided|chose) not to (?:go ahead with|do|book|keep)|changed (?:my|"
    rf"our) "
    rf"minds? (?:about|on)|(?:no longer|not) interested in|not (?:going|gonna) (?:ahead|through) "
    rf"with|not proceeding with|won'?t be (?:going ahead|proceeding) with) {_APPT}|"
    # "scratch Tuesday": a verb that undoes, with the day standing for the appointment.
    r"(?:scratch|scrap|scrub|cancel|nix|ditch|drop|skip|axe|forget|wipe|strike|cross off|pass on|"
    r"release|free up|give up)"
    r"(?:ping)? (?:my |the |our )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|"
    r"tonight|the \d+(?:st|nd|rd|th)?)(?:'s)?\b|"
    r"(?:don'?t|do not|no longer|won'?t|will not) need to (?:come(?: in)?|be seen|be there)\b|"
    rf"take (?:{_APPT}|it|that|them|him|her|me|us|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"tomorrow|the \d+(?:st|nd|rd|th)?)(?: [\w']+)? off (?:of )?(?:the |your |my |our )?"
    r"(?:books?|schedule|calendar|list|system)|"
    r"(?:erase|remove|delete|take|strike|cross|wipe|drop|scratch)(?:ing)? (?:me|us|him|her|them|"
    r"my \w+|our \w+|[a-z]+) (?:off|from|out of) (?:the |your |[\w']+ ){0,3}?(?:schedule|books?|"
    r"calendar|list|system|appointments?)|"
    rf"(?:no need to|(?:don'?t|do not|no longer) need (?:you )?to|don'?t have to|"
    rf"won'?t need you to) "
    rf"(?:hold|keep|save|reserve) {_APPT}|"
    rf"{_APPT}(?: (?:on|for|at) [\w']+)? "
    r"(?:won'?t|will not|isn'?t going to|doesn'?t|does not) work\b|"
    r"un-?book (?:me|us|him|her|them|it|that)|"
    r"(?:strike|cross|take|scratch|remove|delete|wipe|rub|scrub)(?:ing)? (?:my|our|his|her|their|"
    r"[a-z]+'s) names? (?:off|from|out)|"
    # A death or a move away: whatever was booked is off.
    r"(?:passed away|passed on|has died|died|deceased|moved away|moving away|moved out of "
    r"(?:town|province|the city))\b(?=.*\b(?:appointments?|booked|bookings?|scheduled)\b))"
)
_HAVE_APPOINTMENT = re.compile(
    # "for my checkup" names what a new booking is for, not one already held.
    r"(?<!\bfor )\b(?:my|our|his|her|\w+'s|the(?! (?:first|earliest|soonest|latest|next "
    r"available|first available|last available|available|open|free|very first)\b))(?: [\w']+)? "
    r"(?:appointment|booking|cleaning|checkup|visit)\b|"
    # ... but being away "for my appointment" holds one.
    r"\b(?:away|town|country|province|around|there|here|available|travel+ing|vacation|holidays?|"
    r"work|hospital) (?:for|during) (?:my|our|his|her|the|\w+'s)(?: [\w']+)? "
    r"(?:appointment|booking|cleaning|checkup|check-up|visit|exam)s?\b|"
    rf"\bi booked\b|{_NOT_YET}\b(?:booked|scheduled) (?:for|on|at)\b|"
    r"scheduled time|my time\b|"
    r"appointment(?:'s| is) (?:at|on|for)|(?:i|we|he|she|they)(?:'ve| have| has|'ve got| got|"
    r" had) (?:got )?(?:a|an|my|our|his|her) "
    r"(?:[\w']+ )?(?:appointment|booking|cleaning|checkup|check-up|visit|consult\w*|exam|slot|"
    r"spot)\b|"
    # Running late means there is an appointment to move.
    r"(?:running|gonna be|going to be|i'?ll be|i'?m) (?:a (?:bit|little) |really |very )?late\b|"
    # "Monday at 9 won't work anymore": the slot they hold.
    r"(?:won'?t|doesn'?t|does not|will not|isn'?t going to|not going to|not gonna) (?:work|fly|"
    r"suit)"
    r"(?: for (?:me|us))? (?:anymore|any more|after all)|no longer (?:works|suits)|"
    r"(?:i'?m|we'?re|i am|we are|he'?s|she'?s) (?:down)(?: in)? (?:for |on |at )?"
    r"(?:the |this |next )?(?:[a-z]+day|\d|tomorrow|today)|"
    r"(?:was|were|am|'m|is|are) (?:supposed|meant|scheduled) to (?:come|be)|"
    r"mine'?s (?:not )?(?:till|until|on|at|for)|"
    r"(?:conflict|clash)(?:es|ing)? with|"
    r"the one (?:i|we) (?:have|'ve got|booked)|(?:i|we) (?:have|'ve got|got) (?:a|an|the) \d|"
    r"(?:i'?m|we'?re|i am|we are|he'?s|she'?s|he is|she is|i was|we were) (?:booked|scheduled)\b"
    r"(?! (?:solid|up|full)\b)|"
    r"(?:i|we|he|she|they) (?:have|had|'ve got|got) (?:a|an) \w+ (?:booked|scheduled)|"
    rf"{_NOT_YET}\bbooked (?:in )?(?:for|on|(?:mon|tues|wednes|thurs|fri|satur"
    r"|sun)day|tomorrow|today)\b|"
    r"(?:has|have|had|'ve got|got) (?:an?|his|her|their|my|our) (?:appointment|booking)|"
    # "I made an appointment online", "we set up a cleaning"
    r"(?:i|we|he|she) (?:made|set up|scheduled) (?:an?|the|my|our) (?:[\w']+ )?(?:appointment|"
    r"booking|cleaning|checkup|check-up)\b|"
    # "we have two appointments on Saturday"
    r"(?:i|we|they|he|she)(?:'ve| have| has|'ve got| got| had) (?:two|three|both|[2-9]|a couple "
    r"of|several) (?:[\w']+ )?(?:appointments|bookings|cleanings|checkups|check-ups|visits|slots|"
    r"spots)\b"
)
_INFO = re.compile(
    r"\b(?:how much|cost|costs|price|prices|pricing|fee|fees|charge|insurance|direct bill\w*|"
    r"do you (?:take|accept|bill|offer|do|have a dentist|speak|see|treat)|accept\w* (?:the |my )?"
    r"(?:[a-z]+ ){1,3}(?:plan|insurance)|dental plan|elevators?|washrooms?|bathrooms?|stairs|"
    r"ramp|is there (?:a|an) [a-z]+ (?:in|at|near|by|close to) (?:the|your)|"
    r"hours|what time do you|when do you (?:open|close)|"
    r"(?:earliest|latest) (?:do )?you (?:guys )?(?:open|close)|are you open|"
    r"are you closed|open on|closed (?:on|for)|where (?:\w+ )?are you|located|location|"
    r"address|(?<!'m )(?<!just )(?<!am )parking|"
    r"(?:to|i|we|you) park|park (?:my|the|your|near|nearby|close|on|at|in)|wheelchair|"
    r"accessible|payment plans?|how long (?:does|do|will|is)|how long a|"
    r"directions|moving (?:locations?|offices?|clinics?)|relocat\w*|new location|"
    r"bus|subway|transit|languages?|new patients\?|"
    r"speaks? (?!(?:up|to|with|louder|slower|slowly|more|clearly|again)\b)[A-Za-z]+|"
    r"(?:accepting|taking) (?:on |in )?(?:any )?new patients|canadian dental care plan|cdcp|"
    r"where is|where's|"
    r"bill|billing|polic(?:y|ies)|covers?|fax|what'?s (?:your|the) (?:e-?mail|phone|number|website|"
    r"postal code)|invoice|receipt|quote|estimate|covered|coverage|referral|"
    r"(?:you'?re|you are) (?:open|closed)|(?:like|want|need) to know|can you tell me|"
    r"(?:wanted|wanting|trying|hoping) to (?:know|find out|ask|check)\b|"
    r"open (?:during|over|for|around|late|early|on|at|saturdays?|sundays?|weekends?|evenings?)|"
    r"wondering if (?!you)|"
    r"does (?:dr\.? [a-z]+|the dentist|the clinic|your office) (?:do|offer|take|accept)|"
    r"get there|how do i get|"
    r"rates?|ballpark|how long|what (?:would|will|does|do) (?:it|that|a|an|you) (?:\w+ )?"
    r"(?:cost|run|charge)|"
    r"(?:you|your (?:office|clinic|place|building)|the (?:office|clinic))(?: \w+){0,2}? "
    r"(?:anywhere |somewhere )?(?:near|close to|far from|nearby|close by|walking distance)|"
    r"(?:is|are) (?:your|the) (?:office|clinic|place|building|practice|dentists?|hygienists?|"
    r"staff|doctors?)\b(?! (?:able|available|free) to (?:see|fit|take|get|squeeze|book|come))|"
    r"how (?:early|late|far|often|many|old|big)\b|how (?:soon|long) (?:after|before)|"
    r"what age|do you (?:happen to )?know|"
    r"(?:dr\.? [a-z]+|doctor [a-z]+|the dentist|your dentists?|the hygienist|she|he) (?:still )?"
    r"(?:does|offers|takes|accepts|performs|treats|sees|handles) |"
    r"(?:someone|anyone|anybody|somebody|a dentist|a hygienist|dentists?) (?:there )?who "
    r"(?:does|do|specializ\w+|specialis\w+|speaks?|works? with|takes?|accepts?|handles?|offers?)\b|"
    r"(?:information|info|details) (?:on|about|regarding)|(?:some|more) (?:information|info)\b|"
    # Asking leave: "is it okay to bring my daughter with me?"
    r"(?:is it|is that|would it be|will it be) (?:ok|okay|alright|all right|fine|allowed|a problem)"
    r" (?:to|if)\b(?! (?:i |we )?(?:book|schedule|make an?|come in|get (?:in|an?)|reschedule|"
    r"cancel|move)\b)|"
    # An indirect question: "I was just curious if you take walk-ins".
    r"(?:wondering|curious|wonder|want(?:ed)? to (?:know|ask|check)|like to know|checking|asking)"
    r" (?:if|whether) (?:you|your (?:office|clinic|dentists?))(?: guys)? (?:take|accept|do|offer|"
    r"have|see|treat|bill|handle|speak|work|are|'re|still)\b|"
    # "I'd like to get the name of the hygienist", "can I have your fax number?"
    r"(?:get|know|have|find out|ask for) (?:the|your|their|her|his) (?:full |last |first )?"
    r"(?:name|names|(?:phone |fax |office |other )?numbers?|address|email|e-mail|fax|postal code|"
    r"website)\b(?! (?:down|on file|in)\b)|"
    r"(?:check|see|find out|know) (?:if|whether|when|what) (?:i|we) (?:have|'ve got)|"
    r"do (?:i|we) have (?:an|any) appointments?|"
    r"(?:calling|phoning) to confirm|confirm(?:ing)? (?:my|our|his|her) "
    r"(?:appointment|booking|cleaning|checkup)|"
    r"in (?:one|a single) (?:visit|appointment|day)|(?:on|at|in|during) the same (?:visit|"
    r"appointment)|"
    r"(?:find out|know|check|tell me|remind me) (?:of )?(?:what time|when|what day|which day) "
    r"(?:my|our|his|her|the|i'?m|we'?re|i am|we are|i have|we have|i'?ve got|he'?s|she'?s) |"
    r"remind me (?:of|about) (?:my|our|his|her|the) (?:[\w']+ )?(?:appointment|booking|time)|"
    # Asking what is already booked: "can you check when my cleaning is?", "could you look it up?"
    r"(?:can|could|would) you (?:please )?(?:check|look (?:it |that )?up|find out|confirm) "
    r"(?:when|what|if|whether|my|the|it|that)|look (?:it|that) up|"
    r"(?:can'?t|don'?t|do not) remember (?:when|what|the|which|if)|forgot (?:when|what time|"
    r"the time|"
    r"the day|which day)|not sure (?:what|which|when) (?:day|time)|"
    r"same[- ]day (?:crowns?|fillings?|service|treatment|whitening|extractions?|emergenc\w+)|"
    r"confirm(?:ing)? (?:that |if |whether )?you (?:got|received|have)|did you (?:get|receive)|"
    r"(?:i )?(?:have|got) a (?:quick |small )?question\b|websites?|web site|online|"
    r"without (?:freezing|needles?|the needle|an? needle|anesthe\w+|numbing|drilling|sedation)|"
    r"what'?s included|(?:what|how) should|when (?:is|was|'s) (?:it|that|mine)\b|"
    r"(?:do|would|will|should|can|could|how do|where do|when do) (?:i|we) pay|"
    r"(?:do|would|will) you (?:need|require)\b|"
    r"(?:the|what'?s the) (?:process|procedure|steps)|"
    r"(?:fill out|fill in|complete|bring) (?:the |any |some |my )?(?:forms?|paperwork)|paperwork|"
    r"(?:minutes?|mins?) (?:early|before|ahead)|"
    r"how do (?:i|we) (?:become|register|sign up|transfer|switch)|"
    r"(?:when|what time|what day)(?:'s| is| was) (?:my|our|his|her|the|[a-z]+'s)(?: [a-z]+'s)? "
    r"(?:next |upcoming )?"
    r"(?:appointment|booking|cleaning|checkup|visit)|"
    r"(?:does|will|would|is|should) (?:it|that|this|a [a-z]+|the [a-z]+) "
    r"(?:hurt|be painful|painful|sore|take|cost|last|safe|covered|normal)\b|"
    r"do you (?:\w+ )?(?:fix|repair|make|replace|perform|straighten|whiten|extract|pull|remove) |"
    r"do you (?:\w+ )?(?:take|accept|work with|deal with|bill|direct bill|handle|cover|do|offer|"
    r"see|treat|have|provide)\b(?! (?:any|anything|an opening|openings|a spot|spots|time|room|"
    r"availability|something)\b)|"
    r"blue cross|sun ?life|manulife|great[- ]west|canada life|green ?shield|desjardins|"
    r"empire life|medavie|equitable life|industrial alliance|chamber (?:of commerce )?plan|"
    r"open (?:on )?(?:boxing day|christmas|new year'?s|easter|good friday|canada day|"
    r"thanksgiving|holidays?|stat)|what (?:kind|sort|type)s? of|"
    r"expensive|cheap|cheaper|affordable|pricey|set (?:me|us|you) back|out of pocket|"
    r"(?:do|would|will) i (?:need|have) to (?!(?:book|make|schedule|see|get in)\b)|"
    r"cop(?:y|ies) of|(?:my|our|his|her|the) (?:dental )?records|(?:send|sent|forward|transfer)"
    r"(?:ed|ing|red|ring)? (?:my |the |our )?(?:records|x-?rays|files?|chart)|"
    r"should i (?:bring|arrive|come early|fill|eat|expect)|what (?:do|should) i (?:bring|expect)|"
    r"should (?:i|we|he|she) still|still (?:on|booked|happening|scheduled|going ahead)\b|"
    r"(?:is|would be) (?:that|it|this) something (?:you|the dentist|dr\.? \w+) (?:can|could|do|"
    r"would)|"
    r"(?:can|may|could) i bring|cross streets?|intersection|nearest|closest|"
    r"(?:what|which) (?:floor|street|building|unit|entrance|door)|"
    r"what'?s the wait|wait ?(?:time|list)s?|new patients|"
    r"who(?:'s| is) (?:the|your|my) (?:dentist|hygienist|doctor|owner)|"
    r"are you (?:the|on|at|in|by|near)\b)\b"
)
# "Can I bring my mom in?": booking for someone else.
_BRING_IN = (
    r"(?<!if i )(?<!if we )bring (?:my \w+|him|her|them|us|the kids)(?: \w+)? in"
    r"(?= for|[?.,!]|$| today| tomorrow| this| next| on| at| sometime| soon| later| early|"
    r" (?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
    r"bring (?:my \w+|him|her|them|the kids)(?: \w+)? for (?:a|an|his|her|their|a quick) "
    r"(?:cleaning|checkup|check-up|exam|filling|visit|appointment)"
)
# "Can I grab the 3 o'clock?", "I'll take whatever you have": claiming a slot.
_TAKE_SLOT = (
    r"(?:grab|take|snag|nab|claim|reserve|get) (?:the|a|an|that|your) (?:\d|[a-z]+ o'?clock|spot|"
    r"slot|opening|time|appointment|(?:mon|tues|wednes|thurs|fri|satur|sun)day|first|earliest|"
    r"next|last)|whatever you (?:have|'ve got|got)|(?:i'?ll|we'?ll|i will|we will) take "
    r"(?:whatever|anything|the first|the earliest|what you|any)"
)
_WAITLIST = (
    r"(?:put|add) (?:me|us|him|her|them|my \w+) (?:on|to) (?:the |a |your )?(?:wait ?-?list|"
    r"cancellation list|short ?-?list|call ?list)|(?:join|get on) (?:the |a |your )?wait ?-?list"
)
_BOOK = re.compile(
    rf"\b(?:{_WAITLIST}|{_BRING_IN}|{_TAKE_SLOT}|reserv\w+|"
    r"book\w*|make an appointment|make (?:a|an) (?:appointment|booking)|appointment for|"
    r"set (?:that|it|one|something|an appointment) up|get in|back to back|"
    r"get (?:me|us|him|her|them|my \w+(?: and (?:me|i|my \w+))?|(?:my|our|both|the|all|two|three|"
    r"[a-z]+'s) (?:[a-z]+ )?(?:kids?|children|sons?|daughters?|family|twins|boys|girls|wife|"
    r"husband|mom|dad|parents|partner)) in\b(?! (?:the|a|my|touch)\b)|"
    r"come in|see (?:him|her|me|someone|"
    r"somebody|a dentist|the dentist|them|us)|look at (?:it|them|my)|openings?|availabilit\w*|"
    r"available|squeeze (?:me|him|her|us) in|fit (?:me|him|her|us) in|"
    r"(?:need|want|looking for|find|finding) (?:a|an)(?: new| good| family| regular| local){0,3} "
    r"dentist|"
    r"looking to (?:book|get|come|see|make|schedule|set|bring|have|snag|grab|squeeze)|"
    r"looking for (?:a |an |some )?(?:new |good |family |local )?(?:dentist|appointment|opening|"
    r"spot|slot|cleaning|check-?up|time|availability)|"
    r"(?:do|would|did)? ?you (?:have|had) (?:anything|any time|something|"
    r"any room)|i'?d like (?:a|an|"
    r"to)|i want (?:a|an|to get)|i wanna|i need (?:a|an|to "
    r"(?:get|see|come|make|book))|schedule (?:a|an|my)|spots?|slots?|appointment|new patient|"
    r"schedul(?:e|ing) (?:both|the kids|our|his|her|me|us|him|them|in|two|three|all)\b|"
    r"(?:transfer|switch|move|come|bring)(?: (?:my \w+|us|me|our \w+|the family|everyone))?"
    r"(?: over)? to (?:your|this) (?:practice|clinic|office)|"
    r"join (?:your|the) practice|"
    r"prendre (?:un )?rendez-vous|rendez-vous|(?:be|get|getting) seen|(?:over)?due for|"
    r"(?:can|could) (?:someone|somebody|you|the dentist|a dentist|the hygienist) (?:please )?"
    r"(?:fix|adjust|repair|look at|check|see|take a look|have a look)|"
    r"(?:someone|somebody|a dentist|the dentist|you) (?:to )?(?:look at|see|check|fix|take a look)|"
    r"pencil (?:me|us|him|her) in|"
    r"(?:anything|something) (?:open|available|free|in the (?:morning|afternoon|evening)|later|"
    r"earlier|sooner|(?:on )?[a-z]+days?|(?:this|next) [a-z]+|tomorrow|today|tonight)|"
    r"(?:got|have you got|you got) (?:anything|something|any (?:time|room|openings?|spots?)))\b"
)
_NEG_BEFORE = re.compile(
    r"(?:\bnot|\bdon'?t (?:want to|wanna|need to)?|\bno need to|\bdidn'?t|\bnever)\s*$"
)
# Being away when an appointment is held, with no change asked for, is not turning up.
_ABSENT = re.compile(
    r"\b(?:i'?ll|we'?ll|he'?ll|she'?ll|i will|we will|i'?m going to|we'?re going to|i'?m gonna|"
    r"we'?re gonna|(?:i|we) might) be (?:out of (?:town|the country|province)|away|travel+ing|"
    r"on (?:vacation|holiday)|in (?:the )?hospital)|"
    # Illness, when an appointment is held: "I'm supposed to come in Thursday, but I'm sick."
    r"(?:i'?m|i am|he'?s|she'?s|we'?re|they'?re|i feel|he feels|she feels) (?:really |so |pretty )?"
    r"(?:sick|ill|unwell|under the weather)|not feeling (?:well|good|great|up to it)|"
    r"(?:has|have|got|caught) (?:a |the )?(?:cold|flu|fever|covid|strep)\b|"
    # Held up: "I'm stuck at work", "something came up", "got called in to work".
    r"(?:stuck|held up|tied up|trapped|caught up) (?:at|in|with|on)\b|(?:i|we|he|she) got (?:held|"
    r"tied|caught) up\b|(?:something|stuff|an emergency|a conflict)(?: has|'s)? (?:came|come) up|"
    r"(?:got|been|was|were|get|getting) called (?:in|into|in to) (?:work|the office)|"
    r"can'?t get (?:off|out of|away from) work"
)
# "...two appointments on Saturday and need to drop one": one of those held is off.
_DROP_ONE = re.compile(
    r"\b(?:drop|scrap|ditch|nix|cancel|skip|lose|get rid of)(?:ping)? (?:one|one of (?:them|those|"
    r"these|the \w+)|the (?:second|other|first|later|earlier) one|that one)\b(?! (?:off|by|in)\b)"
)
_BARE_CANT = re.compile(
    r"\b(?:i|we|he|she) (?:really |just |simply )?(?:can'?t|cannot|won'?t)(?= *[,.;!?]| *$)"
)
# Rebooking put off to later is a cancellation now: "I'll rebook once I'm back from Mexico".
_RAIN_CHECK = re.compile(r"\brain ?-?checks?\b")
_DEFERRED = re.compile(
    r"\b(?:(?:i|we)(?:'ll| will)|i'?m going to|we'?re going to) (?:re-?book|book again|call back|"
    r"reschedule|call you)\b(?: \w+)?(?: (?:later|when|once|after|another time|in the|some ?time))|"
    r"\bre-?book (?:later|another time|when|once|some ?time)\b|"
    r"\b(?:i|we)(?:'ll| will)(?: (?:have|need) to| just| probably| have to just)? call (?:you )?"
    r"back\b"
)
# Something done before, not asked for now: "we had to cancel last time", "you cancelled it".
_PAST_BEFORE = re.compile(r"\b(?:had to|had|already|previously|did you|did they|have you) $")
_PAST_BY_OTHERS = re.compile(r"\b(?:you|they|you guys|the office|the clinic) $")
_PAST_AFTER = re.compile(
    r"\w* (?:last (?:time|week|month|year)|before|previously|a while (?:ago|back))\b"
)
# "Can I reschedule over text?" asks how, not for a change.
_BY_WHAT_MEANS = re.compile(
    r" (?:(?:it|that|them|this) )?(?:(?:over|by|via|through) (?:text|texting|email|e-mail|phone|"
    r"the "
    r"app|the website|the portal)|online)\b"
)
_CHANGED_MIND = re.compile(
    r"\b(?:changed|change) (?:my|our|his|her) minds?\b(?! about (?:the )?(?:time|day|date))"
)
# A condition or a question about the rules, not a request: "what happens if I cancel?"
_HYPOTHETICAL = re.compile(
    r"\b(?:(?:fees?|charges?|penalty|penalties|polic(?:y|ies)|cost|notice|rules?) "
    r"(?:for|on|to|about)|(?:you|one) (?:need|have) to|how (?:much|many|long|far|early|late)\b"
    r"[^.?!]{0,40}|"
    r"(?:if|in case|what happens when|supposing|(?<!to )(?<!just )say) (?:i|we|you|he|she|they|"
    r"someone|somebody|"
    r"people|a patient|my \w+)(?: (?:need|have|had|want|decide|were|was|got|ever)(?: to)?)?) ?$"
)
_CHANGE_WISH = re.compile(
    r"\b(?:instead|another (?:day|time)|a different|new (?:time|date|day)|move it|switch|"
    r"(?:can|could) (?:we|i) (?:do|make it|try|go with|have|come|switch)|how about|what else|"
    r"another (?:slot|spot|date|opening|appointment|one)|(?:can|could) (?:we|you|i) (?:look at|"
    r"see about)|"
    r"(?:can|could) (?:we|you) (?:find|look for|"
    r"figure out)|"
    r"(?:something|anything) else|"
    r"other (?:times?|days?|dates?|options?|openings?)|"
    r"(?:got|have|any) (?:anything|something|openings?|spots?)|closer to (?:lunch|noon|\d|"
    r"christmas|[a-z]+day|(?:the )?(?:end|start|beginning|weekend|holidays|morning|afternoon|"
    r"evening|\d+)|my)|"
    r"anything (?:closer|sooner|earlier|later)|"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|the \d+\w*) (?:open|available|free))\b"
)
# After a cancellation, these mean a new booking (so, a change of appointment).
_BOOK_AGAIN = re.compile(
    r"\b(?:book|schedule (?:a|an|another|me|us|it|something)|make (?:a|an|another) (?:new )?"
    r"appointment|set up|new appointment|"
    r"another (?:one|appointment))\b"
)
# Asking for a free slot is booking, even when phrased as a question.
_AVAILABILITY = re.compile(
    rf"\b(?:{_WAITLIST}|{_BRING_IN}|{_TAKE_SLOT}|"
    r"(?:is|are) (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|the \d+\w*)"
    r"(?: (?:at|around) [\d:]+(?: ?[ap]\.?m\.?)?| morning| afternoon| evening)? "
    r"(?:open|available|free)\b|could use a (?:cleaning|checkup|check-up|filling|appointment)|"
    r"is there (?:any )?(?:room|space|time|availability|an opening|a spot|a slot)\b|"
    r"(?:any )?chance (?:of|for) (?:a |an |getting |being |squeezing )|"
    r"(?:do you have|have you got|are there) (?:any )?(?:appointments?|openings?|availability|time|"
    r"room|spots?) (?:between|on|in|this|next|tomorrow|today|for|during|over|before|after|at|"
    r"left)\b|"
    r"(?:can|could) (?:see|fit|squeeze|take) (?:me|us|him|her|them|my \w+)\b|"
    r"(?:is|are) (?:that|it|this|those|these) (?:open|available|free)|soonest|next available|"
    r"first available|earliest (?:i|we|he|she|my \w+) (?:could|can)|"
    r"(?:got|have|any) (?:time|room|space) for (?:a |an )?(?:me|us|him|her|them|my \w+|walk-?ins?|"
    r"one more)|"
    r"what (?:do you have|have you got|is there|'s there)(?: available| open| free)?"
    r"(?= (?:on|for|this|next|tomorrow|today|in)\b|\W*$)|"
    r"(?:a |any )possibility|(?:[a-z]+day|tomorrow|today|morning|afternoon|evening) "
    r"(?:an? )?(?:option|possibility)|"
    r"(?:anything|something|what'?s) (?:open|available|free)|"
    r"(?:have|got) (?:a|an) \d{1,2}(?::\d\d)?\b(?! ?(?:hours?|years?|months?|weeks?|days?|"
    r"minutes?|percent|%))|(?:have|got) (?:a|an|any(?:thing)?) (?:on )?(?:mon|tues|wednes|thurs|"
    r"fri|satur|sun)day\b(?! hours)|"
    r"openings?|available|availability|(?<!parking )spots?|slots?|get in|"
    r"(?:have|had) (?:anything|any time|something|any room|room)|"
    r"(?<!you )(?<!do i )(?<!do we )(?:like|want|need|wanna) to (?:come in|book|schedule|"
    r"make an appointment)|"
    r"(?:get|make|book|(?<!\bi )(?<!\bwe )(?<!\bhe )(?<!\bshe )have) (?:an|a) "
    r"(?:appointment|booking)|(?:could|can) (?:i|we) come in)\b"
)
# A question with no other cue is a question about the clinic, unless it is about the call itself.
_QUESTION = re.compile(
    r"(?:^|[,.!?] )(?:(?:so|and|ok|okay|hi|hello|hey|yeah|um|uh|sorry),? )*"
    r"(?:is|are|do|does|did|can|could|"
    r"would|will|what|what'?s|when|where|who|who'?s|how|which|why)\b"
)
# A clause ending in "?" asks something unless it is a statement said with a rising tone
# ("I think my daughter called earlier?").
_ASKED = re.compile(
    r"(?:^|[.!?] )(?!(?:(?:so|and|ok|okay|hi|hey|yeah|um|uh|sorry|well),? )*(?:i|i'm|i've|i'd|i'll|"
    r"we|we're|my|our|it's|that's|this is)\b)[^.!?a-z]*+[a-z][^.!?]*+\?"
)
# Asking for something to be done, as opposed to asking about it.
_REQUEST = re.compile(
    r"\b(?:(?:can|could|may|would|will) (?:i|we|you|someone|somebody|he|she|they|my \w+) "
    r"(?:please )?(?:get|have|book|schedule|come|see|fix|look|take|fit|squeeze|do|make|set|grab|"
    r"pencil|bring|put|go ahead)|i'?d like|i would like|i want|i need|i'?m (?:looking|hoping|"
    r"calling)|we need|we'?d like|(?:need|want) (?:a|an|to)|i'?d love|please)\b"
)
_SMALL_TALK = re.compile(
    r"\b(?:who (?:is|am i|are you|'s) ?(?:this|that|speaking|calling|talking)|"
    r"who'?s (?:this|that|speaking|calling)|who am i|"
    r"what (?:was|did you say|is that|'s that)|(?:can|could|do) you hear me|hear me|"
    r"(?:anyone|anybody|someone|somebody|you) (?:still )?there|is this (?:the|a|an)\b|"
    r"(?:is this|is that|are you|am i (?:talking|speaking) (?:to|with)) bella|"
    r"is this (?:[a-z]+ )?(?:dental|dentistry|clinic|office)\b|"
    r"are you (?:a (?:robot|machine|person|human|real)|real|there|still there)|pardon|"
    r"come again|say (?:that|it) again|repeat\b|how are you|hello|speak up|breaking up|"
    r"(?:^|, )what(?=\W*$)|excuse me(?=\W*$)|"
    r"^(?:(?:anyone|anybody|hello|hi|sorry|pardon|yes|yeah|huh|eh|ok|okay)\W*)+$|"
    r"hold (?:on |for )?(?:one|a|just a) (?:second|sec|moment|minute)|one (?:sec|second|moment)|"
    r"hang tight|looking for my|"
    r"cutting out|cut out|can'?t hear|bad (?:connection|line)|lost you|"
    r"what (?:clinic|office|place|number|company|business) is (?:this|that))(?!\w)"
)
_EMERGENCY_BOOK = re.compile(
    r"\b(?:emergency|knocked out|swollen|killing me|toothache|chipped|cracked|broke|abscess|"
    r"hurts|pain)\b"
)


def _unnegated(pattern: re.Pattern[str], t: str) -> re.Match[str] | None:
    """The first match not negated ("don't cancel", "no need to move it"), hypothetical
    ("is there a fee if I cancel late?"); a "cancel" said of the past ("we had to cancel last
    time", "you cancelled it") is not a request either."""
    return next(
        (m for m in pattern.finditer(t)
         if not _NEG_BEFORE.search(t, max(0, m.start() - 24), m.start())
         and not _HYPOTHETICAL.search(t, max(0, m.start() - 40), m.start())
         and not _BY_WHAT_MEANS.match(t, m.end())
         and not (m.group().startswith("cancel") and _past(t, m))),
        None,
    )


def _past(t: str, m: re.Match[str]) -> bool:
    before = t[max(0, m.start() - 16) : m.start()]
    return bool(
        _PAST_BEFORE.search(before) or _PAST_AFTER.match(t, m.end())
        or (m.group().startswith(("cancelled", "canceled")) and _PAST_BY_OTHERS.search(before))
    )


def _only_person_words(t: str) -> bool:
    words = _WORDS.findall(t)
    return bool(words) and set(words) <= _PERSON_WORDS and bool(
        {"operator", "agent", "representative", "rep", "receptionist", "human", "person",
         "zero", "0", "reception", "desk", "transfer", "customer"} & set(words)
    )


def extract_intent(text: str, service: str | None = None) -> tuple[str | None, float]:
    raw = strip_accents(text).replace("’", "'")
    t = _YOU_PLURAL.sub("you", raw.lower().strip())
    if not t:
        return None, 0.0
    if (
        _HUMAN.search(t) or _HUMAN_MORE.search(t) or _HUMAN_NAME_THERE.search(raw)
        or _HUMAN_CONTACT.search(t) or _HUMAN_STAFF.search(t) or _ROBOT.search(t)
        or _only_person_words(t)
    ):
        return "human", 0.9
    no_rebook = bool(_NO_REBOOK.search(t))
    if _DEFERRED.search(t) and (
        _unnegated(_CANCEL, t) or _unnegated(_CANCEL_MORE, t) or _RAIN_CHECK.search(t)
    ):
        # "I need to cancel, I'll rebook once I'm back from Mexico."
        return "cancel", 0.8
    if not no_rebook and (
        _unnegated(_RESCHEDULE, t) or _unnegated(_RESCHEDULE_MORE, t)
        or (_soft_change(t) and _HAVE_APPOINTMENT.search(t) and not _DROP_ONE.search(t))
    ):
        return "reschedule", 0.85
    cancel = _unnegated(_CANCEL, t) or _unnegated(_CANCEL_MORE, t)
    if cancel and not no_rebook and not _DEFERRED.search(t) and (
        _CHANGE_WISH.search(t) or _BOOK_AGAIN.search(t, cancel.end())
    ):
        # "can't come Friday, can we do Monday instead?" / "cancel ... and book for next week"
        return "reschedule", 0.7
    if cancel or no_rebook:
        return "cancel", 0.9
    if _INFO.search(t) and not _AVAILABILITY.search(t):
        return "info", 0.8
    if _ABSENT.search(t) and _HAVE_APPOINTMENT.search(t):
        # "It's about my appointment next week. I'll be out of the country."
        return ("reschedule", 0.6) if _CHANGE_WISH.search(t) else ("cancel", 0.6)
    if _DROP_ONE.search(t) and _HAVE_APPOINTMENT.search(t):
        # "We have two appointments on Saturday and need to drop one."
        return "cancel", 0.7
    if _BARE_CANT.search(t) and _HAVE_APPOINTMENT.search(t):
        # "My appointment Friday, I can't, sorry."
        return "cancel", 0.6
    if _CHANGED_MIND.search(t) and _HAVE_APPOINTMENT.search(t):
        # "I booked a consultation but I've changed my mind."
        return "cancel", 0.7
    if _BOOK.search(t) or _AVAILABILITY.search(t):
        return "book", 0.85
    if service == "emergency" or _EMERGENCY_BOOK.search(t):
        return "book", 0.7
    if (
        (_QUESTION.search(t) or _ASKED.search(t)) and not _SMALL_TALK.search(t)
        and (service is None or not _REQUEST.search(t))
    ):
        # A question naming a service but asking for nothing ("are Invisalign consults free?").
        return "info", 0.5
    if service is not None:
        return "book", 0.6
    return None, 0.0
