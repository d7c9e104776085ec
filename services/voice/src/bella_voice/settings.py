"""The voice service's one settings class (built by ``__main__`` with load_settings)."""

from __future__ import annotations

from bella_core.settings import ServiceSettings
from pydantic import Field, field_validator


class VoiceSettings(ServiceSettings):
    voice_http_port: int = Field(8080, ge=0, le=65535)
    voice_grpc_port: int = Field(50053, ge=0, le=65535)
    host: str = "0.0.0.0"
    nlp_address: str = "127.0.0.1:50051"
    booking_address: str = "127.0.0.1:50052"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # What Twilio reaches us on (tunnel or load balancer); signatures are checked against it.
    public_base_url: str = "http://127.0.0.1:8080"
    twilio_auth_token: str = ""
    twilio_account_sid: str = ""
    # Development only: turning signature checks off is logged loudly at start-up.
    twilio_validate_signatures: bool = True
    # Where the twilio REST client sends requests (a local fake in tests).
    twilio_api_base_url: str = "https://api.twilio.com"
    tts_voice: str = "Polly.Joanna-Neural"
    # Deadlines (seconds) keeping each webhook well inside Twilio's 15 s and our 2 s budget.
    nlp_timeout: float = Field(0.5, gt=0)
    booking_timeout: float = Field(1.0, gt=0)
    turn_budget: float = Field(1.8, gt=0)
    call_state_ttl_seconds: int = Field(6 * 3600, gt=0)

    @field_validator("public_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")
