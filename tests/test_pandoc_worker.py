"""The long-lived pandoc worker: reused across documents, same output as a pandoc run per
document, falls back when it cannot start or breaks, stops at exit, reads nothing it should not.
"""

from __future__ import annotations

import base64
import io
import json
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from converter import pandoc_worker
from converter.config import Config
from converter.document import document_from_html
from converter.writers import docx_styles
from converter.writers.docx import DocxWriter, pandoc_binary
from converter.writers.markdown import render_markdown

from test_writer_docx import ARTICLE, META, tiny_png

EPOCH = 1_700_000_000
STYLES = Path(__file__).resolve().parents[1] / "styles"


@pytest.fixture(autouse=True)
def fresh_worker(monkeypatch, tmp_path):
    """Every test starts and ends without a worker in this process, and with nothing
    learned about the reference's styles (docx_styles: the first document is converted
    twice)."""
    pandoc_worker.shutdown()
    monkeypatch.setattr(pandoc_worker, "enabled", True)
    monkeypatch.setattr(docx_styles, "cache_dir", tmp_path / "styles-cache")
    docx_styles.forget()
    yield
    pandoc_worker.shutdown()
    docx_styles.forget()


def article(**meta):
    return document_from_html(ARTICLE, **{**META, **meta})


def write_docx(doc, path: Path) -> Path:
    return DocxWriter(Config(source_date_epoch=EPOCH)).write(doc, path)


def worker() -> pandoc_worker.PandocWorker:
    found = pandoc_worker.shared_worker(pandoc_binary())
    assert found is not None
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): it has exited, its parent just has not reaped it.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def parts(path: Path) -> dict[str, bytes]:
    """Every package part; XML parts in canonical form so equal means the same XML."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith((".xml", ".rels")):
                data = etree.tostring(etree.fromstring(data), method="c14n")
            out[name] = data
    return out


def test_one_pandoc_process_serves_every_document(tmp_path):
    write_docx(article(), tmp_path / "a.docx")
    first = worker()
    pid = first.pid
    assert pid is not None and first.running
    write_docx(article(title="Second"), tmp_path / "b.docx")
    write_docx(article(title="Third"), tmp_path / "c.docx")
    assert worker() is first
    assert first.pid == pid
    assert docx_styles.relearned == 1  # the first document taught the styles
    assert docx_styles.probes == 2  # and the probe chose the style skeleton
    assert first.conversions == 3 + 1 + 2
    titles = [parts(tmp_path / f"{n}.docx")["docProps/core.xml"] for n in "abc"]
    assert b"Bridge Reopens" in titles[0] and b"Second" in titles[1] and b"Third" in titles[2]


def test_worker_and_a_pandoc_run_give_the_same_docx(tmp_path, monkeypatch):
    rtl = document_from_html("<h2>שלום</h2><p>טקסט</p><pre><code>x = 1</code></pre>",
                             title="כותרת", language="he")
    png = base64.b64encode(tiny_png()).decode()
    pictured = document_from_html(f'<p>Before <img src="data:image/png;base64,{png}" alt="Red"/>'
                                  "</p><h3>Deep</h3><h4>Deeper</h4>", title="true", author="a: b")
    for count, (name, doc) in enumerate((("article", article()), ("rtl", rtl),
                                          ("pictured", pictured)), start=1):
        monkeypatch.setattr(pandoc_worker, "enabled", True)
        through_worker = parts(write_docx(doc, tmp_path / f"{name}-worker.docx"))
        assert worker().conversions == count + docx_styles.relearned + docx_styles.probes
        monkeypatch.setattr(pandoc_worker, "enabled", False)
        through_run = parts(write_docx(doc, tmp_path / f"{name}-run.docx"))
        assert through_worker.keys() == through_run.keys(), name
        for part_name in through_run:
            assert through_worker[part_name] == through_run[part_name], (name, part_name)
        assert any(n.startswith("word/media/") for n in through_run) == (name == "pictured")


def test_worker_conversions_are_counted_and_markdown_uses_it(tmp_path, monkeypatch):
    doc = article()
    first = render_markdown(doc)
    second = render_markdown(article(title="Other"))
    used = worker()
    assert used.conversions == 2
    monkeypatch.setattr(pandoc_worker, "enabled", False)
    assert render_markdown(doc) == first
    assert "## What was decided" in first and "Other" in second


def test_falls_back_when_pandoc_cannot_start(tmp_path, monkeypatch, caplog):
    broken = pandoc_worker.PandocWorker("/nonexistent/pandoc")
    monkeypatch.setattr(pandoc_worker, "shared_worker", lambda binary: broken)
    out = write_docx(article(), tmp_path / "a.docx")
    assert "word/document.xml" in parts(out)
    assert not broken.usable
    assert render_markdown(article()).startswith("---\ntitle: Bridge Reopens")


def test_falls_back_when_the_worker_dies_and_gives_up_after_repeated_failures(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(pandoc_worker, "LUA_WORKER", "os.exit(3)")
    dying = worker()
    for index in range(pandoc_worker.MAX_FAILURES + 1):
        out = write_docx(article(), tmp_path / f"{index}.docx")
        assert "word/document.xml" in parts(out)
    assert dying.failures == pandoc_worker.MAX_FAILURES
    assert not dying.usable and not dying.running


def test_a_document_pandoc_refuses_does_not_stop_the_worker():
    used = worker()
    with pytest.raises(pandoc_worker.PandocFailed, match="nosuchformat"):
        used.convert(pandoc_worker.PandocRequest(text="<p>x</p>", to="nosuchformat"))
    pid = used.pid
    out, _ = used.convert(pandoc_worker.PandocRequest(text="<p>still here</p>", to="gfm"))
    assert out.strip() == b"still here"
    assert used.pid == pid and used.failures == 0


def test_a_conversion_that_hangs_times_out_and_the_next_one_gets_a_fresh_worker(monkeypatch):
    hang = "io.stdin:read('l'); while true do end"
    monkeypatch.setattr(pandoc_worker, "LUA_WORKER", hang)
    slow = pandoc_worker.PandocWorker(pandoc_binary(), timeout=1.0)
    with pytest.raises(pandoc_worker.PandocTimeout):
        slow.convert(pandoc_worker.PandocRequest(text="<p>x</p>", to="gfm"))
    assert not slow.running
    monkeypatch.undo()
    monkeypatch.setattr(pandoc_worker, "enabled", True)
    out, _ = slow.convert(pandoc_worker.PandocRequest(text="<p>again</p>", to="gfm"))
    assert out.strip() == b"again"
    slow.close()


def test_shutdown_stops_pandoc():
    used = worker()
    used.convert(pandoc_worker.PandocRequest(text="<p>x</p>", to="gfm"))
    pid = used.pid
    assert pid is not None and alive(pid)
    pandoc_worker.shutdown()
    assert wait_gone(pid)


SCRIPT = textwrap.dedent(
    """
    import sys
    from converter import pandoc_worker
    from converter.writers.docx import pandoc_binary
    worker = pandoc_worker.shared_worker(pandoc_binary())
    worker.convert(pandoc_worker.PandocRequest(text="<p>x</p>", to="gfm"))
    print(worker.pid, flush=True)
    if sys.argv[1] == "hang":
        sys.stdin.read()
    """
)


@pytest.mark.parametrize("how", ["exit", "killed"])
def test_pandoc_does_not_outlive_its_owner(how):
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, "exit" if how == "exit" else "hang"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    pid = int(proc.stdout.readline())
    if how == "killed":  # no atexit: pandoc sees its input close and exits by itself
        assert alive(pid)
        proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert wait_gone(pid)


def _pid_in_child(queue) -> None:
    from converter import pandoc_worker as child_module

    found = child_module.shared_worker(pandoc_binary())
    found.convert(child_module.PandocRequest(text="<p>child</p>", to="gfm"))
    queue.put((os.getpid(), found.pid, found.pid_owner))


def test_a_forked_child_gets_its_own_worker():
    used = worker()
    used.convert(pandoc_worker.PandocRequest(text="<p>parent</p>", to="gfm"))
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_pid_in_child, args=(queue,))
    child.start()
    child_pid, child_worker_pid, owner = queue.get(timeout=60)
    child.join(30)
    assert owner == child_pid != os.getpid()
    assert child_worker_pid != used.pid
    out, _ = used.convert(pandoc_worker.PandocRequest(text="<p>parent again</p>", to="gfm"))
    assert out.strip() == b"parent again"


def test_images_that_are_not_data_urls_are_never_read_or_fetched(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(tiny_png())
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    port = server.getsockname()[1]
    png = base64.b64encode(tiny_png()).decode()
    html = (
        f'<p><img src="{secret}" alt="Absolute"/><img src="{secret.as_uri()}" alt="FileUrl"/>'
        f'<img src="http://127.0.0.1:{port}/x.png" alt="Remote"/></p>'
    )
    reference = STYLES / "reference.docx"
    # Straight to the worker, past the DOCX writer's own image screening.
    out, _ = worker().convert(pandoc_worker.PandocRequest(
        text=html, to="docx", reference_doc=reference, shift_heading_level_by=-1))
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
        text = z.read("word/document.xml").decode()
    for alt in ("Absolute", "FileUrl", "Remote"):
        assert alt in text
    try:
        server.accept()
        contacted = True
    except BlockingIOError:
        contacted = False
    server.close()
    assert not contacted
    out, _ = worker().convert(pandoc_worker.PandocRequest(
        text=f'<p><img src="data:image/png;base64,{png}" alt="Inline"/></p>', to="docx",
        reference_doc=reference))
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")]


def test_an_interrupted_conversation_never_hands_its_reply_to_the_next_document(monkeypatch):
    class Interrupted(Exception):
        pass

    used = worker()
    used.convert(pandoc_worker.PandocRequest(text="<p>first</p>", to="gfm"))
    original = used._read_line

    def interrupted(deadline):  # what SIGALRM's handler does to a blocked read
        raise Interrupted()

    monkeypatch.setattr(used, "_read_line", interrupted)
    with pytest.raises(Interrupted):
        used.convert(pandoc_worker.PandocRequest(text="<p>second</p>", to="gfm"))
    assert not used.running and used.failures == 0
    monkeypatch.setattr(used, "_read_line", original)
    out, _ = used.convert(pandoc_worker.PandocRequest(text="<p>third</p>", to="gfm"))
    assert out.strip() == b"third"


# -- requests sent ahead (submit now, collect later) -------------------------------------------


def big_page(words: int, marker: str) -> str:
    text = " ".join(f"{marker}{i}" for i in range(words))
    return f"<html><body><p>{text}</p></body></html>"


def test_submitted_requests_answer_in_order_even_when_replies_are_collected_late():
    used = worker()
    # Each reply and request is larger than a pipe's buffer: pandoc blocks writing the first
    # reply while the second request is still being sent, unless the worker reads meanwhile.
    first = used.submit(pandoc_worker.PandocRequest(text=big_page(20_000, "a"), to="gfm"))
    refused = used.submit(pandoc_worker.PandocRequest(text="<p>x</p>", to="nosuchformat"))
    second = used.submit(pandoc_worker.PandocRequest(text=big_page(20_000, "b"), to="gfm"))
    out2, _ = second.result()  # collected first: the earlier replies are read and kept
    out1, _ = first.result()
    assert out1.split()[:2] == [b"a0", b"a1"] and out1.split()[-1] == b"a19999"
    assert out2.split()[:2] == [b"b0", b"b1"] and out2.split()[-1] == b"b19999"
    with pytest.raises(pandoc_worker.PandocFailed, match="nosuchformat"):
        refused.result()
    assert used.conversions == 2 and used.failures == 0


def test_a_reply_nobody_collects_never_reaches_another_request():
    used = worker()
    used.submit(pandoc_worker.PandocRequest(text=big_page(20_000, "lost"), to="gfm"))
    out, _ = used.convert(pandoc_worker.PandocRequest(text="<p>mine</p>", to="gfm"))
    assert out.strip() == b"mine"


def test_closing_with_a_reply_owed_is_quick_and_the_request_reports_it():
    used = pandoc_worker.PandocWorker(pandoc_binary())
    pending = used.submit(pandoc_worker.PandocRequest(text=big_page(20_000, "z"), to="gfm"))
    pid = used.pid
    started = time.monotonic()
    used.close()
    assert time.monotonic() - started < pandoc_worker.EXIT_GRACE
    assert pid is not None and wait_gone(pid)
    with pytest.raises(pandoc_worker.PandocUnavailable):
        pending.result()


def test_a_request_sent_ahead_is_lost_when_the_worker_dies_and_the_next_one_restarts(monkeypatch):
    used = worker()
    pending = used.submit(pandoc_worker.PandocRequest(text=big_page(20_000, "d"), to="gfm"))
    pid = used.pid
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(pandoc_worker.PandocUnavailable):
        pending.result()
    out, _ = used.convert(pandoc_worker.PandocRequest(text="<p>next</p>", to="gfm"))
    assert out.strip() == b"next" and used.pid != pid


def test_begin_then_write_gives_the_edition_write_alone_gives(tmp_path):
    from converter.writers.markdown import MarkdownWriter

    config = Config(source_date_epoch=EPOCH)
    doc = article()
    alone = DocxWriter(config).write(doc, tmp_path / "alone.docx")
    md_alone = MarkdownWriter(config).write(doc, tmp_path / "alone.md")
    used = worker()
    before = used.conversions
    DocxWriter(config).begin(doc)
    MarkdownWriter(config).begin(doc)
    assert used.conversions == before  # sent, not yet collected
    early = DocxWriter(config).write(doc, tmp_path / "early.docx")
    md_early = MarkdownWriter(config).write(doc, tmp_path / "early.md")
    assert used.conversions == before + 2  # the requests sent ahead, not new ones
    assert early.read_bytes() == alone.read_bytes()
    assert md_early.read_text() == md_alone.read_text()


def test_a_request_sent_ahead_for_another_document_is_not_used(tmp_path):
    config = Config(source_date_epoch=EPOCH)
    DocxWriter(config).begin(article(title="Sent Ahead"))
    written = DocxWriter(config).write(article(title="Written"), tmp_path / "w.docx")
    core = parts(written)["docProps/core.xml"]
    assert b"Written" in core and b"Sent Ahead" not in core
    # Nor for the same document under another configuration.
    doc = article(title="Same Doc")
    DocxWriter(config).begin(doc)
    letter = Config(source_date_epoch=EPOCH, paper="letter")
    other = DocxWriter(letter).write(doc, tmp_path / "l.docx")
    assert b'w:w="12240"' in parts(other)["word/document.xml"]


def _docx_text(package: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "".join(root.itertext())


def test_the_worker_reads_the_ast_only_for_the_pandoc_it_was_built_for():
    from converter.writers import pandoc_ast

    html = "<html><head><title>T</title></head><body><p>from the HTML</p></body></html>"
    ast = json.dumps({"pandoc-api-version": pandoc_ast.API_VERSION, "meta": {},
                      "blocks": [{"t": "Para", "c": [{"t": "Str", "c": "from-the-AST"}]}]})

    def convert(version):
        request = pandoc_worker.PandocRequest(text=html, to="docx", ast=ast, ast_pandoc=version)
        return _docx_text(worker().convert(request)[0])

    assert "from-the-AST" in convert(pandoc_ast.PANDOC_VERSION)
    assert "from the HTML" in convert("2.19")  # another pandoc: the HTML is read
    assert "from the HTML" in convert(None)


def test_docx_pages_go_to_the_worker_as_their_ast(tmp_path, monkeypatch):
    sent = []
    submit = pandoc_worker.PandocWorker.submit

    def spy(self, request):
        sent.append(request)
        return submit(self, request)

    monkeypatch.setattr(pandoc_worker.PandocWorker, "submit", spy)
    write_docx(article(), tmp_path / "a.docx")
    assert sent and all(r.ast is not None for r in sent)
    assert json.loads(sent[0].ast)["blocks"]


def test_an_ast_prepared_in_python_gives_what_the_worker_script_makes_of_it():
    from converter.writers import pandoc_ast

    def s(text):
        return {"t": "Str", "c": text}

    def header(level, *inlines):
        return {"t": "Header", "c": [level, ["", [], []], list(inlines)]}

    def image(src, alt):
        return {"t": "Image", "c": [["", [], []], [s(alt)], [src, ""]]}

    png = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    blocks = [
        header(1, s("Lead"), image("https://example.org/x.png", "remote-alt")),
        header(1, s("Second"), s("lead")),
        {"t": "Para", "c": [s("Text"), image(png, "kept"), image("local.png", "local-alt"),
                            {"t": "Note", "c": [header(3, s("In"), s("note"))]}]},
        header(2, s("Two")),
        {"t": "BlockQuote", "c": [header(1, s("Quoted")), header(4, s("Deep"))]},
        header(1, s("Late"), s("one")),
    ]
    metadata = {"title": "From -M", "lang": "en-GB", "author": "A"}
    for shift, binary, to in ((-1, True, "docx"), (0, True, "docx"), (1, False, "native")):
        doc = {"pandoc-api-version": pandoc_ast.API_VERSION, "meta": {}, "blocks": blocks}
        raw = json.dumps(doc)
        prepared = json.dumps(pandoc_worker.prepare_ast(json.loads(raw), metadata, shift, binary))
        replies = []
        for ast, ready in ((raw, False), (prepared, True)):
            request = pandoc_worker.PandocRequest(
                text="<p>unused</p>", to=to, metadata=metadata, shift_heading_level_by=shift,
                ast=ast, ast_pandoc=pandoc_ast.PANDOC_VERSION, ast_prepared=ready)
            replies.append(worker().convert(request)[0])
        if to == "docx":
            for name in ("word/document.xml", "word/footnotes.xml", "docProps/core.xml"):
                got = [zipfile.ZipFile(io.BytesIO(r)).read(name) for r in replies]
                if name == "docProps/core.xml":
                    got = [re.sub(rb"<dcterms:(created|modified)\b.*?</dcterms:\1>", b"", g)
                           for g in got]
                assert got[0] == got[1], (shift, name)
            text = _docx_text(replies[1])
            assert "local-alt" in text  # an image that is not a data: URL is its alt text
            if shift == -1:  # the second leading heading is the title, over -M title
                assert "Secondlead" in text and "Lead" not in text and "From -M" not in text
        else:
            assert replies[0] == replies[1] and b"Header 2" in replies[1]  # shifted +1
