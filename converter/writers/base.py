"""The Writer base class: one subclass per format, atomic writes for all of them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import ClassVar

from ..config import Config
from ..document import Document


class Writer:
    """Renders a Document into one file format.

    Subclasses set ``name`` and ``extension`` and implement ``write_file``. ``write`` makes
    the file appear atomically: it is written to a temporary file in the target folder and
    renamed into place, so a crash never leaves a half-written edition or destroys the
    previous good one. A writer never changes the Document it is given.
    """

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""
    media_type: ClassVar[str] = "application/octet-stream"

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    def write(self, doc: Document, target: str | Path) -> Path:
        """Write ``doc`` to ``target`` atomically and return the target path."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self.write_file(doc, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def write_file(self, doc: Document, path: Path) -> None:
        """Write the edition to ``path`` (a temporary file); subclasses implement this."""
        raise NotImplementedError
