"""``bella-voice twilio-setup --number +1…``: point a Twilio number's voice webhooks
at this deployment (VoiceUrl, VoiceFallbackUrl, StatusCallback) through Twilio's
REST API with the twilio library."""

from __future__ import annotations

from twilio.rest import Client

from bella_voice.settings import VoiceSettings
from bella_voice.sms import twilio_client


def webhook_urls(public_base_url: str) -> dict[str, str]:
    base = public_base_url.rstrip("/")
    return {
        "voice_url": f"{base}/twilio/voice",
        "voice_fallback_url": f"{base}/twilio/fallback",
        "status_callback": f"{base}/twilio/status",
    }


def configure_number(settings: VoiceSettings, number: str, client: Client | None = None
                     ) -> dict[str, str]:
    client = client or twilio_client(settings.twilio_account_sid, settings.twilio_auth_token,
                                     settings.twilio_api_base_url)
    found = client.incoming_phone_numbers.list(phone_number=number, limit=2)
    if not found:
        raise SystemExit(f"error: {number} is not a number of this Twilio account")
    urls = webhook_urls(settings.public_base_url)
    updated = client.incoming_phone_numbers(found[0].sid).update(
        voice_url=urls["voice_url"], voice_method="POST",
        voice_fallback_url=urls["voice_fallback_url"], voice_fallback_method="POST",
        status_callback=urls["status_callback"], status_callback_method="POST",
    )
    return {
        "number": str(updated.phone_number), "sid": str(updated.sid),
        "voice_url": str(updated.voice_url),
        "voice_fallback_url": str(updated.voice_fallback_url),
        "status_callback": str(updated.status_callback),
    }
