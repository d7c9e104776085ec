"""bella-nlp: extract and score in-process, or serve the gRPC API.

    bella-nlp extract FILE.jsonl|-   one JSON object per line: id + the eight fields
    bella-nlp score FILE.jsonl       per-field accuracy and share of fully correct lines
    bella-nlp serve                  the gRPC server (also the default)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from bella_nlp.extractor import extract
from bella_nlp.result import Extraction
from bella_nlp.scoring import parse_now, read_jsonl, score_records


def run_record(rec: dict[str, Any]) -> Extraction:
    return extract(
        str(rec.get("text") or ""),
        str(rec.get("expect") or "intent"),
        parse_now(rec.get("now")),
        str(rec.get("tz") or "America/Toronto"),
    )


def _open(path: str) -> TextIO:
    return sys.stdin if path == "-" else open(path, encoding="utf-8")


def cmd_extract(path: str, out: TextIO) -> int:
    with _open(path) as fh:
        for rec in read_jsonl(fh):
            row = {"id": rec.get("id"), **run_record(rec).gold_fields()}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def cmd_score(path: str, out: TextIO, show_failures: bool) -> int:
    with _open(path) as fh:
        score = score_records(read_jsonl(fh), run_record)
    out.write(f"lines: {score.lines}\n")
    for field_name, acc in score.field_accuracy().items():
        c, t = score.per_field[field_name]
        out.write(f"  {field_name:<12} {acc:7.2%}  ({c}/{t})\n")
    out.write(f"fully correct: {score.accuracy:.2%} ({score.correct_lines}/{score.lines})\n")
    if show_failures:
        for fail in score.failures:
            out.write(json.dumps(fail, ensure_ascii=False) + "\n")
    return 0


def cmd_serve() -> int:
    from bella_nlp.serve import main as serve_main

    return serve_main()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bella-nlp", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    p_extract = sub.add_parser("extract", help="extract fields from a corpus file (- for stdin)")
    p_extract.add_argument("file")
    p_score = sub.add_parser("score", help="score the rules engine on a corpus file")
    p_score.add_argument("file")
    p_score.add_argument("--failures", action="store_true", help="print each wrong line")
    sub.add_parser("serve", help="run the gRPC server (default)")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args.file, sys.stdout)
    if args.command == "score":
        return cmd_score(args.file, sys.stdout, args.failures)
    return cmd_serve()


if __name__ == "__main__":
    sys.exit(main())
