"""TwiML built with the twilio library: the only module that knows the wire format
of what Bella says back to Twilio.

Gather choices (see README, "Speech recognition"): ``input="speech dtmf"`` so a
caller may speak or type; ``language="en-CA"``; ``speechModel="phone_call"``, a
generic model Twilio maps to a telephony-tuned provider model with failover;
``speechTimeout`` a whole number of seconds, because Twilio refuses
``speechTimeout="auto"`` whenever a ``speechModel`` is set (warning 13335);
``enhanced`` is deprecated and not sent; ``hints`` stay well under Twilio's
500 entries of 100 characters; ``actionOnEmptyResult`` so silence comes back
to us as a turn instead of falling through.
"""

from __future__ import annotations

from collections.abc import Sequence

from twilio.twiml.voice_response import Gather, VoiceResponse

SPEECH_MODEL = "phone_call"
SPEECH_TIMEOUT = "2"
INPUT_TIMEOUT = 6
LANGUAGE = "en-CA"
MAX_HINTS = 500
MAX_HINT_CHARS = 100

COMMON_HINTS = (
    "appointment", "book", "cancel", "reschedule", "move my appointment", "front desk",
    "cleaning", "checkup", "check-up", "filling", "crown", "root canal", "extraction",
    "whitening", "consultation", "emergency", "toothache", "yes", "no",
    "morning", "afternoon", "evening", "today", "tomorrow", "next week",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "hours", "address", "parking", "insurance",
)


def hints_for(services: Sequence[str]) -> str:
    seen: dict[str, str] = {}
    for hint in (*services, *COMMON_HINTS):
        clean = hint.replace(",", " ").strip()[:MAX_HINT_CHARS]
        if clean:
            seen.setdefault(clean.lower(), clean)
    return ", ".join(list(seen.values())[:MAX_HINTS])


def _voice(voice: str) -> dict[str, str]:
    # Polly has no en-CA voice; without a configured voice Twilio's default speaks en-CA.
    return {"voice": voice} if voice else {"language": LANGUAGE}


def gather(say: str, action: str, *, voice: str, hints: str, keypad_only: bool = False,
           expect: str = "") -> str:
    """Say ``say`` and listen; the result (or silence) is posted to ``action``."""
    response = VoiceResponse()
    g = Gather(
        input="dtmf" if keypad_only else "speech dtmf",
        action=action,
        method="POST",
        language=LANGUAGE,
        timeout=INPUT_TIMEOUT,
        action_on_empty_result=True,
        finish_on_key="#",
        **({} if keypad_only else {
            "speech_model": SPEECH_MODEL,
            "speech_timeout": SPEECH_TIMEOUT,
            "hints": hints,
            "profanity_filter": False,
        }),
        **({"num_digits": 1} if keypad_only else {}),
    )
    g.say(say, **_voice(voice))
    response.append(g)
    # Only reached if Twilio ever skips the action on an empty result: ask again.
    response.redirect(action, method="POST")
    return str(response)


def say_and_hang_up(say: str, *, voice: str) -> str:
    response = VoiceResponse()
    response.say(say, **_voice(voice))
    response.hangup()
    return str(response)


def say_and_dial(say: str, number: str, *, voice: str) -> str:
    response = VoiceResponse()
    response.say(say, **_voice(voice))
    response.dial(number, timeout=25)
    response.say("Thank you for calling. Goodbye.", **_voice(voice))
    response.hangup()
    return str(response)


def apology(front_desk: str, *, voice: str) -> str:
    """What a caller hears when something broke: never Twilio's 'application error'."""
    say = "I'm sorry, something went wrong on my end."
    if front_desk:
        return say_and_dial(f"{say} Let me put you through to the front desk.", front_desk,
                            **_voice(voice))
    return say_and_hang_up(f"{say} Please call back in a few minutes. Goodbye.", **_voice(voice))
