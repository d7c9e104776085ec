"""Lay phrasings of the nine dental services ("my tooth is killing me" ->
emergency, "scale and polish" -> cleaning), with fuzzy matching of
misrecognised key words."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bella_nlp.cleaning import strip_accents

# (service, pattern) in priority order: strong signals first.
# Conditions that are emergencies whatever else is named.
_STRONG_EMERGENCY = re.compile(
    r"\b(?:emergency|emergencies|urgent(?:ly)?|swollen|swelling|swell(?:s|ed)?|"
    r"abscess(?:ed|es)?|pus|puffy|puffed up|fevers?|feverish|"
    r"infect(?:ed|ion|ions)|knocked (?:(?!taken |pulled )\w+ ){0,3}?(?:out|loose)|bleeding|"
    r"won'?t stop|"
    # Blood, but not "blood pressure" or "blood thinners".
    r"blood (?:everywhere|all over|coming|pouring|gushing|in (?:my|the|his|her) (?:mouth|sink|"
    r"spit|saliva))|"
    r"blew up|blown up|ballooned|puffed|gum ?boils?|"
    r"(?<!baby )(?:tooth|molar) (?:just |has |have )?(?:fell|fallen|came|popped) out|"
    r"(?:bump|lump|bubble|pimple|boil) on (?:my|the|his|her) gum|"
    r"broke (?:my|a|his|her|their) (?:front )?tooth|broken (?:front )?tooth|"
    r"cracked (?:my |a |his |her )?(?:front )?tooth|"
    r"chipped (?:my |a |his |her )?(?:front )?tooth|face is swollen|"
    # A blow to the mouth: "took a puck to the mouth", "hit in the face", "tooth pushed back".
    r"(?:hit|smacked|punched|elbowed|kicked|whacked|bashed) (?:\w+ )?(?:in|on) the "
    r"(?:mouth|face|jaw|teeth)|took an? (?:\w+ )?to the (?:mouth|face|jaw|teeth)|"
    r"(?:hit|struck|smacked|whacked|clocked) (?:by|with) (?:a|an|the) (?:\w+ )?"
    r"(?:stick|puck|ball|bat|door|elbow|fist|racket|racquet|club|rock|helmet|swing)|"
    r"(?:got|was|been|get|getting) (?:punched|elbowed|kicked|smacked|whacked|clocked|headbutted|"
    r"hit)(?! (?:with|by) (?:a|the) (?:bill|fee|charge|invoice))|"
    r"(?:tooth|teeth) (?:is |are |got |was |were )?(?:pushed|shoved|knocked|bent) "
    r"(?:back|in|sideways|out of place|crooked|out of line)|dry socket|"
    r"(?:tooth|teeth|molar) (?:snapped|split|shattered|broke|cracked)(?: in half| in two| off)?|"
    r"(?:heard|felt) (?:a |something )?(?:crack|snap|crunch)|"
    # "my molar has a big crack", "a crack in my tooth"
    r"(?:tooth|molar|teeth) (?:has|have|got) (?:a |an )?(?:\w+ )?crack|"
    r"crack in (?:my|the|a|his|her) (?:\w+ )?(?:tooth|molar))\b"
)
# An accident or a fall, and a tooth hurt in it ("fell off his bike and his tooth is wobbly",
# "tripped on the stairs, my front tooth is loose"): an emergency. "My filling fell out" is not
# a fall.
_ACCIDENT = re.compile(
    r"\b(?:(?:fell|fallen|falling|fall) (?:off|down|over|on|onto|into|from|in|at|while|when|"
    r"and|face|flat|hard)\b(?! (?:the|my|his|her|a) (?:tooth|teeth|molar|filling|crown|cap)\b)|"
    r"(?:fell|fallen)(?= *$|[,.!?])|(?:took|had) a (?:\w+ )?(?:fall|tumble|spill)|"
    r"(?:tripped|slipped|stumbled|wiped out|face-?plant\w*|collided|crashed)|"
    r"(?:an?|the|his|her|my|car|bike|bicycle|skating|sports?|hockey) accident|"
    r"(?:playing|at|during|in) (?:\w+ )?(?:hockey|soccer|football|basketball|baseball|rugby|"
    r"lacrosse|ringette|volleyball|practice|recess|the playground|the park|gym class)|"
    r"(?:on|off) (?:the |a |his |her |my )?(?:trampoline|monkey bars|swings?|slide|ice|stairs|"
    r"bike|skateboard|scooter))\b")
_HURT_TOOTH = re.compile(
    r"\b(?:loose|wobbly|wiggly|wiggles|wiggling|moves|moving|chipped|chip|broke|broken|cracked|"
    r"bleeding|bloody|pushed|bent|split|knocked|hurts?|sore|fat lip|busted)\b")
# Pain: an emergency unless a treatment was named ("a root canal, the pain is unbearable").
_PAIN = re.compile(
    r"\b(?:killing me|throbbing|unbearable|excruciating|can'?t sleep|can'?t eat|severe|agony|"
    r"toothache|tooth ache|really hurts|hurts (?:really |so )?(?:bad|a lot)|"
    r"can'?t chew|cannot chew|can'?t bite|(?:hard|impossible) to (?:chew|bite|eat)|"
    r"in (?:a lot of )?pain|lot of pain|pounding|pulsing|stabbing|shooting|radiating|"
    # Reaching for painkillers says it hurts.
    r"advil|tylenol|ibuprofen|motrin|aleve|painkillers?|pain ?killers?|pain ?meds?|"
    r"pain medication)\b"
)
# "annual cleaning", "routine filling": a frequency word before a named service is not a checkup.
_NOT_NOUN = (r"(?!(?:[- ]\w+)? (?:clean|cleaning|cleanings|scale|scaling|polish|hygien\w*|"
             r"fillings?|whitening|crowns?|extractions?|root canals?|consult\w*|bleaching)\b)")
_SERVICES: list[tuple[str, re.Pattern[str]]] = [
    ("consultation", re.compile(
        r"\b(?:consult(?:ation)?s?|second opinion|invisalign|implants?|veneers?|braces|"
        r"orthodont\w*|aligners?|treatment plan|talk to (?:the |a )?dentist about|dentures?|"
        r"cosmetic|missing (?:\w+ ){0,2}?(?:tooth|teeth)|replace (?:a|my|the) (?:\w+ ){0,2}?tooth|"
        r"options for|"
        # Straightening and replacing teeth: "crooked", "clear trays", "a gap where a tooth was".
        r"straighten(?:ing|ed)? (?:out )?(?:my |his |her |their |the )?(?:teeth|smile|them)|"
        r"straighter (?:teeth|smile)|(?:teeth|them|smile) (?:\w+ ){0,2}?straight\b|"
        r"crooked|clear trays|overbite|underbite|bridgework|bridges|"
        r"(?:a|my|his|her|dental|new|permanent|temporary|fixed) bridge|"
        r"partials|partial (?:denture|plate)s?|(?:my|his|her|the|a) partial\b"
        r"(?! (?:payment|coverage|refund|amount|day))|retainers?|grafts?|grafting|"
        # "a fake tooth they screw in", "false teeth"
        r"(?:fake|false|artificial|replacement) (?:tooth|teeth)|"
        r"new (?:tooth|teeth)(?! (?:coming|came|come|growing|grew|grow|is|are|were|was)\b)|"
        r"screw(?:ed)? (?:it |one |them )?in|"
        r"smile (?:makeover|design|transformation)|makeover|gummy smile|contouring|gum lift|"
        r"(?:fix|improve|redo|change|do something about) (?:my|his|her|their) smile|"
        r"(?:upper|lower|top|bottom|partial|denture|dental) plates?|"
        r"(?:teeth|tooth) (?:are |is )?(?:shifting|moving|crowding|crowded)|misaligned|"
        r"overcrowd(?:ed|ing)|(?:close|closing|fill|fix) (?:a|the|my|that|this) (?:\w+ )?gap|"
        r"(?:teeth|smile) (?:has|have|with) (?:\w+ )?gaps?|gappy|gap[- ]toothed|"
        r"(?:teeth|bite|jaw|they) (?:don'?t|doesn'?t|do not|does not) line up|crossbite|"
        r"open bite|overlap(?:s|ping)?|buck teeth|"
        r"gap (?:where (?:a|my|the|his|her) (?:\w+ )?(?:tooth|teeth)|"
        r"in (?:my|his|her) (?:teeth|smile)|"
        r"between (?:my|his|her|the) (?:\w+ )?teeth))\b")),
    ("root_canal", re.compile(
        r"\b(?:root canals?|root canal's|endo(?:dontic\w*)?|nerve (?:treatment|thing)|"
        r"root (?:treatment|work)|rct|pulp\w*|apico\w*|"
        r"nerve's (?:dead|dying)|"
        # not the Rideau Canal, nor nerves about the dentist
        r"(?<!rideau )(?<!lachine )(?<!welland )canal(?! (?:street|st|road|rd|drive|dr)\b)|"
        r"(?<!bad )nerves?(?! (?:are|about|get|got|were|of steel|acting up)\b))\b")),
    ("extraction", re.compile(
        r"\b(?:extract(?:ion|ed|ions)?|taken out|"
        # "pull up my file" is not a pulled tooth.
        r"pull(?:ed|ing)?(?! (?:up|over|through|in|into|ahead|back|it up|that up|(?:my|the|his|"
        r"her) (?:file|chart|records?|info|account|appointment))\b)(?: out)?|"
        r"take (?:it|them|\w+ tooth) out|(?:get|have|take|pull) (?:a|my|the|this|that|his|her) "
        r"(?:\w+ )?(?:tooth|teeth) out|teeth out|removal|"
        # "remove me from the list" is a cancellation, not an extraction.
        r"remov(?:e|ed)(?! (?:me|us|him|her|them|my (?:name|appointment|booking|number|info)|"
        r"the (?:appointment|booking)|it from|from)\b)|(?:needs?|has|have) to come out|"
        r"coming out|yank(?:ed)?|(?:take|taking|get|getting|pull|pulling) out (?:a|my|the|his|her|"
        r"this|that|one|two) (?:\w+ )?(?:tooth|teeth)|"
        r"wisdom (?:teeth|tooth) (?:out|removal|removed|pulled)|"
        # "needs a baby tooth out", "I want that tooth gone", "they gotta go".
        r"(?:tooth|molars?|premolars?|canines?|incisors?|wisdoms) out|"
        r"(?:that|this|bad|broken|back|top|bottom|front) ones? out|(?:tooth|teeth|molar) gone|"
        r"(?:it|they|tooth|teeth|molars?|that|this|that one|this one)(?:'s| is| are)? "
        r"(?:gotta|got to|has to|have to|needs? to) go(?! (?:to|on|back|through|ahead|in|out|"
        r"with|for)\b)|"
        r"get rid of (?:the|that|this|my|his|her) (?:\w+ )?(?:tooth|teeth|molar)|"
        # "I want it out", "not worth saving"
        r"(?:want|need|get|have) (?:it|them|that one|this one) (?:out|pulled|taken out)|"
        r"not worth saving|can'?t be saved|cannot be saved|beyond saving)\b")),
    ("crown", re.compile(
        r"\b(?:crowns?|caps?(?! on (?:how|what|the amount|the coverage|the cost|costs|coverage|"
        r"insurance))|capped|onlays?|inlays?|post (?:and|&) core|core build[- ]?up)\b")),
    ("filling", re.compile(
        r"\b(?:fillings?|filled|cavit(?:y|ies)|fill (?:a|the|my|it|that)|decay|amalgams?|"
        r"holes? in (?:it|them|(?:my|a|the|his|her|their) (?:\w+ )?(?:tooth|teeth|molars?))|"
        r"full of holes|drill and fill|(?:big|black|small|little|tiny|huge) hole|"
        # Recognition hears "filling" as "feeling": only where a filling is meant.
        r"(?:a|my|the|two|three|some|new|old|these|those) feelings? (?:done|replaced|fixed|redone|"
        r"fell out|came out|fallen out|on|in|for)|"
        r"drill(?:ing|ed)? (?:a|the|my|his|her|that) (?:\w+ )?(?:tooth|cavity|molar))\b")),
    ("whitening", re.compile(
        r"\b(?:whiten(?:ing|ed)?|whiter|bleach(?:ing)?|brighter|brighten\w*|stain(?:s|ed)?|"
        r"yellow(?:ing|ish|ed)? (?:teeth|smile|stains?)|yellowing|the yellow\b|"
        r"(?:teeth|they|them|smile)(?:'re| are| is| look| looks| got| get| getting)? "
        r"(?:\w+ ){0,2}?(?:yellow(?:ish|ed)?|grey|gray|greyish|brown|brownish|dull)\b|dingy|"
        r"discolou?r\w*|"
        r"(?:make|get|have|want|keep) (?:them|it|(?:my|his|her|their|the) teeth) (?:\w+ )?whiter?|"
        r"shades? (?:lighter|whiter|brighter)|(?:teeth|them|smile) (?:\w+ ){0,3}?lighter|"
        r"(?:teeth|tooth) widening|(?:make )?white (?:my|the|his|her|their) teeth|"
        r"widen(?:ing)? (?:my|the|his|her) teeth|"
        r"(?:hollywood|pearly|sparkly|bright|brilliant|super|perfectly|movie[- ]star) whites?|"
        r"white(?:r)? smile)\b")),
    ("cleaning", re.compile(
        r"\b(?:clean(?:ing|ings|ed)?|hygien(?:e|ist)|scal(?:ed|ing)|scale(?! of| from)|"
        r"polish(?:ing|ed)?|tartar|"
        r"buff(?:ed|ing)?|scrub(?:bed|bing)?|scrap(?:e|ed|ing) (?:my |your |the |his |her )?teeth|"
        r"perio(?:dontal)?|prophy(?:laxis)?|debridement|"
        # A fluoride treatment is done at the hygiene visit.
        r"plaque|deep clean|fluorides?(?! (?:toothpaste|tooth paste|rinse|mouthwash|water|"
        r"pills?|tablets?|drops))(?= |$|[,.?!]))\b")),
    ("checkup", re.compile(
        r"\b(?:check[- ]?ups?|exam(?:ination)?s?|recall|take a look|have a look|look at my teeth|"
        r"routine visits?|(?:just|quick) (?:a )?look|teeth checked|teeth looked at|"
        r"check (?:the |my |his |her |their |our )?teeth|"
        r"x-rays?|x rays?|bite ?wings?|panoramic|(?:annual|yearly|once a year)" + _NOT_NOUN + r"|"
        r"regular visits?|"
        r"once[- ]over|look[- ]?over|look (?:me|him|her|them|us|it|everything) over|"
        r"look[- ]see|"
        r"general (?:look|check|exam)|(?:everything|it all|things|my mouth|my gums|the kids|"
        r"all of us) (?:checked|looked at|looked over|seen to)|"
        r"six[- ]month(?! cleaning)|routine" + _NOT_NOUN + r"|"
        r"(?:a|regular|quick|routine) check\b(?! (?:if|on|with|out|my|it))|re-?check|recare|"
        r"due for (?:a|my|his|her|their|our) (?:first )?visit|"
        r"(?:his|her|their|my|[a-z]+'s) first (?:dental )?visit|"
        r"first (?:dental )?(?:visit|appointment) (?:for|with) (?:my|our)|"
        # "her first time at the dentist", "he's never been to a dentist"
        r"first (?:ever )?(?:time|visit|trip|appointment|checkup)(?: ever)? (?:at|to|with|seeing|"
        r"going to|visiting) (?:the|a) dentist|(?:never|not|hasn'?t|haven'?t) (?:ever )?(?:been to|"
        r"seen|visited) (?:the|a) dentist|(?:a|his|her|their|my) first (?:look|check)|"
        # A recall notice in the mail: "I got a reminder card", "you sent me a recall letter".
        r"(?:recall|reminder) (?:card|letter|postcard|notice)|reminder in the mail)\b")),
]
_WEAK_EMERGENCY = re.compile(
    r"\b(?:pain(?:ful)?|hurts?|hurting|aches?|aching|sore|sensitive|broke|broken|cracked|chipped|"
    r"loose|wobbly|wiggly|wiggles|wiggling|bothering|bugging|acting up|tender|twinges?|"
    r"giving me (?:trouble|grief)|"
    r"lost a tooth|asap|as soon as possible|right away)\b"
)
# Of those, the ones that say it hurts: after a service already had, pain is why they call.
_WEAK_PAIN = re.compile(
    r"\b(?:pain(?:ful)?|hurts?|hurting|aches?|aching|sore|bothering|bugging|acting up|tender|"
    r"twinges?|giving me (?:trouble|grief))\b")
# "The crown is fine", "braces are done": context, not what they are calling about.
_FINE_AFTER = re.compile(
    r"(?:'s|'re| (?:\w+ )?(?:is|are|was|were|looks?|looked|seems?|seemed|feels?|felt)) "
    r"(?:all |totally |completely |perfectly |now |already )?(?:fine|okay|ok|good|great|"
    r"alright|all right|done|finished|healed|over|off)\b"
    r"| (?:has |have )?(?:healed|went (?:well|fine|great|okay|ok)|turned out (?:fine|well|great|"
    r"okay|ok))\b")
# "My son's orthodontist wants him to get four teeth pulled": the specialist is who sent them.
_REPORTS = re.compile(
    r"(?:'s)? (?:\w+ )?(?:said|says|wants|wanted|told|tells|recommended|recommends|referred|"
    r"suggested|suggests|thinks|thought|found|noticed)\b")
# "The tooth they filled last month": a service done in the past.
_PAST_AFTER = re.compile(
    r" (?:\w+ ){0,3}?(?:last (?:week|month|year|time|visit|fall|spring|summer|winter)|yesterday|"
    r"(?:a|one|two|three|four|five|six|few|couple of|\d+) (?:days?|weeks?|months?|years?) ago|"
    r"a while (?:ago|back))\b")
_NOTHING_WRONG = re.compile(
    r"\b(?:nothing(?:'s| is) (?:wrong|hurting)|no pain|doesn'?t hurt|not in pain|not hurting|"
    r"nothing hurts)\b"
)
_VOCAB = {
    "cleaning": "cleaning", "checkup": "checkup", "extraction": "extraction",
    "whitening": "whitening", "consultation": "consultation", "filling": "filling",
    "emergency": "emergency", "invisalign": "consultation", "hygienist": "cleaning",
    "abscess": "emergency", "toothache": "emergency",
}
_NEGATED = re.compile(
    r"(?:\bnot|\bno|\bdon'?t need|\bdon'?t want|\binstead of|\brather than|"
    # "I was told not to get a root canal"
    r"\bnot to (?:get|have|do|book)|\bwithout)\s+"
    r"(?:just )?(?:a |an |the |my |any )?$"
)
# "The tooth next to my crown is killing me": a service named as a place, not a request.
_PLACE = re.compile(
    r"\b(?:next to|beside|near|behind|under(?:neath)?|around|above|below|in front of|"
    r"between) (?:(?:my|the|his|her|their|that|this|a|an) )?(?:\w+ )?$"
    # "the one with the big filling"
    r"|\b(?:one|tooth|molar|side) with (?:the|a|an|my) (?:\w+ )?$")
# Named without a treatment, and nothing hurts: "wisdom teeth" are for taking out; "make sure
# everything's okay" is a checkup.
_IMPLIED: list[tuple[str, re.Pattern[str]]] = [
    ("extraction", re.compile(r"\bwisdom (?:teeth|tooth)\b|\bwisdoms\b")),
    # "just to get looked at", "me teeth need seeing to", "have a gander": a look, unless it
    # hurts.
    ("checkup", re.compile(
        r"\b(?:get|be|been|have|having|getting) (?:\w+ )?looked at\b|"
        r"\bneeds? (?:seeing to|seen to|looking at|looked at|checking|a look)\b|"
        r"\b(?:have|take) a (?:gander|peek|squiz|look-see|quick look)\b")),
    # "my children need see dentist": a visit, nothing named
    ("checkup", re.compile(r"\b(?:need|needs|want|wants|like) (?:to )?(?:see|visit) "
                           r"(?:(?:a|the) )?dentist\b")),
    # "just the usual", "their regular"
    ("checkup", re.compile(
        r"\b(?:the|my|his|her|their|our) (?:usual|regular)(?: (?:thing|stuff|visit|appointment|"
        r"one))?\b")),
    ("checkup", re.compile(
        r"\b(?:make sure|see if|check (?:that|if)|know if) (?:everything|it all|all|things|"
        r"my teeth|his teeth|her teeth|their teeth|the teeth)(?:'s| is| are)? (?:still )?"
        r"(?:ok(?:ay)?|fine|good|alright|all right|healthy|in good shape)\b")),
]
# "They want to pull it, but I want a second opinion": the opinion is what they book.
_SECOND_OPINION = re.compile(
    r"\b(?:second|another|other|different|independent) opinion\b|\bsomeone else'?s opinion\b")
_DAMAGE = re.compile(r"\b(?:chip(?:ped|s)?|broke|broken|crack(?:ed|s)?|sharp)\b")
_WORD = re.compile(r"[a-z]{6,}")
# "The tooth that had the root canal needs a crown": a service already done is history.
_HISTORY = re.compile(
    r"\b(?:(?:that|which|where i|i|we|he|she|they) (?:had|got|'ve had|have had|already had) "
    r"(?:a |an |the |my |his |her |their )?"
    # "they found two cavities at my last exam": a visit already had.
    r"|(?:at|from|during|since|after|in) (?:my|his|her|their|our|the) (?:last|previous|"
    r"recent|most recent|latest) |(?:since|after) (?:my|his|her|their|our|the|that) "
    # "where the old one was pulled"
    r"|(?:was|were|been|got) )$")
# "A crown... no wait, it's a filling": a service named after a correction replaces the first.
_CORRECTION = re.compile(
    r"\b(?:no,? wait|wait,? no|sorry|i mean|i meant|scratch that|correction|or rather|"
    r"my mistake|my bad|no,? no|not that|actually,? no|no,? actually|on second thought|"
    r"make (?:it|that)|change (?:it|that) to)\b(?![,.]? (?:and|also|plus|too)\b)")
_MAINLY = re.compile(
    r"\b(?:mainly|mostly|primarily|especially|main thing(?: is)?|main reason(?: is)?)\b"
    r"(?: \w+){0,4} $")
# "Nothing urgent", "it's not an emergency": the urgency words are negated, not the rest.
_NOT_URGENT = re.compile(
    r"\b(?:nothing(?:'s| is)?|not(?: an?)?|no|isn'?t(?: an?)?|non|(?:don'?t|doesn'?t|do not|"
    r"does not) have(?: an?| any)?)[- ](?:too |very |super |really )?"
    r"(?:urgent|emergency|emergencies|swollen|swelling|bleeding|infected|infection|fever|broken)"
    r"(?: or (?:swollen|swelling|bleeding|infected|infection|fever|broken|pain))*\b"
    # hedged: "urgent-ish", "semi-urgent"
    r"|\burgent-?ish\b|\bsemi-?urgent\b")
# "my back is sore": pain somewhere other than the mouth.
_ELSEWHERE = re.compile(
    r"\b(?:my|his|her|their|the) (?:back|knees?|legs?|foot|feet|arms?|shoulders?|neck|hips?|"
    r"stomach|tummy|ankles?|wrists?|hands?|eyes?|head)(?: is| are|'s)? (?:\w+ )?(?:really |so )?"
    r"(?:sore|hurts?|hurting|aching|aches|killing me|painful|broken|broke)\b")


# "pearly whites" are teeth when something is done to them ("my pearly whites cleaned").
_TEETH_SLANG = re.compile(
    r"\b(?:chompers|choppers|gnashers|pearly whites(?= (?:\w+ )?(?:cleaned|checked|looked|fixed|"
    r"polished|seen|examined|scaled)))\b")
# "knocked out, I mean taken out": a repair; what follows it is what was meant.
_REPAIR = re.compile(r"\b(?:i mean|i meant|no,? wait|wait,? no|scratch that|or rather)\b")


def _prep(text: str) -> str:
    return _TEETH_SLANG.sub("teeth", strip_accents(text).lower().replace("’", "'"))


def extract_service(text: str) -> tuple[str | None, float]:
    t = _prep(text)
    if not t:
        return None, 0.0
    repairs = list(_REPAIR.finditer(t))
    if repairs:
        tail = t[repairs[-1].end() :]
        if not _STRONG_EMERGENCY.search(tail) and any(p.search(tail) for _, p in _SERVICES):
            t = tail
    nothing_wrong = bool(_NOTHING_WRONG.search(t))
    if not nothing_wrong and (_STRONG_EMERGENCY.search(_NOT_URGENT.sub(" ", t)) or (
            _ACCIDENT.search(t) and _HURT_TOOTH.search(t))):
        # A lost filling or a crown that came off is that service, not an emergency.
        for service, pattern in _SERVICES[:5]:
            if pattern.search(t) and service in ("filling", "crown") and re.search(
                r"\b(?:lost|fell (?:out|off)|came (?:off|out|loose|unglued)|fallen (?:out|off)|"
                r"broke off|popped (?:off|out))\b", t
            ):
                return service, 0.8
        return "emergency", 0.9
    if _SECOND_OPINION.search(t):
        return "consultation", 0.8
    found: list[tuple[int, int, str]] = []
    history: list[tuple[int, int, str]] = []
    places: list[tuple[int, int, str]] = []
    for rank, (service, pattern) in enumerate(_SERVICES):
        for m in pattern.finditer(t):
            # "not a cleaning, a checkup"
            if _NEGATED.search(t, max(0, m.start() - 20), m.start()):
                continue
            if (_HISTORY.search(t, max(0, m.start() - 24), m.start())
                    or _PAST_AFTER.match(t, m.end(), m.end() + 40)
                    or _FINE_AFTER.match(t, m.end(), m.end() + 50)
                    or (m.group().endswith(("ist", "ists"))
                        and _REPORTS.match(t, m.end(), m.end() + 40))):
                history.append((m.start(), rank, service))
                continue
            if _PLACE.search(t, max(0, m.start() - 24), m.start()):
                places.append((m.start(), rank, service))
                continue
            found.append((m.start(), rank, service))
            break
    if found:
        # The first service named is what they came for; "a cleaning and a checkup" -> cleaning.
        found.sort()
        first = found[0]
        for f in found:
            # "Whitening, but mainly a cleaning": the main one.
            if _MAINLY.search(t, max(0, f[0] - 30), f[0]):
                first = f
                break
        for m in _CORRECTION.finditer(t, first[0]):
            later = [f for f in found if f[0] > m.start()]
            if later:
                first = later[0]
        return first[2], 0.85 if len(found) == 1 else 0.7
    t = _ELSEWHERE.sub(" ", t)
    if not nothing_wrong and _PAIN.search(t):
        return "emergency", 0.85
    if history:
        # Only a service already had was named: pain since is an emergency; otherwise it is
        # that service again ("since my last cleaning it's been two years").
        if not nothing_wrong and _WEAK_PAIN.search(t):
            return "emergency", 0.6
        return min(history)[2], 0.7
    if not nothing_wrong and _WEAK_EMERGENCY.search(t):
        return "emergency", 0.6
    for service, pattern in _IMPLIED:
        if pattern.search(t):
            return service, 0.7
    if nothing_wrong and _DAMAGE.search(t):
        # "A chip on my front tooth, nothing hurts": a repair, not an emergency.
        return "filling", 0.6
    if places:
        return min(places)[2], 0.6
    # Misrecognised key words ("cleening", "extration").
    for word in _WORD.findall(t):
        hit = process.extractOne(word, _VOCAB.keys(), scorer=fuzz.ratio, score_cutoff=85)
        if hit and hit[1] < 100:
            # A key word said exactly was already read (and set aside as negated or past).
            # One letter off ("absess", "extration") is close enough to answer a service
            # question; further off stays below the extractor's threshold.
            return _VOCAB[hit[0]], 0.6 if hit[1] >= 90 else 0.5
    return None, 0.0
