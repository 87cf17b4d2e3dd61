"""Errors the library raises and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    """Process exit codes: the contract scripts and CI jobs rely on."""

    OK = 0
    FAILED = 1  # at least one input could not be converted
    USAGE = 2  # bad command line or configuration
    INTERRUPTED = 130  # Ctrl-C


class ConverterError(Exception):
    """An expected failure with a category, a one-line message and, when known, the file."""

    category = "error"
    exit_status = ExitStatus.FAILED

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(ConverterError):
    """The input cannot be read: missing, empty, binary, undecodable, too large."""

    category = "input"


class UnsupportedInputError(InputError):
    """The file extension names no reader."""

    category = "unsupported-input"


class WriteError(ConverterError):
    """An edition could not be written (output folder, disk, writer failure)."""

    category = "write"


class UsageError(ConverterError):
    """The command line or configuration is wrong."""

    category = "usage"
    exit_status = ExitStatus.USAGE


class UnknownFormatError(UsageError):
    """An output format that no writer provides."""

    category = "unknown-format"


class UnknownPassError(UsageError):
    """A pass name that the normaliser does not have."""

    category = "unknown-pass"
