"""Deterministic benchmark articles in the shapes of samples/: scraped text, broken Markdown,
pseudo-structured HTML.

    make_article("txt", words=1000, seed=3)
    ->
    Harbour Council Weighs the Ferry Budget
    By Marta Iglesias
    12 March 2026
    <paragraph lines, one per line>
    Why the Vote Was Close                       (a subheading line)
    • first point                                (bullet-glyph list)
    Advertisement                                (boilerplate the normaliser drops)

The prose comes from a word-level Markov chain trained on a built-in paragraph and, when
present, on the real seed articles in /work/shared/seed (read at benchmark time, never
copied). A chain gives sentences that do not repeat, so the normaliser's repeated-line
boilerplate rule does not shrink long articles, and the same (kind, words, seed) always
gives the same file.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

SEED_DIR = Path("/work/shared/seed")

# Enough varied prose to train a chain when the seed folder is absent.
BUILTIN_TEXT = """
After three months of public meetings, the council voted on Tuesday to keep the island ferry
running through the end of the decade. The decision ends a dispute that split the town between
commuters who rely on the service and taxpayers worried about its rising cost. The ferry
carries about nine hundred passengers on a normal weekday, and its operator had warned in
December that fuel and insurance costs would push the annual subsidy above four million euros
for the first time. Councillors who opposed the plan argued that a new bridge would be cheaper
over thirty years. Supporters replied that the bridge had been proposed many times and never
funded, and that the island could not wait for another study. Winter sowing lets you start
hardy seeds outdoors in January, using recycled containers as tiny greenhouses. It costs
almost nothing and the seedlings it produces are sturdier than anything raised on a
windowsill, because they harden off naturally as the weather warms. When the public library
lost a third of its budget, its four staff had a choice: cut opening hours or change how the
building worked. They chose the second, and twelve months later loans had doubled. The first
change cost nothing. The library used to open at ten; it now opens at eight, two hours before
the first bus reaches the town centre, so parents can return books on the school run. Most
blogs print an estimated reading time under each headline. The number looks trivial, but
getting it right means deciding what counts as a word, what to do with code, and how fast
people actually read. Researchers who measured it found that adults read about two hundred
and thirty words a minute on screens, slower for technical prose and faster for fiction.
The city plans to publish the figures every quarter so that residents can see whether the
new timetable works. Critics say the numbers will be hard to compare with earlier years,
because the old counters missed passengers who boarded at the smaller stops.
"""

FIRST_NAMES = ("Marta", "Jonas", "Ayesha", "Tomás", "Ingrid", "Kwame", "Lucia", "Pavel")
LAST_NAMES = ("Iglesias", "Weber", "Rahman", "Okafor", "Lindqvist", "Novak", "Moreau")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
BOILERPLATE = ("Advertisement", "Share this article", "Read more:", "Subscribe to our newsletter")

_WORD = re.compile(r"[^\s]+")


def training_text() -> str:
    """Return the built-in prose plus every seed article that is present."""
    parts = [BUILTIN_TEXT]
    if SEED_DIR.is_dir():
        for path in sorted(SEED_DIR.glob("*.txt")):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


class Prose:
    """A word-level Markov chain (order 2) that writes sentences deterministically."""

    def __init__(self, text: str, rng: random.Random) -> None:
        self.rng = rng
        self.chain: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        # Trained paragraph by paragraph: a seed's subheading line must not run into prose.
        for block in re.split(r"\n\s*\n|\n(?=\S[^.!?\n]{0,80}\n)", text):
            words = _WORD.findall(block)
            if len(words) < 8:
                continue
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:]):
                self.chain[(a, b)].append(c)
                if a.endswith((".", "?", "!")) and b[:1].isupper():
                    self.starts.append((b, c))

    def sentence(self, max_words: int = 40) -> str:
        """Return one sentence of at most ``max_words`` words, ending in a full stop."""
        a, b = self.rng.choice(self.starts)
        out = [a, b]
        while len(out) < max_words:
            if out[-1].endswith((".", "?", "!")) and len(out) >= 6:
                break
            followers = self.chain.get((a, b))
            if not followers:
                a, b = self.rng.choice(self.starts)
                continue
            a, b = b, self.rng.choice(followers)
            out.append(b)
        text = " ".join(out).rstrip(",;:—-")
        return text if text.endswith((".", "?", "!")) else text + "."

    def paragraph(self, words: int) -> str:
        """Return sentences adding up to about ``words`` words."""
        sentences: list[str] = []
        count = 0
        while count < words:
            s = self.sentence()
            sentences.append(s)
            count += len(s.split())
        return " ".join(sentences)

    def heading(self) -> str:
        """Return a short title-case heading without a full stop."""
        words = [w.strip(".,;:?!\"“”‘’()") for w in self.sentence(12).split()]
        words = [w for w in words if w][: self.rng.randint(3, 7)]
        return " ".join(w[:1].upper() + w[1:] for w in words) or "Section"


def _wrap(text: str, width: int = 72) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def make_article(kind: str, words: int, seed: int, text: str | None = None) -> str:
    """Return an article of about ``words`` words in the shape of ``kind`` (txt, md or html)."""
    rng = random.Random(f"{kind}:{words}:{seed}")
    prose = Prose(text if text is not None else training_text(), rng)
    author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2026)}"
    title = prose.heading()
    blocks: list[tuple[str, object]] = []  # (kind, payload)
    count = 0
    since_heading = 0
    while count < words:
        roll = rng.random()
        if since_heading >= 4 and roll < 0.25:
            blocks.append(("heading", prose.heading()))
            since_heading = 0
            continue
        if roll < 0.08:
            items = [prose.sentence(14).rstrip(".") for _ in range(rng.randint(3, 5))]
            blocks.append(("list", items))
            count += sum(len(i.split()) for i in items)
        elif roll < 0.11:
            blocks.append(("boilerplate", rng.choice(BOILERPLATE)))
        else:
            para = prose.paragraph(rng.randint(40, 110))
            blocks.append(("para", para))
            count += len(para.split())
        since_heading += 1
    if kind == "txt":
        return _as_scraped_text(title, author, date, blocks)
    if kind == "md":
        return _as_broken_markdown(title, author, blocks)
    if kind == "html":
        return _as_pseudo_html(title, author, blocks)
    raise ValueError(f"unknown article kind {kind!r}")


def _as_scraped_text(title: str, author: str, date: str, blocks: list[tuple[str, object]]) -> str:
    """One paragraph per line, subheadings as bare lines, bullet glyphs, site boilerplate."""
    lines = [title, f"By {author}", date]
    for kind, payload in blocks:
        if kind == "list":
            lines.extend(f"• {item}" for item in payload)  # type: ignore[union-attr]
        else:
            lines.append(str(payload))
    return "\n".join(lines) + "\n"


def _as_broken_markdown(title: str, author: str, blocks: list[tuple[str, object]]) -> str:
    """Headings without the space after #, hard-wrapped paragraphs, -items without a space."""
    out = [f"#{title}", "", f"*By {author}*", ""]
    for kind, payload in blocks:
        if kind == "heading":
            out += [f"##{payload}", ""]
        elif kind == "list":
            out += [f"-{item}" for item in payload] + [""]  # type: ignore[union-attr]
        else:
            out += _wrap(str(payload)) + [""]
    return "\n".join(out)


def _as_pseudo_html(title: str, author: str, blocks: list[tuple[str, object]]) -> str:
    """A CMS fragment: bold paragraphs as headings, bullet glyphs in paragraphs."""

    def esc(s: object) -> str:
        return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    out = ['<div class="entry-content">', f"<p><strong>{esc(title)}</strong></p>",
           f"<p>By {esc(author)}</p>"]
    for kind, payload in blocks:
        if kind == "heading":
            out.append(f"<p><b>{esc(payload)}</b></p>")
        elif kind == "list":
            out.append("<p>" + "<br>\n".join(f"• {esc(i)}" for i in payload) + "</p>")  # type: ignore[union-attr]
        else:
            out.append(f"<p>{esc(payload)}</p>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def write_article(path: Path, kind: str, words: int, seed: int, text: str | None = None) -> Path:
    """Write one article of about ``words`` words in the shape of ``kind`` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(make_article(kind, words, seed, text), encoding="utf-8")
    return path


def write_set(folder: Path, count: int, words: int, kinds: tuple[str, ...] = ("txt", "md", "html")) -> list[Path]:
    """Write ``count`` articles of about ``words`` words, cycling through ``kinds``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = training_text()
    paths = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        path = folder / f"article-{index + 1:02d}-{words}w.{kind}"
        path.write_text(make_article(kind, words, index, text), encoding="utf-8")
        paths.append(path)
    return paths
