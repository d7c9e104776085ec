"""A small local fake of Google's OAuth token endpoint and the Calendar v3 events API,
so the real client code (google-auth's JWT grant, httpx requests) runs against HTTP."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TOKEN = "fake-access-token"


class FakeGoogle:
    def __init__(self) -> None:
        self.events: dict[str, dict[str, dict[str, Any]]] = {}  # calendar -> id -> event
        self.down = False
        self.requests: list[tuple[str, str, int]] = []
        self.token_grants = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any] | None = None) -> None:
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                fake.requests.append((self.command, self.path, status))

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_POST(self) -> None:
                if self.path == "/token":
                    form = parse_qs(self._body().decode())
                    grant = form.get("grant_type", [""])[0]
                    if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer" or not form.get(
                        "assertion"
                    ):
                        return self._send(400, {"error": "invalid_grant"})
                    fake.token_grants += 1
                    return self._send(
                        200, {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}
                    )
                self._events("POST")

            def do_PUT(self) -> None:
                self._events("PUT")

            def do_DELETE(self) -> None:
                self._events("DELETE")

            def _events(self, method: str) -> None:
                body = self._body()
                if fake.down:
                    return self._send(503, {"error": {"code": 503, "message": "backend error"}})
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {"error": {"code": 401}})
                parts = urlsplit(self.path).path.split("/")
                # /calendar/v3/calendars/{cal}/events[/{id}]
                if parts[1:4] != ["calendar", "v3", "calendars"] or parts[5] != "events":
                    return self._send(404)
                calendar = unquote(parts[4])
                event_id = parts[6] if len(parts) > 6 else None
                with fake._lock:
                    events = fake.events.setdefault(calendar, {})
                    if method == "POST":
                        event = json.loads(body)
                        if event["id"] in events:
                            return self._send(409, {"error": {"code": 409, "message": "dup"}})
                        events[event["id"]] = event
                        return self._send(200, event)
                    if event_id not in events:
                        return self._send(404 if method == "PUT" else 410)
                    if method == "PUT":
                        events[event_id] = {**json.loads(body), "id": event_id}
                        return self._send(200, events[event_id])
                    del events[event_id]
                    self.send_response(204)
                    self.end_headers()
                    fake.requests.append((method, self.path, 204))
                    return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeGoogle:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def write_service_account(path: Path, token_uri: str) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "bella-test",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": "bella@bella-test.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": token_uri,
            }
        )
    )
    return path
