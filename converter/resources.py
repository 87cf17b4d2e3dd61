"""What an article may load while it is converted: the one fetch and path policy.

    <img src="photo.jpg">                  -> loaded: a file inside the source's folder
    <img src="data:image/png;base64,...">  -> loaded: the bytes are in the article
    <img src="../secret.png">              -> refused (resources.outside-folder)
    <img src="/etc/passwd">, file:///...   -> refused (resources.outside-folder)
    <img src="link.png"> -> /home/me/x.png -> refused (resources.outside-folder): symlinks are
                                              resolved before the check
    <img src=".ssh/id_rsa">                -> refused (resources.hidden)
    <img src="https://example.com/a.png">  -> refused (resources.remote), unless
                                              Config.allow_remote: then fetched with a
                                              timeout and a size cap (resources.fetch-failed)

A scraped page is untrusted input. Converting it must not reach the network (a tracking
pixel, a request to an intranet host) or copy a local file it names into an edition (a page
saying ``<img src="file:///home/me/.ssh/id_rsa">`` would otherwise put the key into the EPUB).

``screen_document`` applies the policy to the Document before any writer runs, replacing
refused images by their alt text and recording a warning with a code on ``doc.warnings``.
The writers apply it again at the point of loading (``ResourcePolicy.read``, and
``weasyprint_fetcher`` for WeasyPrint), so a Document built by other means is held to the
same rules. Reads are bounded: only regular files (a FIFO would block forever), at most
``max_bytes``, and only bytes that are an image.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import os
import stat
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit
from urllib.request import url2pathname

from . import __version__

if TYPE_CHECKING:
    from lxml import etree

    from .config import Config
    from .document import Document

REMOTE_SCHEMES = frozenset({"http", "https"})
DEFAULT_TIMEOUT = 10.0  # seconds per remote resource, connection and transfer together
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # per resource, local or remote

# Magic numbers of the image formats the editions can carry; SVG is recognised by its root.
IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class ResourceRefused(Exception):
    """A reference the policy will not load; ``code`` names the rule, ``reason`` says why."""

    def __init__(self, url: str, code: str, reason: str) -> None:
        super().__init__(f"{short(url)} {reason}")
        self.url = url
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Resource:
    """Bytes loaded under the policy, with the URL they came from and their media type."""

    url: str
    data: bytes
    media_type: str


def short(url: str, limit: int = 100) -> str:
    """Return ``url`` cut to ``limit`` characters, for warnings."""
    url = " ".join(url.split())
    return url if len(url) <= limit else url[: limit - 1] + "…"


def sniff_image(data: bytes) -> str | None:
    """Return the media type of image bytes (PNG, JPEG, GIF, WebP, SVG), else None."""
    for magic, media_type in IMAGE_MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head.startswith((b"<svg", b"<?xml", b"<!DOCTYPE svg", b"<!--")) and b"<svg" in data[:4096]:
        return "image/svg+xml"
    return None


class ResourcePolicy:
    """Decides what a document may load and loads it, bounded in time and size."""

    def __init__(
        self,
        source: Path | None,
        *,
        allow_remote: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        # The folder the source sits in, symlinks resolved; not the folder a symlinked
        # source file points into.
        self.folder = Path(source).absolute().parent.resolve() if source is not None else None
        self.allow_remote = allow_remote
        self.timeout = timeout
        self.max_bytes = max_bytes
        # Relative references resolve against the folder; without a source they have none.
        self.base_url = self.folder.as_uri() + "/" if self.folder is not None else None

    @classmethod
    def for_document(cls, doc: Document, config: Config | None = None) -> ResourcePolicy:
        """Return the policy for ``doc`` under ``config`` (no network unless it allows it)."""
        if config is None:
            return cls(doc.source)
        return cls(
            doc.source,
            allow_remote=getattr(config, "allow_remote", False),
            timeout=getattr(config, "remote_timeout", DEFAULT_TIMEOUT),
            max_bytes=getattr(config, "resource_max_bytes", DEFAULT_MAX_BYTES),
        )

    # -- deciding -------------------------------------------------------------------------

    def check(self, url: str) -> str:
        """Return the absolute URL to load for ``url`` or raise ResourceRefused.

        A file comes back as the ``file:`` URL of its real path (symlinks resolved), so what
        is loaded is what was checked.
        """
        url = url.strip()
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return url
        if not scheme and not parts.netloc:
            if self.base_url is None:
                raise ResourceRefused(url, "resources.no-folder",
                                      "is relative and the document has no source folder")
            if url.startswith(("/", "\\")):
                raise ResourceRefused(url, "resources.outside-folder",
                                      "is an absolute path, outside the source folder")
            return self.check(urljoin(self.base_url, url))
        if scheme in REMOTE_SCHEMES or (not scheme and parts.netloc):
            if not self.allow_remote:
                raise ResourceRefused(url, "resources.remote",
                                      "is on the network (use --allow-remote to load it)")
            return url if scheme else "https:" + url
        if scheme != "file":
            raise ResourceRefused(url, "resources.scheme", f"uses {scheme}:, which is never loaded")
        if parts.netloc not in ("", "localhost") or self.folder is None:
            raise ResourceRefused(url, "resources.outside-folder", "is outside the source folder")
        path = Path(url2pathname(parts.path))
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            raise ResourceRefused(url, "resources.unreadable", "cannot be resolved") from None
        if not real.is_relative_to(self.folder):
            raise ResourceRefused(url, "resources.outside-folder", "is outside the source folder")
        if any(part.startswith(".") for part in real.relative_to(self.folder).parts):
            raise ResourceRefused(url, "resources.hidden", "is a hidden file or folder")
        return real.as_uri()

    def allowed(self, url: str) -> bool:
        """Return True when ``url`` passes ``check``."""
        try:
            self.check(url)
        except ResourceRefused:
            return False
        return True

    # -- loading --------------------------------------------------------------------------

    def read(self, url: str, *, image: bool = True) -> Resource:
        """Load ``url`` under the policy; with ``image``, refuse bytes that are no image."""
        target = self.check(url)
        scheme = urlsplit(target).scheme.lower()
        if scheme == "data":
            data, media_type = _data_url(url)
        elif scheme == "file":
            data = self._read_file(url, Path(url2pathname(urlsplit(target).path)))
            media_type = mimetypes.guess_type(target)[0] or "application/octet-stream"
        else:
            data, media_type = self._fetch(url, target)
        if image:
            sniffed = sniff_image(data)
            if sniffed is None:
                raise ResourceRefused(url, "resources.not-image", "is not an image")
            media_type = sniffed
        return Resource(target, data, media_type)

    def _read_file(self, url: str, path: Path) -> bytes:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            raise ResourceRefused(url, "resources.unreadable",
                                  f"cannot be read ({exc.strerror or exc})") from None
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ResourceRefused(url, "resources.unreadable", "is not a regular file")
            if info.st_size > self.max_bytes:
                raise ResourceRefused(url, "resources.too-large", self._too_large())
            data = fh.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ResourceRefused(url, "resources.too-large", self._too_large())
        return data

    def _fetch(self, url: str, target: str) -> tuple[bytes, str]:
        """GET an http(s) URL: redirects only to http(s), a deadline, at most max_bytes."""
        deadline = time.monotonic() + self.timeout
        request = urllib.request.Request(target, headers={"User-Agent": f"converter/{__version__}"})
        opener = urllib.request.build_opener(_HttpOnlyRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise ResourceRefused(url, "resources.too-large", self._too_large())
                chunks: list[bytes] = []
                size = 0
                while True:
                    if time.monotonic() > deadline:
                        raise ResourceRefused(url, "resources.fetch-failed",
                                              f"took longer than {self.timeout:g} s")
                    chunk = response.read(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ResourceRefused(url, "resources.too-large", self._too_large())
                    chunks.append(chunk)
                media_type = response.headers.get_content_type()
        except ResourceRefused:
            raise
        except (OSError, ValueError, urllib.error.URLError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise ResourceRefused(url, "resources.fetch-failed",
                                  f"could not be fetched ({reason})") from None
        return b"".join(chunks), media_type

    def _too_large(self) -> str:
        return f"is larger than the {self.max_bytes / 1e6:g} MB limit for one resource"

    def weasyprint_fetcher(self, on_refused: Any = None, *, image: bool = True) -> Any:
        """Return a WeasyPrint URL fetcher that loads everything through this policy.

        For the article, every load must be an image; for a stylesheet (``image=False``),
        fonts and imports are files in its folder.
        """
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        policy = self

        class _PolicyFetcher(URLFetcher):
            def fetch(self, url: str, headers: Any = None) -> Any:
                try:
                    # Stylesheets never come from the article (the reader drops them), so
                    # whatever WeasyPrint asks the document's fetcher for must be an image.
                    resource = policy.read(url, image=image)
                except ResourceRefused as refused:
                    if on_refused is not None:
                        on_refused(refused)
                    raise ValueError(f"refused: {refused}") from None
                return URLFetcherResponse(
                    resource.url, resource.data, {"Content-Type": resource.media_type}
                )

        return _PolicyFetcher(allowed_protocols=(), allow_redirects=False, timeout=self.timeout)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only (urllib would also follow one to ftp:)."""

    max_redirections = 5

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        if urlsplit(newurl).scheme.lower() not in REMOTE_SCHEMES:
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _data_url(url: str) -> tuple[bytes, str]:
    """Decode a ``data:`` URL into (bytes, media type); raise ResourceRefused if malformed."""
    header, comma, payload = url.partition(",")
    if not comma:
        raise ResourceRefused(url, "resources.malformed", "is a malformed data URL")
    params = header[5:].split(";")
    media_type = params[0].strip().lower() or "text/plain"
    if "base64" in (p.strip().lower() for p in params[1:]):
        # Browsers accept white space, percent-escapes and missing padding; so does this.
        compact = "".join(unquote(payload).split())
        try:
            data = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ResourceRefused(url, "resources.malformed", "is a malformed data URL") from None
    else:
        data = unquote_to_bytes(payload)
    return data, media_type


# -- the Document, before any writer ------------------------------------------------------


def screen_document(doc: Document, policy: ResourcePolicy) -> None:
    """Replace images the policy refuses by their alt text, with a warning on ``doc.warnings``.

    Remote images get one warning for the whole document (scraped pages have dozens); every
    other refusal names its reference.
    """
    remote: list[str] = []
    warned: set[str] = set()
    for img in list(doc.body.iter("img")):
        src = (img.get("src") or "").strip()
        if not src:
            continue
        try:
            policy.check(src)
            continue
        except ResourceRefused as refused:
            if refused.code == "resources.remote":
                if src not in remote:
                    remote.append(src)
            elif src not in warned:
                warned.add(src)
                doc.warnings.append(
                    f"{refused.code}: image {short(src)} {refused.reason}; replaced by its alt text"
                )
        replace_with_alt(img)
    if remote:
        shown = ", ".join(short(src, 80) for src in remote[:3])
        more = f" and {len(remote) - 3} more" if len(remote) > 3 else ""
        doc.warnings.append(
            f"resources.remote: left out {len(remote)} web image{'s' if len(remote) > 1 else ''}"
            f" ({shown}{more}): nothing is fetched from the network unless --allow-remote is given"
        )


def replace_with_alt(img: etree._Element) -> None:
    """Replace an image by a span holding its alt text, or remove it (keeping its tail)."""
    from lxml import html as lxml_html

    parent = img.getparent()
    if parent is None:
        return
    alt = " ".join((img.get("alt") or "").split())
    if alt:
        span = lxml_html.Element("span", {"class": "image-alt"})
        span.text = alt
        span.tail = img.tail
        parent.replace(img, span)
        return
    previous = img.getprevious()
    if img.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + img.tail
        else:
            parent.text = (parent.text or "") + img.tail
    parent.remove(img)
