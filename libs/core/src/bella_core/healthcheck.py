"""Container health checks without curl or grpcurl in the image.

    python -m bella_core.healthcheck http http://127.0.0.1:8080/healthz
    python -m bella_core.healthcheck grpc 127.0.0.1:50051

Exit 0 when healthy (HTTP 200 / gRPC SERVING), 1 otherwise, with one line saying why.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Sequence


def check_http(url: str, timeout: float = 3.0) -> str | None:
    """None when the URL answers 200, else the reason."""
    if not url.startswith(("http://", "https://")):
        return f"not an http(s) URL: {url}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - scheme checked
            return None if resp.status == 200 else f"HTTP {resp.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return str(getattr(exc, "reason", exc))


def check_grpc(address: str, timeout: float = 3.0) -> str | None:
    """None when the standard health service reports SERVING, else the reason."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(address) as channel:
        try:
            resp = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError as exc:
            return f"gRPC {exc.code().name}"  # type: ignore[attr-defined]
    if resp.status != health_pb2.HealthCheckResponse.SERVING:
        return health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] not in ("http", "grpc"):
        print("usage: python -m bella_core.healthcheck http URL | grpc HOST:PORT", file=sys.stderr)
        return 2
    kind, target = args
    problem = check_http(target) if kind == "http" else check_grpc(target)
    if problem:
        print(f"unhealthy: {target}: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
