"""Command line: argv -> Config -> pipeline per input -> Report -> exit code.

    converter convert INPUT... [--to pdf,epub,docx] [-o OUTDIR]
    converter normalise INPUT [--to html|md] [-o FILE]
    converter passes
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .config import DEFAULT_FORMATS, Config, MetadataOverrides
from .errors import ConverterError, ExitStatus, UsageError
from .normalise import PASS_DOCS, PASSES, check_pass_names
from .readers import READERS, supported

PROG = "converter"


def _formats(value: str) -> tuple[str, ...]:
    from .writers import WRITERS

    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in WRITERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r} (choose from {', '.join(sorted(WRITERS))})"
        )
    return names


def _size(value: str) -> int:
    units = {"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "": 1}
    number = value.strip().lower()
    for unit in sorted(units, key=len, reverse=True):
        if unit and number.endswith(unit):
            try:
                return int(float(number[: -len(unit)]) * units[unit])
            except ValueError:
                break
    try:
        return int(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 50MB)") from None


def _add_common(p: argparse.ArgumentParser) -> None:
    meta = p.add_argument_group("metadata (overrides what the normaliser finds)")
    meta.add_argument("--title", help="document title")
    meta.add_argument("--author", help="author name")
    meta.add_argument("--date", help="publication date, YYYY-MM-DD")
    meta.add_argument("--lang", dest="language", help="language tag, e.g. en, fr-CA")
    p.add_argument(
        "--disable-pass", action="append", default=[], metavar="NAME",
        help="skip a normaliser pass (repeatable; see `converter passes`)",
    )
    p.add_argument("--max-size", type=_size, default=50_000_000, metavar="SIZE",
                   help="refuse inputs larger than this (default 50MB)")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Repair messy articles and export clean PDF, EPUB and DOCX editions.",
        epilog="exit codes: 0 success, 1 an input failed, 2 usage error, 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    conv = sub.add_parser("convert", help="convert inputs into editions",
                          description="Convert files, folders or globs into PDF, EPUB and DOCX.")
    conv.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or glob patterns")
    conv.add_argument("--to", type=_formats, default=DEFAULT_FORMATS, metavar="FORMATS",
                      help="comma-separated: pdf,epub,docx,html,md (default pdf,epub,docx)")
    conv.add_argument("-o", "--output", type=Path, default=Path("build"), metavar="OUTDIR",
                      help="output folder (default build/)")
    conv.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    conv.add_argument("--report", type=Path, metavar="FILE.json", help="write a JSON report")
    _add_common(conv)

    norm = sub.add_parser("normalise", aliases=["normalize"], help="print the repaired article",
                          description="Repair one article and print it as HTML or Markdown.")
    norm.add_argument("input", metavar="INPUT")
    norm.add_argument("--to", choices=("html", "md"), default="html", help="output format (default html)")
    norm.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    norm.add_argument("--report", type=Path, metavar="FILE.json", help="write the changes as JSON")
    _add_common(norm)

    sub.add_parser("passes", help="list the normaliser passes in order")
    return parser


def _config(args: argparse.Namespace, **extra: object) -> Config:
    disabled = frozenset(args.disable_pass)
    check_pass_names(disabled)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        source_date_epoch = int(epoch) if epoch else None
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return Config(
        disabled_passes=disabled,
        overrides=MetadataOverrides(args.title, args.author, args.date, args.language),
        debug=args.debug,
        max_bytes=args.max_size,
        source_date_epoch=source_date_epoch,
        **extra,  # type: ignore[arg-type]
    )


def expand_inputs(patterns: Sequence[str]) -> list[Path]:
    """Files as given, folders searched recursively for supported files, globs expanded."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and supported(p)
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif not path.exists() and glob.has_magic(pattern):
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            found.extend(m for m in matches if m.is_file())
            if not matches:
                found.append(path)  # reported as "no such file"
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _stems(paths: list[Path]) -> dict[Path, str]:
    """Output stems: the input's stem, or name.ext when two inputs share a stem."""
    counts: dict[str, int] = {}
    for p in paths:
        counts[p.stem] = counts.get(p.stem, 0) + 1
    return {p: p.stem if counts[p.stem] == 1 else p.name for p in paths}


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _internal_error(source: Path | None, exc: BaseException, debug: bool) -> None:
    where = f"{source}: " if source else ""
    _error(f"{where}internal error: {type(exc).__name__}: {exc}"
           + ("" if debug else " (run with --debug for the traceback)"))
    if debug:
        traceback.print_exception(exc)


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert every input; keep going past failures; exit code from the report."""
    from .pipeline import Result, convert
    from .report import Report

    config = _config(args, formats=args.to, output_dir=args.output, paper=args.paper)
    inputs = expand_inputs(args.inputs)
    if not inputs:
        raise UsageError("no input files found (supported: " + ", ".join(sorted(READERS)) + ")")
    stems = _stems(inputs)
    report = Report()
    for source in inputs:
        try:
            result = convert(source, config, stem=stems[source])
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            _internal_error(source, exc, args.debug)
            result = Result(source=source, status="failed", error=f"internal error: {exc}",
                            error_category="internal")
        report.add(result)
        if result.status == "failed" and result.error_category != "internal":
            _error(f"{source}: {result.error}")
        else:
            for edition in result.editions:
                print(edition.path)
    if args.report:
        report.write_json(args.report)
    print(f"{PROG}: {report.summary()}", file=sys.stderr)
    return int(report.exit_status)


def cmd_normalise(args: argparse.Namespace) -> int:
    """Print (or write) the repaired article as HTML or Markdown."""
    from .pipeline import prepare
    from .writers import get_writer

    config = _config(args)
    doc = prepare(Path(args.input), config)
    writer = get_writer(args.to, config)
    if args.output:
        writer.write(doc, args.output)
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            target = writer.write(doc, Path(tmp) / f"out{writer.extension}")
            sys.stdout.write(target.read_text(encoding="utf-8"))
    if args.report:
        payload = {"source": str(args.input), "title": doc.meta.title,
                   "changes": [c.as_dict() for c in doc.changes]}
        args.report.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return int(ExitStatus.OK)


def cmd_passes(args: argparse.Namespace) -> int:
    """List the passes in order with their one-line description."""
    width = max(len(name) for name, _ in PASSES)
    for index, (name, _) in enumerate(PASSES, start=1):
        print(f"{index:2d}. {name:<{width}}  {PASS_DOCS[name]}")
    return int(ExitStatus.OK)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return int(ExitStatus.USAGE)
    handlers = {"convert": cmd_convert, "normalise": cmd_normalise, "normalize": cmd_normalise,
                "passes": cmd_passes}
    debug = getattr(args, "debug", False)
    try:
        return handlers[args.command](args)
    except ConverterError as exc:
        _error(str(exc))
        return int(exc.exit_status)
    except KeyboardInterrupt:
        _error("interrupted")
        return int(ExitStatus.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitStatus.OK)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line unless --debug
        _internal_error(None, exc, debug)
        return int(ExitStatus.FAILED)


if __name__ == "__main__":
    sys.exit(main())
