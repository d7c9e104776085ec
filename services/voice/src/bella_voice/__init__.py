"""Bella voice service: Twilio webhooks, the phone conversation, call records."""

from bella_voice.migrate import migrate

__all__ = ["migrate"]
