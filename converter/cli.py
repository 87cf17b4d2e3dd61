"""Command line: argv (+ project config file) -> Config -> batch of inputs -> Report -> exit code.

    converter convert INPUT... [--to pdf,epub,docx] [-o OUTDIR] [--jobs N] [--report FILE.json]
                               [--strict] [--force] [--executor dask --scheduler ADDRESS]
    converter check PATH...          validate editions (EPUBCheck, PDF and DOCX structure)
    converter normalise INPUT [--to html|md] [-o FILE]
    converter passes
    converter report-schema          the JSON Schema of --report files

Settings come from, lowest first: built-in defaults, ``converter.toml`` beside the inputs or
``[tool.converter]`` in ``pyproject.toml`` (see converter/config.py), then the flags here.
Only this module reads the environment (SOURCE_DATE_EPOCH) and configuration files.
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
from .config import (
    DEFAULT_FORMATS,
    EXECUTORS,
    FORMATS,
    PDF_VARIANTS,
    BatchOptions,
    Config,
    ConfigFileError,
    FileSettings,
    MetadataOverrides,
    find_config_file,
    load_config_file,
)
from .errors import ConverterError, ExitStatus, UsageError, WriteError
from .forkserver import tune_gc

# converter.normalise and converter.readers are imported where used: a batch run's caller
# starts its workers' fork server before it needs them (converter.forkserver).

PROG = "converter"


def _formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r} (choose from {', '.join(sorted(FORMATS))})"
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


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a number of workers: {value!r} (1 or more)")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r} (0 for no limit)")
    return number


def _add_common(p: argparse.ArgumentParser) -> None:
    meta = p.add_argument_group("metadata (overrides what the normaliser finds)")
    meta.add_argument("--title", help="document title")
    meta.add_argument("--author", help="author name")
    meta.add_argument("--date", help="publication date, YYYY-MM-DD")
    meta.add_argument("--lang", dest="language", help="language tag, e.g. en, fr-CA")
    p.add_argument(
        "--enable-pass", action="append", default=None, metavar="NAME",
        help="run an optional normaliser pass, e.g. typography.smart-quotes (repeatable)",
    )
    p.add_argument(
        "--disable-pass", action="append", default=None, metavar="NAME",
        help="skip a normaliser pass (repeatable; see `converter passes`)",
    )
    p.add_argument("--max-size", type=_size, default=None, metavar="SIZE",
                   help="refuse inputs larger than this (default 50MB)")
    p.add_argument("--allow-remote", action="store_true",
                   help="let articles load http(s) images (10 s and 10MB each); by default "
                        "nothing is fetched from the network")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="read settings from this converter.toml or pyproject.toml "
                        "(default: the one beside the inputs)")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Repair messy articles and export clean PDF, EPUB and DOCX editions.",
        epilog="exit codes: 0 success, 1 an input failed, 2 usage or configuration error, "
               "130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    conv = sub.add_parser("convert", help="convert inputs into editions",
                          description="Convert files, folders or globs into PDF, EPUB and DOCX. "
                                      "Editions whose inputs did not change are kept.")
    conv.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or glob patterns")
    conv.add_argument("--to", type=_formats, default=None, metavar="FORMATS",
                      help="comma-separated: pdf,epub,docx,html,md (default pdf,epub,docx)")
    conv.add_argument("-o", "--output", type=Path, default=None, metavar="OUTDIR",
                      help="output folder (default build/)")
    conv.add_argument("--paper", choices=("a4", "letter"), default=None, help="PDF paper size")
    conv.add_argument("--pdf-variant", choices=PDF_VARIANTS, default=None,
                      help="PDF profile: pdf/ua-1 (tagged, accessible), pdf/a-3b (archival), ...")
    conv.add_argument("--split", action=argparse.BooleanOptionalAction, default=None,
                      help="EPUB: one file per top-level section (default: long articles only)")
    conv.add_argument("--cover", type=Path, default=None, metavar="IMAGE",
                      help="EPUB cover image (PNG, JPEG, GIF, WebP or SVG; "
                           "default: a typographic cover)")
    conv.add_argument("--styles", type=Path, default=None, metavar="DIR",
                      help="folder with pdf.css, epub.css and reference.docx")
    conv.add_argument("--report", type=Path, metavar="FILE.json",
                      help="write a JSON report (schema: `converter report-schema`)")
    conv.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                      help="worker processes (default: the number of cores)")
    conv.add_argument("--force", action="store_true",
                      help="rebuild every edition, even those that are up to date")
    conv.add_argument("--strict", action="store_true", default=None,
                      help="a document with warnings fails")
    conv.add_argument("--executor", choices=EXECUTORS, default=None,
                      help="where documents are converted (default local)")
    conv.add_argument("--scheduler", metavar="ADDRESS",
                      help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786")
    conv.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                      help="fail a document that takes longer (default 300, 0 for no limit)")
    conv.add_argument("-q", "--quiet", action="store_true",
                      help="no progress and no list of written files (warnings, errors and the "
                           "summary remain)")
    _add_common(conv)

    check = sub.add_parser("check", help="validate PDF, EPUB and DOCX editions",
                           description="Validate editions: EPUBCheck for EPUB, structure checks "
                                       "for PDF (pages, text) and DOCX (package, document.xml).")
    check.add_argument("paths", nargs="+", metavar="PATH", help="edition files or folders")
    check.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="checks run in parallel (default: the number of cores)")
    check.add_argument("--strict", action="store_true", help="EPUBCheck warnings fail the file")
    check.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")

    norm = sub.add_parser("normalise", aliases=["normalize"], help="print the repaired article",
                          description="Repair one article and print it as HTML or Markdown.")
    norm.add_argument("input", metavar="INPUT")
    norm.add_argument("--to", choices=("html", "md"), default="html", help="output format (default html)")
    norm.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    norm.add_argument("--report", type=Path, metavar="FILE.json", help="write the changes as JSON")
    _add_common(norm)

    sub.add_parser("passes", help="list the normaliser passes in order")
    sub.add_parser("report-schema", help="print the JSON Schema of --report files")
    return parser


def _config_start(patterns: Sequence[str]) -> Path:
    """The folder where the inputs live: where a converter.toml would sit beside them."""
    folders = []
    for pattern in patterns:
        path = Path(pattern)
        if glob.has_magic(pattern) and not path.exists():
            parts = []
            for part in path.parts:
                if glob.has_magic(part):
                    break
                parts.append(part)
            path = Path(*parts) if parts else Path(".")
        folders.append((path if path.is_dir() else path.parent).resolve())
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def _settings(args: argparse.Namespace, patterns: Sequence[str]) -> FileSettings:
    """Load the configuration file that applies (none with --no-config)."""
    if args.no_config:
        return FileSettings(path=Path())
    path = args.config
    if path is None:
        path = find_config_file(_config_start(patterns))
        if path is None:
            return FileSettings(path=Path())
    elif not path.is_file():
        raise UsageError(f"{path}: no such configuration file")
    try:
        settings = load_config_file(path)
    except ConfigFileError as exc:
        raise UsageError(f"{path}: {exc}") from None
    # Trusted: a file given with --config, or one in the working tree (above or below the
    # current folder). Not: one that came with inputs from elsewhere (a downloaded folder).
    here, folder = Path.cwd().resolve(), path.parent.resolve()
    found_elsewhere = args.config is None and not (
        here.is_relative_to(folder) or folder.is_relative_to(here)
    )
    if found_elsewhere and (settings.get("scheduler") or settings.get("executor") == "dask"):
        # A file that came with the inputs (a downloaded folder of articles) must not send
        # them, and take pickles back, over the network; the user's own files may.
        raise UsageError(f"{path}: found beside the inputs, not in this project, and it sends "
                         "them to a Dask scheduler; pass it with --config if you trust it")
    for key in ("output", "styles") if found_elsewhere else ():
        value = settings.get(key)
        if value is not None and not Path(value).resolve().is_relative_to(folder):
            raise UsageError(f"{path}: found beside the inputs, not in this project, and its "
                             f"{key!r} leaves its folder; pass it with --config if you trust it")
    return settings


def _source_date_epoch() -> int | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return int(epoch) if epoch else None
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None


def _check_dates(*values: MetadataOverrides) -> None:
    from .normalise.metadata import parse_date

    for value in values:
        if value.date and parse_date(value.date) is None:
            raise UsageError(f"--date {value.date!r} is not a date (use YYYY-MM-DD)")


def _config(args: argparse.Namespace, settings: FileSettings, **extra: object) -> Config:
    """Merge defaults, the configuration file and the flags into a Config."""
    from .normalise import check_pass_names

    disabled = frozenset(args.disable_pass if args.disable_pass is not None
                         else settings.get("disable-passes", ()))
    check_pass_names(disabled)
    enabled = frozenset(args.enable_pass if args.enable_pass is not None
                        else settings.get("enable-passes", ()))
    check_pass_names(enabled)
    max_bytes = args.max_size
    if max_bytes is None and settings.get("max-size") is not None:
        try:
            max_bytes = _size(str(settings.get("max-size")))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"{settings.path}: 'max-size': {exc}") from None
    overrides = MetadataOverrides(args.title, args.author, args.date, args.language)
    _check_dates(overrides, settings.metadata)
    fields: dict[str, object] = {
        "disabled_passes": disabled,
        "enabled_passes": enabled,
        "overrides": overrides,
        "defaults": settings.metadata,
        "debug": args.debug,
        "source_date_epoch": _source_date_epoch(),
        "allow_remote": args.allow_remote,
    }
    if max_bytes is not None:
        fields["max_bytes"] = max_bytes
    fields.update({k: v for k, v in extra.items() if v is not None})
    return Config(**fields)  # type: ignore[arg-type]


def expand_inputs(patterns: Sequence[str], exclude: Path | None = None) -> list[Path]:
    """Files as given, folders searched recursively for supported files, globs expanded.

    What a folder or glob finds inside ``exclude`` (the output folder) is left out: the
    HTML or Markdown editions of one run are not inputs of the next.
    """
    from .readers import supported

    skip = exclude.resolve() if exclude is not None else None

    def wanted(p: Path) -> bool:
        return skip is None or not p.resolve().is_relative_to(skip)

    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and supported(p)
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                                and wanted(p)))
        elif not path.exists() and glob.has_magic(pattern):
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            found.extend(m for m in matches if m.is_file() and wanted(m))
            if not matches:
                found.append(path)  # reported as "no such file"
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _internal_error(source: Path | None, exc: BaseException, debug: bool) -> None:
    where = f"{source}: " if source else ""
    _error(f"{where}internal error: {type(exc).__name__}: {exc}"
           + ("" if debug else " (run with --debug for the traceback)"))
    if debug:
        traceback.print_exception(exc)


def _workers_likely(args: argparse.Namespace, settings: FileSettings) -> bool:
    """Whether this convert run will want local worker processes: two jobs or more, the
    local executor, more than one input, and a full run (no manifest in the output folder,
    or --force). Cheap: no input is read or searched."""
    from .manifest import MANIFEST_NAME

    if (args.executor or ("dask" if args.scheduler else settings.get("executor", "local"))) != "local":
        return False
    if (args.jobs or settings.get("jobs") or _cores()) < 2:
        return False
    plural = len(args.inputs) > 1 or any(Path(p).is_dir() or glob.has_magic(p) for p in args.inputs)
    output = Path(args.output or settings.get("output") or "build")
    return plural and (args.force or not (output / MANIFEST_NAME).exists())


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert every input; keep going past failures; exit code from the report."""
    settings = _settings(args, args.inputs)
    if _workers_likely(args, settings):
        from . import forkserver

        try:
            forkserver.start_early()  # its imports overlap with this process's own
        except Exception as exc:  # noqa: BLE001 - the pool starts it later as before
            if args.debug:
                _error(f"fork server not started early: {exc}")
    formats = args.to
    if formats is None and settings.get("formats") is not None:
        try:
            formats = _formats(",".join(settings.get("formats")))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"{settings.path}: 'formats': {exc}") from None
    config = _config(
        args, settings,
        formats=formats or DEFAULT_FORMATS,
        output_dir=args.output or settings.get("output") or Path("build"),
        paper=args.paper or settings.get("paper"),
        styles_dir=args.styles or settings.get("styles"),
        pdf_variant=args.pdf_variant or settings.get("pdf-variant"),
        split_sections=args.split if args.split is not None else settings.get("split"),
        cover=_cover(args.cover),
    )
    if not config.styles_dir.is_dir():
        raise UsageError(f"{config.styles_dir}: styles folder not found")
    timeout = args.timeout if args.timeout is not None else settings.get("timeout", 300.0)
    executor_kind = args.executor or ("dask" if args.scheduler else settings.get("executor", "local"))
    options = BatchOptions(
        jobs=args.jobs or settings.get("jobs") or _cores(),
        strict=bool(args.strict if args.strict is not None else settings.get("strict", False)),
        force=args.force,
        executor=executor_kind,
        scheduler=args.scheduler or settings.get("scheduler"),
        timeout=timeout or None,
        report=args.report,
    )
    if config.output_dir.exists() and not config.output_dir.is_dir():
        # -o names the folder the editions go into (for one file to a file or device, use
        # `converter normalise -o`); caught here rather than once per document.
        raise UsageError(f"-o {config.output_dir}: not a folder (convert writes one file per "
                         "edition into the output folder)")
    inputs = expand_inputs(args.inputs, exclude=config.output_dir)
    if not inputs:
        from .readers import READERS

        raise UsageError("no input files found (supported: " + ", ".join(sorted(READERS)) + ")")
    return run_batch(inputs, config, options, quiet=args.quiet, debug=args.debug)


def _cover(path: Path | None) -> Path | None:
    """Check --cover before any document is converted: it applies to every EPUB."""
    if path is None:
        return None
    from .writers.epub import cover_media_type

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"--cover {path}: {exc.strerror or exc}") from None
    if cover_media_type(data) is None:
        raise UsageError(f"--cover {path}: not a PNG, JPEG, GIF, WebP or SVG image")
    return path.resolve()


def _cores() -> int:
    from .forkserver import available_cores

    return available_cores()


def run_batch(inputs: list[Path], config: Config, options: BatchOptions, *, quiet: bool = False,
              debug: bool = False) -> int:
    """Run the batch with progress on stderr; print the summary; write the report."""
    from .batch import Batch
    from .executors import make_executor
    from .pipeline import Result
    from .progress import make_progress

    executor = make_executor(options.executor, options.jobs, options.scheduler, len(inputs))
    progress = make_progress(quiet=quiet)

    def on_result(result: Result, done: int, total: int) -> None:
        if result.status != "unchanged":
            for warning in result.warnings:
                progress.note(f"{PROG}: warning: {result.source}: {warning['message']} "
                              f"[{warning['code']}]")
        if debug and result.traceback:
            progress.note(result.traceback.rstrip())
        if not quiet:
            for edition in result.editions:
                if edition.written:
                    print(edition.path, flush=True)
        progress.result(result, done, total)

    with progress:
        progress.start(len(inputs))
        done = Batch(config, options, executor, on_result=on_result).run(inputs)
    report = done.report
    status = report.exit_status
    if options.report:
        try:
            report.write_json(options.report)
        except OSError as exc:
            _error(f"{options.report}: cannot write the report: {exc.strerror or exc}")
            status = ExitStatus.FAILED
    for result in report.failed:
        hint = " (run with --debug for the traceback)" if result.traceback and not debug else ""
        _error(f"{result.source}: {result.error}{hint}")
    print(f"{PROG}: {report.summary()}", file=sys.stderr)
    return int(status)


def cmd_normalise(args: argparse.Namespace) -> int:
    """Print (or write) the repaired article as HTML or Markdown."""
    from .pipeline import prepare, write_atomic
    from .writers import get_writer

    config = _config(args, _settings(args, [args.input]))
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
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        try:
            write_atomic(args.report, text.encode("utf-8"))
        except OSError as exc:
            raise WriteError(f"cannot write the report: {exc.strerror or exc}", args.report) from None
    return int(ExitStatus.OK)


def cmd_passes(args: argparse.Namespace) -> int:
    """List the passes in order with their one-line description."""
    from .normalise import PASS_DOCS, PASSES

    width = max(len(name) for name, _ in PASSES)
    for index, (name, _) in enumerate(PASSES, start=1):
        print(f"{index:2d}. {name:<{width}}  {PASS_DOCS[name]}")
    return int(ExitStatus.OK)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate editions; exit 1 when any is invalid, 2 when a checker is missing."""
    from .check import run_checks

    return run_checks(args.paths, jobs=args.jobs or _cores(), out=sys.stdout, err=sys.stderr,
                      strict=args.strict)


def cmd_report_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema that --report files follow."""
    from .report import REPORT_SCHEMA

    print(json.dumps(REPORT_SCHEMA, indent=2))
    return int(ExitStatus.OK)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    tune_gc()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return int(ExitStatus.USAGE)
    handlers = {"convert": cmd_convert, "normalise": cmd_normalise, "normalize": cmd_normalise,
                "passes": cmd_passes, "check": cmd_check, "report-schema": cmd_report_schema}
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
