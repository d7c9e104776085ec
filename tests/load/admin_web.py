"""Signing in to the staff dashboard as a browser would (session cookie, CSRF token)."""

from __future__ import annotations

import html
import re

import httpx

DEMO_PASSWORD = "bella-demo-2026!"  # bella_admin.seed.DEMO_PASSWORD: what seed-demo creates


def csrf_token(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m, "no CSRF token on the page"
    return html.unescape(m.group(1))


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    form = await client.get("/login")
    assert form.status_code == 200
    return await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(form.text)}
    )
