"""Score full-web-page extraction on the shared corpus (../shared/corpus), tool beside tool.

    .venv/bin/python benchmarks/corpus.py [--root DIR] [--tools converter,pandoc,...]
                                          [--sets readability,...] [--limit N] [--pages SET]

What is measured, on which input, how:

* ``readability``: Mozilla Readability.js test pages (``source.html``). The reference is
  Readability.js's own output (``expected.html``) and ``expected-metadata.json``.
  text F1 = bag-of-words F1 (``\\w+`` tokens) of the article body, mean over pages;
  heading F1 and list-item F1 = F1 over the multiset of normalised heading / ``<li>`` texts,
  pooled over all pages (micro) — headings equal to the title are left out on both sides;
  image F1 = F1 over the multiset of ``<img src>`` addresses without scheme and host (micro;
  "-" for tools whose output has no images, such as text output);
  title = share of pages whose title equals the expected one after normalising case,
  punctuation and white space; title_no_site also counts ours right when it is the expected
  title without a part set off by a separator at one end ("Story | eHow" -> "Story",
  "Story _Section _Site" -> "Story"):
  Readability.js keeps og:title and JSON-LD titles as they are, the issue wants the site
  name gone. author = share of pages with a byline whose author names that person
  (one contains the other after dropping "By"); date = share of pages with a published time
  whose day we give; language = share of pages with a lang whose
  primary language subtag we give.
* ``article-extraction``: the Zyte/Scrapinghub benchmark pages, scored like its
  ``evaluate.py``: 4-gram shingles of ``\\w+`` tokens, per-page TP/FP/FN normalised to sum to 1,
  precision and recall averaged over pages, F1 of those means. Only the 60 pages present in
  the corpus are scored (published figures are over 181 pages); the row ``trafilatura-2.0.0
  (published output)`` scores the benchmark's own stored trafilatura output on the same 60.
* ``cleaneval``: CleanEval 2007 HTML pages against the gold text, whose blocks are labelled
  ``<p>``, ``<h>``, ``<l>``. text F1 = bag-of-words F1 (mean over pages); paragraph / heading /
  list-item F1 = F1 over the multiset of normalised block texts of that kind (micro). Gold
  lines are re-joined and list markers ("*", "1.", "o") dropped before matching, and
  headings are compared without a leading section number ("3.1.2 Influences"), which the
  gold leaves out.
* ``trafilatura-eval``: trafilatura's segment annotations: each "with" segment found in the
  white-space-normalised output is a TP, each missing one an FN; each "without" (boilerplate)
  segment found is an FP. P, R, F1 pooled over pages, as upstream does. Date: share of
  the pages with an annotated date (26 of 41) whose date (its first ten characters) matches;
  author: share of the pages with an annotated author whose author we name (as for
  readability: one contains the other after dropping "By").
* ``plain-text``: inscriptis HTML fixtures with an expected text rendering: bag-of-words F1
  of the whole text, and list-item F1 against the expected bulleted lines.

Tools: ``converter`` (read_html + the normaliser), ``converter-reader`` (read_html alone:
what article location keeps), ``converter-reader-no-locator`` (read_html without locating:
the page's ``<article>``/``<main>``/``<body>``, for what locating adds in score and time),
``converter-reader-trafilatura`` (trafilatura as the locator instead of readability-lxml:
its text mapped back onto the page's blocks), ``pandoc`` (``-f html -t plain`` for text,
``-f html -t html`` for headings, lists and the title), ``trafilatura`` (``extract``, HTML
output with formatting, tables and metadata), ``readability`` (readability-lxml
``Document.summary()`` and ``short_title()``); calibre's ``ebook-convert`` where installed.
``ms/page`` is wall-clock time per page of the tool on this machine (one process, no cache).
A "-" means the tool does not give that at all (calibre's text has no title, pandoc no author).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converter.errors import ConverterError
from converter.normalise import normalise
from converter.readers.encoding import decode_bytes
from converter.readers.html import read_html

DEFAULT_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
if not DEFAULT_ROOT.exists():
    DEFAULT_ROOT = Path("/work/shared/corpus")
ALL_TOOLS = ("converter", "converter-reader", "converter-reader-trafilatura", "converter-reader-no-locator", "pandoc", "trafilatura", "readability", "calibre")
ALL_SETS = ("readability", "article-extraction", "cleaneval", "trafilatura-eval", "plain-text")

TOKEN = re.compile(r"\w+", re.UNICODE)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LIST_MARKER = re.compile(r"^\s*(?:[*+o•·\-–]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")


# ---------------------------------------------------------------------------------------
# What a tool gives back, reduced to what we score


@dataclass
class Extraction:
    """A tool's answer for one page: title, body text and its typed blocks."""

    title: str | None
    text: str
    headings: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    author: str | None = None
    language: str | None = None
    date: str | None = None
    reports: tuple[str, ...] = ()  # which of author, date, language the tool gives at all
    no_title: bool = False  # the tool never gives a title (calibre's text output)
    images: list[str] | None = None  # image addresses without scheme and host; None: text only


def norm(text: str | None) -> str:
    """Lower-case word tokens joined by one space: what two texts must share to be equal."""
    return " ".join(TOKEN.findall((text or "").lower()))


def _own_text(el: etree._Element, skip: tuple[str, ...]) -> str:
    """Text of ``el`` without the text of descendants whose tag is in ``skip``."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag in skip:
                pass
            elif isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())


BLOCK_BREAKS = frozenset({
    "p", "li", "td", "th", "tr", "pre", "figcaption", "dt", "dd", "br", "div", "blockquote",
    "ul", "ol", "dl", "table", "section", "article", "header", "footer", "figure", "aside",
    "caption", "hr", *HEADINGS})


def extraction_from_element(body: etree._Element | None, title: str | None, seconds: float = 0.0) -> Extraction:
    """Reduce an HTML body to text, headings, list items and paragraph texts."""
    if body is None:
        return Extraction(title, "", seconds=seconds)
    for bad in body.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    blocks: list[str] = []
    headings = [" ".join(h.text_content().split()) for h in body.iter(*HEADINGS)]
    items = [_own_text(li, ("ul", "ol")) for li in body.iter("li")]
    paragraphs = [" ".join(p.text_content().split()) for p in body.iter("p")]
    images = [_image_key(img.get("src") or "") for img in body.iter("img") if (img.get("src") or "").strip()]
    # The whole body's text, each block and line break on a line of its own: every word once
    # (a paragraph inside a table cell or a blockquote is not counted twice, as it was when
    # the text was the blocks' texts joined) and no two words joined across a block boundary.
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK_BREAKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    for line in body.text_content().splitlines():
        if line.split():
            blocks.append(" ".join(line.split()))
    text = "\n".join(blocks)
    return Extraction(title, text, headings, items, paragraphs, seconds, images=images)


def _image_key(src: str) -> str:
    """An image address without its scheme and host: Readability's expected pages resolve
    addresses against http://fakehost/, the tools leave them as the page wrote them."""
    src = src.strip()
    if src.startswith("data:"):
        return src[:64]
    rest = src.split("://", 1)[1] if "://" in src else src.lstrip("/")
    return rest.split("/", 1)[1] if "://" in src and "/" in rest else rest


def _parse_fragment(markup: str) -> etree._Element | None:
    if not markup or not markup.strip():
        return None
    root = lxml_html.document_fromstring(markup)
    body = root.find("body")
    return body if body is not None else root


# ---------------------------------------------------------------------------------------
# Tools


def _with_meta(
    ex: Extraction, author: str | None, language: str | None, date: str | None = None,
    reports: tuple[str, ...] = ("author", "date", "language"),
) -> Extraction:
    ex.author, ex.language, ex.date, ex.reports = author, language, date, reports
    return ex


def run_converter(html: str) -> Extraction:
    """Our reader and normaliser."""
    started = time.perf_counter()
    doc = read_html(html)
    normalise(doc)
    seconds = time.perf_counter() - started
    return _with_meta(extraction_from_element(doc.body, doc.meta.title, seconds), doc.meta.author, doc.meta.language, doc.meta.date)


def run_converter_reader(html: str) -> Extraction:
    """Our HTML reader alone (no normaliser passes): what article location keeps."""
    started = time.perf_counter()
    doc = read_html(html)
    seconds = time.perf_counter() - started
    return _with_meta(extraction_from_element(doc.body, doc.meta.title, seconds), doc.meta.author, doc.meta.language, doc.meta.date)


LEAF_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "pre",
               "blockquote", "figcaption", "caption", "div")


def trafilatura_locator(work: etree._Element) -> etree._Element | None:
    """Locate the article with trafilatura instead of readability-lxml: trafilatura gives text,
    so the page's blocks whose words it kept (3-word shingles, or the whole line for short
    blocks) are the article's elements."""
    import trafilatura

    from converter.readers.extract import answer_from_numbers

    markup = etree.tostring(work, encoding="unicode", method="html")
    text = trafilatura.extract(markup, output_format="txt", include_tables=True, include_comments=False)
    if not text:
        return None
    lines = {norm(line) for line in text.splitlines() if norm(line)}
    words = norm(text).split()
    shingles = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    numbers: set[int] = set()
    for el in work.iter(*LEAF_BLOCKS):
        if any(True for _ in el.iterdescendants(*LEAF_BLOCKS)):
            continue  # judge the innermost blocks
        block = norm(el.text_content()).split()
        if not block:
            continue
        if len(block) < 4:
            found = " ".join(block) in lines
        else:
            grams = [tuple(block[i : i + 3]) for i in range(len(block) - 2)]
            found = sum(g in shingles for g in grams) >= 0.6 * len(grams)
        if found:
            numbers.add(int(el.get("data-cx")))
    return answer_from_numbers(work, numbers)


def run_converter_no_locator(html: str) -> Extraction:
    """Our reader without article location (the page's <article>/<main>/<body>, as before):
    what locating adds, in scores and in time."""
    started = time.perf_counter()
    doc = read_html(html, locator=lambda work: None)
    seconds = time.perf_counter() - started
    return _with_meta(extraction_from_element(doc.body, doc.meta.title, seconds), doc.meta.author, doc.meta.language, doc.meta.date)


def run_converter_trafilatura(html: str) -> Extraction:
    """Our reader with trafilatura as the article locator (for choosing the locator)."""
    started = time.perf_counter()
    doc = read_html(html, locator=trafilatura_locator)
    seconds = time.perf_counter() - started
    return _with_meta(extraction_from_element(doc.body, doc.meta.title, seconds), doc.meta.author, doc.meta.language, doc.meta.date)


def _pandoc_bin() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def run_pandoc(html: str) -> Extraction:
    """pandoc html -> plain for the text; html -> html for headings, lists and <title>."""
    binary = _pandoc_bin()
    if binary is None:
        raise RuntimeError("pandoc is not installed")
    started = time.perf_counter()
    plain = subprocess.run(
        [binary, "-f", "html", "-t", "plain", "--wrap=none"],
        input=html, capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    seconds = time.perf_counter() - started
    rendered = subprocess.run(
        [binary, "-f", "html", "-t", "html5", "-s", "--wrap=none", "--metadata", "pagetitle=-"],
        input=html, capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    root = lxml_html.document_fromstring(rendered)
    title_el = root.find(".//header[@id='title-block-header']/h1")
    title = title_el.text_content().strip() if title_el is not None else None
    if title_el is not None:
        title_el.getparent().remove(title_el)
    result = extraction_from_element(root.find("body"), title, seconds)
    result.text = plain
    return result


def run_trafilatura(html: str) -> Extraction:
    """trafilatura.extract with HTML output (keeps what structure it keeps) and metadata."""
    import trafilatura

    started = time.perf_counter()
    out = trafilatura.extract(
        html, output_format="html", include_tables=True, include_comments=False,
        include_formatting=True, with_metadata=True,
    )
    seconds = time.perf_counter() - started
    if not out:
        return Extraction(None, "", seconds=seconds)
    root = lxml_html.document_fromstring(out)

    def meta(name: str) -> str | None:
        el = root.find(f".//meta[@name='{name}']")
        return el.get("content") if el is not None else None

    ex = extraction_from_element(root.find("body"), meta("title"), seconds)
    return _with_meta(ex, meta("author"), None, meta("date"), reports=("author", "date"))


def run_readability(html: str) -> Extraction:
    """readability-lxml: Document.summary() and short_title()."""
    import readability

    started = time.perf_counter()
    document = readability.Document(html)
    summary = document.summary(html_partial=True)
    title = document.short_title()
    author = document.author()
    seconds = time.perf_counter() - started
    ex = extraction_from_element(_parse_fragment(summary), title, seconds)
    return _with_meta(ex, None if author == "[no-author]" else author, None, reports=("author",))


def run_calibre(html: str) -> Extraction:
    """calibre ebook-convert html -> txt (only where installed)."""
    binary = shutil.which("ebook-convert")
    if binary is None:
        raise RuntimeError("calibre's ebook-convert is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "page.html"), Path(tmp, "page.txt")
        src.write_text(html, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([binary, str(src), str(out)], capture_output=True, timeout=300, check=True)
        seconds = time.perf_counter() - started
        text = out.read_text(encoding="utf-8", errors="replace")
    return Extraction(None, text, seconds=seconds, no_title=True)


TOOLS: dict[str, Callable[[str], Extraction]] = {
    "converter": run_converter,
    "converter-reader": run_converter_reader,
    "converter-reader-trafilatura": run_converter_trafilatura,
    "converter-reader-no-locator": run_converter_no_locator,
    "pandoc": run_pandoc,
    "trafilatura": run_trafilatura,
    "readability": run_readability,
    "calibre": run_calibre,
}


def tool_missing(tool: str) -> str | None:
    """Why ``tool`` cannot run here, or None when it can."""
    if tool == "calibre" and shutil.which("ebook-convert") is None:
        return "calibre's ebook-convert is not installed: calibre skipped"
    if tool == "pandoc" and _pandoc_bin() is None:
        return "pandoc is not installed: pandoc skipped"
    for module, name in (("trafilatura", "trafilatura"), ("trafilatura", "converter-reader-trafilatura"),
                         ("readability", "readability")):
        if tool == name:
            try:
                __import__(module)
            except ImportError:
                return f"{name} is not installed: skipped"
    return None


# ---------------------------------------------------------------------------------------
# Scores


def bag_f1(predicted: str, expected: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of the multisets of word tokens."""
    pred, true = Counter(TOKEN.findall(predicted)), Counter(TOKEN.findall(expected))
    return _prf(sum((pred & true).values()), sum(pred.values()), sum(true.values()))


def _prf(tp: float, n_pred: float, n_true: float) -> tuple[float, float, float]:
    if n_pred == 0 and n_true == 0:
        return 1.0, 1.0, 1.0
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def multiset_counts(predicted: Iterable[str], expected: Iterable[str]) -> tuple[int, int, int]:
    """(matches, predicted, expected) over normalised, non-empty texts."""
    pred = Counter(n for n in map(norm, predicted) if n)
    true = Counter(n for n in map(norm, expected) if n)
    return sum((pred & true).values()), sum(pred.values()), sum(true.values())


def shingle_tp_fp_fn(predicted: str, expected: str, n: int = 4) -> tuple[float, float, float]:
    """The article-extraction benchmark's per-page score, normalised so TP+FP+FN = 1."""
    pred, true = _shingles(predicted, n), _shingles(expected, n)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_prf(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Mean precision and recall over pages and the F1 of those means (upstream's rule)."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    ps = [precision(*s) for s in scores if s[0] + s[1] > 0]
    rs = [recall(*s) for s in scores if s[0] + s[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# ---------------------------------------------------------------------------------------
# Corpus sets: each yields (page name, html, expectation)


def _read_html_file(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = decode_bytes(data, path)
    # CleanEval wraps each page in a <text id=... title=...> line of its own: not the page.
    return re.sub(r"^\s*<text id=[^>]*>\s*", "", text, count=1)


def readability_pages(root: Path) -> Iterator[tuple[str, str, dict]]:
    base = root / "readability"
    for page in sorted(p for p in base.iterdir() if (p / "source.html").exists()):
        expected_root = lxml_html.document_fromstring((page / "expected.html").read_text(encoding="utf-8"))
        meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        expected = extraction_from_element(expected_root.find("body"), meta.get("title"))
        yield page.name, _read_html_file(page / "source.html"), {"expected": expected, "meta": meta}


def article_extraction_pages(root: Path) -> Iterator[tuple[str, str, dict]]:
    base = root / "article-extraction"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((base / "html").glob("*.html.gz")):
        key = path.name.split(".")[0]
        yield key, _read_html_file(path), {"body": truth[key]["articleBody"]}


def cleaneval_gold(text: str) -> dict[str, list[str]]:
    """Gold blocks by label: "p", "h", "l" (list item, marker dropped)."""
    blocks: dict[str, list[str]] = {"p": [], "h": [], "l": []}
    current: tuple[str, list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("URL:") and current is None:
            continue
        match = re.match(r"^\s*<([phl])>(.*)$", line)
        if match:
            if current:
                blocks[current[0]].append(" ".join(" ".join(current[1]).split()))
            current = (match.group(1), [match.group(2)])
        elif current is not None:
            current[1].append(line)
    if current:
        blocks[current[0]].append(" ".join(" ".join(current[1]).split()))
    blocks["l"] = [LIST_MARKER.sub("", item) for item in blocks["l"]]
    return blocks


def cleaneval_pages(root: Path) -> Iterator[tuple[str, str, dict]]:
    base = root / "cleaneval-sample"
    for entry in json.loads((base / "selected.json").read_text(encoding="utf-8")):
        folder = base / entry["dataset"]
        gold_bytes = (folder / "GoldStandard" / f"{entry['id']}.txt").read_bytes()
        gold = cleaneval_gold(decode_bytes(gold_bytes))
        yield f"{entry['dataset']}/{entry['id']}", _read_html_file(folder / "input" / f"{entry['id']}.html"), gold


def trafilatura_eval_pages(root: Path) -> Iterator[tuple[str, str, dict]]:
    base = root / "trafilatura-eval"
    evaldata = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    for entry in json.loads((base / "selected.json").read_text(encoding="utf-8")):
        record = evaldata[entry["key"]]
        yield entry["file"], _read_html_file(base / "html" / entry["file"]), record


def plain_text_pages(root: Path) -> Iterator[tuple[str, str, dict]]:
    base = root / "plain-text" / "inscriptis"
    for html_path in sorted(base.glob("*.html")):
        txt = html_path.with_suffix(".txt")
        if not txt.exists():
            continue
        expected = txt.read_text(encoding="utf-8")
        items = [LIST_MARKER.sub("", line) for line in expected.splitlines() if LIST_MARKER.match(line)]
        yield html_path.stem, _read_html_file(html_path), {"text": expected, "items": items}


SETS: dict[str, Callable[[Path], Iterator[tuple[str, str, dict]]]] = {
    "readability": readability_pages,
    "article-extraction": article_extraction_pages,
    "cleaneval": cleaneval_pages,
    "trafilatura-eval": trafilatura_eval_pages,
    "plain-text": plain_text_pages,
}


# ---------------------------------------------------------------------------------------
# Per-set scoring


def _heading_texts(ex: Extraction, *titles: str | None) -> list[str]:
    drop = {norm(t) for t in titles if t}
    return [h for h in ex.headings if norm(h) not in drop]


_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")


def score_page(set_name: str, ex: Extraction, want: dict) -> dict[str, object]:
    """Per-page numbers for one tool's extraction (what the set's row pools or averages)."""
    if set_name == "readability":
        expected: Extraction = want["expected"]
        title = want["meta"].get("title")
        return {
            "text": bag_f1(ex.text, expected.text),
            "headings": multiset_counts(_heading_texts(ex, ex.title, title), _heading_texts(expected, title)),
            "items": multiset_counts(ex.items, expected.items),
            "images": multiset_counts(ex.images, expected.images or []) if ex.images is not None else None,
            "title": float(norm(ex.title) == norm(title)) if title and not ex.no_title else None,
            "title_no_site": float(same_title_but_site(ex.title, title)) if title and not ex.no_title else None,
            "author": (
                float(same_author(ex.author, want["meta"]["byline"]))
                if want["meta"].get("byline") and "author" in ex.reports else None
            ),
            "date": (
                float((ex.date or "")[:10] == want["meta"]["publishedTime"][:10])
                if want["meta"].get("publishedTime") and "date" in ex.reports else None
            ),
            "language": (
                float(_primary(ex.language) == _primary(want["meta"]["lang"]))
                if want["meta"].get("lang") and "language" in ex.reports else None
            ),
        }
    if set_name == "article-extraction":
        return {"shingles": shingle_tp_fp_fn(ex.text, want["body"])}
    if set_name == "cleaneval":
        gold_text = "\n".join(want["p"] + want["h"] + want["l"])
        ours_p = [p for p in ex.paragraphs]
        return {
            "text": bag_f1(ex.text, gold_text),
            "paragraphs": multiset_counts(ours_p, want["p"]),
            # (Section numbers aside: the gold leaves out "3.1.2" of "3.1.2 Influences".)
            "headings": multiset_counts([_SECTION_NUMBER.sub("", h) for h in ex.headings],
                                        [_SECTION_NUMBER.sub("", h) for h in want["h"]]),
            "items": multiset_counts(ex.items, want["l"]),
        }
    if set_name == "trafilatura-eval":
        flat = " ".join(ex.text.split())
        found_with = sum(1 for s in want.get("with", []) if " ".join(s.split()) in flat)
        found_without = sum(1 for s in want.get("without", []) if " ".join(s.split()) in flat)
        return {
            "segments": (found_with, len(want.get("with", [])), found_without, len(want.get("without", []))),
            "date": (float((ex.date or "")[:10] == want["date"][:10])
                     if want.get("date") and "date" in ex.reports else None),
            "author": (float(same_author(ex.author, want["author"]))
                       if want.get("author") and "author" in ex.reports else None),
        }
    if set_name == "plain-text":
        # The expected text has the page's first line or <h1>; a tool that moved it into the
        # title prints it as the edition's title, so it counts as text here.
        text = ex.text
        if ex.title and norm(ex.title) not in norm(text):
            text = f"{ex.title}\n{text}"
        return {"text": bag_f1(text, want["text"]), "items": multiset_counts(ex.items, want["items"])}
    raise ValueError(set_name)


def same_title_but_site(ours: str | None, expected: str) -> bool:
    """Equal titles, or ours is the expected one without parts a separator sets off at an end
    ("Story | Site" -> "Story"; "Site - Story" -> "Story"): the issue asks for the site name
    to go, Readability.js keeps what og:title or JSON-LD say."""
    if norm(ours) == norm(expected):
        return True
    from converter.readers.pagemeta import _SUFFIX_START, SEPARATORS

    # "Headline _Section _Site", "Headline [Site]": a mark that starts a suffix, unspaced.
    rest = expected[len(ours):].lstrip() if ours and expected.startswith(ours) else ""
    if rest and rest[0] in _SUFFIX_START:
        return True

    parts = SEPARATORS.split(expected)
    seps = SEPARATORS.findall(expected)
    for i in range(1, len(parts)):
        head = "".join(p + s for p, s in zip(parts[: i - 1], seps)) + parts[i - 1]
        tail = parts[i] + "".join(s + p for s, p in zip(seps[i:], parts[i + 1 :]))
        if norm(ours) in (norm(head), norm(tail)):
            return True
    return False


def same_author(ours: str | None, byline: str) -> bool:
    """Our author names the byline's person (Readability's bylines carry "By" and dates); a
    list of ours ("A, B, C") counts when each name is in the byline ("A (avec B et C)")."""
    mine, theirs = norm(ours), norm(re.sub(r"^\s*by\s+", "", byline, flags=re.IGNORECASE))
    names = [norm(name) for name in (ours or "").split(",")]
    return bool(mine) and (mine in theirs or theirs in mine or all(n and n in theirs for n in names))


def _primary(tag: str | None) -> str:
    return (tag or "").replace("_", "-").split("-")[0].strip().lower()


def _micro(counts: list[tuple[int, int, int]]) -> float:
    tp = sum(c[0] for c in counts)
    return _prf(tp, sum(c[1] for c in counts), sum(c[2] for c in counts))[2]


def summarise(set_name: str, pages: list[dict[str, object]]) -> dict[str, float]:
    """Pool or average the per-page numbers into the set's row."""
    out: dict[str, float] = {}
    if not pages:
        return out
    if set_name in ("readability", "cleaneval", "plain-text"):
        out["text_f1"] = statistics.mean(p["text"][2] for p in pages)  # type: ignore[index]
    if set_name == "readability":
        out["heading_f1"] = _micro([p["headings"] for p in pages])  # type: ignore[misc]
        out["item_f1"] = _micro([p["items"] for p in pages])  # type: ignore[misc]
        if all(p.get("images") is not None for p in pages):
            out["image_f1"] = _micro([p["images"] for p in pages])  # type: ignore[misc]
        for key in ("title", "title_no_site", "author", "date", "language"):
            found = [p[key] for p in pages if p.get(key) is not None]
            if found:  # a tool that never reports it gets "-", not 0
                out[key] = statistics.mean(found)  # type: ignore[arg-type]
    if set_name == "cleaneval":
        out["paragraph_f1"] = _micro([p["paragraphs"] for p in pages])  # type: ignore[misc]
        out["heading_f1"] = _micro([p["headings"] for p in pages])  # type: ignore[misc]
        out["item_f1"] = _micro([p["items"] for p in pages])  # type: ignore[misc]
    if set_name == "plain-text":
        out["item_f1"] = _micro([p["items"] for p in pages])  # type: ignore[misc]
    if set_name == "article-extraction":
        p, r, f = shingle_prf([p["shingles"] for p in pages])  # type: ignore[misc]
        out.update(precision=p, recall=r, f1=f)
    if set_name == "trafilatura-eval":
        tp = sum(p["segments"][0] for p in pages)  # type: ignore[index]
        n_with = sum(p["segments"][1] for p in pages)  # type: ignore[index]
        fp = sum(p["segments"][2] for p in pages)  # type: ignore[index]
        n_without = sum(p["segments"][3] for p in pages)  # type: ignore[index]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / n_with if n_with else 0.0
        out.update(
            precision=precision, recall=recall,
            f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            boilerplate_removed=1 - fp / n_without if n_without else 1.0,
        )
        for key in ("date", "author"):
            marks = [p[key] for p in pages if p[key] is not None]
            out[key] = sum(marks) / len(marks) if marks else None
    return out


def _published_trafilatura_row(root: Path, keys: list[str]) -> dict[str, object] | None:
    """The benchmark's stored trafilatura 2.0.0 output, scored on the same pages."""
    path = root / "article-extraction" / "baseline-output" / "trafilatura.json"
    if not path.exists() or not keys:
        return None
    stored = json.loads(path.read_text(encoding="utf-8"))
    output = stored.get("output", stored)
    truth = json.loads((root / "article-extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    scores = [shingle_tp_fp_fn(output.get(k, {}).get("articleBody", ""), truth[k]["articleBody"]) for k in keys]
    p, r, f = shingle_prf(scores)
    return {
        "set": "article-extraction", "tool": f"trafilatura-{stored.get('version', '?')} (published output)",
        "pages": len(keys), "ms_per_page": None, "precision": p, "recall": r, "f1": f,
    }


def score_corpus(
    root: Path = DEFAULT_ROOT,
    tools: Iterable[str] = ("converter", "pandoc", "trafilatura", "readability"),
    sets: Iterable[str] = ALL_SETS,
    limit: int | None = None,
    per_page: dict[str, dict[str, dict[str, object]]] | None = None,
) -> list[dict[str, object]]:
    """Run each tool on each corpus set; return one row per (set, tool) with its scores.

    Each row holds ``set``, ``tool``, ``pages``, ``ms_per_page`` and the set's metrics
    (see the module docstring). A tool that cannot run here gives a row with ``skipped``.
    ``limit`` takes the first N pages of each set (for quick runs and tests); ``per_page``,
    when given, is filled with ``{set: {page: {tool: scores}}}``.
    """
    root = Path(root)
    rows: list[dict[str, object]] = []
    tools = list(tools)
    runnable = []
    for tool in tools:
        why = tool_missing(tool)
        if why:
            rows.append({"set": "*", "tool": tool, "pages": 0, "skipped": why})
        else:
            runnable.append(tool)
    for set_name in sets:
        pages = list(SETS[set_name](root))[:limit] if limit else list(SETS[set_name](root))
        for tool in runnable:
            page_scores: list[dict[str, object]] = []
            seconds = 0.0
            failures = 0
            for name, html, want in pages:
                try:
                    ex = TOOLS[tool](html)
                except ConverterError:
                    ex = Extraction(None, "")  # "no text found": an answer, and the right one for an empty page
                except Exception as exc:  # noqa: BLE001  a tool that fails on a page scores an empty answer
                    failures += 1
                    ex = Extraction(None, "")
                    if per_page is not None:
                        per_page.setdefault(set_name, {}).setdefault(name, {})[f"{tool}-error"] = repr(exc)
                seconds += ex.seconds
                scores = score_page(set_name, ex, want)
                page_scores.append(scores)
                if per_page is not None:
                    per_page.setdefault(set_name, {}).setdefault(name, {})[tool] = scores
            row: dict[str, object] = {
                "set": set_name, "tool": tool, "pages": len(pages),
                "ms_per_page": 1000 * seconds / len(pages) if pages else None,
            }
            if failures:
                row["failures"] = failures
            row.update(summarise(set_name, page_scores))
            rows.append(row)
        if set_name == "article-extraction":
            published = _published_trafilatura_row(root, [name for name, _, _ in pages])
            if published:
                rows.append(published)
    return rows


# ---------------------------------------------------------------------------------------
# Printing

COLUMNS = {
    "readability": ("text_f1", "heading_f1", "item_f1", "image_f1", "title", "title_no_site", "author", "date", "language"),
    "article-extraction": ("f1", "precision", "recall"),
    "cleaneval": ("text_f1", "paragraph_f1", "heading_f1", "item_f1"),
    "trafilatura-eval": ("f1", "precision", "recall", "boilerplate_removed", "date", "author"),
    "plain-text": ("text_f1", "item_f1"),
}


def _width(column: str) -> int:
    return max(10, len(column) + 2)


def format_table(rows: list[dict[str, object]]) -> str:
    """Rows as a plain-text table, one block per set."""
    lines: list[str] = []
    for row in rows:
        if row.get("skipped"):
            lines.append(f"note: {row['skipped']}")
    for set_name, columns in COLUMNS.items():
        set_rows = [r for r in rows if r["set"] == set_name]
        if not set_rows:
            continue
        lines.append("")
        lines.append(f"{set_name} ({set_rows[0]['pages']} pages)")
        header = f"  {'tool':<40}" + "".join(f"{c:>{_width(c)}}" for c in columns) + f"{'ms/page':>10}"
        lines.append(header)
        for r in set_rows:
            cells = "".join(
                f"{r[c]:>{_width(c)}.3f}" if isinstance(r.get(c), float) else f"{'-':>{_width(c)}}" for c in columns
            )
            ms = r.get("ms_per_page")
            fails = f"  ({r['failures']} pages failed)" if r.get("failures") else ""
            ms_cell = f"{ms:>10.1f}" if isinstance(ms, float) else f"{'-':>10}"
            lines.append(f"  {r['tool']:<40}{cells}{ms_cell}{fails}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--tools", default=",".join(ALL_TOOLS))
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--pages", metavar="SET", help="also print per-page scores for SET")
    parser.add_argument("--json", type=Path, help="write the rows as JSON to this file")
    args = parser.parse_args(argv)
    if not args.root.exists():
        print(f"corpus not found: {args.root}", file=sys.stderr)
        return 2
    per_page: dict[str, dict[str, dict[str, object]]] = {}
    sets = [s for s in args.sets.split(",") if s]
    tools = [t for t in args.tools.split(",") if t]
    rows = score_corpus(args.root, tools, sets, args.limit, per_page)
    print(f"corpus: {args.root}")
    print(format_table(rows))
    if args.pages:
        print(f"\nper page: {args.pages}")
        for name, by_tool in per_page.get(args.pages, {}).items():
            cells = []
            for tool, scores in by_tool.items():
                if not isinstance(scores, dict):
                    continue
                cells.append(f"{tool}: " + _page_summary(args.pages, scores))
            print(f"  {name[:40]:<40} " + " | ".join(cells))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def _page_summary(set_name: str, scores: dict[str, object]) -> str:
    parts = []
    for key, value in scores.items():
        if key == "text":
            parts.append(f"text {value[2]:.2f}")  # type: ignore[index]
        elif key in ("headings", "items", "paragraphs"):
            tp, n_pred, n_true = value  # type: ignore[misc]
            parts.append(f"{key[0]} {tp}/{n_pred}/{n_true}")
        elif key == "title":
            parts.append(f"title {'ok' if value else 'NO'}" if value is not None else "title -")
        elif key == "shingles":
            tp, fp, fn = value  # type: ignore[misc]
            parts.append(f"P {tp / (tp + fp) if tp + fp else 0:.2f} R {tp / (tp + fn) if tp + fn else 0:.2f}")
        elif key == "segments":
            parts.append("with {}/{} without {}/{}".format(*value))  # type: ignore[arg-type]
    return " ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
