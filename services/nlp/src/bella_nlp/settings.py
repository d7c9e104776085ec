"""The NLP service's one settings class (variables prefixed ``BELLA_``)."""

from __future__ import annotations

from bella_core.settings import ServiceSettings
from pydantic import Field, SecretStr


class NlpSettings(ServiceSettings):
    nlp_grpc_host: str = "0.0.0.0"
    nlp_grpc_port: int = Field(default=50051, ge=0, le=65535)
    # Redis for the extraction cache; unset = no cache.
    redis_url: str | None = None
    nlp_cache_ttl_seconds: int = Field(default=24 * 3600, ge=1)
    # Seconds a Redis round trip may take before the request just computes.
    nlp_cache_timeout_seconds: float = Field(default=0.05, gt=0)
    # Optional LLM engine: off unless a key is set.
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(default=3.0, gt=0)
    # Below this mean confidence the LLM's answer is dropped for the rules engine's.
    nlp_llm_min_confidence: float = Field(default=0.5, ge=0, le=1)
    nlp_breaker_failures: int = Field(default=5, ge=1)
    nlp_breaker_reset_seconds: float = Field(default=30.0, gt=0)

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())
