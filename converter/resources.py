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
    <img src="http://127.0.0.1:8080/a.png">,
    http://169.254.169.254/, http://[::1]/,
    http://intranet.example/ (-> 10.0.0.7)  -> refused (resources.private-address), even with
                                              allow_remote: the host is, or resolves to, a
                                              loopback, private, link-local, multicast,
                                              reserved or unspecified address

A scraped page is untrusted input. Converting it must not reach the network (a tracking
pixel, a request to an intranet host) or copy a local file it names into an edition (a page
saying ``<img src="file:///home/me/.ssh/id_rsa">`` would otherwise put the key into the EPUB).

``screen_document`` applies the policy to the Document before any writer runs, replacing
refused images by their alt text and recording a warning with a code on ``doc.warnings``.
The writers apply it again at the point of loading (``ResourcePolicy.read``, and
``weasyprint_fetcher`` for WeasyPrint), so a Document built by other means is held to the
same rules. Reads are bounded: only regular files (a FIFO would block forever), at most
``max_bytes``, and only bytes that are an image.

With ``allow_remote`` the network is the public internet only. An article could otherwise
make the converter request ``http://127.0.0.1:631/``, a router's admin page on 192.168.x.x
or the cloud metadata service at 169.254.169.254, and put the answer into an edition.
``blocked_reason`` classifies an address with the stdlib ``ipaddress`` module: loopback,
private (10/8, 172.16/12, 192.168/16, fc00::/7, ...), link-local, multicast, reserved,
unspecified, site-local and anything else not globally routable (100.64/10) is refused, and
an IPv6 address that carries an IPv4 one (``::ffff:127.0.0.1``, 6to4, NAT64) is judged by
the IPv4 address. The rule is applied twice:

- ``check`` resolves the host (once per policy) and refuses the URL if any address it
  resolves to is blocked, so the Document is screened with a warning before any writer runs;
- the fetch connects only to addresses it has vetted itself, at connection time: the host is
  resolved again, every address is checked, the socket is opened to the vetted address (TLS
  still names the host, and so does the Host header) and its peer address is checked again
  before the request is sent. A DNS name that answers with a public address to the check and with
  127.0.0.1 to the fetch (DNS rebinding) is refused, and so is every redirect, which opens
  its own connection the same way. Proxy settings from the environment are ignored: through
  a proxy the address finally connected to could not be checked.

The HTTP machinery (urllib.request, http.client, ssl: 10 to 18 ms of a process's start-up)
is imported only when something is fetched, which only ``allow_remote`` permits.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import functools
import mimetypes
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from . import __version__

if TYPE_CHECKING:
    import ipaddress
    import socket

    from lxml import etree

    from .config import Config
    from .document import Document

if os.name == "nt":
    from nturl2path import url2pathname
else:

    def url2pathname(url: str) -> str:
        """urllib.request.url2pathname on POSIX, without importing urllib.request (and with
        it http.client, ssl and email) into every converter process."""
        return unquote(url)


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
        self._hosts: dict[tuple[str, int], str | None] = {}  # (host, port) -> why refused

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
            target = url if scheme else "https:" + url
            self._check_host(url, target)
            return target
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

    def _check_host(self, url: str, target: str) -> None:
        """Refuse a remote URL whose host is, or resolves to, a non-public address.

        A host that does not resolve passes here; fetching it fails with its own message.
        This check gives the warning before any writer runs; the fetch checks again at the
        address it connects to (see ``_connect_vetted``).
        """
        parts = urlsplit(target)
        try:
            host, port = parts.hostname, parts.port
        except ValueError:
            raise ResourceRefused(url, "resources.malformed", "has a malformed host or port") from None
        if not host:
            raise ResourceRefused(url, "resources.malformed", "names no host")
        port = port or (443 if parts.scheme.lower() == "https" else 80)
        key = (host, port)
        if key not in self._hosts:
            self._hosts[key] = _host_problem(host, port)
        problem = self._hosts[key]
        if problem is not None:
            raise ResourceRefused(url, "resources.private-address", problem)

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
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + self.timeout
        request = urllib.request.Request(target, headers={"User-Agent": f"converter/{__version__}"})
        opener = _remote_opener()
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
            if isinstance(reason, BlockedAddress):
                raise ResourceRefused(url, "resources.private-address", str(reason)) from None
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


# -- which addresses the network may reach ------------------------------------------------

# Cloud instance metadata services: the first thing a forged request goes for.
METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})


class BlockedAddress(OSError):
    """A connection the policy will not open: ``address`` (of ``host``) is not public."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(_blocked_message(host, address, kind))
        self.host = host
        self.address = address
        self.kind = kind


def blocked_reason(address: str) -> str | None:
    """Return what kind of non-public address ``address`` is, or None for a public one.

    >>> blocked_reason("127.0.0.1"), blocked_reason("::ffff:10.0.0.1"), blocked_reason("9.9.9.9")
    ('loopback', 'IPv4-mapped private', None)

    A string that is no IP address is refused too ("not an IP address"): callers pass
    resolved addresses, so one that does not parse is never connected to.
    """
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    except ValueError:
        return "not an IP address"
    return _classify(ip)


def _classify(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    import ipaddress

    if str(ip) in METADATA_ADDRESSES:
        return "cloud metadata service"
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 address that carries an IPv4 one reaches that IPv4 address: judge it.
        # ::ffff:0:0/96 and 64:ff9b::/96 sit inside ::/8, which ipaddress calls reserved;
        # a public IPv4 address behind NAT64 (an IPv6-only network) must stay reachable.
        embedded, how = ip.ipv4_mapped, "IPv4-mapped"
        if embedded is None and ip in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded, how = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
        if embedded is None and ip.sixtofour is not None:
            embedded, how = ip.sixtofour, "6to4"
        if embedded is not None:
            inner = _classify(embedded)
            return f"{how} {inner}" if inner is not None else None
    for kind, flag in (
        ("unspecified", ip.is_unspecified),  # 0.0.0.0 and :: connect to this machine
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("site-local", getattr(ip, "is_site_local", False)),
        ("non-public", not ip.is_global),  # 100.64.0.0/10, carrier-grade NAT
    ):
        if flag:
            return kind
    return None


def _blocked_message(host: str, address: str, kind: str) -> str:
    where = f"is at {address}" if host.strip("[]") == address else f"resolves to {address}"
    article = "an" if kind[0] in "aeiouIN" else "a"
    return (f"{where}, {article} {kind} address; local and private networks are never "
            "fetched from, even with --allow-remote")


def _resolve(host: str, port: int, timeout: float = DEFAULT_TIMEOUT) -> list[tuple[Any, ...]]:
    """Return getaddrinfo's TCP answers for ``host``, or raise OSError after ``timeout``
    seconds: the system resolver has no deadline of its own that we can set (a hung DNS
    server would otherwise hold the document past its 10 s), so it runs in a thread that is
    left behind, a daemon, when it takes too long."""
    import socket
    import threading

    answer: list[Any] = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM))
        except OSError as exc:
            answer.append(exc)

    thread = threading.Thread(target=lookup, name="converter-resolve", daemon=True)
    thread.start()
    thread.join(timeout)
    if not answer:
        raise OSError(f"looking up {host} took longer than {timeout:g} s")
    if isinstance(answer[0], OSError):
        raise answer[0]
    return answer[0]


def _vet(host: str, infos: list[tuple[Any, ...]]) -> None:
    """Raise BlockedAddress when any resolved address of ``host`` is not public."""
    for info in infos:
        address = info[4][0]
        kind = blocked_reason(address)
        if kind is not None:
            raise BlockedAddress(host, address, kind)


def _host_problem(host: str, port: int) -> str | None:
    """Return why ``host`` may not be fetched from, or None (also when it does not resolve)."""
    try:
        _vet(host, _resolve(host, port))
    except BlockedAddress as blocked:
        return str(blocked)
    except (OSError, UnicodeError, ValueError):
        return None  # the fetch reports it: "could not be fetched (Name or service not known)"
    return None


def _connect_vetted(address: tuple[str, int], timeout: Any = None,
                    source_address: Any = None, *args: Any, **kwargs: Any) -> socket.socket:
    """Open a TCP connection to ``address`` = (host, port) at an address that is public.

    http.client's connection hook (``socket.create_connection``'s signature): the host is
    resolved here, every answer checked, and the socket connected to one of the checked
    addresses, so what is connected to is what was checked.
    """
    import socket

    host, port = address
    infos = _resolve(host, port, timeout) if isinstance(timeout, (int, float)) else _resolve(host, port)
    _vet(host, infos)
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, (int, float)):
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            error = exc
            continue
        return sock
    raise error or OSError(f"{host} has no address")


@functools.cache
def _remote_opener() -> Any:
    """Return the urllib opener for remote resources (built, and urllib imported, on first use).

    Plain and TLS connections go through ``_connect_vetted`` and check their peer before
    sending; redirects go to http(s) only, at most 5, each through the same connections;
    proxies from the environment are not used.
    """
    import http.client
    import urllib.request

    def check_peer(connection: http.client.HTTPConnection) -> None:
        # Belt and braces: should http.client stop calling _create_connection, the socket
        # it opened itself is still checked before the request goes out.
        try:
            peer = connection.sock.getpeername()[0]
        except (OSError, AttributeError, IndexError, TypeError):
            return  # not an IP socket (a test double); _connect_vetted already checked
        kind = blocked_reason(peer)
        if kind is not None:
            connection.close()
            raise BlockedAddress(connection.host, peer, kind)

    class VettedHTTPConnection(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = _connect_vetted

        def connect(self) -> None:
            super().connect()
            check_peer(self)

    class VettedHTTPSConnection(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = _connect_vetted

        def connect(self) -> None:
            super().connect()  # TLS with server_hostname = the host, not the address
            check_peer(self)

    class VettedHTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(VettedHTTPConnection, req)

    class VettedHTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(VettedHTTPSConnection, req, context=getattr(self, "_context", None))

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        """Follows redirects to http(s) only (urllib would also follow one to ftp:)."""

        max_redirections = 5

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                             newurl: str) -> Any:
            if urlsplit(newurl).scheme.lower() not in REMOTE_SCHEMES:
                return None
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), VettedHTTPHandler, VettedHTTPSHandler, HttpOnlyRedirects
    )


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
    from .readers.html import trim_edge_breaks  # (the readers import this module)

    remote: list[str] = []
    warned: set[str] = set()
    emptied: dict[etree._Element, None] = {}  # blocks that lost a picture, in order
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
        block = next((a for a in img.iterancestors() if a.getparent() is doc.body), None)
        replace_with_alt(img, keep_address=True)
        if block is not None:
            emptied[block] = None
    for block in emptied:
        if block.getparent() is not None:
            trim_edge_breaks(block)  # "<p><img><br>Cartoonist ...": the break went with the picture
    _drop_credit_husks(doc.body)
    if remote:
        shown = ", ".join(short(src, 80) for src in remote[:3])
        more = f" and {len(remote) - 3} more" if len(remote) > 3 else ""
        doc.warnings.append(
            f"resources.remote: left out {len(remote)} web image{'s' if len(remote) > 1 else ''}"
            f" ({shown}{more}): nothing is fetched from the network unless --allow-remote is given"
        )


# A caption that only credits a picture: "Photo: Ana Ruiz", "Devindra Hardawar/AOL",
# "AP Photo/Evan Vucci", "Getty Images", "© Reuters".
_CREDIT = re.compile(
    r"^(?:(?:(?:photo|image|picture|illustration|foto|bild|crédit|credit)s?(?: credit)?\s*[:(]|©|\(c\)|copyright\b).{0,80}"
    r"|(?:[^\W\d][\w.'’-]*)(?: [^\W\d][\w.'’-]*){0,3} ?/ ?(?:[^\W\d][\w.'’-]*)(?: [^\W\d][\w.'’-]*){0,3}"
    r"|(?:[\w.'’ -]{0,40}\b)?(?:getty images|reuters|associated press|afp|shutterstock|istock(?:photo)?|unsplash|"
    r"alamy|dpa|epa))\W*$",
    re.IGNORECASE,
)


def _drop_credit_husks(body: etree._Element) -> None:
    """A figure whose picture was left out, with no alt text to stand for it, and a caption
    that only credits the photographer, says nothing any more: it goes."""
    from .readers.sanitise import remove_keep_tail  # (the readers import this module)

    for figure in list(body.iter("figure")):
        if figure.getparent() is None or next(figure.iter("img", "picture", "video", "svg", "table"), None) is not None:
            continue
        if any(span.get("class") == "image-alt" for span in figure.iter("span")):
            continue
        captions = figure.findall(".//figcaption")
        words = [w for c in captions for w in " ".join(c.itertext()).split()]
        everything = " ".join(figure.itertext()).split()
        if not captions or len(everything) != len(words) or len(words) > 12 or not _CREDIT.match(" ".join(words)):
            continue
        remove_keep_tail(figure)


def _alt_shown(img: etree._Element, alt: str) -> bool:
    """True when the figure (or, outside one, the parent) of ``img`` already shows ``alt``:
    for another image it replaced, or as its caption, which then stands for the picture
    (class ``image-alt``, see _caption_says)."""
    holder = next((a for a in img.iterancestors() if a.tag == "figure"), img.getparent())
    return holder is not None and (_caption_says(img, alt) or any(
        " ".join("".join(span.itertext()).split()) == alt
        for span in holder.iter("span") if span.get("class") == "image-alt"))


def _caption_says(img: etree._Element, alt: str) -> bool:
    """True when the caption of the figure around ``img`` says what ``alt`` says, a few words
    aside (a Markdown image's caption is its alt text; the Guardian's alt "Hori Parata at his
    Pātaua farm." over the caption "Hori Parata at his Pātaua farm"). That caption is then
    marked ``image-alt``: it stands for the picture left out, and the alt is not said twice."""
    figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
    if figure is None:
        return False
    for caption in figure.iter("figcaption"):
        if "image-alt" in (caption.get("class") or "").split() or says_the_same(alt, "".join(caption.itertext())):
            classes = (caption.get("class") or "").split()
            if "image-alt" not in classes:
                caption.set("class", " ".join([*classes, "image-alt"]))
            return True
    return False


# Two captions of one picture that differ in a few words ("Tekaurinui" and "Te Kaurinui",
# "Maōri" and "Māori") say the same: difflib's ratio of their characters at least this.
SAME_CAPTION_RATIO = 0.85


def says_the_same(a: str, b: str) -> bool:
    """True when two texts (an alt text and a caption) say the same, case, spacing, closing
    punctuation and a few letters aside."""
    a, b = (" ".join(t.split()).rstrip(" .!?;:").casefold() for t in (a, b))
    if not a or not b:
        return False
    if a == b:
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= SAME_CAPTION_RATIO and matcher.quick_ratio() >= SAME_CAPTION_RATIO \
        and matcher.ratio() >= SAME_CAPTION_RATIO


# Alt text that describes nothing: a CMS's default ("Image", NYT's on every photo) or the
# picture's file name ("bed-hotel-room.jpg"). Shown in place of a picture left out, it is noise.
_EMPTY_ALT = re.compile(
    r"^(?:(?:image|photo|picture|img|graphic|thumbnail|placeholder|foto|bild|imagen|untitled|null|undefined)"
    r"\s*\d*|[\w.,&()'+ -]{1,120}\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif))$",
    re.IGNORECASE,
)


def replace_with_alt(img: etree._Element, keep_address: bool = False) -> None:
    """Replace an image by a span holding its alt text, or remove it (keeping its tail) when
    it has none worth showing (_EMPTY_ALT: "Image", a file name).

    The span is ``<span class="image-alt">`` (the EPUB's stylesheet sets it in italics; the
    Markdown writer makes it ``*alt*``), made like ``img`` so it fits the tree it goes into.
    ``keep_address`` (before the normaliser runs) keeps the picture's address in
    ``data-src``.
    """
    parent = img.getparent()
    if parent is None:
        return
    alt = " ".join((img.get("alt") or "").split())
    if alt and (_alt_shown(img, alt) or _EMPTY_ALT.match(alt)):
        # A lazy-loading page's placeholder and its real image: one picture, one alt; and
        # an alt that only says "Image" or names the file says nothing.
        alt = ""
    if alt:
        span = img.makeelement("span", {"class": "image-alt"})
        if keep_address and img.get("src"):
            # What it showed, for the normaliser (a row of status badges goes); its last pass
            # drops every data-* attribute.
            span.set("data-src", img.get("src"))
        span.text = alt
        span.tail = img.tail
        parent.replace(img, span)
        return
    from .normalise.hygiene import shows_nothing
    from .readers.sanitise import remove_keep_tail  # (the readers import this module)

    remove_keep_tail(img)
    holder = parent
    while holder is not None and holder.tag == "picture" and not len(holder) and not (holder.text or "").strip():
        holder, empty = holder.getparent(), holder
        remove_keep_tail(empty)  # a <picture> left with nothing
    if holder is not None and shows_nothing(holder):
        remove_keep_tail(holder)  # the link around it (a logo's, a lightbox's) shows nothing now
