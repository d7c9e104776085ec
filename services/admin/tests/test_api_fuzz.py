"""Generated requests against every API operation: never a server error."""

from __future__ import annotations

import pytest


@pytest.mark.slow
async def test_generated_api_requests_get_no_server_error(app, world, admin_deps) -> None:
    import httpx
    import schemathesis
    from admin_testkit import CLINIC
    from hypothesis import HealthCheck, given, settings
    from schemathesis.core.result import Ok

    secret, _ = await admin_deps.tokens.create(clinic_id=CLINIC, name="fuzz", role="admin",
                                               created_by=None)
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://admin.test") as client:
        spec = (await client.get("/openapi.json")).json()
        schema = schemathesis.openapi.from_dict(spec)
        cases = []
        for result in schema.get_all_operations():
            assert isinstance(result, Ok)
            operation = result.ok()
            for mode in (schemathesis.GenerationMode.POSITIVE,
                         schemathesis.GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck))
                def collect(case) -> None:  # type: ignore[no-untyped-def]
                    cases.append(case)

                collect()
        failures = []
        for case in cases:
            path = case.formatted_path
            resp = await client.request(case.method, path, params=case.query,
                                        headers={**headers, **(case.headers or {})})
            if resp.status_code >= 500:
                failures.append(f"{case.method} {path} {case.query} -> {resp.status_code} "
                                f"{resp.text[:150]}")
        assert not failures, "\n".join(failures[:15])
        assert len(cases) > 60
