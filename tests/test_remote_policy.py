"""--allow-remote reaches the public internet only: never this machine, a private network or a
cloud metadata service, whatever the URL says, the DNS answers or a redirect points to.

Servers here listen on loopback addresses and count every request. Where a test needs a
"public" web host, it says so by telling the classifier that one loopback address is public
(``public_stand_in``) or by answering DNS for a made-up name; each test states which.
"""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_security import OK_PNG, pdf_image_sizes

from converter import resources
from converter.cli import main
from converter.config import Config
from converter.document import document_from_html
from converter.resources import ResourcePolicy, ResourceRefused, blocked_reason
from converter.writers import get_writer

# -- the address classifier -------------------------------------------------------------------

BLOCKED = {
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "::1": "loopback",
    "0.0.0.0": "unspecified",  # connecting to it reaches this machine on Linux
    "::": "unspecified",
    "10.0.0.7": "private",
    "172.16.5.4": "private",
    "172.31.255.255": "private",
    "192.168.1.1": "private",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "169.254.169.254": "cloud metadata service",  # AWS, GCP, Azure, OpenStack
    "fd00:ec2::254": "cloud metadata service",  # AWS over IPv6
    "100.100.100.200": "cloud metadata service",  # Alibaba Cloud
    "169.254.1.1": "link-local",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local",  # with a zone, as getaddrinfo may answer
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "ff02::1": "multicast",
    "100.64.0.1": "non-public",  # carrier-grade NAT
    "fec0::1": "site-local",
    "::7f00:1": "reserved",  # IPv4-compatible ::127.0.0.1
    "::ffff:127.0.0.1": "IPv4-mapped loopback",
    "::ffff:10.0.0.1": "IPv4-mapped private",
    "::ffff:169.254.169.254": "IPv4-mapped cloud metadata service",
    "64:ff9b::a00:1": "NAT64 private",
    "2002:7f00:1::": "6to4 loopback",
    "2002:c0a8:101::": "6to4 private",
    "not-an-address": "not an IP address",
}

PUBLIC = (
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",  # just outside 172.16.0.0/12
    "100.128.0.1",  # just outside 100.64.0.0/10
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",  # mapped, but the IPv4 address is public
    "64:ff9b::808:808",  # NAT64 on an IPv6-only network: the web must stay reachable
    "2002:808:808::",
)


@pytest.mark.parametrize("address", sorted(BLOCKED))
def test_non_public_addresses_are_blocked(address):
    assert blocked_reason(address) == BLOCKED[address]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert blocked_reason(address) is None


# -- servers ------------------------------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """/ok.png: an image; /hop?to=URL: a 302 to URL. Records (path, Host header)."""

    requests: list[tuple[str, str | None]]

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Host")))
        if self.path.startswith("/hop?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(OK_PNG)))
        self.end_headers()
        self.wfile.write(OK_PNG)

    def log_message(self, *args: object) -> None:
        pass


def serve(host: str) -> tuple[http.server.ThreadingHTTPServer, list[tuple[str, str | None]]]:
    requests: list[tuple[str, str | None]] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, requests


@pytest.fixture
def loopback() -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    """An image server on 127.0.0.1: (port, requests)."""
    httpd, requests = serve("127.0.0.1")
    try:
        yield httpd.server_address[1], requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def public_stand_in(monkeypatch) -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    """A server on 127.0.0.2 that the classifier is told is public; every other address,
    127.0.0.1 included, is judged as usual."""
    try:
        httpd, requests = serve("127.0.0.2")
    except OSError as exc:  # pragma: no cover - loopback is 127.0.0.0/8 on Linux
        pytest.skip(f"cannot listen on 127.0.0.2: {exc}")
    real = resources.blocked_reason
    monkeypatch.setattr(resources, "blocked_reason",
                        lambda address: None if address == "127.0.0.2" else real(address))
    try:
        yield httpd.server_address[1], requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def fake_dns(monkeypatch, answers: dict[str, list[str] | Exception]) -> list[str]:
    """Answer getaddrinfo for made-up names (a list of addresses, or an error to raise; a
    list of lists gives one answer per call, the last one repeated); returns the names asked."""
    real = socket.getaddrinfo
    asked: list[str] = []
    calls: dict[str, int] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        answer = answers[host]
        if isinstance(answer, Exception):
            raise answer
        if answer and isinstance(answer[0], list):
            n = calls.get(host, 0)
            calls[host] = n + 1
            answer = answer[min(n, len(answer) - 1)]
        out = []
        for address in answer:
            if ":" in address:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return out

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def refused(policy: ResourcePolicy, url: str) -> ResourceRefused:
    started = time.monotonic()
    with pytest.raises(ResourceRefused) as caught:
        policy.read(url)
    assert time.monotonic() - started < 5, url
    return caught.value


# -- the converter, end to end ------------------------------------------------------------------


def test_allow_remote_never_fetches_from_this_machine(tmp_path, loopback, capsys):
    """Every spelling of this machine is refused with a warning naming it; no request arrives."""
    port, requests = loopback
    urls = [
        f"http://127.0.0.1:{port}/a.png",
        f"http://localhost:{port}/b.png",
        f"http://0.0.0.0:{port}/c.png",
        f"http://127.1:{port}/d.png",  # inet_aton shorthand
        f"http://2130706433:{port}/e.png",  # 127.0.0.1 as one decimal number
        f"http://[::ffff:127.0.0.1]:{port}/f.png",
        f"http://[::1]:{port}/g.png",
        f"//127.0.0.1:{port}/h.png",  # scheme-relative
    ]
    images = "".join(f'<p><img src="{url}" alt="harbour picture {i}"></p>' for i, url in enumerate(urls))
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><h1>Local images</h1><p>The harbour bridge reopened on Monday "
        f"after repairs.</p>{images}</article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    assert main(["convert", str(page), "--to", "pdf,epub,docx,html,md", "-o", str(out),
                 "--allow-remote", "--report", str(report)]) == 0
    time.sleep(0.2)  # a request in flight would have arrived by now
    assert requests == []

    (entry,) = json.loads(report.read_text(encoding="utf-8"))["documents"]
    messages = [w["message"] for w in entry["warnings"] if w["code"] == "resources.private-address"]
    for url in urls:
        (message,) = [m for m in messages if url in m]
        assert "--allow-remote" in message and "replaced by its alt text" in message
    assert any("is at 127.0.0.1, a loopback address" in m for m in messages)
    assert any("localhost" in m and "resolves to" in m for m in messages)
    assert "resources.private-address" in capsys.readouterr().err

    # The alt text stands in for every image, and no edition carries one.
    markdown = (out / "page.md").read_text(encoding="utf-8")
    for i in range(len(urls)):
        assert f"harbour picture {i}" in markdown
    with zipfile.ZipFile(out / "page.epub") as z:
        assert OK_PNG not in [z.read(n) for n in z.namelist()]
    with zipfile.ZipFile(out / "page.docx") as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
    assert pdf_image_sizes(out / "page.pdf") == []


def test_writers_alone_refuse_this_machine_too(tmp_path, loopback):
    """A Document that skipped the pipeline's screening meets the same rule in each writer."""
    port, requests = loopback
    doc = document_from_html(
        f'<p>Words <img src="http://127.0.0.1:{port}/a.png" alt="a"> '
        f'<img src="http://localhost:{port}/b.png" alt="b"></p>',
        title="Library use",
    )
    doc.source = tmp_path / "page.html"
    config = Config(output_dir=tmp_path / "out", allow_remote=True)
    for fmt in ("pdf", "epub", "docx"):
        get_writer(fmt, config).write(doc, tmp_path / "out" / f"lib.{fmt}")
    assert requests == []
    assert pdf_image_sizes(tmp_path / "out" / "lib.pdf") == []


# -- the policy: what is checked, and where -----------------------------------------------------


def test_check_resolves_names_and_lets_public_ones_through(tmp_path, monkeypatch):
    asked = fake_dns(monkeypatch, {
        "news.example": ["93.184.216.34", "2606:2800:220:1::1"],
        "intranet.example": ["10.0.0.7"],
        "mixed.example": ["93.184.216.34", "192.168.0.10"],  # one bad answer is enough
        "metadata.example": ["169.254.169.254"],
        "nowhere.example": socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
    })
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True)
    assert policy.check("https://news.example/a.png") == "https://news.example/a.png"
    assert policy.check("//news.example/b.png") == "https://news.example/b.png"
    for url, address, kind in (
        ("https://intranet.example/a.png", "10.0.0.7", "private"),
        ("http://mixed.example/a.png", "192.168.0.10", "private"),
        ("http://metadata.example/latest/meta-data/", "169.254.169.254", "cloud metadata service"),
    ):
        with pytest.raises(ResourceRefused) as caught:
            policy.check(url)
        assert caught.value.code == "resources.private-address"
        assert f"resolves to {address}" in caught.value.reason and kind in caught.value.reason
    # A name that does not resolve passes the check; fetching it then fails on its own.
    assert policy.check("http://nowhere.example/a.png") == "http://nowhere.example/a.png"
    assert refused(policy, "http://nowhere.example/a.png").code == "resources.fetch-failed"
    # Answers are kept per policy: each host is looked up once by check().
    policy.check("https://news.example/c.png")
    assert asked.count("news.example") == 1
    # Without --allow-remote nothing is even looked up.
    before = len(asked)
    with pytest.raises(ResourceRefused) as caught:
        ResourcePolicy(tmp_path / "page.html").check("https://intranet.example/a.png")
    assert caught.value.code == "resources.remote" and len(asked) == before


def test_dns_rebinding_is_caught_at_the_connection(tmp_path, loopback, monkeypatch):
    """The name answers a public address to the check and 127.0.0.1 to the fetch: the fetch
    connects only to addresses it vetted itself, so nothing reaches the server."""
    port, requests = loopback
    asked = fake_dns(monkeypatch, {"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=2.0)
    url = f"http://rebind.example:{port}/ok.png"
    assert policy.check(url) == url
    error = refused(policy, url)
    assert error.code == "resources.private-address"
    assert "resolves to 127.0.0.1, a loopback address" in error.reason
    assert len(asked) >= 2 and requests == []


def test_the_connection_is_checked_even_if_the_hook_is_bypassed(tmp_path, loopback, monkeypatch):
    """Defence in depth: were http.client to open its socket without _connect_vetted, the
    peer address is still checked before the request is sent."""
    port, requests = loopback
    monkeypatch.setattr(resources, "_connect_vetted", socket.create_connection)
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=2.0)
    monkeypatch.setattr(policy, "_check_host", lambda url, target: None)  # as if check passed
    error = refused(policy, f"http://127.0.0.1:{port}/ok.png")
    assert error.code == "resources.private-address"
    time.sleep(0.2)
    assert requests == []


def test_a_public_host_is_fetched_under_its_own_name(tmp_path, public_stand_in, monkeypatch):
    """Connecting to the vetted address keeps the Host header (and TLS name) the host's."""
    port, requests = public_stand_in
    fake_dns(monkeypatch, {"images.example": ["127.0.0.2"]})
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=2.0)
    resource = policy.read(f"http://images.example:{port}/ok.png")
    assert resource.data == OK_PNG
    assert requests == [("/ok.png", f"images.example:{port}")]


def test_redirects_are_checked_again(tmp_path, public_stand_in, loopback):
    """A public page that redirects to this machine or the metadata service is refused, and the
    target sees nothing; a redirect to another public URL is followed."""
    public_port, public_requests = public_stand_in
    local_port, local_requests = loopback
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=2.0)
    hop = f"http://127.0.0.2:{public_port}/hop?to="
    for target in (f"http://127.0.0.1:{local_port}/ok.png", f"http://localhost:{local_port}/ok.png",
                   "http://169.254.169.254/latest/meta-data/", f"http://[::1]:{local_port}/x.png"):
        error = refused(policy, hop + target)
        assert error.code == "resources.private-address", target
    time.sleep(0.2)
    assert local_requests == []
    assert len([p for p, _ in public_requests if p.startswith("/hop")]) == 4

    followed = policy.read(hop + f"http://127.0.0.2:{public_port}/ok.png")
    assert followed.data == OK_PNG and public_requests[-1][0] == "/ok.png"


def test_proxy_settings_from_the_environment_are_not_used(tmp_path, public_stand_in, loopback,
                                                          monkeypatch):
    """Through a proxy the address finally reached could not be checked: none is used."""
    port, requests = public_stand_in
    proxy_port, proxy_requests = loopback
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy_port}")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=2.0)
    assert policy.read(f"http://127.0.0.2:{port}/ok.png").data == OK_PNG
    assert proxy_requests == [] and [p for p, _ in requests] == ["/ok.png"]


@pytest.fixture
def tls_server(tmp_path) -> Iterator[tuple[int, list[str | None]]]:
    """A TLS listener on 127.0.0.2 with a self-signed certificate that records the SNI name
    of each handshake (then drops the connection): (port, names)."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        str(key), "-out", str(cert), "-subj", "/CN=stand-in", "-days", "1"],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"openssl cannot make a test certificate: {exc}")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.create_server(("127.0.0.2", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.settimeout(2)
            try:
                context.wrap_socket(conn, server_side=True).close()
            except (OSError, ssl.SSLError):
                conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], names
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def test_tls_names_the_host_not_the_address(tmp_path, tls_server, monkeypatch):
    port, names = tls_server
    real = resources.blocked_reason
    monkeypatch.setattr(resources, "blocked_reason",
                        lambda address: None if address == "127.0.0.2" else real(address))
    fake_dns(monkeypatch, {"secure.example": ["127.0.0.2"]})
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=2.0)
    error = refused(policy, f"https://secure.example:{port}/ok.png")
    # The self-signed certificate is refused, as it must be; the handshake named the host.
    assert error.code == "resources.fetch-failed" and "CERTIFICATE_VERIFY_FAILED" in error.reason
    assert names == ["secure.example"]


def test_no_http_machinery_is_imported_without_a_fetch(tmp_path):
    """urllib.request, http.client and ssl cost 10-18 ms of start-up; only a fetch imports them."""
    code = (
        "import sys\n"
        "from converter import resources\n"
        "from converter.resources import ResourcePolicy\n"
        f"p = ResourcePolicy(__import__('pathlib').Path({str(tmp_path / 'a.html')!r}))\n"
        "p.check('ok.png'); p.allowed('https://example.com/x.png')\n"
        "print(sorted(m for m in ('urllib.request', 'http.client', 'ssl') if m in sys.modules))\n"
    )
    out = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "[]"


def test_a_resolver_that_hangs_is_bounded_by_the_timeout(tmp_path, monkeypatch):
    """DNS has no deadline of its own: a lookup that never answers fails the image within the
    policy's time instead of holding the document."""
    import threading
    import time

    release = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "slow-dns.example":
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    from converter import resources

    monkeypatch.setattr(resources, "DEFAULT_TIMEOUT", 1.0)
    monkeypatch.setattr(resources._resolve, "__defaults__", (1.0,))
    policy = ResourcePolicy(tmp_path / "page.html", allow_remote=True, timeout=1.0)
    started = time.monotonic()
    try:
        # the check lets an unresolved name through; the fetch then fails on its own
        assert policy.check("http://slow-dns.example/a.png") == "http://slow-dns.example/a.png"
        assert refused(policy, "http://slow-dns.example/a.png").code == "resources.fetch-failed"
        assert time.monotonic() - started < 6
    finally:
        release.set()
