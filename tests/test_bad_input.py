"""Broken, hostile and extreme input: a one-line error naming the file and a non-zero exit, or
a correct conversion; never a traceback, never a file left behind, always within bounded time.

Every case runs the real command in a subprocess with a timeout: a hang fails the test instead
of stalling the suite, and the exit code and stderr are the ones a user or a CI job sees.

Reading a file the user may not read: the tests run as root here, and root reads a chmod 000
file anyway. The unreadable-file cases therefore start the converter with root's override
taken away (CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped from the bounding set with
prctl before exec), so the kernel refuses it exactly as it would refuse another user. Where
that is not possible the test skips, naming why.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# Generous bounds: they catch hangs and runaway (quadratic) work, not slowness.
QUICK = 120
SLOW = 900


def run(args: list[str], cwd: Path, timeout: float = QUICK, **kwargs) -> subprocess.CompletedProcess:
    """Run ``python -m converter ARGS`` in ``cwd``; a run past ``timeout`` fails the test."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "TMPDIR": str(_scratch(cwd))}
    env.pop("SOURCE_DATE_EPOCH", None)
    try:
        return subprocess.run([sys.executable, "-m", "converter", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    except subprocess.TimeoutExpired:
        pytest.fail(f"converter {' '.join(args)} did not finish within {timeout} s")


def _scratch(cwd: Path) -> Path:
    scratch = cwd / "tmp"
    scratch.mkdir(exist_ok=True)
    return scratch


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("converter: error:")]


def assert_fails(proc: subprocess.CompletedProcess, name: str, message: str, code: int = 1) -> None:
    """Exit ``code``, exactly one error line naming ``name`` and saying ``message``, no traceback."""
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = error_lines(proc)
    assert len(lines) == 1, proc.stderr
    assert name in lines[0] and message in lines[0], lines[0]


def assert_nothing_left(folder: Path, stem: str | None = None) -> None:
    """No edition of ``stem`` (None: no edition at all) and no temporary file anywhere."""
    if not folder.exists():
        return
    for path in folder.rglob("*"):
        assert not path.name.endswith(".part"), path
        if path.name.startswith(".converter-manifest") or path.parent.name == "tmp":
            continue
        if path.is_file() and path.parent == folder:
            assert stem is not None and not path.name.startswith(f"{stem}."), path
    scratch = folder.parent / "tmp"
    assert not scratch.exists() or not any(scratch.iterdir()), list(scratch.iterdir())


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


ARTICLE = (
    "Harbour Bridge Reopens\n\n"
    "The harbour bridge reopened on Monday after three weeks of repairs to its bearings, the "
    "city said in a statement.\n\nEngineers will inspect the bearings again in spring.\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6364f8cf500f0003860180e3a8d5430000000049454e44ae426082"
)


# -- files that cannot be read as an article -------------------------------------------------

NOT_ARTICLES = {
    "empty.txt": (b"", "empty file"),
    "blank.md": (b" \n\t\n  \n", "file holds only white space"),
    "report.md": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "binary file (PDF document)"),
    "photo.txt": (PNG, "binary file (PNG image)"),
    "archive.html": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "binary file (ZIP archive"),
    "noise.txt": (random.Random(6).randbytes(4000), "binary file"),
    "noise-without-nul.md": (random.Random(7).randbytes(4000).replace(b"\x00", b"\x01"), "binary file"),
    "utf16-broken.txt": (b"\xff\xfeH\x00i\x00!", "invalid utf-16-le after its byte-order mark"),
}


@pytest.mark.parametrize("name", sorted(NOT_ARTICLES))
def test_not_an_article(tmp_path, name):
    data, message = NOT_ARTICLES[name]
    source = write(tmp_path / "in", name, data)
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--to", "pdf,epub,docx,html,md"], tmp_path)
    assert_fails(proc, str(source), message)
    assert_nothing_left(out)


def test_invalid_utf8_and_mixed_encodings_convert_correctly(tmp_path):
    mixed = write(tmp_path / "in", "mixed.txt",
                  b"Caf\xc3\xa9 Reopens\n\nThe caf\xc3\xa9 on the square reopened and the caf\xe9 "
                  b"by the harbour \x93stayed\x94 closed, the owner said on Monday.\n")
    bommed = write(tmp_path / "in", "bom.md",
                   b"\xef\xbb\xbf# Caf\xc3\xa9 Notes\n\nA stray \xe9 byte in a UTF-8 file with a mark.\n")
    broken = write(tmp_path / "in", "broken.txt",
                   b"Broken Bytes\n\nA lone continuation \x80 byte, a cut \xc3 sequence and more text.\n")
    out = tmp_path / "out"
    proc = run(["convert", str(mixed), str(bommed), str(broken), "-o", str(out), "--to", "html"],
               tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = (out / "mixed.html").read_text(encoding="utf-8")
    assert html.count("café") == 2 and "“stayed”" in html
    assert "stray é byte" in (out / "bom.html").read_text(encoding="utf-8")
    assert "more text" in (out / "broken.html").read_text(encoding="utf-8")


# -- paths that are not readable files ------------------------------------------------------


def test_missing_file(tmp_path):
    out = tmp_path / "out"
    proc = run(["convert", str(tmp_path / "nowhere.md"), "-o", str(out)], tmp_path)
    assert_fails(proc, "nowhere.md", "no such file")
    assert_nothing_left(out)
    proc = run(["normalise", str(tmp_path / "nowhere.md")], tmp_path)
    assert_fails(proc, "nowhere.md", "no such file")


def test_directory_where_a_file_is_expected(tmp_path):
    folder = tmp_path / "notes.md"
    folder.mkdir()
    proc = run(["normalise", str(folder)], tmp_path)
    assert_fails(proc, "notes.md", "is a directory, expected a file")
    out = tmp_path / "out"
    proc = run(["convert", str(folder), "-o", str(out)], tmp_path)  # a folder with nothing in it
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(error_lines(proc)) == 1
    assert_nothing_left(out)


def test_named_pipe_is_refused_not_waited_on(tmp_path):
    """A FIFO has no writer: opening and reading it the usual way blocks forever."""
    pipe = tmp_path / "in" / "feed.txt"
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    out = tmp_path / "out"
    proc = run(["convert", str(pipe), "-o", str(out), "--to", "html"], tmp_path, timeout=60)
    assert_fails(proc, "feed.txt", "is not a regular file")
    assert_nothing_left(out)


def _without_root_override() -> None:
    """preexec_fn: drop CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2) from the bounding set,
    so that after exec even root gets EACCES on a file or folder it has no permission for."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_as_ordinary_user(args: list[str], cwd: Path, timeout: float = QUICK):
    if os.geteuid() != 0:
        return run(args, cwd, timeout)
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_without_root_override,
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE: root reads any file")
    return run(args, cwd, timeout, preexec_fn=_without_root_override)


def test_unreadable_file(tmp_path):
    source = write(tmp_path / "in", "locked.md", ARTICLE)
    source.chmod(0)
    out = tmp_path / "out"
    proc = run_as_ordinary_user(["convert", str(source), "-o", str(out), "--to", "html,md"], tmp_path)
    assert_fails(proc, "locked.md", "permission denied")
    assert_nothing_left(out)


def test_output_folder_below_a_file(tmp_path):
    source = write(tmp_path / "in", "bridge.txt", ARTICLE)
    blocker = write(tmp_path, "build", "a file where the output folder should go")
    proc = run(["convert", str(source), "-o", str(blocker / "editions"), "--to", "html,epub"],
               tmp_path)
    assert_fails(proc, "bridge.txt", str(blocker / "editions"))
    assert blocker.read_text(encoding="utf-8").startswith("a file where")
    proc = run(["normalise", str(source), "-o", str(blocker / "bridge.html")], tmp_path)
    assert_fails(proc, "bridge.txt", f"{blocker} is a file, not a folder")


def test_output_folder_without_write_permission(tmp_path):
    source = write(tmp_path / "in", "bridge.txt", ARTICLE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "bridge.html").write_text("the previous good edition", encoding="utf-8")
    out.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    try:
        proc = run_as_ordinary_user(["convert", str(source), "-o", str(out), "--to", "html",
                                     "--force"], tmp_path)
    finally:
        out.chmod(0o755)
    assert_fails(proc, "bridge.txt", "Permission denied")
    assert (out / "bridge.html").read_text(encoding="utf-8") == "the previous good edition"
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_size_limit(tmp_path):
    source = write(tmp_path / "in", "long.md", "# Long\n\n" + "words and more words\n" * 200)
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--max-size", "1kB"], tmp_path)
    assert_fails(proc, "long.md", "file is 4.2 kB, larger than the 1 kB limit (raise it with --max-size)")
    assert_nothing_left(out)
    # The default limit is 50 MB; a sparse file one byte over is refused before it is read.
    huge = tmp_path / "in" / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50_000_001)
    proc = run(["convert", str(huge), "-o", str(out)], tmp_path)
    assert_fails(proc, "huge.txt", "file is 50,000,001 bytes, larger than the 50,000,000-byte limit")
    assert_nothing_left(out)


# -- extreme input that must convert -----------------------------------------------------------


def test_html_nested_twenty_thousand_deep(tmp_path):
    depth = 20_000
    page = ("<html><body><article><h1>Deep Page</h1><p>Before the nesting, plain words.</p>"
            + "<div><span>" * depth + "The deepest words survive." + "</span></div>" * depth
            + "<p>After the nesting, the closing words.</p></article></body></html>")
    source = write(tmp_path / "in", "deep.html", page)
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--to", "pdf,epub,docx,html,md"], tmp_path,
               timeout=SLOW)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
    for fmt in ("html", "md"):
        text = " ".join((out / f"deep.{fmt}").read_text(encoding="utf-8").split())
        for words in ("Before the nesting", "The deepest words survive.", "the closing words."):
            assert words in text, (fmt, words)
    with zipfile.ZipFile(out / "deep.epub") as z:
        book = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert "The deepest words survive." in book and "the closing words." in book
    from pypdf import PdfReader

    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(out / "deep.pdf").pages).split())
    assert "The deepest words survive." in pdf


def test_markdown_with_deep_raw_html_keeps_what_follows(tmp_path):
    depth = 3_000
    text = ("# Deep Markdown\n\nThe first paragraph has words.\n\n" + "<div>" * depth
            + "inner words" + "</div>" * depth + "\n\nThe paragraph after the raw HTML.\n")
    source = write(tmp_path / "in", "deep.md", text)
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--to", "html,epub"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = (out / "deep.html").read_text(encoding="utf-8")
    assert "inner words" in html and "The paragraph after the raw HTML." in html


def _article(size: int, seed: int) -> str:
    rng = random.Random(seed)
    words = ["the", "bridge", "council", "reopens", "after", "voted", "monday", "repairs",
             "engineers", "inspect", "bearings", "spring", "budget", "harbour", "statement"]
    parts, total = ["Opening Marker Headline\n\nFirst words of the article stand here.\n\n"], 0
    while total < size:
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120))).capitalize() + "."
        parts.append(paragraph + "\n\n")
        total += len(paragraph) + 2
    parts.append("Closing marker sentence ends the article.\n")
    return "".join(parts)


def test_fifty_megabyte_article(tmp_path):
    """Just under the default 50 MB limit: read, repaired and written whole (HTML edition)."""
    text = _article(49_000_000, seed=50)
    source = write(tmp_path / "in", "long.txt", text)
    assert 48_000_000 < source.stat().st_size < 50_000_000
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--to", "html"], tmp_path, timeout=SLOW)
    assert proc.returncode == 0, proc.stderr
    html = (out / "long.html").read_text(encoding="utf-8")
    assert "First words of the article stand here." in html
    assert "Closing marker sentence ends the article." in html
    assert html.count("<p>") >= text.count("\n\n") - 5


def test_single_five_megabyte_line(tmp_path):
    rng = random.Random(5)
    words = [f"w{rng.randrange(10_000)}" for _ in range(900_000)]
    line = " ".join(words)
    assert len(line) > 5_000_000
    source = write(tmp_path / "in", "oneline.txt", "One Line\n\n" + line + " lastword\n")
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--to", "html,epub"], tmp_path, timeout=SLOW)
    assert proc.returncode == 0, proc.stderr
    html = (out / "oneline.html").read_text(encoding="utf-8")
    assert html.count(" w") >= len(words) - 1 and "lastword" in html


@pytest.mark.parametrize(("name", "marker"), [("items.txt", "• "), ("items.md", "- ")])
def test_hundred_thousand_item_list(tmp_path, name, marker):
    lines = [f"{marker}Item number {i} of the very long list" for i in range(100_000)]
    source = write(tmp_path / "in", name, "A Long List\n\nThe items follow.\n\n" + "\n".join(lines) + "\n")
    out = tmp_path / "out"
    proc = run(["convert", str(source), "-o", str(out), "--to", "html,epub"], tmp_path, timeout=SLOW)
    assert proc.returncode == 0, proc.stderr
    html = (out / f"{Path(name).stem}.html").read_text(encoding="utf-8")
    assert html.count("<li>") == 100_000
    assert "Item number 99999 of the very long list" in html


# -- inputs built to make regular expressions backtrack ------------------------------------

N = 200_000
BACKTRACKING = {
    "atx-spaces.txt": "#a" + " " * N + "b\n",
    "atx-hashes.md": "#a" + " #" * (N // 2) + "x\n",
    "byline-nbsp.txt": "Title\n\nBy a" + "\u00a0" * N + "x on\u00a0" + "\u00a0" * N + "\n",
    "byline-on.txt": "Title\n\nBy Ann on" + " on" * (N // 3) + "\n",
    "dateline.txt": "Title\n\nPublished" + "\u00a0" * N + "x\n\nBody text here.\n",
    "one-word.txt": "Title\n\n" + "a" * N + "-\n" + "b" * N + "\n",
    "hyphens.txt": "Title\n\n" + "aa-" * (N // 3) + "\n",
    "markers.txt": "Title\n\n" + "1." * (N // 2) + "\n" + "-" * N + "\n" + "• " * (N // 2) + "\n",
    "closing-hashes.md": "# Title" + " " * N + "#" * N + " x\n",
    "boilerplate.txt": "Title\n\n" + "share on facebook and " * (N // 22) + "\n",
    "mojibake.txt": "Title\n\n" + "â€" * (N // 2) + "\n",
    "tags.html": "<p>" + "<a" * N + "</p>" * 1000,
    "unclosed.html": "<div>" * 3000 + "<a b=\"" * (N // 6) + "<!--" * 1000,
    "link-junk.md": "Title\n\n[x](" + "(" * N + ")\n\n" + "[" * N + "\n\n" + "*a" * (N // 2) + "\n",
}


def test_regex_backtracking_inputs_finish(tmp_path):
    folder = tmp_path / "in"
    for name, text in BACKTRACKING.items():
        write(folder, name, text)
    out = tmp_path / "out"
    proc = run(["convert", str(folder), "-o", str(out), "--to", "html,md", "-j", "1",
                "--report", str(tmp_path / "report.json")], tmp_path, timeout=SLOW)
    assert "Traceback" not in proc.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    statuses = {Path(d["source"]).name: (d["status"], d["error"]) for d in report["documents"]}
    assert set(statuses) == set(BACKTRACKING)
    assert all(status == "ok" for status, _ in statuses.values()), statuses
    assert proc.returncode == 0


REGEX_PROBE = r'''
import ast, importlib, re, sys
from pathlib import Path
ROOT = Path(sys.argv[1]) / "converter"
FILES = sorted([*ROOT.glob("normalise/*.py"), *ROOT.glob("readers/*.py"), ROOT / "resources.py"])
FUNCS = {"compile", "match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
FLAG_AT = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
           "split": 3, "sub": 4, "subn": 4}

def flags_of(node):
    if node is None:
        return 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return flags_of(node.left) | flags_of(node.right)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return getattr(re, node.attr)
    raise ValueError(node)

found = {}
for path in FILES:  # every literal pattern passed to re.* in the source ...
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in FUNCS and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re" and node.args):
            try:
                pattern = ast.literal_eval(node.args[0])
                keywords = {k.arg: k.value for k in node.keywords}
                at = FLAG_AT[node.func.attr]
                flags = flags_of(keywords.get("flags", node.args[at] if len(node.args) > at else None))
            except (ValueError, SyntaxError):
                continue  # built at run time: the module attributes below have it
            found[f"{path.name}:{node.lineno}"] = re.compile(pattern, flags)
for path in FILES:  # ... and every compiled pattern a module holds (built from data)
    module = importlib.import_module("converter." + ".".join(path.relative_to(ROOT).with_suffix("").parts))
    for attr, value in vars(module).items():
        if isinstance(value, re.Pattern):
            found[f"{path.name}:{attr}"] = value
if sys.argv[2] == "list":
    print("\n".join(sorted(found)))
    sys.exit()
N = int(sys.argv[3])
UNITS = [" ", "\u00a0", "\t ", "a", "a ", "é", "#", "# ", "#a", "-", "- ", "a-", "1", "1.", "1. ",
         ", ", ".", "'", "a.", "and ", "by ", "on ", "by a ", "share on x ", "comments ",
         'data-x="', " :", "\u00e2\u0080", "<", "<a", "</", "&", "=", "http://", "javascript:",
         "\\", "(", ")", "[", "|", "Aa ", "Aa Bb1, ", "[b]", "[x="]
ENDS = [("", "!"), ("#a", "\n"), ("by ", "x"), ("- ", "\u0000")]
pattern = found[sys.argv[2]]
for unit in UNITS:
    for pre, post in ENDS:
        s = pre + unit * (N // len(unit)) + post
        data = s.encode("utf-8", "replace") if isinstance(pattern.pattern, bytes) else s
        pattern.match(data)
        pattern.search(data)
print("done")
'''
REGEX_LENGTH = 100_000
REGEX_TIMEOUT = 60  # a linear pattern takes well under a second on all the strings


def test_every_regex_is_linear_on_adversarial_strings():
    """Every pattern the readers, the normaliser and the resource policy use (literal ones
    found in the source, and the compiled ones the modules hold), each in its own subprocess,
    on strings of 100,000 characters built to make a backtracking regex blow up: runs of
    spaces, letters, markers, hashes, "by "/"on ", half tags... A linear pattern is done in
    well under a second; a quadratic one takes minutes to hours and hits the timeout."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    listing = subprocess.run([sys.executable, "-c", REGEX_PROBE, str(PROJECT), "list"],
                             capture_output=True, text=True, timeout=QUICK, check=True, env=env)
    keys = listing.stdout.split()
    assert len(keys) > 40, keys
    slow = []
    for key in keys:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", REGEX_PROBE, str(PROJECT), key, str(REGEX_LENGTH)],
                capture_output=True, text=True, timeout=REGEX_TIMEOUT, check=False, env=env)
        except subprocess.TimeoutExpired:
            slow.append(key)
            continue
        assert proc.returncode == 0 and "done" in proc.stdout, (key, proc.stderr)
    assert slow == [], f"regular expressions that backtrack: {slow}"


# -- batches: a failure stays with its document; Ctrl-C loses nothing -------------------------


def test_failures_stay_with_their_documents(tmp_path):
    folder = tmp_path / "in"
    good = [write(folder, f"good{i}.txt", ARTICLE.replace("Monday", f"day {i}")) for i in (1, 2)]
    bad = [write(folder, "empty.txt", b""), write(folder, "photo.md", PNG),
           write(folder, "noise.html", random.Random(1).randbytes(3000))]
    out = tmp_path / "out"
    for jobs in ("1", "2"):
        proc = run(["convert", str(folder), "-o", str(out / jobs), "--to", "html,epub", "-j", jobs],
                   tmp_path)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        lines = error_lines(proc)
        assert len(lines) == len(bad)
        for path in bad:
            assert sum(str(path) in line for line in lines) == 1
            assert not list((out / jobs).glob(f"{path.stem}.*"))
        for path in good:
            assert (out / jobs / f"{path.stem}.html").exists()
            assert (out / jobs / f"{path.stem}.epub").exists()
        assert_nothing_left(out / jobs, stem="empty")


def _complete(edition: Path) -> bool:
    """True when the edition is a whole file of its kind (not cut off mid-write)."""
    if edition.suffix == ".pdf":
        from pypdf import PdfReader

        PdfReader(edition).pages[-1].extract_text()
        return edition.read_bytes().rstrip().endswith(b"%%EOF")
    if edition.suffix == ".epub":
        with zipfile.ZipFile(edition) as z:
            return z.testzip() is None
    return edition.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_mid_batch_exits_130_and_loses_nothing(tmp_path, jobs):
    folder = tmp_path / "in"
    sources = [write(folder, f"doc{i}.txt", _article(250_000, seed=i)) for i in range(8)]
    out = tmp_path / "out"
    first = run(["convert", str(sources[0]), "-o", str(out), "--to", "pdf,epub,html"], tmp_path,
                timeout=SLOW)
    assert first.returncode == 0, first.stderr
    previous = {p.name: p.read_bytes() for p in out.iterdir() if p.name.startswith("doc0.")}
    assert len(previous) == 3
    sources[0].write_text(_article(250_000, seed=100), encoding="utf-8")  # a new version to write

    env = {**os.environ, "PYTHONPATH": str(PROJECT), "TMPDIR": str(_scratch(tmp_path))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "converter", "convert", str(folder), "-o", str(out),
         "--to", "pdf,epub,html", "-j", jobs, "--force"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Ctrl-C's default action in the child, even when this suite was started in the
        # background (a shell's "&" ignores SIGINT, and Python then installs no handler).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + SLOW
    while not any(" ok " in line for line in lines) and proc.poll() is None:
        assert time.monotonic() < deadline, "no document finished"
        time.sleep(0.1)
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    time.sleep(0.5)  # well inside the next document
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=QUICK)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("Ctrl-C did not stop the batch")
    reader.join(timeout=10)
    stderr = "".join(lines)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    finished = [line for line in lines if " ok " in line]
    assert len(finished) < len(sources), "the interrupt came too late to test anything"
    # No temporary file anywhere: not beside the editions, not in TMPDIR.
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    assert not list(_scratch(tmp_path).iterdir())
    # Every edition there is whole; the previous good ones were replaced whole or not at all.
    for edition in out.iterdir():
        if edition.suffix in (".pdf", ".epub", ".html"):
            assert _complete(edition), edition
    for name, data in previous.items():
        assert (out / name).exists(), name
        assert (out / name).read_bytes() == data or _complete(out / name)


# -- every writer replaces an edition whole or not at all -----------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "epub", "docx", "html", "md"])
@pytest.mark.parametrize("failure", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_an_interrupted_or_failed_write_keeps_the_previous_edition(tmp_path, monkeypatch, fmt, failure):
    import errno

    from converter.document import document_from_html
    from converter.errors import WriteError
    from converter.writers import WRITERS, Writer, get_writer

    cls = WRITERS[fmt]
    assert cls.write is Writer.write  # no writer bypasses the temp-file-and-rename
    doc = document_from_html("<p>The harbour bridge reopened on Monday.</p>", title="Bridge")
    target = tmp_path / f"bridge{cls.extension}"
    target.write_bytes(b"the previous good edition")
    real = cls.write_file

    def fail_halfway(self, doc, path):
        real(self, doc, path)  # the whole edition, written to the temporary file ...
        assert path != target and path.parent == target.parent and path.name.endswith(".part")
        failure.filename = str(path) if isinstance(failure, OSError) else None
        raise failure  # ... and then Ctrl-C or a full disk before the rename

    monkeypatch.setattr(cls, "write_file", fail_halfway)
    expected = KeyboardInterrupt if isinstance(failure, KeyboardInterrupt) else WriteError
    with pytest.raises(expected) as caught:
        get_writer(fmt).write(doc, target)
    if expected is WriteError:
        assert failure.errno == errno.ENOSPC and "No space left on device" in str(caught.value)
    assert target.read_bytes() == b"the previous good edition"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    monkeypatch.setattr(cls, "write_file", real)
    get_writer(fmt).write(doc, target)  # and a write that succeeds replaces it
    assert target.read_bytes() != b"the previous good edition"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
