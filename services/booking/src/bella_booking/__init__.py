"""Bella's booking service: clinics, patients, appointments, no double booking.

In-process entry points for tests and the stack::

    from bella_booking import migrate, seed, start_server, BookingSettings
    await migrate(url); await seed(url)            # demo clinics by default
    server = await start_server(BookingSettings(database_url=url, booking_grpc_port=0), telemetry)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BookingSettings", "migrate", "seed", "start_server"]

if TYPE_CHECKING:
    from bella_booking.migrations import migrate
    from bella_booking.seed import seed
    from bella_booking.server import start_server
    from bella_booking.settings import BookingSettings


def __getattr__(name: str) -> Any:
    # Lazy, so `import bella_booking.rules` in a unit test does not pull in grpc and SQLAlchemy.
    if name == "migrate":
        from bella_booking.migrations import migrate

        return migrate
    if name == "seed":
        from bella_booking.seed import seed

        return seed
    if name == "start_server":
        from bella_booking.server import start_server

        return start_server
    if name == "BookingSettings":
        from bella_booking.settings import BookingSettings

        return BookingSettings
    raise AttributeError(name)
