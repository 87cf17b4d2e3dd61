"""Untrusted articles never reach the network, never copy files from outside their folder into
an edition, and carry no active content into any edition.

A loopback HTTP server started here counts every request; a secret file (text, PNG and SVG)
sits beside the article's folder. The hostile page references both every way HTML and CSS
allow; it is converted to every format and every byte of every edition is searched: EPUB and
DOCX entry by entry, the PDF's text, its raw and decompressed streams and its images.
"""

from __future__ import annotations

import http.server
import json
import re
import struct
import subprocess
import threading
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from converter.cli import main
from converter.config import Config
from converter.document import document_from_html
from converter.resources import ResourcePolicy, ResourceRefused, screen_document
from converter.writers import get_writer

FORMATS = ("pdf", "epub", "docx", "html", "md")
MARKER = f"SECRET-{uuid.uuid4().hex}"


def png(width: int, height: int, rgb: tuple[int, int, int], text: str | None = None) -> bytes:
    """A real PNG of one colour; ``text`` goes into a tEXt chunk (copied verbatim if embedded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    row = b"\x00" + bytes(rgb) * width
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if text:
        body += chunk(b"tEXt", b"Comment\x00" + text.encode())
    body += chunk(b"IDAT", zlib.compress(row * height))
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


OK_PNG = png(3, 2, (0, 128, 0))  # the one image inside the folder: it must come through
SECRET_PNG = png(7, 5, (255, 0, 0), MARKER)  # 7x5: recognisable in a PDF, where PNGs are re-encoded
SECRET_SVG = (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
              f'<text x="0" y="15">{MARKER}</text></svg>')


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers everything (an image, a stylesheet, a page) and records the request."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if ".png" in self.path:
            body, kind = SECRET_PNG, "image/png"
        elif ".css" in self.path:
            body, kind = f"p::after {{ content: '{MARKER}' }}".encode(), "text/css"
        else:
            body, kind = f"<p>{MARKER}</p>".encode(), "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server on a free port: (base URL, list of request paths)."""
    requests: list[str] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def hostile_html(base: str, secret_dir: Path) -> str:
    """A page that tries every way to load from the server and from outside its folder."""
    secret = secret_dir / "secret.png"
    return f"""<!DOCTYPE html>
<html lang="en" background="{base}/html-background.png"><head>
<title>Hostile page</title>
<base href="{base}/base/">
<meta http-equiv="refresh" content="0; url={base}/refresh">
<link rel="stylesheet" href="{base}/link.css">
<link rel="icon" href="{base}/icon.png">
<link rel="preload" as="image" href="{base}/preload.png">
<style>
@import url({base}/import.css);
@import "{base}/import2.css";
@font-face {{ font-family: X; src: url({base}/font.woff); }}
body {{ background: url({base}/css-background.png); font-family: X; }}
p::before {{ content: url({base}/css-content.png); }}
</style>
<script src="{base}/script.js"></script>
<script>document.write('<img src="{base}/written.png">'); location = "javascript:alert(1)";</script>
</head>
<body background="{base}/body-background.png" onload="alert('javascript:1')">
<article>
<h1>Harbour Bridge Reopens</h1>
<p>The harbour bridge reopened on Monday after three weeks of repairs to its bearings,
the city said in a statement that thanked residents for their patience.</p>
<p style="background-image: url({base}/inline-style.png)">Engineers will inspect the
bearings again in spring, and the council will vote on next year's budget in June.</p>
<p>Allowed: <img src="ok.png" alt="Bridge at dawn"></p>
<p>Remote: <img src="{base}/remote.png" alt="remote image">
<img src="//{base.split('//')[1]}/protocol-relative.png" alt="protocol relative">
<img srcset="{base}/srcset.png 2x" src="ok.png" alt="srcset">
<picture><source srcset="{base}/picture.png"><img src="{base}/picture-img.png" alt="picture"></picture>
<video poster="{base}/poster.png" src="{base}/video.mp4"></video>
<audio src="{base}/audio.mp3"></audio>
<input type="image" src="{base}/input.png">
<table background="{base}/table.png"><tr><td background="{base}/td.png">cell</td></tr></table>
</p>
<p>Frames: <iframe src="{base}/iframe"></iframe><iframe srcdoc="&lt;img src='{base}/srcdoc.png'&gt;"></iframe>
<object data="{base}/object"><embed src="{base}/embed"></object>
<svg width="10" height="10"><image href="{base}/svg-image.png" width="10" height="10"/></svg>
<a rel="attachment" href="{base}/attachment.png">attachment</a></p>
<p>Local: <img src="../secret.png" alt="dotdot">
<img src="{secret}" alt="absolute">
<img src="{secret.as_uri()}" alt="file url">
<img src="file://localhost{secret}" alt="file localhost">
<img src="link.png" alt="symlink out">
<img src="sub/../../secret.png" alt="sub dotdot">
<img src="%2E%2E/secret.png" alt="escaped dotdot">
<img src="../secret.svg" alt="secret svg">
<img src="inside.svg" alt="svg inside">
<img src="../secret.txt" alt="text file">
<a href="{(secret_dir / 'secret.txt').as_uri()}">a link to the secret</a></p>
<p>Active: <a href="javascript:alert(1)">one</a> <a href="JaVaScRiPt:alert(2)">two</a>
<a href="java&#x09;script:alert(3)">three</a> <a href=" javascript:alert(4)">four</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">five</a>
<a href="vbscript:msgbox(1)">six</a>
<img src="javascript:alert(5)" alt="js image" onerror="alert(6)">
<span onclick="alert(7)" onmouseover="alert(8)">hover</span>
<form action="javascript:alert(9)"><input value="x"><button formaction="{base}/form">go</button></form>
<noscript><img src="{base}/noscript.png"></noscript>
<template><img src="{base}/template.png"></template></p>
</article>
</body></html>
"""


def hostile_markdown(base: str, secret_dir: Path) -> str:
    """The same attempts in Markdown syntax and raw HTML inside Markdown."""
    secret = secret_dir / "secret.png"
    return f"""# Harbour Bridge Reopens

The harbour bridge reopened on Monday after three weeks of repairs to its bearings, the city
said in a statement that thanked residents for their patience.

![remote]({base}/md-remote.png) ![dotdot](../secret.png) ![absolute]({secret})
![file url]({secret.as_uri()}) ![symlink](link.png) ![allowed](ok.png)

[a script](javascript:alert(1)) and [data](data:text/html,<script>alert(1)</script>)

<img src="{base}/md-raw.png"> <iframe src="{base}/md-iframe"></iframe>
<script>alert("javascript:")</script>
<style>@import url({base}/md-import.css);</style>

[ref]: {base}/md-reference.png
![by reference][ref]
"""


@pytest.fixture
def hostile_site(tmp_path: Path, server: tuple[str, list[str]]) -> tuple[Path, Path, Path]:
    """(site folder with page.html and page.md, the folder with the secrets, output folder)."""
    base, _ = server
    secrets = tmp_path / "private"
    secrets.mkdir()
    (secrets / "secret.txt").write_text(MARKER + "\n", encoding="utf-8")
    (secrets / "secret.png").write_bytes(SECRET_PNG)
    (secrets / "secret.svg").write_text(SECRET_SVG, encoding="utf-8")
    site = secrets / "site"
    site.mkdir()
    (site / "sub").mkdir()
    (site / "ok.png").write_bytes(OK_PNG)
    (site / "link.png").symlink_to(secrets / "secret.png")
    # An SVG inside the folder that itself reaches out: an external entity, a file outside
    # and the network. The SVG may be drawn, but none of what it points at may load.
    (site / "inside.svg").write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE svg [<!ENTITY leak SYSTEM "{(secrets / "secret.txt").as_uri()}">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="30" height="30"><text x="0" y="10">&leak;</text>'
        '<image href="../secret.png" width="7" height="5"/>'
        f'<image xlink:href="{base}/svg-inside.png" width="7" height="5"/>'
        f'<style>@import url({base}/svg-style.css);</style></svg>',
        encoding="utf-8",
    )
    (site / "page.html").write_text(hostile_html(base, secrets), encoding="utf-8")
    (site / "page.md").write_text(hostile_markdown(base, secrets), encoding="utf-8")
    return site, secrets, tmp_path / "out"


# -- reading every byte of an edition ---------------------------------------------------------


def pdf_blobs(data: bytes) -> list[bytes]:
    """The PDF's raw bytes, every stream decompressed, and its extracted text."""
    blobs = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        start = match.end()
        end = data.find(b"endstream", start)
        try:
            blobs.append(zlib.decompressobj().decompress(data[start:end]))
        except zlib.error:
            blobs.append(data[start:end])
    from pypdf import PdfReader

    reader = PdfReader(__import__("io").BytesIO(data))
    blobs.append("".join(page.extract_text() or "" for page in reader.pages).encode())
    return blobs


def pdf_image_sizes(path: Path) -> list[tuple[int, int]]:
    """(width, height) of every image the PDF embeds."""
    from pypdf import PdfReader

    sizes = []
    for page in PdfReader(path).pages:
        for image in page.images:
            sizes.append(image.image.size)
    return sizes


def edition_blobs(path: Path) -> list[bytes]:
    """Every piece of the edition a reader's software could show or load."""
    data = path.read_bytes()
    if path.suffix in (".epub", ".docx"):
        with zipfile.ZipFile(path) as z:
            return [data] + [z.read(name) for name in z.namelist()] + [
                name.encode() for name in z.namelist()
            ]
    if path.suffix == ".pdf":
        return pdf_blobs(data)
    return [data]


def assert_clean(path: Path, secret_dir: Path) -> None:
    """No byte of any secret, no active content, nothing pointing at the server's files."""
    secret_bytes = [(secret_dir / n).read_bytes() for n in ("secret.txt", "secret.png", "secret.svg")]
    for blob in edition_blobs(path):
        assert MARKER.encode() not in blob, path.name
        for secret in secret_bytes:
            assert secret not in blob, path.name
        lowered = blob.lower()
        for active in (b"javascript:", b"vbscript:", b"data:text/html", b"onclick", b"onerror",
                       b"onload", b"<script", b"<iframe", b"<object", b"<embed", b"<form"):
            assert active not in lowered, (path.name, active)


def converted(site: Path, out: Path, name: str, *extra: str) -> dict:
    """Convert site/name to every format and return its entry in the JSON report."""
    report = out / f"{name}.report.json"
    code = main(["convert", str(site / name), "--to", ",".join(FORMATS), "-o", str(out),
                 "--report", str(report), "-j", "1", *extra])
    assert code == 0
    (entry,) = json.loads(report.read_text(encoding="utf-8"))["documents"]
    assert entry["status"] == "ok", entry
    return entry


# -- the tests ------------------------------------------------------------------------------


def test_hostile_html_reaches_no_server_and_leaks_no_file(hostile_site, server):
    site, secrets, out = hostile_site
    _, requests = server
    entry = converted(site, out, "page.html")
    time.sleep(0.2)  # a request in flight would have arrived by now
    assert requests == []
    for fmt in FORMATS:
        edition = out / f"page.{'md' if fmt == 'md' else fmt}"
        assert edition.exists(), fmt
        assert_clean(edition, secrets)

    # The image inside the folder did come through, so the checks above could have failed.
    with zipfile.ZipFile(out / "page.epub") as z:
        assert OK_PNG in [z.read(n) for n in z.namelist()]
    with zipfile.ZipFile(out / "page.docx") as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert media and all(m[:8] == b"\x89PNG\r\n\x1a\n" and MARKER.encode() not in m for m in media)
    sizes = pdf_image_sizes(out / "page.pdf")
    assert (3, 2) in sizes and (7, 5) not in sizes

    # Every refused reference is named in a warning with a code.
    warnings = entry["warnings"]
    codes = {w["code"] for w in warnings}
    assert {"resources.outside-folder", "resources.remote"} <= codes
    text = "\n".join(w["message"] for w in warnings if w["code"] == "resources.outside-folder")
    # (The absolute path "/tmp/.../secret.png" is, on a page whose <base href> is the server,
    # that server's address: refused as a web image, and no request was made, see above.)
    for reference in ("../secret.png", (secrets / "secret.png").as_uri(),
                      "link.png", "sub/../../secret.png", "%2E%2E/secret.png", "../secret.svg",
                      "../secret.txt"):
        assert reference in text, reference
    remote = next(w["message"] for w in warnings if w["code"] == "resources.remote")
    assert "remote.png" in remote and "--allow-remote" in remote


def test_hostile_markdown_reaches_no_server_and_leaks_no_file(hostile_site, server):
    site, secrets, out = hostile_site
    _, requests = server
    entry = converted(site, out, "page.md")
    time.sleep(0.2)
    assert requests == []
    for fmt in FORMATS:
        assert_clean(out / f"page.{fmt}", secrets)
    with zipfile.ZipFile(out / "page.epub") as z:
        assert OK_PNG in [z.read(n) for n in z.namelist()]
    text = "\n".join(w["message"] for w in entry["warnings"])
    assert "../secret.png" in text and "link.png" in text


def test_input_css_never_reaches_the_renderer(tmp_path):
    """<style>, <link> and style="" of the article are gone; only styles/ decide the look."""
    page = tmp_path / "styled.html"
    page.write_text(
        "<html><head><style>p { color: rgb(1, 2, 3); display: none }</style>"
        '<link rel="stylesheet" href="evil.css"></head><body><article><h1>Styled</h1>'
        '<p style="color: rgb(4, 5, 6); font-size: 90px">Visible words stay in the article.</p>'
        "</article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "evil.css").write_text("p { display: none }", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(page), "--to", "pdf,html,epub", "-o", str(out), "-j", "1"]) == 0
    html = (out / "styled.html").read_text(encoding="utf-8")
    assert "rgb(1, 2, 3)" not in html and "rgb(4, 5, 6)" not in html and "evil.css" not in html
    with zipfile.ZipFile(out / "styled.epub") as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    assert b"rgb(1, 2, 3)" not in everything and b"90px" not in everything
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out / "styled.pdf").pages)
    assert "Visible words stay in the article." in " ".join(text.split())


def test_policy_rules_one_by_one(tmp_path):
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    (site / "img" / "a.png").write_bytes(OK_PNG)
    (site / ".hidden").mkdir()
    (site / ".hidden" / "key.png").write_bytes(OK_PNG)
    (tmp_path / "out.png").write_bytes(SECRET_PNG)
    (site / "up.png").symlink_to(tmp_path / "out.png")
    (site / "inside-link.png").symlink_to(site / "img" / "a.png")
    (site / "notes.txt").write_text("not an image", encoding="utf-8")
    policy = ResourcePolicy(site / "page.html")

    assert policy.read("img/a.png").data == OK_PNG
    assert policy.read("inside-link.png").data == OK_PNG  # a symlink that stays inside is fine
    assert policy.read("data:image/png;base64,iVBORw0KGgo=", image=False).data.startswith(b"\x89PNG")
    refusals = {
        "../out.png": "resources.outside-folder",
        "up.png": "resources.outside-folder",
        str(tmp_path / "out.png"): "resources.outside-folder",
        (tmp_path / "out.png").as_uri(): "resources.outside-folder",
        "file://otherhost/etc/passwd": "resources.outside-folder",
        ".hidden/key.png": "resources.hidden",
        "http://127.0.0.1:9/x.png": "resources.remote",
        "https://example.com/x.png": "resources.remote",
        "//example.com/x.png": "resources.remote",
        "ftp://example.com/x.png": "resources.scheme",
        "smb://server/share/x.png": "resources.scheme",
        "missing.png": "resources.unreadable",
        "notes.txt": "resources.not-image",
    }
    for url, code in refusals.items():
        with pytest.raises(ResourceRefused) as caught:
            policy.read(url)
        assert caught.value.code == code, url
    # No source: relative references have no folder to come from.
    with pytest.raises(ResourceRefused) as caught:
        ResourcePolicy(None).read("img/a.png")
    assert caught.value.code == "resources.no-folder"


def test_fifo_and_oversized_images_are_refused_in_bounded_time(tmp_path):
    """A named pipe would block a plain read forever; a huge file is refused before reading."""
    import os

    site = tmp_path / "site"
    site.mkdir()
    os.mkfifo(site / "pipe.png")
    (site / "big.png").write_bytes(OK_PNG + b"\0" * 5000)
    policy = ResourcePolicy(site / "page.html", max_bytes=1000)
    started = time.monotonic()
    with pytest.raises(ResourceRefused) as caught:
        policy.read("pipe.png")
    assert caught.value.code == "resources.unreadable"
    with pytest.raises(ResourceRefused) as caught:
        policy.read("big.png")
    assert caught.value.code == "resources.too-large"
    assert time.monotonic() - started < 30  # it returned at all: a blocking read never would


def test_screen_document_names_each_refusal_once(tmp_path):
    doc = document_from_html(
        '<p>A <img src="../x.png" alt="one"> B <img src="../x.png" alt="again"> '
        '<img src="http://a.example/1.png"> <img src="http://a.example/2.png" alt="two"></p>'
    )
    doc.source = tmp_path / "site" / "page.html"
    screen_document(doc, ResourcePolicy(doc.source))
    assert doc.body.find(".//img") is None
    html = doc.body_html()
    assert "one" in html and "again" in html and "two" in html
    assert [w.split(":")[0] for w in doc.warnings] == ["resources.outside-folder", "resources.remote"]
    assert "left out 2 web images" in doc.warnings[1]


# -- --allow-remote -----------------------------------------------------------------------------


class Remote(http.server.BaseHTTPRequestHandler):
    """/ok.png: an image; /big.png: larger than the cap (/nolength-big.png: without saying so);
    /slow.png: never finishes in time; /redirect.png: a redirect to a local file; /page: HTML;
    anything else: 404."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if not self.path.startswith(("/ok", "/big", "/nolength", "/slow", "/page")):
            self.send_error(404)
            return
        body = OK_PNG + (b"\0" * 50_000 if "big" in self.path else b"")
        if self.path.startswith("/page"):
            body = b"<html><body>not an image</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        if not self.path.startswith("/nolength"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.startswith("/slow"):
            for byte in body:  # a trickle: every read succeeds, the whole never arrives in time
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.05)
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def remote(monkeypatch) -> Iterator[tuple[str, list[str]]]:
    """The test server on 127.0.0.1 stands for a web host: --allow-remote refuses loopback
    addresses (tests/test_remote_policy.py), so the policy is told this one is public."""
    from converter import resources

    real = resources.blocked_reason
    monkeypatch.setattr(resources, "blocked_reason",
                        lambda address: None if address == "127.0.0.1" else real(address))
    requests: list[str] = []
    handler = type("Handler", (Remote,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_allow_remote_loads_images_within_limits(tmp_path, remote):
    base, requests = remote
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=1.0, max_bytes=10_000)
    assert policy.read(f"{base}/ok.png").data == OK_PNG
    for path, code in (("/big.png", "resources.too-large"), ("/nolength-big.png", "resources.too-large"),
                       ("/slow.png", "resources.fetch-failed"),
                       ("/redirect.png", "resources.fetch-failed"), ("/missing.png", "resources.fetch-failed"),
                       ("/page", "resources.not-image")):
        started = time.monotonic()
        with pytest.raises(ResourceRefused) as caught:
            policy.read(base + path)
        assert caught.value.code == code, path
        assert time.monotonic() - started < 10, path
    assert "/ok.png" in requests
    with pytest.raises(ResourceRefused) as caught:  # the network only over http(s)
        policy.read("ftp://127.0.0.1/x.png")
    assert caught.value.code == "resources.scheme"


def test_allow_remote_puts_web_images_into_every_edition(tmp_path, remote):
    base, requests = remote
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><h1>Remote images</h1><p>The harbour bridge reopened on Monday "
        f'after repairs.</p><p><img src="{base}/ok.png" alt="web image"></p>'
        '<iframe src="' + base + '/frame"></iframe></article></body></html>',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["convert", str(page), "--to", "pdf,epub,docx", "-o", str(out), "-j", "1",
                 "--allow-remote"]) == 0
    assert requests and all(r == "/ok.png" for r in requests)  # the image, never the frame
    with zipfile.ZipFile(out / "page.epub") as z:
        assert OK_PNG in [z.read(n) for n in z.namelist()]
    with zipfile.ZipFile(out / "page.docx") as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    assert (3, 2) in pdf_image_sizes(out / "page.pdf")


def test_editions_with_web_images_are_rebuilt_on_every_run(tmp_path, remote):
    """The manifest cannot know whether a web image changed: under --allow-remote, editions
    that embed one are rebuilt (and fetch it again); the others stay unchanged."""
    base, requests = remote
    src = tmp_path / "in"
    src.mkdir()
    (src / "web.html").write_text(
        "<html><body><article><h1>Remote</h1><p>The harbour bridge reopened on Monday after "
        f'repairs.</p><p><img src="{base}/ok.png" alt="web image"></p></article></body></html>',
        encoding="utf-8")
    (src / "plain.md").write_text("# Plain\n\nNothing from the web in this one.\n",
                                  encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    args = ["convert", str(src), "--to", "epub", "-o", str(out), "-j", "1", "--allow-remote",
            "--report", str(report)]
    assert main(args) == 0
    fetched = len(requests)
    assert fetched >= 1
    assert main(args) == 0
    statuses = {Path(d["source"]).name: d["status"]
                for d in json.loads(report.read_text())["documents"]}
    assert statuses == {"web.html": "ok", "plain.md": "unchanged"}
    assert len(requests) > fetched  # fetched again, so a changed image would be picked up


def test_writers_alone_hold_the_same_line(tmp_path, server):
    """A Document built by other means (library use, no screening) gets the same policy."""
    base, requests = server
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.png").write_bytes(SECRET_PNG)
    doc = document_from_html(
        f'<p>Words <img src="../secret.png" alt="a"> <img src="{tmp_path / "secret.png"}" alt="b">'
        f' <img src="{base}/x.png" alt="c"> <img src="{(tmp_path / "secret.png").as_uri()}" alt="d"></p>',
        title="Library use",
    )
    doc.source = site / "page.html"
    config = Config(output_dir=tmp_path / "out")
    for fmt in ("pdf", "epub", "docx"):
        target = get_writer(fmt, config).write(doc, tmp_path / "out" / f"lib.{fmt}")
        for blob in edition_blobs(target):
            assert MARKER.encode() not in blob and SECRET_PNG not in blob
    assert (7, 5) not in pdf_image_sizes(tmp_path / "out" / "lib.pdf")
    assert requests == []


def test_pandoc_is_sandboxed(tmp_path):
    """pandoc itself, given a page with file and network images, reads and fetches nothing."""
    import pypandoc

    (tmp_path / "secret.png").write_bytes(SECRET_PNG)
    html = f'<p><img src="{(tmp_path / "secret.png").as_uri()}"><img src="{tmp_path}/secret.png"></p>'
    out = tmp_path / "x.docx"
    pypandoc.convert_text(html, "docx", format="html", outputfile=str(out),
                          extra_args=["--sandbox"])
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
    # And every place the converter runs pandoc passes --sandbox (or goes through the worker,
    # which reads with a sandboxed reader: tests/test_pandoc_worker.py).
    source = Path(__file__).resolve().parent.parent / "converter"
    calls = subprocess.run(["grep", "-rn", "--include=*.py", "-e", "convert_text", "-e", "--to=",
                            str(source)], capture_output=True, text=True, check=False).stdout
    for line in calls.splitlines():
        if "convert_text(" in line and "def " not in line:
            window = Path(line.split(":")[0]).read_text(encoding="utf-8")
            assert "--sandbox" in window, line


def test_a_styles_folder_named_beside_the_inputs_cannot_fetch_either(tmp_path, server):
    """converter.toml is looked for beside the inputs, so an untrusted folder can name its own
    styles: their pdf.css may load fonts and imports from that styles folder only."""
    base, requests = server
    site = tmp_path / "site"
    styles = site / "house-styles"
    styles.mkdir(parents=True)
    real = Path(__file__).resolve().parent.parent / "styles"
    for name in ("pdf.css", "epub.css", "reference.docx"):
        (styles / name).write_bytes((real / name).read_bytes())
    (tmp_path / "secret.png").write_bytes(SECRET_PNG)
    css = (styles / "pdf.css").read_text(encoding="utf-8")
    (styles / "pdf.css").write_text(
        f"@import url({base}/import.css);\n" + css
        + f"\n@font-face {{ font-family: Evil; src: url({base}/font.woff); }}\n"
        f"@font-face {{ font-family: Local; src: url({(tmp_path / 'secret.png').as_uri()}); }}\n"
        f"body {{ font-family: Evil, Local, serif; }}\n"
        f"p {{ background-image: url({(tmp_path / 'secret.png').as_uri()}); }}\n"
        f"h1 {{ background-image: url({base}/heading.png); }}\n",
        encoding="utf-8",
    )
    (site / "converter.toml").write_text('styles = "house-styles"\n', encoding="utf-8")
    page = site / "page.md"
    page.write_text("# Styled Elsewhere\n\nThe harbour bridge reopened on Monday after repairs.\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(page), "--to", "pdf", "-o", str(out), "-j", "1"]) == 0
    time.sleep(0.2)
    assert requests == []
    assert (7, 5) not in pdf_image_sizes(out / "page.pdf")
    for blob in edition_blobs(out / "page.pdf"):
        assert MARKER.encode() not in blob


def test_a_converter_toml_that_came_with_the_inputs_cannot_reach_out(tmp_path, monkeypatch, capsys):
    """A downloaded folder of articles may carry a converter.toml: it may not send them to a
    Dask scheduler (a network peer that answers with pickles) or write or read outside its
    folder, unless the user names it with --config. The user's own project file may."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    downloaded = tmp_path / "downloads" / "site"
    downloaded.mkdir(parents=True)
    (downloaded / "a.md").write_text("# Title\n\nWords of the article here.\n", encoding="utf-8")
    home = tmp_path / "project"
    home.mkdir()
    monkeypatch.chdir(home)
    hostile = {
        "scheduler": f'executor = "dask"\nscheduler = "tcp://127.0.0.1:{port}"\n',
        "output": 'output = "../../../elsewhere"\n',
        "styles": f'styles = "{real_styles()}"\n',
    }
    for key, text in hostile.items():
        (downloaded / "converter.toml").write_text(text, encoding="utf-8")
        assert main(["convert", str(downloaded / "a.md"), "--to", "html", "-o", str(home / "out")]) == 2
        err = capsys.readouterr().err
        assert "found beside the inputs" in err and "--config" in err
        assert ("Dask scheduler" if key == "scheduler" else repr(key)) in err
    try:
        listener.accept()
        contacted = True
    except TimeoutError:
        contacted = False
    listener.close()
    assert not contacted
    assert not (tmp_path / "elsewhere").exists()
    # Named with --config it is the user's choice; and a file in the project tree is trusted.
    (downloaded / "converter.toml").write_text('output = "../../published"\n', encoding="utf-8")
    assert main(["convert", str(downloaded / "a.md"), "--to", "html",
                 "--config", str(downloaded / "converter.toml")]) == 0
    assert (tmp_path / "published" / "a.html").exists()
    (home / "articles").mkdir()
    (home / "articles" / "b.md").write_text("# B\n\nWords of another article.\n", encoding="utf-8")
    (home / "articles" / "converter.toml").write_text('output = "../public"\n', encoding="utf-8")
    assert main(["convert", "articles", "--to", "html"]) == 0
    assert (home / "public" / "b.html").exists()


def real_styles() -> Path:
    return Path(__file__).resolve().parent.parent / "styles"
