"""Run configuration: frozen dataclasses built by the CLI and passed down to the library.

The CLI is the only caller of ``find_config_file`` and ``load_config_file``: library code
receives a finished ``Config`` and never reads files or the environment on its own.

A project file (``converter.toml``, or ``[tool.converter]`` in ``pyproject.toml``)::

    formats = ["pdf", "epub"]        # or "pdf,epub"
    output = "build"                 # relative to the file's folder
    paper = "letter"
    pdf-variant = "pdf/a-3b"         # or "pdf/ua-1" (see PDF_VARIANTS)
    split = true                     # EPUB: one file per section (default: long articles)
    styles = "house-styles"          # relative to the file's folder
    jobs = 4
    strict = true
    disable-passes = ["boilerplate.blocks"]
    enable-passes = ["typography.smart-quotes"]   # optional passes, off by default
    max-size = "20MB"
    timeout = 120
    executor = "dask"
    scheduler = "tcp://10.0.0.5:8786"

    [metadata]                       # [tool.converter.metadata] in pyproject.toml
    author = "Newsroom"               # defaults: used when the article names none
    language = "en"
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "epub", "docx")
# Every format a writer exists for (converter.writers.WRITERS; a test keeps the two equal).
# The command line checks --to against this list so that it need not import the writers,
# and with them WeasyPrint, before a batch run has started its workers' fork server.
FORMATS: tuple[str, ...] = ("pdf", "epub", "docx", "html", "md")


def _default_styles_dir() -> Path:
    """styles/ beside the package in a checkout; the installed copy (converter/styles) else."""
    checkout = Path(__file__).resolve().parent.parent / "styles"
    if (checkout / "pdf.css").is_file():
        return checkout
    return Path(__file__).resolve().parent / "styles"


DEFAULT_STYLES_DIR = _default_styles_dir()

CONFIG_FILE = "converter.toml"
EXECUTORS = ("local", "dask")
# PDF profiles WeasyPrint writes: accessible (tagged, PDF/UA) and archival (PDF/A).
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u", "pdf/a-2b")


@dataclass(frozen=True)
class MetadataOverrides:
    """Metadata values: overrides win over what the normaliser found, defaults fill gaps."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Config:
    """Everything a conversion run needs to know; library code reads nothing else."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    output_dir: Path = Path("build")
    styles_dir: Path = DEFAULT_STYLES_DIR
    paper: str = "a4"
    disabled_passes: frozenset[str] = field(default_factory=frozenset)
    # Optional normaliser passes switched on (normalise.OPTIONAL_PASSES, e.g. curly quotes).
    enabled_passes: frozenset[str] = field(default_factory=frozenset)
    overrides: MetadataOverrides = field(default_factory=MetadataOverrides)
    # Used only where the article itself names no author, date, language or title.
    defaults: MetadataOverrides = field(default_factory=MetadataOverrides)
    debug: bool = False
    max_bytes: int = 50_000_000  # inputs larger than this are refused (--max-size 50MB)
    # Seconds since the epoch to stamp into editions (SOURCE_DATE_EPOCH, read by the CLI);
    # None means "now". With it set, two builds are byte-identical.
    source_date_epoch: int | None = None
    # PDF: one of PDF_VARIANTS, or None for a plain (tagged) PDF.
    pdf_variant: str | None = None
    # EPUB: one file per top-level section; None splits long articles only.
    split_sections: bool | None = None
    # EPUB cover image; None draws a typographic cover with the title and author.
    cover: Path | None = None
    # What an article may load (converter.resources): nothing from the network unless
    # allow_remote; each resource, local or remote, at most resource_max_bytes, and a
    # remote one within remote_timeout seconds.
    allow_remote: bool = False
    remote_timeout: float = 10.0
    resource_max_bytes: int = 10 * 1024 * 1024

    def style(self, name: str) -> Path:
        """Return the path of a file in the styles folder."""
        return self.styles_dir / name


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs (not what a document looks like): workers, strictness, reuse."""

    jobs: int = 1
    strict: bool = False
    force: bool = False
    executor: str = "local"  # "local" (worker processes) or "dask"
    scheduler: str | None = None  # dask scheduler address, e.g. tcp://10.0.0.5:8786
    timeout: float | None = 300.0  # seconds one document may take (local workers)
    report: Path | None = None


# ----------------------------------------------------------------------------------------
# Project configuration files: [tool.converter] in pyproject.toml or converter.toml


@dataclass(frozen=True)
class FileSettings:
    """Validated values from a configuration file; paths are already made absolute."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    metadata: MetadataOverrides = field(default_factory=MetadataOverrides)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key`` (hyphenated spelling) or ``default``."""
        return self.values.get(key, default)


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; the CLI reports it as a usage error."""


def _str_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise ConfigFileError(f"{key!r} must be a list of names or a comma-separated string")
    return tuple(v for v in items if v)


def _typed(expected: tuple[type, ...], what: str):  # noqa: ANN202 - small factory
    def check(key: str, value: Any) -> Any:
        # TOML booleans are ints to Python: accept one only where a boolean is asked for.
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
            raise ConfigFileError(f"{key!r} must be {what}, not {value!r}")
        return value

    return check


def _positive_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigFileError(f"{key!r} must be a whole number of at least 1, not {value!r}")
    return value


def _timeout(key: str, value: Any) -> float | None:
    if value is False or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigFileError(f"{key!r} must be a number of seconds (0 for none), not {value!r}")
    return float(value)


def _choice(*choices: str):  # noqa: ANN202 - small factory
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or value.lower() not in choices:
            raise ConfigFileError(f"{key!r} must be one of {', '.join(choices)}, not {value!r}")
        return value.lower()

    return check


_text = _typed((str,), "a string")
_bool = _typed((bool,), "true or false")
_size_value = _typed((str, int), "a size such as 20MB")

# key -> validator(key, value) -> value. Paths are resolved separately.
KEYS: dict[str, Any] = {
    "formats": _str_list,
    "output": _text,
    "paper": _choice("a4", "letter"),
    "pdf-variant": _choice(*PDF_VARIANTS),
    "split": _bool,
    "styles": _text,
    "jobs": _positive_int,
    "strict": _bool,
    "disable-passes": _str_list,
    "enable-passes": _str_list,
    "max-size": _size_value,
    "timeout": _timeout,
    "executor": _choice(*EXECUTORS),
    "scheduler": _text,
    "metadata": None,  # a table, checked below
}
METADATA_KEYS = ("title", "author", "date", "language")
PATH_KEYS = ("output", "styles")


def _unknown(key: str, known: list[str], where: str) -> ConfigFileError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(known)})"
    return ConfigFileError(f"unknown key {key!r} in {where}{hint}")


def parse_settings(table: dict[str, Any], path: Path, where: str) -> FileSettings:
    """Validate a [tool.converter] / converter.toml table; raise ConfigFileError naming the key."""
    values: dict[str, Any] = {}
    metadata = MetadataOverrides()
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            raise _unknown(raw_key, sorted(KEYS), where)
        if key == "metadata":
            if not isinstance(value, dict):
                raise ConfigFileError(f"'metadata' must be a table in {where}")
            for meta_key, meta_value in value.items():
                if meta_key not in METADATA_KEYS:
                    raise _unknown(meta_key, list(METADATA_KEYS), f"{where}.metadata")
                if not isinstance(meta_value, str):
                    raise ConfigFileError(f"'metadata.{meta_key}' must be a string")
            metadata = MetadataOverrides(**value)
            continue
        value = KEYS[key](raw_key, value)
        if key in PATH_KEYS:
            value = (path.parent / value).resolve()
        values[key] = value
    return FileSettings(path=path, values=values, metadata=metadata)


def load_config_file(path: Path) -> FileSettings:
    """Read ``converter.toml`` or the ``[tool.converter]`` table of ``pyproject.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigFileError(f"cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("converter", {})
        where = "[tool.converter]"
    else:
        table, where = data, path.name
    if not isinstance(table, dict):
        raise ConfigFileError(f"{where} must be a table")
    return parse_settings(table, path.resolve(), where)


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "converter" in data["tool"]


def find_config_file(start: Path) -> Path | None:
    """Return the configuration file that applies to inputs in ``start``, or None.

    Looks in ``start`` and its parents for ``converter.toml`` or a ``pyproject.toml`` with a
    ``[tool.converter]`` table, stopping at the project root (a folder with ``.git`` or a
    ``pyproject.toml``), the way black and ruff find theirs.
    """
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            return pyproject if _has_tool_table(pyproject) else None
        if (candidate / ".git").exists():
            return None
    return None
