"""One long-lived pandoc process per converter process, fed one document after another.

    worker = shared_worker()
    worker.convert(PandocRequest(text=xhtml, to="docx", metadata={"title": "T"},
                                 shift_heading_level_by=-1, reference_doc=reference))
    -> (the .docx bytes, ["[WARNING] ..."])

A ``pandoc`` run per document costs about 80 ms on a 1,000-word article, of which pandoc
spends about 35 ms converting: the rest is starting the 200 MB binary, reading its data
files and the reference document. Here pandoc starts once (lazily, on the first DOCX or
Markdown edition) as ``pandoc lua`` running the script below, which reads requests from its
standard input and answers on its standard output until the input ends.

Why not ``pandoc server``: the pandoc 3.9 that pypandoc-binary 1.17 ships answers every
request by dropping the connection ("getSystemTimerManager: the TimerManager requires linking
against the threaded runtime", the binary's RTS is non-threaded; upstream jgm/pandoc#11488),
and ``pandoc server`` listens on every interface (0.0.0.0, no option to bind loopback only),
so other machines could send it work. Pipes reach no network and need no port.

The script does what the command line does for ``--from=html --to=docx|gfm --sandbox
--shift-heading-level-by=N -M key=value``: reads with the same reader options, sets each
metadata value as a MetaString (what ``-M`` does, true/false aside, which callers never send),
applies pandoc's own heading-shift rule, and writes with the same writer options; the tests
compare both paths part by part. The reader runs in pandoc's sandbox (``pandoc.read`` with an
empty file tree: it can read no file). The writer has no sandbox in Lua, and the one thing in
a document that makes the DOCX writer read a file or fetch a URL is an image, so for binary
formats every image whose source is not a ``data:`` URL is replaced by its alt text before
writing (the DOCX writer already embeds local images as data: URLs and drops the rest; this
is the backstop). Text formats such as gfm only print the reference.

Lifecycle: one worker per process (a forked child starts its own, never writes to its
parent's pipe), guarded by a lock; shut down at exit (``atexit`` closes its input, and if
this process dies the pipe closes and pandoc exits on its own). A worker that cannot start,
dies or garbles a reply raises ``PandocUnavailable``, and the caller runs ``pandoc`` once for
that document as before; the next document starts a fresh worker, up to ``MAX_FAILURES``
times per process, after which every document takes the per-document path.
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import select
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# Seconds a single conversion may take (as for a pandoc run per document).
TIMEOUT = 120.0
# Seconds pandoc gets to exit once its input is closed, before it is killed.
EXIT_GRACE = 2.0
# A worker that died this many times is not started again in this process.
MAX_FAILURES = 3
# GHC runtime options for the long-lived process (the bundled pandoc accepts +RTS). pandoc
# is built with -H64m, a 64 MB suggested heap that a worker keeps for its whole life. Measured
# (pandoc CPU per 800-word DOCX; private memory after a 20,000-word one): -H64m 27-30 ms,
# 81 MB; -H32m 29 ms, 68 MB; -H16m 38 ms, 63 MB; -H1m -A1m 55-58 ms, 57 MB. -H32m saves
# 13 MB for no measurable time. Output is unchanged: these only size the collector's areas.
# -V0 stops the runtime's clock, a second OS thread ("ghc_ticker") that wakes every 10 ms to
# preempt Haskell threads, which this one-threaded loop never needs; pandoc then runs as one
# thread. pandoc's CPU for 200 benchmark DOCX: 2.66-2.94 s without, 2.54-2.90 s with (three
# runs each); the same bytes.
RTS_OPTIONS = ("-H32m", "-V0")

LUA_WORKER = r"""
local stdin, stdout = io.stdin, io.stdout

-- pandoc's headerShift (--shift-heading-level-by=N): with N < 0 a leading heading that would
-- reach level 0 becomes the title; any other heading that would drops to a paragraph.
-- With ``images_only`` (binary formats) the same walk keeps only embedded images: the writer
-- would read any other image from disk or the network, so it is left as its alt text.
-- One typewise walk does both (images first, then headings: what two walks in the order
-- headings, images give, as a heading's content is its inlines either way).
local function prepare(doc, by, images_only)
  while by < 0 do
    local first = doc.blocks[1]
    if not (first and first.t == 'Header' and first.level + by == 0) then break end
    doc.meta.title = pandoc.MetaInlines(first.content)
    doc.blocks:remove(1)
  end
  local filter = {}
  if by ~= 0 then
    filter.Header = function (h)
      if h.level + by > 0 then
        h.level = h.level + by
        return h
      end
      return pandoc.Para(h.content)
    end
  end
  if images_only then
    filter.Image = function (img)
      if img.src:match('^[Dd][Aa][Tt][Aa]:') then return nil end
      return img.caption
    end
  end
  if next(filter) == nil then return doc end
  return doc:walk(filter)
end

-- Each writer's default template, compiled once (pandoc compiles it on every write).
local TEMPLATE_NAMES = {docx = 'openxml'}
local templates = {}
local function compiled_template(format)
  local name = TEMPLATE_NAMES[format]
  if not name then return nil end
  if templates[name] == nil then
    local ok, tpl = pcall(function ()
      return pandoc.template.compile(pandoc.template.default(name))
    end)
    templates[name] = ok and tpl or false
  end
  return templates[name] or nil
end

local function keep(messages, logged)
  for _, m in ipairs(logged) do
    local info = pandoc.json.decode(pandoc.json.encode(m), false)
    if info.verbosity == 'WARNING' or info.verbosity == 'ERROR' then
      local text = tostring(info.pretty or ''):gsub('%s*\n%s*', ' ')
      messages[#messages + 1] = '[' .. info.verbosity .. '] ' .. text
    end
  end
end

local function convert(body)
  local req = pandoc.json.decode(body, false)
  local messages = {}
  -- The document's own AST (built by the caller for one pandoc version) spares the reader.
  -- A prepared AST has the metadata, heading shift and image filter below applied already
  -- (converter.pandoc_worker.prepare_ast, the same steps in Python: a walk here costs ~1 ms).
  local text, from, prepared = req.text, req.from, false
  if req.ast and req.ast_pandoc == tostring(PANDOC_VERSION) then
    text, from, prepared = req.ast, 'json', req.ast_prepared == true
  end
  local logged, doc = pandoc.log.silence(
    pandoc.read, text, from, {standalone = req.standalone}, {})
  keep(messages, logged)
  if not prepared then
    for key, value in pairs(req.metadata) do
      doc.meta[key] = pandoc.MetaString(value)
    end
    doc = prepare(doc, req.shift, req.standalone)
  end
  local options = {template = compiled_template(req.to)}
  if req.reference_doc then options.reference_doc = req.reference_doc end
  if req.wrap then options.wrap_text = req.wrap end
  local written, out = pandoc.log.silence(pandoc.write, doc, req.to, options)
  keep(messages, written)
  return out, pandoc.json.encode(messages)
end

while true do
  local header = stdin:read('l')
  if not header then break end
  local size = tonumber(header)
  if not size then
    stdout:write('fatal 0\n')
    stdout:flush()
    break
  end
  local body = size > 0 and stdin:read(size) or ''
  local ok, out, messages = pcall(convert, body)
  if ok then
    stdout:write(string.format('ok %d %d\n', #out, #messages), out, messages)
  else
    local err = tostring(out)
    stdout:write(string.format('error %d\n', #err), err)
  end
  stdout:flush()
end
os.exit(0)
"""


def prepare_ast(doc: dict, metadata: dict[str, str], shift: int, binary: bool) -> dict:
    """Apply to a pandoc JSON document what the worker script does after reading: each
    metadata value as a MetaString, the heading shift (``prepare`` above: leading headings
    that would reach level 0 become the title, others a paragraph) and, for binary formats
    (``binary``), images that are not data: URLs replaced by their alt text. In place;
    returns ``doc``. For requests with ``ast_prepared``."""
    meta = doc["meta"]
    for key, value in metadata.items():
        meta[key] = {"t": "MetaString", "c": value}
    blocks = doc["blocks"]
    while shift < 0 and blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] + shift == 0:
        meta["title"] = {"t": "MetaInlines", "c": blocks.pop(0)["c"][2]}
    if shift or binary:
        doc["blocks"] = _walk_list(blocks, shift, binary)
        doc["meta"] = {key: _walk(value, shift, binary) for key, value in meta.items()}
    return doc


def _walk(node: object, shift: int, binary: bool) -> object:
    if isinstance(node, list):
        return _walk_list(node, shift, binary)
    if not isinstance(node, dict):
        return node
    walked = {key: _walk(value, shift, binary) for key, value in node.items()}
    if shift and walked.get("t") == "Header":
        level, attr, inlines = walked["c"]
        if level + shift > 0:
            walked["c"] = [level + shift, attr, inlines]
        else:
            walked = {"t": "Para", "c": inlines}
    return walked


def _walk_list(items: list, shift: int, binary: bool) -> list:
    out: list = []
    for item in items:
        if (binary and isinstance(item, dict) and item.get("t") == "Image"
                and not str(item["c"][2][0]).lower().startswith("data:")):
            out.extend(_walk_list(item["c"][1], shift, binary))  # its alt text
        else:
            out.append(_walk(item, shift, binary))
    return out


class PandocUnavailable(Exception):
    """The worker cannot start or broke down: run pandoc once per document instead."""


class PandocFailed(Exception):
    """pandoc refused this document (the message is pandoc's)."""


class PandocTimeout(Exception):
    """A conversion took longer than ``TIMEOUT`` seconds."""


@dataclass(frozen=True)
class PandocRequest:
    """One conversion: what ``pandoc --from=FROM --to=TO ...`` would be asked to do."""

    text: str
    to: str
    source_format: str = "html"
    metadata: dict[str, str] = field(default_factory=dict)
    shift_heading_level_by: int = 0
    reference_doc: Path | None = None
    wrap: str | None = None  # "none", "auto" or "preserve" (--wrap)
    # pandoc's JSON AST of ``text``, exactly what pandoc ``ast_pandoc`` reads it as: used
    # instead of reading ``text`` when the worker's pandoc is that version.
    ast: str | None = None
    ast_pandoc: str | None = None
    # The AST has the metadata, heading shift and image filter applied (prepare_ast).
    ast_prepared: bool = False

    def payload(self) -> bytes:
        """Return the JSON the Lua script reads."""
        binary = self.to in ("docx", "odt", "epub", "epub2", "epub3", "pptx")
        request: dict[str, object] = {
            "text": self.text,
            "from": self.source_format,
            "to": self.to,
            # The command line reads standalone whenever it writes a binary format; those
            # are also the formats whose writers embed (so read or fetch) images.
            "standalone": binary,
            "metadata": self.metadata,
            "shift": self.shift_heading_level_by,
        }
        # Absent rather than null: JSON null is a truthy value in Lua.
        if self.reference_doc is not None:
            request["reference_doc"] = str(self.reference_doc)
        if self.wrap is not None:
            request["wrap"] = f"wrap-{self.wrap}"
        if self.ast is not None and self.ast_pandoc is not None:
            request["ast"] = self.ast
            request["ast_pandoc"] = self.ast_pandoc
            request["ast_prepared"] = self.ast_prepared
        return json.dumps(request, ensure_ascii=False).encode("utf-8")


class Pending:
    """A request sent to the worker; ``result()`` waits for its reply (see ``submit``)."""

    def __init__(self, worker: PandocWorker, request: PandocRequest) -> None:
        self.worker = worker
        self.request = request
        self.outcome: tuple[bytes, list[str]] | BaseException | None = None

    def result(self) -> tuple[bytes, list[str]]:
        """Return (pandoc's output, its warnings), raising what ``convert`` raises."""
        return self.worker._collect(self)


class PandocWorker:
    """A ``pandoc lua`` process converting requests one at a time over pipes."""

    def __init__(self, binary: str, timeout: float = TIMEOUT) -> None:
        self.binary = binary
        self.timeout = timeout
        self.pid_owner = os.getpid()
        self.conversions = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()
        self._lock = threading.Lock()
        self._buffer = b""
        self._waiting: collections.deque[Pending] = collections.deque()
        self.failures = 0

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while the pandoc process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The pandoc process id, once started."""
        return self._proc.pid if self._proc is not None else None

    @property
    def usable(self) -> bool:
        """False once the worker failed ``MAX_FAILURES`` times."""
        return self.failures < MAX_FAILURES

    def start(self) -> None:
        """Start pandoc (done lazily by ``convert``)."""
        if not self.usable:
            raise PandocUnavailable(f"the pandoc worker failed {self.failures} times")
        self._buffer = b""
        try:
            self._proc = subprocess.Popen(
                [self.binary, "+RTS", *RTS_OPTIONS, "-RTS", "lua", "-E", "-e", LUA_WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                # As for a pandoc run per document: no user data directory, locale or shell
                # settings, and a fixed clock (every date pandoc writes is replaced later).
                env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "0"},
                cwd="/",
                close_fds=True,
            )
        except OSError as exc:
            self.failures = MAX_FAILURES  # no binary to run: trying again would not help
            raise PandocUnavailable(f"cannot start pandoc: {exc.strerror or exc}") from exc
        assert self._proc.stdin is not None
        os.set_blocking(self._proc.stdin.fileno(), False)

    def close(self) -> None:
        """Close pandoc's input so it exits; kill it if it has not after ``EXIT_GRACE``."""
        self._drop_waiting()
        proc, self._proc = self._proc, None
        if proc is None or os.getpid() != self.pid_owner:
            return
        # Its output first: a reply nobody collected would keep pandoc blocked writing it.
        for pipe in (proc.stdout, proc.stdin):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        try:
            proc.wait(EXIT_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _drop_waiting(self) -> None:
        """The process is going: replies still owed will never come."""
        lost = PandocUnavailable("the pandoc worker stopped before answering")
        while self._waiting:
            self._waiting.popleft().outcome = lost

    def _kill(self) -> None:
        self._drop_waiting()
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass

    def _break(self, why: str) -> PandocUnavailable:
        """Count a failure, stop the process, return the exception to raise."""
        self.failures += 1
        self._kill()
        self._stderr.seek(0)
        detail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        self._stderr.seek(0)
        self._stderr.truncate()
        return PandocUnavailable(why + (f" ({detail[-1]})" if detail else ""))

    # -- conversions --------------------------------------------------------------------------

    def convert(self, request: PandocRequest) -> tuple[bytes, list[str]]:
        """Return (pandoc's output, its warnings) for ``request``.

        Raises PandocFailed when pandoc refuses the document, PandocTimeout when it takes
        too long (the worker is then stopped) and PandocUnavailable when the worker cannot
        be used; in every case the worker's state stays consistent for the next call.
        """
        return self.submit(request).result()

    def submit(self, request: PandocRequest) -> Pending:
        """Send ``request`` to pandoc now and return at once; ``.result()`` collects the reply.

        pandoc converts in its own process meanwhile, so a caller that has other work (the
        PDF edition) gets the DOCX for little more than the copying. Replies come back in
        the order of the requests; one nobody collects is read (and dropped) when the next
        reply is wanted. Sending raises what ``convert`` raises.
        """
        if os.getpid() != self.pid_owner:
            raise PandocUnavailable("the pandoc worker belongs to another process")
        payload = request.payload()
        with self._lock:
            if not self.running:
                if self._proc is not None:
                    raise self._break("the pandoc worker exited")
                self.start()
            pending = Pending(self, request)
            try:
                self._send(str(len(payload)).encode("ascii") + b"\n" + payload,
                           time.monotonic() + self.timeout)
            except BaseException as exc:
                self._abandon(exc)
                raise
            self._waiting.append(pending)
            return pending

    def _collect(self, pending: Pending) -> tuple[bytes, list[str]]:
        """Read replies, in order, until ``pending``'s has come; return it or raise."""
        with self._lock:
            while pending.outcome is None:
                if not self._waiting:  # the worker was stopped before this reply came
                    raise PandocUnavailable("the pandoc worker stopped before answering")
                head = self._waiting[0]
                try:
                    head.outcome = self._read_reply(time.monotonic() + self.timeout)
                except PandocFailed as exc:
                    head.outcome = exc
                except BaseException as exc:
                    self._abandon(exc)
                    raise
                self._waiting.popleft()
        if isinstance(pending.outcome, BaseException):
            raise pending.outcome
        return pending.outcome

    def _read_reply(self, deadline: float) -> tuple[bytes, list[str]]:
        try:
            header = self._read_line(deadline).split()
            if header[:1] == [b"ok"] and len(header) == 3:
                out = self._read_exact(int(header[1]), deadline)
                messages = json.loads(self._read_exact(int(header[2]), deadline) or b"[]")
                self.conversions += 1
                return out, [str(m) for m in messages]
            if header[:1] == [b"error"] and len(header) == 2:
                message = self._read_exact(int(header[1]), deadline)
                raise PandocFailed(_last_line(message.decode("utf-8", "replace")))
            raise self._break(f"unexpected reply from the pandoc worker: {header!r}")
        except (OSError, EOFError, ValueError) as exc:
            raise self._break(f"the pandoc worker broke down: {exc}") from exc

    def _abandon(self, exc: BaseException) -> None:
        """After a failed send or read: no reply still owed can be trusted any more."""
        if isinstance(exc, PandocUnavailable):
            pass  # _break already stopped the process
        elif isinstance(exc, (OSError, EOFError, ValueError)):
            exc = self._break(f"the pandoc worker broke down: {exc}")
        else:
            # A timeout, or interrupted mid-conversation (a per-document alarm, Ctrl-C): a
            # reply may still arrive, so this process must not be asked again; the next call
            # starts a fresh one.
            self._kill()
        self._drop_waiting()

    def _send(self, data: bytes, deadline: float) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        assert self._proc.stdout is not None
        fd, out = self._proc.stdin.fileno(), self._proc.stdout.fileno()
        view = memoryview(data)
        while view:
            # Read while writing: pandoc may be blocked writing an earlier reply nobody has
            # collected yet, and would never read this request otherwise.
            readable, writable, _ = select.select([out], [fd], [], _remaining(deadline))
            if not readable and not writable:
                raise PandocTimeout()
            if readable:
                chunk = os.read(out, 1 << 16)
                if not chunk:
                    raise EOFError("the pandoc worker exited")
                self._buffer += chunk
            if writable:
                try:
                    sent = os.write(fd, view[: 1 << 16])
                except BlockingIOError:
                    continue
                view = view[sent:]

    def _read_some(self, deadline: float) -> bytes:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        readable, _, _ = select.select([fd], [], [], _remaining(deadline))
        if not readable:
            raise PandocTimeout()
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise EOFError("the pandoc worker exited")
        return chunk

    def _read_line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._buffer += self._read_some(deadline)
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _read_exact(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._buffer += self._read_some(deadline)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _last_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "pandoc failed"


# -- the process-wide worker ---------------------------------------------------------------------

_shared: PandocWorker | None = None
_shared_lock = threading.Lock()
# Set to False to run pandoc once per document (tests compare both paths).
enabled = True


def shared_worker(binary: str) -> PandocWorker | None:
    """Return this process's worker for ``binary`` (created on first use), or None if disabled.

    A forked child gets a worker of its own.
    """
    global _shared
    if not enabled:
        return None
    with _shared_lock:
        if _shared is None or _shared.pid_owner != os.getpid() or _shared.binary != binary:
            if _shared is not None and _shared.pid_owner == os.getpid():
                _shared.close()
            _shared = PandocWorker(binary)
        return _shared


def shutdown() -> None:
    """Stop this process's worker (at exit; safe to call any time)."""
    global _shared
    with _shared_lock:
        worker, _shared = _shared, None
    if worker is not None:
        worker.close()


atexit.register(shutdown)
