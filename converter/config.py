"""Run configuration: frozen dataclasses built by the CLI and passed down to the library."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "epub", "docx")

# styles/ sits at the project root beside the package (editable install, source checkout).
DEFAULT_STYLES_DIR = Path(__file__).resolve().parent.parent / "styles"


@dataclass(frozen=True)
class MetadataOverrides:
    """Values given on the command line that win over what the normaliser found."""

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
    overrides: MetadataOverrides = field(default_factory=MetadataOverrides)
    debug: bool = False
    max_bytes: int = 50 * 1024 * 1024  # inputs larger than this are refused
    # Seconds since the epoch to stamp into editions (SOURCE_DATE_EPOCH, read by the CLI);
    # None means "now". With it set, two builds are byte-identical.
    source_date_epoch: int | None = None

    def style(self, name: str) -> Path:
        """Return the path of a file in the styles folder."""
        return self.styles_dir / name
