"""Structure recovery on labelled articles: converter's normaliser vs pandoc vs calibre.

    .venv/bin/python benchmarks/structure.py [--tools ours,pandoc,calibre] [--json FILE] [-v]

What is measured
    Every input in tests/fixtures/documents/ (the samples' expected structures, read from
    samples/<stem>.*) and tests/fixtures/documents/labelled/ (<name>.txt|.md|.html beside
    <name>.json) goes through three tools:

    ours     converter's readers + normaliser (converter.pipeline.prepare, default Config)
    pandoc   pypandoc-binary's pandoc; plain text and Markdown read as ``markdown``, HTML as
             ``html``; written as HTML5 through a template that also prints its metadata
    calibre  ``ebook-convert INPUT OUT.htmlz`` (only when ebook-convert is installed); the
             HTML and the OPF metadata inside the HTMLZ are read back

    The output HTML of each tool is read back into the same expected-structure shape
    (``structure_from_html``) and compared with the label (``score_article``).

The expected-structure JSON (one per article)
    {"title": "...", "author": "..." | null, "date": "YYYY-MM-DD" | null, "language": "en",
     "headings": [[2, "Section"], [3, "Sub"]],
     "lists": [{"ordered": false, "start": 1, "items": ["first", "second"]}],
     "paragraphs": ["full paragraph text", ...],
     "gone": ["0 Comments", "Share on X"],
     optional: "code": ["pre text", ...], "tables": [[["cell", ...], ...], ...],
               "quotes": ["blockquote text", ...], "footnotes": ["note text", ...]}

    Lists are listed in document order, an outer list before the lists nested in it; an
    item's text excludes its nested lists. Paragraphs are every <p> outside lists, tables
    and footnotes (those inside a blockquote included) plus loose text in containers.
    Text is compared after Unicode NFKC, straight quotes, white-space collapse and with no
    space before ; : ! ? » or after «, so curly quotes, French spacing, non-breaking spaces and
    "..." vs "…" never count as differences.

Scores (each 0..1; the article's score is their mean)
    title       exact title
    headings    F1 of heading texts
    levels      share of matched headings at the expected level
    list_items  F1 of list-item texts
    list_form   share of expected lists found whole (same items, ordered/unordered, start)
    paragraphs  F1 of paragraph texts
    boilerplate share of the "gone" strings absent from the output
    recall      share of the article's words (title, headings, items, paragraphs, code,
                tables, quotes, notes) that survive anywhere in the output
    metadata    author, date (day) and language (primary subtag) right
    preserved   share of expected code blocks, tables, quotes and notes found unchanged
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"
SAMPLES = ROOT / "samples"
INPUT_SUFFIXES = (".txt", ".md", ".html")
COMPONENTS = (
    "title", "headings", "levels", "list_items", "list_form", "paragraphs", "boilerplate",
    "recall", "metadata", "preserved",
)  # fmt: skip
OPTIONAL_KEYS = ("code", "tables", "quotes", "footnotes")

HEADINGS = {f"h{i}": i for i in range(1, 7)}
CONTAINERS = frozenset(
    {"div", "section", "article", "main", "header", "footer", "body", "html", "span", "center",
     "font", "nav", "aside", "figure", "dl", "dd", "dt", "address", "hgroup", "details", "summary"}
)  # fmt: skip
SKIPPED = frozenset({"head", "script", "style", "hr", "img", "figcaption", "caption", "svg", "title"})
BLOCKS = frozenset({"p", "ul", "ol", "pre", "table", "blockquote", *HEADINGS, *CONTAINERS, *SKIPPED})
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"',
                        "„": '"', "‟": '"', "«": '"', "»": '"', "‹": "'", "›": "'"})
# "maintenant ?" and "maintenant?", "« oui »" and "«oui»": French spacing is typography.
FRENCH_SPACING = re.compile(r"\s+([;:!?»])|(«)\s+")
BACKLINKS = re.compile(r"\s*[↩↑]\ufe0e?\s*$")


# --- text ----------------------------------------------------------------------------------


def norm(text: str | None) -> str:
    """Text as compared: NFKC, straight quotes, white space collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = FRENCH_SPACING.sub(lambda m: m.group(1) or m.group(2), text).translate(QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """The words of a text, case-folded, for recall."""
    return re.findall(r"\w+", norm(text).casefold())


def text_of(el: etree._Element) -> str:
    """Visible text of an element; <br> and block boundaries count as spaces."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or _is_note_ref(node):
            parts.append(node.tail or "")
            return
        if node.tag == "br":
            parts.append(" ")
        elif node.tag not in ("script", "style"):
            if node.tag in BLOCKS or node.tag == "li":
                parts.append(" ")
            parts.append(node.text or "")
            for child in node:
                walk(child)
            if node.tag in BLOCKS or node.tag == "li":
                parts.append(" ")
        parts.append(node.tail or "")

    parts.append(el.text or "")
    for child in el:
        walk(child)
    return norm("".join(parts))


def _is_note_ref(el: etree._Element) -> bool:
    """A footnote reference mark ("<a class=footnote-ref><sup>1</sup></a>"), not text."""
    if el.tag not in ("a", "sup"):
        return False
    classes = (el.get("class") or "").split()
    if "footnote-ref" in classes or el.get("role") == "doc-noteref":
        return True
    link = el if el.tag == "a" else el.find("a")
    href = (link.get("href") or "") if link is not None else ""
    return bool(re.match(r"^#fn", href)) and "".join(el.itertext()).strip().isdigit()


# --- HTML -> structure ------------------------------------------------------------------------


def _tag(el: etree._Element) -> str:
    return el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""


def _is_footnotes(el: etree._Element) -> bool:
    classes = (el.get("class") or "").split()
    return bool({"footnotes", "footnote"} & set(classes)) or el.get("role") == "doc-endnotes"


def _li_text(li: etree._Element) -> str:
    clone = lxml_html.fromstring(lxml_html.tostring(li, encoding="unicode", with_tail=False))
    for nested in clone.xpath(".//ul | .//ol"):
        tail = nested.tail
        parent = nested.getparent()
        prev = nested.getprevious()
        parent.remove(nested)
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + " " + tail
            else:
                parent.text = (parent.text or "") + " " + tail
    return text_of(clone)


def structure_from_html(
    html: str | etree._Element,
    *,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    language: str | None = None,
) -> dict:
    """Read headings, lists, paragraphs, code, tables, quotes and notes from rendered HTML."""
    root = lxml_html.fromstring(html) if isinstance(html, str) else html
    found: dict = {
        "title": title, "author": author, "date": date, "language": language,
        "headings": [], "lists": [], "paragraphs": [],
        "code": [], "tables": [], "quotes": [], "footnotes": [],
    }  # fmt: skip

    def add_list(el: etree._Element) -> None:
        start = el.get("start") if _tag(el) == "ol" else None
        entry = {
            "ordered": _tag(el) == "ol",
            "start": int(start) if start and start.strip().lstrip("-").isdigit() else 1,
            "items": [],
        }
        found["lists"].append(entry)
        for li in el:
            if _tag(li) != "li":
                if _tag(li) in ("ul", "ol"):
                    add_list(li)
                continue
            text = _li_text(li)
            if text:
                entry["items"].append(text)
            for nested in li.iter("ul", "ol"):
                if nested.getparent() is not None and _nearest_list(nested.getparent()) is li:
                    add_list(nested)

    def walk(el: etree._Element) -> None:
        loose: list[str] = []

        def flush() -> None:
            text = norm(" ".join(loose))
            loose.clear()
            if text:
                found["paragraphs"].append(text)

        loose.append(el.text or "")
        for child in el:
            tag = _tag(child)
            if not tag:
                loose.append(child.tail or "")
                continue
            if tag in BLOCKS or tag in ("li",):
                flush()
                if tag in HEADINGS:
                    text = text_of(child)
                    if text:
                        found["headings"].append([HEADINGS[tag], text])
                elif tag in ("ul", "ol"):
                    add_list(child)
                elif tag == "li":
                    text = _li_text(child)
                    if text:
                        found["paragraphs"].append(text)
                elif tag == "p":
                    text = text_of(child)
                    if text:
                        found["paragraphs"].append(text)
                elif tag == "pre":
                    found["code"].append("\n".join(
                        line.rstrip() for line in "".join(child.itertext()).strip("\n").split("\n")
                    ))
                elif tag == "table":
                    rows = []
                    for tr in child.iter("tr"):
                        rows.append([text_of(cell) for cell in tr if _tag(cell) in ("td", "th")])
                    found["tables"].append(rows)
                elif tag == "blockquote":
                    found["quotes"].append(text_of(child))
                    walk(child)
                elif _is_footnotes(child):
                    for li in child.iter("li"):
                        found["footnotes"].append(norm(BACKLINKS.sub("", text_of(li))))
                elif tag in CONTAINERS:
                    walk(child)
                loose.append(child.tail or "")
            else:
                loose.append(text_of(child) if tag != "br" else " ")
                loose.append(child.tail or "")
        flush()

    body = root.find(".//body") if root.tag == "html" else root
    walk(body if body is not None else root)
    return found


def _nearest_list(el: etree._Element) -> etree._Element | None:
    """The closest ``li`` ancestor-or-self of ``el`` (which owns nested lists below it)."""
    probe: etree._Element | None = el
    while probe is not None and _tag(probe) != "li":
        probe = probe.getparent()
    return probe


def structure_of_document(doc) -> dict:
    """The structure of a normalised converter Document (metadata from ``doc.meta``)."""
    body = lxml_html.fromstring("<div>" + doc.body_html() + "</div>")
    return structure_from_html(
        body, title=doc.meta.title, author=doc.meta.author, date=doc.meta.date,
        language=doc.meta.language,
    )


# --- scoring -----------------------------------------------------------------------------------


def _f1(expected: Iterable[str], got: Iterable[str]) -> float:
    want, have = Counter(map(norm, expected)), Counter(map(norm, got))
    if not want and not have:
        return 1.0
    hits = sum((want & have).values())
    if not hits:
        return 0.0
    precision, recall = hits / sum(have.values()), hits / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _levels(expected: list, got: list) -> float:
    """Share of expected headings found (by text) at the expected level."""
    if not expected:
        return 1.0 if not got else 0.0
    available: dict[str, list[int]] = {}
    for level, text in got:
        available.setdefault(norm(text), []).append(level)
    matched = right = 0
    for level, text in expected:
        levels = available.get(norm(text))
        if levels:
            matched += 1
            right += level in levels
            levels.remove(level if level in levels else levels[0])
    return right / matched if matched else 0.0


def _list_form(expected: list[dict], got: list[dict]) -> float:
    if not expected:
        return 1.0 if not got else 0.0
    remaining = [
        (g["ordered"], g["start"], tuple(norm(i) for i in g["items"])) for g in got
    ]
    ok = 0
    for e in expected:
        key = (e["ordered"], e.get("start", 1), tuple(norm(i) for i in e["items"]))
        if key in remaining:
            remaining.remove(key)
            ok += 1
    return ok / len(expected)


def _present(needle: str, haystack: str) -> bool:
    needle = norm(needle).casefold()
    return bool(re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack))


def _all_text(found: dict) -> str:
    parts = [found.get("title") or ""]
    parts += [t for _, t in found["headings"]]
    parts += [i for lst in found["lists"] for i in lst["items"]]
    parts += found["paragraphs"] + found["code"] + found["quotes"] + found["footnotes"]
    parts += [c for table in found["tables"] for row in table for c in row]
    return norm(" ".join(parts)).casefold()


def _article_words(expected: dict) -> list[str]:
    parts = [expected.get("title") or ""]
    parts += [t for _, t in expected.get("headings", [])]
    parts += [i for lst in expected.get("lists", []) for i in lst["items"]]
    parts += expected.get("paragraphs", []) + expected.get("code", [])
    parts += expected.get("quotes", []) + expected.get("footnotes", [])
    parts += [c for table in expected.get("tables", []) for row in table for c in row]
    return words(" ".join(parts))


def _recall(expected: dict, found: dict) -> float:
    want = Counter(_article_words(expected))
    if not want:
        return 1.0
    have = Counter(words(_all_text(found)))
    return sum((want & have).values()) / sum(want.values())


def _same_date(expected: str | None, got: str | None) -> bool:
    return (expected or "")[:10] == (got or "")[:10]


def _same_language(expected: str | None, got: str | None) -> bool:
    return (expected or "").split("-")[0].lower() == (got or "").split("-")[0].lower()


def _preserved(expected: dict, found: dict) -> float:
    checks: list[bool] = []
    for key in OPTIONAL_KEYS:
        pool = [json.dumps(_canon(key, v)) for v in found.get(key, [])]
        for value in expected.get(key, []):
            canon = json.dumps(_canon(key, value))
            checks.append(canon in pool)
            if canon in pool:
                pool.remove(canon)
    return sum(checks) / len(checks) if checks else 1.0


def _canon(key: str, value):
    if key == "tables":
        return [[norm(c) for c in row] for row in value]
    if key == "code":
        return "\n".join(line.rstrip() for line in value.strip("\n").split("\n"))
    return norm(value)


def score_article(expected: dict, found: dict) -> dict[str, float]:
    """Score one article's recovered structure against its label; ``score`` is the mean."""
    text = _all_text(found)
    gone = expected.get("gone", [])
    meta = [
        norm(expected.get("author")) == norm(found.get("author")),
        _same_date(expected.get("date"), found.get("date")),
        _same_language(expected.get("language"), found.get("language")),
    ]
    scores = {
        "title": float(norm(expected.get("title")) == norm(found.get("title"))),
        "headings": _f1((t for _, t in expected["headings"]), (t for _, t in found["headings"])),
        "levels": _levels(expected["headings"], found["headings"]),
        "list_items": _f1(
            (i for lst in expected["lists"] for i in lst["items"]),
            (i for lst in found["lists"] for i in lst["items"]),
        ),
        "list_form": _list_form(expected["lists"], found["lists"]),
        "paragraphs": _f1(expected["paragraphs"], found["paragraphs"]),
        "boilerplate": (sum(not _present(g, text) for g in gone) / len(gone)) if gone else 1.0,
        "recall": _recall(expected, found),
        "metadata": sum(meta) / len(meta),
        "preserved": _preserved(expected, found),
    }
    scores["score"] = statistics.fmean(scores[c] for c in COMPONENTS)
    return scores


def structure_differences(expected: dict, found: dict) -> list[str]:
    """Every way ``found`` differs from ``expected`` (empty when they are the same structure)."""
    diffs: list[str] = []
    for key in ("title", "author"):
        if norm(expected.get(key)) != norm(found.get(key)):
            diffs.append(f"{key}: expected {expected.get(key)!r}, got {found.get(key)!r}")
    if not _same_date(expected.get("date"), found.get("date")):
        diffs.append(f"date: expected {expected.get('date')!r}, got {found.get('date')!r}")
    if not _same_language(expected.get("language"), found.get("language")):
        diffs.append(f"language: expected {expected.get('language')!r}, got {found.get('language')!r}")
    canon_h = lambda hs: [[lvl, norm(t)] for lvl, t in hs]  # noqa: E731
    if canon_h(expected["headings"]) != canon_h(found["headings"]):
        diffs.append(f"headings: expected {expected['headings']}, got {found['headings']}")
    canon_l = lambda ls: [(lst["ordered"], lst.get("start", 1), [norm(i) for i in lst["items"]]) for lst in ls]  # noqa: E731
    if canon_l(expected["lists"]) != canon_l(found["lists"]):
        diffs.append(f"lists: expected {expected['lists']}, got {found['lists']}")
    if [norm(p) for p in expected["paragraphs"]] != [norm(p) for p in found["paragraphs"]]:
        missing = [p for p in expected["paragraphs"] if norm(p) not in map(norm, found["paragraphs"])]
        extra = [p for p in found["paragraphs"] if norm(p) not in map(norm, expected["paragraphs"])]
        diffs.append(f"paragraphs: missing {missing}, unexpected {extra}")
    for key in OPTIONAL_KEYS:
        if key in expected and [_canon(key, v) for v in expected[key]] != [_canon(key, v) for v in found[key]]:
            diffs.append(f"{key}: expected {expected[key]}, got {found[key]}")
    text = _all_text(found)
    diffs += [f"gone: {g!r} is still there" for g in expected.get("gone", []) if _present(g, text)]
    return diffs


# --- the labelled set --------------------------------------------------------------------------


def labelled_documents() -> list[tuple[str, Path, dict]]:
    """(name, input path, expected structure) for every labelled article and sample."""
    found: list[tuple[str, Path, dict]] = []
    for label in sorted(DOCUMENTS.glob("*.json")):
        source = next((SAMPLES / f"{label.stem}{s}" for s in INPUT_SUFFIXES
                       if (SAMPLES / f"{label.stem}{s}").exists()), None)
        if source is not None:
            found.append((f"samples/{source.name}", source, json.loads(label.read_text("utf-8"))))
    for label in sorted((DOCUMENTS / "labelled").glob("*.json")):
        source = next((label.with_suffix(s) for s in INPUT_SUFFIXES if label.with_suffix(s).exists()), None)
        if source is not None:
            found.append((f"labelled/{source.name}", source, json.loads(label.read_text("utf-8"))))
    return found


# --- the tools ---------------------------------------------------------------------------------


def run_ours(path: Path) -> dict:
    """converter's reader and normaliser with the default configuration."""
    from converter.config import Config
    from converter.pipeline import prepare

    return structure_of_document(prepare(path, Config()))


PANDOC_TEMPLATE = """<html><head><title>$if(title)$$title$$endif$</title>
$for(author)$<meta name="author" content="$author$"/>$endfor$
$if(date)$<meta name="date" content="$date$"/>$endif$
$if(lang)$<meta name="lang" content="$lang$"/>$endif$
</head><body>
$body$
</body></html>
"""


def _pandoc_path() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def _meta_from_head(root: etree._Element) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for meta in root.iter("meta"):
        name = meta.get("name")
        if name in ("author", "date", "lang") and name not in values:
            values[name] = norm(meta.get("content")) or None
    title = root.find(".//title")
    values["title"] = text_of(title) if title is not None and text_of(title) else None
    return values


def _title_from_top_h1(found: dict, root: etree._Element) -> None:
    """Tools without a title in their metadata show the first top-of-page h1 as the title."""
    first = next((el for el in root.iter(*HEADINGS) ), None)
    if found["title"] is None and first is not None and _tag(first) == "h1" and found["headings"]:
        found["title"] = found["headings"].pop(0)[1]


def run_pandoc(path: Path) -> dict:
    """pandoc (pypandoc-binary): text and Markdown as markdown, HTML as html -> HTML5."""
    pandoc = _pandoc_path()
    if pandoc is None:
        raise FileNotFoundError("pandoc")
    reader = "html" if path.suffix == ".html" else "markdown"
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "t.html"
        template.write_text(PANDOC_TEMPLATE, encoding="utf-8")
        out = subprocess.run(
            [pandoc, "-f", reader, "-t", "html5", "--template", str(template), str(path)],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    root = lxml_html.document_fromstring(out)
    meta = _meta_from_head(root)
    found = structure_from_html(root, title=meta["title"], author=meta.get("author"),
                                date=meta.get("date"), language=meta.get("lang"))
    _title_from_top_h1(found, root)
    return found


def run_calibre(path: Path) -> dict:
    """calibre's ebook-convert to HTMLZ; the HTML and OPF metadata are read back."""
    exe = shutil.which("ebook-convert")
    if exe is None:
        raise FileNotFoundError("ebook-convert")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.htmlz"
        # calibre guesses the encoding of text input (night-train.txt: "mac-centraleurope", a
        # crash); every labelled input is UTF-8, so say so, as a user would.
        options = ["--input-encoding", "utf-8"] if path.suffix in (".txt", ".md") else []
        subprocess.run([exe, str(path), str(target), *options], capture_output=True, text=True,
                       timeout=300, check=True)
        with zipfile.ZipFile(target) as zf:
            html = zf.read("index.html").decode("utf-8")
            opf = zf.read("metadata.opf") if "metadata.opf" in zf.namelist() else b""
    meta: dict[str, str | None] = {"title": None, "author": None, "date": None, "language": None}
    if opf:
        tree = etree.fromstring(opf)
        dc = "{http://purl.org/dc/elements/1.1/}"
        for key, tag in (("title", "title"), ("author", "creator"), ("date", "date"), ("language", "language")):
            el = tree.find(f".//{dc}{tag}")
            # "Unknown" and year 101 are calibre's placeholders for "not known".
            if el is not None and el.text and not el.text.startswith("0101-01-01") and el.text != "Unknown":
                meta[key] = norm(el.text)
    root = lxml_html.document_fromstring(html)
    found = structure_from_html(root, **meta)
    if found["title"] and found["headings"] and norm(found["headings"][0][1]) == norm(found["title"]):
        found["headings"].pop(0)  # the title printed again at the top of the page
    return found


TOOLS: dict[str, Callable[[Path], dict]] = {"ours": run_ours, "pandoc": run_pandoc, "calibre": run_calibre}


def available_tools(names: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """The requested tools that can run here, and why the others cannot."""
    usable, missing = [], {}
    for name in names:
        if name == "pandoc" and _pandoc_path() is None:
            missing[name] = "pandoc not found (pip install pypandoc-binary)"
        elif name == "calibre" and shutil.which("ebook-convert") is None:
            missing[name] = "ebook-convert not found (apt-get install calibre)"
        else:
            usable.append(name)
    return usable, missing


# --- the report --------------------------------------------------------------------------------


def evaluate(tools: list[str], verbose: bool = False) -> dict:
    """Score every labelled document with every tool; returns per-article and mean scores."""
    docs = labelled_documents()
    results: dict = {"articles": {}, "means": {}, "seconds": {}}
    for tool in tools:
        started = time.perf_counter()
        for name, path, expected in docs:
            try:
                found = TOOLS[tool](path)
                scores = score_article(expected, found)
            except (subprocess.SubprocessError, OSError) as exc:
                found, scores = None, {c: 0.0 for c in (*COMPONENTS, "score")}
                print(f"{tool}: {name}: failed: {exc}", file=sys.stderr)
            results["articles"].setdefault(name, {})[tool] = scores
            if verbose and found is not None and tool == "ours":
                for diff in structure_differences(expected, found):
                    print(f"  {name}: {diff}", file=sys.stderr)
        results["seconds"][tool] = time.perf_counter() - started
        per = [results["articles"][n][tool] for n, _, _ in docs]
        results["means"][tool] = {c: statistics.fmean(s[c] for s in per) if per else 0.0
                                  for c in (*COMPONENTS, "score")}
    return results


def print_report(results: dict, tools: list[str], missing: dict[str, str]) -> None:
    """Print the per-article scores and the component means side by side."""
    names = list(results["articles"])
    print(f"Structure recovery on {len(names)} labelled articles "
          f"({DOCUMENTS.relative_to(ROOT)}; inputs .txt/.md/.html)")
    for tool, why in missing.items():
        print(f"  {tool}: skipped, {why}")
    width = max([len(n) for n in names] + [10])
    print()
    print(f"{'article':<{width}}  " + "  ".join(f"{t:>8}" for t in tools))
    for name in names:
        row = results["articles"][name]
        print(f"{name:<{width}}  " + "  ".join(f"{row[t]['score']:8.3f}" for t in tools))
    print()
    print(f"{'mean of':<{width}}  " + "  ".join(f"{t:>8}" for t in tools))
    for comp in (*COMPONENTS, "score"):
        print(f"{comp:<{width}}  " + "  ".join(f"{results['means'][t][comp]:8.3f}" for t in tools))
    lowest = {t: min((results["articles"][n][t]["score"] for n in names), default=0.0) for t in tools}
    print(f"{'lowest article':<{width}}  " + "  ".join(f"{lowest[t]:8.3f}" for t in tools))
    if "ours" in tools and len(tools) > 1:
        ratios = "  ".join(
            f"ours/{t} = {results['means']['ours']['score'] / results['means'][t]['score']:.2f}"
            for t in tools if t != "ours" and results["means"][t]["score"]
        )
        print(f"\nmean-score ratio: {ratios}")
    print("seconds: " + ", ".join(f"{t} {results['seconds'][t]:.1f}" for t in tools))


def print_corpus() -> None:
    """Print ../shared/corpus numbers from benchmarks/corpus.py's score_corpus(), if present."""
    corpus = Path(__file__).with_name("corpus.py")
    if not corpus.exists():
        print("\ncorpus: benchmarks/corpus.py not present; skipped")
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_benchmark", corpus)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    score = getattr(module, "score_corpus", None)
    if score is None:
        print("\ncorpus: benchmarks/corpus.py has no score_corpus(); skipped")
        return
    rows = list(score())
    print(f"\ncorpus (benchmarks/corpus.py score_corpus(), {len(rows)} rows)")
    if rows and isinstance(rows[0], dict):
        keys = list(dict.fromkeys(k for row in rows for k in row))

        def cell(value: object) -> str:
            if isinstance(value, float):
                return f"{value:.3f}"
            return "" if value is None else str(value)

        table = [[cell(row.get(k)) for k in keys] for row in rows]
        widths = [max(len(k), *(len(r[i]) for r in table)) for i, k in enumerate(keys)]
        print("  " + "  ".join(f"{k:>{w}}" for k, w in zip(keys, widths, strict=True)))
        for r in table:
            print("  " + "  ".join(f"{c:>{w}}" for c, w in zip(r, widths, strict=True)))
    else:
        for row in rows:
            print(f"  {row}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", default="ours,pandoc,calibre", help="comma-separated tools")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument("--no-corpus", action="store_true", help="skip benchmarks/corpus.py")
    parser.add_argument("-v", "--verbose", action="store_true", help="print our differences")
    args = parser.parse_args(argv)
    tools, missing = available_tools(t.strip() for t in args.tools.split(",") if t.strip())
    results = evaluate(tools, args.verbose)
    print_report(results, tools, missing)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not args.no_corpus:
        print_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())
