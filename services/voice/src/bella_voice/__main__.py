"""bella-voice: serve | migrate."""

from __future__ import annotations

import argparse

from bella_core.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bella-voice")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("migrate", help="apply the voice schema migrations (idempotent)")
    args = parser.parse_args(argv)
    from bella_voice.settings import VoiceSettings

    settings = load_settings(VoiceSettings)
    if args.command == "migrate":
        from bella_voice.migrate import migrate

        migrate(settings.database_url)
        print("voice schema is up to date")


if __name__ == "__main__":
    main()
