"""A small local fake of the two Twilio REST endpoints Bella uses:
IncomingPhoneNumbers (list by PhoneNumber, update) and Messages (create)."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from voice_stack import TOKEN  # the fake accepts the same auth token as the webhooks

ACCOUNT = "AC" + "1" * 32


class FakeTwilio:
    def __init__(self) -> None:
        self.numbers: dict[str, dict[str, Any]] = {
            "PN" + "a" * 32: {"sid": "PN" + "a" * 32, "account_sid": ACCOUNT,
                              "phone_number": "+16475550100", "voice_url": "",
                              "voice_fallback_url": "", "status_callback": ""},
        }
        self.messages: list[dict[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _authorised(self) -> bool:
                expected = base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
                return self.headers.get("Authorization", "") == f"Basic {expected}"

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                fake.requests.append(("GET", url.path))
                if not self._authorised():
                    return self._send(401, {"code": 20003, "message": "Authenticate"})
                if url.path == f"/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json":
                    wanted = parse_qs(url.query).get("PhoneNumber", [""])[0]
                    found = [n for n in fake.numbers.values() if n["phone_number"] == wanted]
                    return self._send(200, {
                        "incoming_phone_numbers": found, "end": len(found), "page": 0,
                        "page_size": 50, "start": 0, "next_page_uri": None,
                        "meta": {"key": "incoming_phone_numbers", "next_page_url": None}})
                return self._send(404, {"code": 20404, "message": "not found"})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                fake.requests.append(("POST", url.path))
                if not self._authorised():
                    return self._send(401, {"code": 20003, "message": "Authenticate"})
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                prefix = f"/2010-04-01/Accounts/{ACCOUNT}/"
                if url.path == prefix + "Messages.json":
                    msg = {"sid": "SM" + f"{len(fake.messages):032d}", "to": form.get("To"),
                           "from": form.get("From"), "body": form.get("Body"),
                           "status": "queued", "account_sid": ACCOUNT}
                    fake.messages.append(msg)
                    return self._send(201, msg)
                for sid, number in fake.numbers.items():
                    if url.path == prefix + f"IncomingPhoneNumbers/{sid}.json":
                        for key, field in (("VoiceUrl", "voice_url"),
                                           ("VoiceFallbackUrl", "voice_fallback_url"),
                                           ("StatusCallback", "status_callback")):
                            if key in form:
                                number[field] = form[key]
                        number["methods"] = {k: v for k, v in form.items()
                                             if k.endswith("Method")}
                        return self._send(200, number)
                return self._send(404, {"code": 20404, "message": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
