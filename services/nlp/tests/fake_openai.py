"""A small local server speaking the OpenAI chat-completions API, for the LLM engine tests.

The requested model name picks the behaviour: good, lowconf, slow, error, malformed, invalid.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GOOD_ANSWER = {
    "intent": "book", "name": "Ada Lovelace", "phone": "+14165550199", "date": "2026-11-24",
    "time": "15:00", "part_of_day": None, "service": "cleaning", "confirm": None,
    "confidence": 0.93,
}


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "body": body,
                                      "auth": self.headers.get("authorization")})
                model = body.get("model", "good")
                if model == "slow":
                    time.sleep(1.5)
                if model == "error":
                    self._send(500, {"error": {"message": "boom", "type": "server_error"}})
                    return
                content: str
                if model == "malformed":
                    content = '{"intent": "book", "name": '
                elif model == "invalid":
                    content = json.dumps({**GOOD_ANSWER, "phone": "call me maybe"})
                elif model == "lowconf":
                    content = json.dumps({**GOOD_ANSWER, "confidence": 0.1})
                else:
                    content = json.dumps(GOOD_ANSWER)
                self._send(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 120, "completion_tokens": 30,
                              "total_tokens": 150},
                })

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
