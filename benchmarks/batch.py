"""Batch benchmark: N generated articles x 3 editions, --jobs 1 against --jobs 2, then an
unchanged re-run, with the peak memory of each worker.

    .venv/bin/python benchmarks/batch.py                  # 200 articles, pdf,epub,docx
    .venv/bin/python benchmarks/batch.py --count 50 --repeat 3
    .venv/bin/python benchmarks/batch.py generate DIR --count 200   # only write the articles

What it measures: wall time of whole ``converter convert`` processes (start-up, worker
start-up, reading, normalising, the three writers, writing files), each run into a fresh
output folder so nothing is reused, with SOURCE_DATE_EPOCH set so both runs must write
byte-identical editions (checked). ``--repeat R`` alternates the two and prints medians.
The unchanged re-run repeats the --jobs 2 command on its own output folder. Peak memory
per worker is each worker process's peak RSS as the --report JSON records it. The load
average before and after is printed: other work on the machine slows both runs.

A control run converts the same articles split in two halves with two independent
``--jobs 1`` processes at the same time: on a machine shared with other work, its ratio to
the --jobs 1 run shows how much parallelism is available at all, so a low speed-up can be
told apart from overhead in the batch machinery.

The articles come from ``generate``: deterministic (seeded) articles in the three damaged
shapes of samples/: scraped text (title line, byline, plain-line headings, detached "-"
markers, share/comment boilerplate), broken Markdown ("##Heading", "-item", "1)item",
hyphenated hard wraps) and HTML pages whose structure is faked with <b> headings,
"•" paragraphs and <br> lists. About 250 to 600 words each.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONVERTER = [sys.executable, "-m", "converter"]

WORDS = """council ferry harbour island budget vote library loans staff readers garden seeds
winter spring bridge tender contract passengers timetable subsidy operator regional fund
auditor residents consultation evening morning market river school teachers parents street
museum festival orchestra volunteers hospital nurses clinic weather storm coast fishermen
engineers inspection repairs traffic cyclists railway station platform tickets fares season
report survey results figures growth decline prices rents housing planning permission""".split()
VERBS = """voted agreed argued warned said reported confirmed decided opened closed raised cut
doubled asked answered planned expected promised reviewed published approved rejected""".split()
NAMES = ["Marta Iglesias", "Ayesha Rahman", "Tomasz Nowak", "Lena Fischer", "Kofi Mensah",
         "Sofia Marin", "Daniel Okafor", "Hannah Berg"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen.insert(min(2, len(chosen)), rng.choice(VERBS))
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 5)))


def _heading(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(2, 5)))


def _items(rng: random.Random) -> list[str]:
    return [_sentence(rng, rng.randint(4, 9)).rstrip(".") for _ in range(rng.randint(3, 5))]


def _sections(rng: random.Random) -> list[tuple[str, list[str], list[str]]]:
    """(heading, paragraphs, list items) for 2-4 sections."""
    return [(_heading(rng), [_paragraph(rng) for _ in range(rng.randint(1, 3))],
             _items(rng) if rng.random() < 0.6 else [])
            for _ in range(rng.randint(2, 4))]


def scraped_text(rng: random.Random) -> str:
    """Scraped text: one line per paragraph, plain-line headings, detached '-' markers."""
    lines = [_heading(rng) + ": " + _heading(rng), f"By {rng.choice(NAMES)}",
             f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2026", _paragraph(rng)]
    for heading, paragraphs, items in _sections(rng):
        lines.append(heading)
        lines.extend(paragraphs)
        for item in items:
            lines.extend(["-", item + "."])
    lines.extend(["0 Comments", "Share on Facebook", "Share on X"])
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 78) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            if len(word) > 6 and len(line) < width - 4:  # a hard hyphenated break
                cut = len(word) // 2
                lines.append(f"{line} {word[:cut]}-")
                line = word[cut:]
                continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def broken_markdown(rng: random.Random) -> str:
    """Broken Markdown: no space after '#' or '-', '1)' lists, bold-line headings, hard wraps."""
    out = [f"#{_heading(rng)}", "", *_wrap(_paragraph(rng)), ""]
    for index, (heading, paragraphs, items) in enumerate(_sections(rng)):
        out += [f"**{heading}**" if index % 2 else f"##{heading}", ""]
        for paragraph in paragraphs:
            out += [*_wrap(paragraph), ""]
        if items:
            ordered = rng.random() < 0.5
            out += [f"{n})" + item if ordered else "-" + item for n, item in enumerate(items, 1)]
            out.append("")
    out += ["Share this article", "Advertisement"]
    return "\n".join(out) + "\n"


def pseudo_html(rng: random.Random) -> str:
    """An HTML page: nav and footer around an article faked with <b>, '•' and <br>."""
    body = [f"<p><strong>{_heading(rng)}</strong></p>", f"<p>By {rng.choice(NAMES)}</p>",
            f"<p>{_paragraph(rng)}</p>"]
    for heading, paragraphs, items in _sections(rng):
        body.append(f"<p><b>{heading}</b></p>")
        body.extend(f"<p>{p}</p>" for p in paragraphs)
        if items and rng.random() < 0.5:
            body.extend(f"<p>• {item}</p>" for item in items)
        elif items:
            body.append("<p>" + "<br>".join(f"{n}. {i}" for n, i in enumerate(items, 1)) + "</p>")
    body.append("<p>Advertisement</p>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>News | Daily</title></head>"
            "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            "<div class='entry-content'>" + "\n".join(body) + "</div>"
            "<footer>© 2026 Daily. All rights reserved.</footer></body></html>\n")


SHAPES = (("txt", scraped_text), ("md", broken_markdown), ("html", pseudo_html))


def generate(folder: Path, count: int, seed: int = 5) -> list[Path]:
    """Write ``count`` articles into ``folder`` (the same files for the same count and seed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        suffix, make = SHAPES[index % len(SHAPES)]
        rng = random.Random(f"{seed}-{index}")
        path = folder / f"article-{index:05d}.{suffix}"
        path.write_text(make(rng), encoding="utf-8")
        paths.append(path)
    return paths


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Run converter; return wall seconds, exit code and the CPU seconds of its whole process
    tree (workers and pandoc included: each is waited for by its parent, so its time is
    counted in its parent's children, and so in ours)."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([*CONVERTER, *args], env=env, cwd=ROOT, check=False,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"converter failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.returncode, _children_cpu() - cpu_before


def _report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _workers(report: dict) -> dict[int, int]:
    """Peak RSS per worker process, from the report."""
    peaks: dict[int, int] = defaultdict(int)
    for doc in report["documents"]:
        worker = doc.get("worker") or {}
        if worker.get("pid"):
            peaks[worker["pid"]] = max(peaks[worker["pid"]], worker.get("peak_rss_bytes", 0))
    return dict(peaks)


def benchmark(count: int, formats: str, repeat: int, keep: Path | None) -> None:
    """Time --jobs 1, --jobs 2 and an unchanged re-run; print what was measured."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    # converter as installed: with its bytecode (see benchmarks/speed.py)
    compileall.compile_dir(ROOT / "converter", quiet=1)
    work = Path(keep or tempfile.mkdtemp(prefix="converter-batch-bench-"))
    inputs = work / "articles"
    generate(inputs, count)
    load_before = os.getloadavg()
    print(f"input: {count} generated articles ({', '.join(s for s, _ in SHAPES)}) in {inputs}")
    print(f"editions: {formats}; cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    times: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    reports: dict[int, dict] = {}
    for round_ in range(repeat):
        for jobs in ((1, 2) if round_ % 2 == 0 else (2, 1)):
            out = work / f"out-j{jobs}-{round_}"
            report = work / f"report-j{jobs}-{round_}.json"
            elapsed, code, cpu = _run(["convert", str(inputs), "--to", formats, "-o",
                                       str(out), "--jobs", str(jobs), "-q", "--report",
                                       str(report)], env)
            times[jobs].append(elapsed)
            cpus[jobs].append(cpu)
            reports[jobs] = _report(report)
            summary = reports[jobs]["summary"]
            print(f"  round {round_ + 1}: --jobs {jobs}: {elapsed:7.2f} s  exit {code}  "
                  f"({summary['ok']} ok, {summary['failed']} failed, "
                  f"{summary['editions_written']} editions)")
    last = repeat - 1
    unchanged_times = []
    for _ in range(max(1, repeat)):
        elapsed, _code, _cpu = _run(["convert", str(inputs), "--to", formats, "-o",
                               str(work / f"out-j2-{last}"), "--jobs", "2", "-q", "--report",
                               str(work / "report-unchanged.json")], env)
        unchanged_times.append(elapsed)
    unchanged = _report(work / "report-unchanged.json")["summary"]
    # Control: the same articles in two halves, converted by two independent --jobs 1
    # processes at the same time. Without any batch machinery between them this is the
    # best two processes can do on the machine as it is now (other work included).
    halves = [work / "half-a", work / "half-b"]
    for index, path in enumerate(sorted(inputs.iterdir())):
        target = halves[index % 2] / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
    started = time.perf_counter()
    procs = [subprocess.Popen([*CONVERTER, "convert", str(h), "--to", formats, "-o",
                               str(work / f"out-{h.name}"), "--jobs", "1", "-q"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for h in halves]
    for proc in procs:
        proc.wait()
    control = time.perf_counter() - started
    load_after = os.getloadavg()

    one, two = statistics.median(times[1]), statistics.median(times[2])
    again = statistics.median(unchanged_times)
    same = all(
        (work / f"out-j1-{last}" / Path(e["path"]).name).read_bytes()
        == (work / f"out-j2-{last}" / Path(e["path"]).name).read_bytes()
        for d in reports[2]["documents"] for e in d["editions"]
    )
    print()
    print(f"{count} articles x {len(formats.split(','))} editions "
          f"(median of {repeat} alternated run{'s' if repeat > 1 else ''}):")
    print(f"  --jobs 1            {one:8.2f} s   {one / count * 1000:6.1f} ms/article")
    print(f"  --jobs 2            {two:8.2f} s   {two / count * 1000:6.1f} ms/article")
    print(f"  speed-up            {one / two:8.2f} x   (done when >= 1.7)")
    if repeat > 1:
        # Each round's two runs are minutes apart at most; the machine's speed drifts more
        # than that over a long benchmark, so the ratio within a round is the steadier figure.
        ratios = [a / b for a, b in zip(times[1], times[2], strict=True)]
        print(f"  per-round speed-ups {', '.join(f'{r:.2f}' for r in ratios)}: median "
              f"{statistics.median(ratios):.2f} x")
    cpu_one = statistics.median(cpus[1])
    cores = os.cpu_count() or 1
    # (--jobs 2's tree is not counted this way: its workers are children of the fork
    # server, which does not wait for them, so their time never reaches us.)
    print(f"  CPU of the process tree, --jobs 1: {cpu_one:.2f} s ({cpu_one / one:.2f} cores busy "
          f"on average: pandoc makes the DOCX while the PDF renders)")
    print(f"  most --jobs 2 can gain on {cores} cores: {cores} / {cpu_one / one:.2f} = "
          f"{cores * one / cpu_one:.2f} x (all cores busy with the --jobs 1 run's CPU work); "
          f"reached {one / two / (cores * one / cpu_one) * 100:.0f} % of it")
    print(f"  control: two independent --jobs 1 processes on the two halves at once "
          f"{control:6.2f} s = {one / control:.2f} x the --jobs 1 run (what two processes "
          "can get from the machine right now)")
    print(f"  unchanged re-run    {again:8.2f} s   {again / two * 100:5.1f} % of the --jobs 2 run, "
          f"{again / one * 100:4.1f} % of --jobs 1 (done when <= 5 %); "
          f"{unchanged['unchanged']} unchanged, {unchanged['editions_written']} written")
    print(f"  editions of --jobs 1 and --jobs 2 byte-identical: {same}")
    for jobs in (1, 2):
        cpu = sum(d["seconds"].get("cpu", 0.0) for d in reports[jobs]["documents"])
        busy = sum(d["seconds"].get("total", 0.0) for d in reports[jobs]["documents"])
        print(f"  --jobs {jobs}: CPU time in conversions {cpu:7.2f} s, wall time in conversions "
              f"{busy:7.2f} s (CPU/wall {cpu / busy:.2f}; below 1 means waiting: pandoc, I/O, "
              "or other processes on the machine)")
    for jobs in (1, 2):
        peaks = _workers(reports[jobs])
        text = ", ".join(f"{v / 2**20:.0f} MiB" for v in sorted(peaks.values()))
        where = "the converter process itself" if jobs == 1 else f"{len(peaks)} worker processes"
        print(f"  peak RSS, --jobs {jobs} ({where}): {text}")
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if keep is None:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    """Parse the command line and run the benchmark or the generator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="run", choices=("run", "generate"))
    parser.add_argument("folder", nargs="?", type=Path, help="for generate: where to write")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--formats", default="pdf,epub,docx")
    parser.add_argument("--repeat", type=int, default=1, help="alternated rounds (median)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if args.command == "generate":
        if args.folder is None:
            parser.error("generate needs a folder")
        paths = generate(args.folder, args.count)
        print(f"wrote {len(paths)} articles to {args.folder}")
        return
    benchmark(args.count, args.formats, args.repeat, args.keep)


if __name__ == "__main__":
    main()
