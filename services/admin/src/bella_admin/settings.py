"""The admin service's configuration (every variable prefixed ``BELLA_``)."""

from __future__ import annotations

from bella_core.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator


class AdminSettings(ServiceSettings):
    admin_http_host: str = "0.0.0.0"
    admin_http_port: int = Field(default=8000, ge=0, le=65535)
    database_url: str = Field(min_length=1)
    # Required to serve; `migrate`, `create-user` and `seed-demo` need only the database.
    redis_url: str = ""
    booking_address: str = "127.0.0.1:50052"
    voice_address: str = "127.0.0.1:50053"
    # Deadline for each gRPC call to booking/voice, seconds.
    admin_grpc_timeout: float = Field(default=3.0, gt=0)

    # Served over https (directly or behind a TLS-terminating proxy): the session cookie becomes
    # `__Host-bella_session` with Secure, and HSTS is sent. Off for plain-http local runs, where
    # browsers refuse Secure and __Host- cookies.
    admin_https: bool = False
    admin_session_idle_minutes: int = Field(default=30, ge=1)
    admin_session_absolute_hours: int = Field(default=12, ge=1)
    # Lock-out: this many failures within the window locks the account (or the client IP).
    admin_lockout_account_failures: int = Field(default=5, ge=1)
    admin_lockout_ip_failures: int = Field(default=20, ge=1)
    admin_lockout_window_minutes: int = Field(default=15, ge=1)

    # A static bearer token for automation: read-only, limited to one clinic.
    admin_api_token: SecretStr | None = None
    admin_api_token_clinic: str = ""
    # Where the transcript page links trace ids (X-Ray console of this region).
    admin_xray_region: str = "ca-central-1"
    # Trust X-Forwarded-For from the proxy in front (the load balancer); off by default.
    admin_trust_proxy: bool = False

    @model_validator(mode="after")
    def _token_needs_clinic(self) -> AdminSettings:
        token = self.admin_api_token.get_secret_value() if self.admin_api_token else ""
        if token and len(token) < 32:
            raise ValueError("BELLA_ADMIN_API_TOKEN must be at least 32 characters")
        if token and not self.admin_api_token_clinic:
            raise ValueError(
                "BELLA_ADMIN_API_TOKEN_CLINIC must name the clinic BELLA_ADMIN_API_TOKEN may read"
            )
        return self

    @property
    def api_token(self) -> str:
        return self.admin_api_token.get_secret_value() if self.admin_api_token else ""
