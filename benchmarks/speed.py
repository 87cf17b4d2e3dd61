"""Speed: converter's three editions against pandoc's and calibre's, measured side by side.

    .venv/bin/python benchmarks/speed.py [--rounds 5] [--articles DIR] [--no-calibre]
                                         [--no-lengths] [--profile FILE] [--json FILE]
    make bench        (first installs calibre through .ci/system-deps --bench)

What is measured
    A set of articles (by default ten generated ones, see below) is turned into PDF, EPUB and
    DOCX by each tool, wall-clock time of the whole set:

    converter  one invocation for the whole folder:
               converter convert DIR -o OUT --to pdf,epub,docx --jobs 1 --report R.json
               (a fresh OUT each time, so nothing is skipped as up to date)
    pandoc     three invocations per article (pypandoc-binary's pandoc, WeasyPrint on PATH):
               pandoc -f FMT IN -o X.docx; pandoc -f FMT IN -o X.epub;
               pandoc -f FMT IN -o X.pdf --pdf-engine=weasyprint
               (FMT: markdown for .txt/.md, html for .html)
    calibre    three invocations per article, when ebook-convert is installed:
               ebook-convert IN X.epub; ebook-convert IN X.docx; ebook-convert IN X.pdf
               (as root, with QTWEBENGINE_DISABLE_SANDBOX=1: Chromium refuses root otherwise)

    Each tool first runs once on one article, untimed (disk cache, font cache). Then come
    ``--rounds`` rounds; each round runs every tool once, the order rotating from round to
    round, so drifting load from other processes hits every tool alike. Reported: the
    median, min and max per tool, the ratio of the medians, and the median of the per-round
    ratios (converter / peer in the same round), which is the figure to quote. Every run's
    outputs are checked (three non-empty files per article); a tool that fails is reported.
    The load average is printed at the start of each run.

    Stages: converter's --report gives per-document seconds (read, normalise, write_pdf,
    write_epub, write_docx, ...); their sums, median over the rounds, show where the time
    goes, and "start-up and the rest" is the wall time left over (interpreter, imports,
    the language model, planning, writing the report).

    Memory: the peak resident set of the converter process (and its children, whichever
    is largest), from wait4(2); and the peak of the sum over the process tree, sampled
    every 10 ms from /proc: each process's PSS (its private pages plus its share of pages
    it shares, e.g. with a child forked a moment ago), RSS where PSS is not available.

    Length: single articles of about 1,000, 5,000 and 20,000 words, each converted after a
    small warm-up article in the same invocation, so the per-document seconds of the long
    article exclude the one-off set-up; rounds alternate the lengths. Printed: stage
    seconds, seconds per 1,000 words and the growth exponent k in time ~ words^k between 1k
    and 20k (1.0 is linear).

The articles
    Generated deterministically (benchmarks/articles.py) in the shapes of samples/: scraped
    text with a byline, dateline, bare subheadings, bullet glyphs and boilerplate lines;
    Markdown with glued "#Heading"s, "-item"s and hard wraps; a CMS HTML fragment with bold
    paragraphs for headings. Ten short ones (600-900 words, the length of the real seed
    article), kinds cycling txt/md/html; prose from a Markov chain trained on a built-in
    paragraph and, when present, on /work/shared/seed/*.txt. ``--words 300-400`` makes them
    one page long instead; ``--articles DIR`` uses your own folder.
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from articles import training_text, write_article  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ("pdf", "epub", "docx")
SHORT_WORDS = (600, 900)
LENGTHS = (1000, 5000, 20000)
RUN_TIMEOUT = 3600


# -- process measurement ---------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """The process's proportional set size (PSS: shared pages split among their users) and
    its anonymous part (heap and stacks: Pss_Anon), or RSS twice where the kernel has no
    smaps_rollup. RSS would count twice what a freshly forked child still shares with its
    parent (measured: a 300 MB "peak" that was one ldconfig run forked from a 130 MB
    converter). The rest of PSS is file pages: program code and libraries read from disk
    (pandoc's 200 MB binary maps about 100 MB of them), clean and reclaimable, and shared
    by every process that runs the same program."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        return int(fields["Pss"].split()[0]), int(fields["Pss_Anon"].split()[0])
    except (OSError, KeyError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    return rss, rss
    except OSError:
        pass
    return 0, 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS (and anonymous PSS) of a process and its descendants every
    10 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.peak_anon_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            todo, total, anon, seen = [self.pid], 0, 0, set()
            while todo:
                pid = todo.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                pss, pss_anon = _memory_kb(pid)
                total += pss
                anon += pss_anon
                todo.extend(_children(pid))
            self.peak_kb = max(self.peak_kb, total)
            self.peak_anon_kb = max(self.peak_anon_kb, anon)
            self.stop.wait(0.01)


@dataclass
class Run:
    """One timed invocation (or sequence of invocations) of a tool."""

    seconds: float
    ok: bool
    load: float
    cpu: float = 0.0  # user + system seconds of the process and its reaped children
    peak_kb: int = 0  # wait4: largest RSS of the process or a reaped descendant
    tree_peak_kb: int = 0  # sampled sum of PSS over the process tree
    tree_anon_peak_kb: int = 0  # the same, anonymous memory only (heap, not program files)
    error: str = ""
    report: dict | None = None


def run_command(command: list[str], env: dict[str, str] | None = None,
                measure_memory: bool = False) -> tuple[float, int, int, int, str, float, int]:
    """Run ``command``; return (seconds, exit status, wait4 peak KB, tree peak KB, stderr tail,
    CPU seconds of the process and the descendants it waited for, tree anonymous peak KB)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        # pandoc --pdf-engine leaves toPdfViaTempFile* in its working folder when interrupted:
        # never the repository's.
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err, env=env, cwd=tempfile.gettempdir())
        sampler = TreeSampler(proc.pid) if measure_memory else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop.set()
            sampler.join()
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    return (seconds, proc.returncode, usage.ru_maxrss, sampler.peak_kb if sampler else 0,
            " | ".join(tail), usage.ru_utime + usage.ru_stime,
            sampler.peak_anon_kb if sampler else 0)


# -- the tools -------------------------------------------------------------------------------


def _editions_present(out: Path, articles: list[Path]) -> bool:
    return all((out / f"{a.stem}.{ext}").is_file() and (out / f"{a.stem}.{ext}").stat().st_size
               for a in articles for ext in EDITIONS)


@dataclass
class Tool:
    name: str
    version: str = ""
    runs: list[Run] = field(default_factory=list)

    def commands(self, article: Path, out: Path) -> list[list[str]]:
        raise NotImplementedError

    def env(self) -> dict[str, str] | None:
        return None

    def run(self, articles: list[Path], folder: Path, work: Path) -> Run:
        out = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=work))
        load = os.getloadavg()[0]
        total, cpu, problem = 0.0, 0.0, ""
        for article in articles:
            for command in self.commands(article, out):
                seconds, code, _, _, tail, used, _ = run_command(command, self.env())
                total += seconds
                cpu += used
                if code != 0 and not problem:
                    problem = f"{article.name}: exit {code}: {tail}"
        ok = _editions_present(out, articles) and not problem
        if not ok and not problem:
            problem = "missing editions"
        shutil.rmtree(out, ignore_errors=True)
        return Run(total, ok, load, cpu, error=problem)


class Converter(Tool):
    def __init__(self) -> None:
        super().__init__("converter")
        script = Path(sys.executable).with_name("converter")
        self.base = [str(script)] if script.exists() else [sys.executable, "-m", "converter"]
        help_text = subprocess.run([*self.base, "convert", "--help"], capture_output=True,
                                   text=True, check=False).stdout
        self.jobs = ["--jobs", "1"] if "--jobs" in help_text else []
        self.version = subprocess.run([*self.base, "--version"], capture_output=True, text=True,
                                      check=False).stdout.strip()

    def arguments(self, folder: Path, out: Path, report: Path) -> list[str]:
        return ["convert", str(folder), "-o", str(out), "--to", ",".join(EDITIONS), *self.jobs,
                "--report", str(report), "-q"]

    def command(self, folder: Path, out: Path, report: Path) -> list[str]:
        return [*self.base, *self.arguments(folder, out, report)]

    def run(self, articles: list[Path], folder: Path, work: Path) -> Run:
        out = Path(tempfile.mkdtemp(prefix="converter-", dir=work))
        report_path = work / f"report-{time.monotonic_ns()}.json"
        load = os.getloadavg()[0]
        seconds, code, peak, tree, tail, cpu, tree_anon = run_command(
            self.command(folder, out, report_path), measure_memory=True)
        report = json.loads(report_path.read_text()) if report_path.exists() else None
        ok = code == 0 and _editions_present(out, articles)
        shutil.rmtree(out, ignore_errors=True)
        report_path.unlink(missing_ok=True)
        return Run(seconds, ok, load, cpu, peak, tree, tree_anon,
                   "" if ok else f"exit {code}: {tail}", report)


class Pandoc(Tool):
    def __init__(self) -> None:
        super().__init__("pandoc")
        import pypandoc

        bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
        self.binary = str(bundled) if bundled.exists() else pypandoc.get_pandoc_path()
        self.version = "pandoc " + subprocess.run(
            [self.binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.split("\n")[0].split()[-1]
        weasyprint = shutil.which("weasyprint", path=str(Path(sys.executable).parent))
        self.version += ", " + subprocess.run([weasyprint or "weasyprint", "--version"],
                                              capture_output=True, text=True,
                                              check=False).stdout.strip()

    def env(self) -> dict[str, str]:
        # --pdf-engine=weasyprint runs the `weasyprint` command: the one in this environment.
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        return env

    def commands(self, article: Path, out: Path) -> list[list[str]]:
        fmt = "html" if article.suffix in (".html", ".htm") else "markdown"
        base = [self.binary, "-f", fmt, str(article)]
        stem = out / article.stem
        return [
            [*base, "-o", f"{stem}.docx"],
            [*base, "-o", f"{stem}.epub"],
            [*base, "-o", f"{stem}.pdf", "--pdf-engine=weasyprint"],
        ]


class Calibre(Tool):
    def __init__(self, binary: str) -> None:
        super().__init__("calibre")
        self.binary = binary
        first = subprocess.run([binary, "--version"], capture_output=True, text=True,
                               check=False).stdout.strip().splitlines()
        self.version = first[0] if first else "calibre"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        return env

    def commands(self, article: Path, out: Path) -> list[list[str]]:
        stem = out / article.stem
        return [[self.binary, str(article), f"{stem}.{ext}"] for ext in ("epub", "docx", "pdf")]


# -- reporting ---------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# Keys of a document's "seconds" that are not stages: the sum of the stages, and the CPU
# seconds the conversion used (the batch runner measures it beside wall time).
NOT_STAGES = ("total", "cpu")


def stage_sums(report: dict | None) -> dict[str, float]:
    sums: dict[str, float] = {}
    for doc in (report or {}).get("documents", []):
        for stage, seconds in (doc.get("seconds") or {}).items():
            if stage not in NOT_STAGES:
                sums[stage] = sums.get(stage, 0.0) + float(seconds)
    return sums


def cpu_sum(report: dict | None) -> float | None:
    values = [doc.get("seconds", {}).get("cpu") for doc in (report or {}).get("documents", [])]
    return sum(float(v) for v in values) if values and None not in values else None


def words_in(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").split())


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model or platform.processor()} x {cores} cores, {platform.system()} {platform.release()}"


def compare(tools: list[Tool], articles: list[Path], folder: Path, rounds: int, work: Path,
            log) -> None:
    for tool in tools:
        warm = tool.run(articles[:1], folder_of(articles[:1], work), work)
        if not warm.ok:
            log(f"  {tool.name}: warm-up failed: {warm.error}")
    for index in range(rounds):
        order = tools[index % len(tools):] + tools[: index % len(tools)]
        for tool in order:
            result = tool.run(articles, folder, work)
            tool.runs.append(result)
            state = "ok" if result.ok else f"FAILED ({result.error})"
            log(f"  round {index + 1}: {tool.name:<9} {result.seconds:7.2f} s  "
                f"load {result.load:4.2f}  {state}")


def folder_of(articles: list[Path], work: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="warm-", dir=work))
    for article in articles:
        shutil.copy(article, folder / article.name)
    return folder


def print_comparison(tools: list[Tool], articles: list[Path], out) -> dict:
    conv = tools[0]
    n = len(articles)
    out("| tool | median s (all) | s per article | min-max s | converter / tool (medians) | "
        "converter / tool (median of per-round ratios) | CPU s (median) | converter / tool (CPU) |")
    out("|---|---|---|---|---|---|---|---|")
    summary = {}
    conv_times = [r.seconds for r in conv.runs if r.ok]
    for tool in tools:
        times = [r.seconds for r in tool.runs if r.ok]
        if not times:
            out(f"| {tool.name} | failed | | | | | | |")
            continue
        med = median(times)
        cpu = median([r.cpu for r in tool.runs if r.ok])
        conv_cpu = median([r.cpu for r in conv.runs if r.ok])
        if tool is conv:
            ratio_med = ratio_rounds = ratio_cpu = "1"
        else:
            paired = [c.seconds / t.seconds for c, t in zip(conv.runs, tool.runs)
                      if c.ok and t.ok and t.seconds > 0]
            ratio_med = f"{median(conv_times) / med:.3f}"
            ratio_rounds = f"{median(paired):.3f}"
            ratio_cpu = f"{conv_cpu / cpu:.3f}"
            summary[tool.name] = {"ratio_of_medians": median(conv_times) / med,
                                  "median_of_round_ratios": median(paired),
                                  "cpu_ratio": conv_cpu / cpu}
        summary.setdefault("seconds", {})[tool.name] = med
        out(f"| {tool.name} ({tool.version}) | {med:.2f} | {med / n:.3f} | "
            f"{min(times):.2f}-{max(times):.2f} | {ratio_med} | {ratio_rounds} | {cpu:.2f} | "
            f"{ratio_cpu} |")
    return summary


def print_stages(conv: Tool, out) -> dict[str, float]:
    runs = [r for r in conv.runs if r.ok and r.report]
    if not runs:
        out("(no converter report to break down)")
        return {}
    stages = sorted({s for r in runs for s in stage_sums(r.report)},
                    key=lambda s: (not s.startswith("read"), not s.startswith("normalise"), s))
    wall = median([r.seconds for r in runs])
    out("| stage (all articles) | median s | share of wall |")
    out("|---|---|---|")
    medians = {}
    for stage in stages:
        value = median([stage_sums(r.report).get(stage, 0.0) for r in runs])
        medians[stage] = value
        out(f"| {stage} | {value:.3f} | {value / wall:.0%} |")
    rest = median([r.seconds - sum(stage_sums(r.report).values()) for r in runs])
    medians["start-up and the rest"] = rest
    out(f"| start-up and the rest (interpreter, imports, language model, planning) | "
        f"{rest:.3f} | {rest / wall:.0%} |")
    out(f"| wall | {wall:.3f} | 100% |")
    if any(s in stages for s in ("write_docx", "write_md")):
        out("")
        out("write_docx / write_md are converter's own part (page, packaging, waiting): pandoc "
            "converts each page in its own long-lived process while the PDF renders, so its "
            "CPU time shows in the CPU column above, not in a stage.")
    cpus = [c for c in (cpu_sum(r.report) for r in runs) if c is not None]
    if cpus:
        out("")
        out(f"CPU seconds of the conversions themselves (from the report, all articles): "
            f"{median(cpus):.3f}")
    peak = max(r.peak_kb for r in runs) / 1024
    tree = max(r.tree_peak_kb for r in runs) / 1024
    anon = max(r.tree_anon_peak_kb for r in runs) / 1024
    out("")
    out(f"Peak memory: {peak:.0f} MB (largest single process, wait4), "
        f"{tree:.0f} MB (sum of PSS over the process tree incl. pandoc, sampled), of which "
        f"{anon:.0f} MB anonymous (heap; the rest is program and library files mapped from "
        "disk, pandoc's binary among them)")
    return medians


def lengths(conv: Converter, work: Path, rounds: int, log, out) -> dict:
    text = training_text()
    sets = {}
    for words in LENGTHS:
        folder = work / f"length-{words}"
        write_article(folder / "00-warm-up.txt", "txt", 300, 0, text)
        write_article(folder / f"article-{words}w.txt", "txt", words, 1, text)
        sets[words] = folder
    results: dict[int, list[Run]] = {w: [] for w in LENGTHS}
    for index in range(rounds):
        order = list(LENGTHS[index % 3:] + LENGTHS[: index % 3])
        for words in order:
            folder = sets[words]
            articles = sorted(folder.glob("*.txt"))
            run = conv.run(articles, folder, work)
            results[words].append(run)
            log(f"  round {index + 1}: {words:>6} words  {run.seconds:6.2f} s  "
                f"load {run.load:4.2f}  {'ok' if run.ok else 'FAILED ' + run.error}")
    out("| words | read s | normalise s | write_pdf s | write_epub s | write_docx s | "
        "article total s | s per 1,000 words | invocation wall s | peak MB (process) | "
        "peak MB (tree) | peak MB (tree, heap) |")
    out("|---|---|---|---|---|---|---|---|---|---|---|---|")
    table = {}
    for words in LENGTHS:
        runs = [r for r in results[words] if r.ok and r.report]
        if not runs:
            out(f"| {words} | failed |")
            continue
        real_words = words_in(sets[words] / f"article-{words}w.txt")

        def doc_seconds(run: Run) -> dict[str, float]:
            for doc in run.report["documents"]:
                if "warm-up" not in doc["source"]:
                    return {k: v for k, v in doc["seconds"].items() if k not in NOT_STAGES}
            return {}

        stages = {s: median([doc_seconds(r).get(s, 0.0) for r in runs])
                  for s in ("read", "normalise", "write_pdf", "write_epub", "write_docx")}
        total = median([sum(doc_seconds(r).values()) for r in runs])
        wall = median([r.seconds for r in runs])
        peak = max(r.peak_kb for r in runs) / 1024
        tree = max(r.tree_peak_kb for r in runs) / 1024
        anon = max(r.tree_anon_peak_kb for r in runs) / 1024
        table[words] = {"words": real_words, "stages": stages, "total": total, "wall": wall,
                        "peak_mb": peak, "tree_peak_mb": tree, "tree_heap_peak_mb": anon}
        out(f"| {real_words} | " + " | ".join(f"{stages[s]:.3f}" for s in stages)
            + f" | {total:.3f} | {total / real_words * 1000:.3f} | {wall:.2f} | {peak:.0f} | "
            f"{tree:.0f} | {anon:.0f} |")
    if LENGTHS[0] in table and LENGTHS[-1] in table:
        small, big = table[LENGTHS[0]], table[LENGTHS[-1]]
        k = math.log(big["total"] / small["total"]) / math.log(big["words"] / small["words"])
        out("")
        out(f"Growth from {small['words']} to {big['words']} words: time x "
            f"{big['total'] / small['total']:.1f} for words x {big['words'] / small['words']:.1f}, "
            f"exponent k = {k:.2f} (time ~ words^k; 1.0 is linear)")
        for stage in ("normalise", "write_pdf", "write_epub", "write_docx"):
            a, b = small["stages"][stage], big["stages"][stage]
            if a > 0 and b > 0:
                ks = math.log(b / a) / math.log(big["words"] / small["words"])
                out(f"  {stage}: {a:.3f} s -> {b:.3f} s, k = {ks:.2f}")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--length-rounds", type=int, default=3,
                        help="rounds of the 1k/5k/20k series (default 3)")
    parser.add_argument("--articles", type=Path, help="use this folder instead of generated ones")
    parser.add_argument("--count", type=int, default=10, help="generated articles (default 10)")
    parser.add_argument("--words", default=f"{SHORT_WORDS[0]}-{SHORT_WORDS[1]}", metavar="LOW-HIGH",
                        help="length range of the generated articles (default %(default)s)")
    parser.add_argument("--no-calibre", action="store_true", help="leave calibre out")
    parser.add_argument("--no-pandoc", action="store_true", help="leave pandoc out")
    parser.add_argument("--no-lengths", action="store_true", help="skip the 1k/5k/20k series")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="also write a pyinstrument profile of one converter run")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the numbers as JSON")
    args = parser.parse_args(argv)
    # Measure converter as installed: with its modules' bytecode, as pip leaves a wheel
    # (under PYTHONDONTWRITEBYTECODE=1 an editable install would compile them in every run).
    compileall.compile_dir(ROOT / "converter", quiet=1)

    def out(line: str = "") -> None:
        print(line, flush=True)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="converter-bench-"))
    try:
        if args.articles:
            folder = args.articles.resolve()  # commands run in a scratch folder
        else:
            folder = work / "articles"
            text = training_text()
            low, high = (int(n) for n in args.words.split("-", 1))
            for index in range(args.count):
                words = low + (high - low) * index // max(1, args.count - 1)
                kind = ("txt", "md", "html")[index % 3]
                write_article(folder / f"article-{index + 1:02d}.{kind}", kind, words, index, text)
        articles = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html"))
        tools: list[Tool] = [Converter()]
        if not args.no_pandoc:
            tools.append(Pandoc())
        calibre = shutil.which("ebook-convert")
        if calibre and not args.no_calibre:
            tools.append(Calibre(calibre))

        started_load = os.getloadavg()
        out("# converter speed benchmark")
        out("")
        out(f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}`")
        out(f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
        out(f"- machine: {machine()}; Python {platform.python_version()}")
        out(f"- load average at start: {started_load[0]:.2f} {started_load[1]:.2f} "
            f"{started_load[2]:.2f} (other processes share this machine; ratios come from "
            "alternated runs)")
        out(f"- articles: {len(articles)} ({', '.join(sorted({a.suffix[1:] for a in articles}))}),"
            f" {sum(words_in(a) for a in articles)} words in all, "
            f"{min(words_in(a) for a in articles)}-{max(words_in(a) for a in articles)} each")
        out(f"- converter: `{' '.join(tools[0].command(Path('DIR'), Path('OUT'), Path('R.json')))}`"
            f" ({tools[0].version})")
        for tool in tools[1:]:
            shown = [" ".join([Path(c[0]).name, *c[1:]]) for c in tool.commands(Path("IN"), Path("."))]
            out(f"- {tool.name} ({tool.version}), per article: " + "; ".join(f"`{c}`" for c in shown))
        if not calibre:
            out("- calibre: not installed (make bench installs it through .ci/system-deps --bench)")
        out(f"- rounds: {args.rounds}, tool order rotating; one untimed warm-up run per tool")
        out("")
        log(f"timing {len(articles)} articles, {args.rounds} rounds ...")
        compare(tools, articles, folder, args.rounds, work, log)

        out(f"## {len(articles)} articles, three editions each (wall seconds for the whole set)")
        out("")
        summary = print_comparison(tools, articles, out)
        out("")
        out("## Where converter's time goes (--jobs 1, medians over the rounds)")
        out("")
        stages = print_stages(tools[0], out)
        result = {"articles": [str(a) for a in articles], "comparison": summary,
                  "stages": stages,
                  "runs": {t.name: [r.__dict__ | {"report": None} for r in t.runs] for t in tools}}
        if not args.no_lengths:
            out("")
            out("## Cost by article length (one article after a warm-up article, medians)")
            out("")
            log(f"length series, {args.length_rounds} rounds ...")
            assert isinstance(tools[0], Converter)
            result["lengths"] = lengths(tools[0], work, args.length_rounds, log, out)
        ended_load = os.getloadavg()
        out("")
        out(f"Load average at the end: {ended_load[0]:.2f} {ended_load[1]:.2f} {ended_load[2]:.2f}")
        if args.profile:
            conv = tools[0]
            assert isinstance(conv, Converter)
            target = work / "profiled"
            command = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(args.profile),
                       "-m", "converter", *conv.arguments(folder, target, work / "p.json")]
            subprocess.run(command, check=False, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            out(f"Profile of one converter run: {args.profile}")
        if args.json:
            args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
