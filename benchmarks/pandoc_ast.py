"""What sending pandoc its JSON AST instead of the XHTML page saves, on the batch articles.

    .venv/bin/python benchmarks/pandoc_ast.py [--count 60] [--repeat 10]

Input: the articles of ``benchmarks/batch.py generate`` (the batch benchmark's input, same
seed), each read and normalised by the converter, then turned into the DOCX writer's page
(``DocxWriter.prepare_page``). Measured per page, medians over ``--repeat`` runs:

* Python: ``to_xhtml(page)`` (what is sent today) against ``page_to_json(page)``
  (converter/writers/pandoc_ast.py), wall time with time.perf_counter in this process;
* pandoc: ``pandoc.read(xhtml, 'html', {standalone = true})`` against
  ``pandoc.read(json, 'json')``, CPU time (os.clock) inside one ``pandoc lua`` process of the
  bundled pandoc, so start-up is not counted; both documents are also checked to be equal.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import batch

from converter.config import Config
from converter.pipeline import prepare
from converter.writers.docx import DocxWriter, pandoc_binary
from converter.writers.html import to_xhtml
from converter.writers.pandoc_ast import page_to_json

LUA = r"""
local list, repeat_ = arg[1], tonumber(arg[2])
local function slurp(path)
  local f = assert(io.open(path, 'rb')); local s = f:read('a'); f:close(); return s
end
local html_ms, json_ms, unequal = {}, {}, 0
for line in io.lines(list) do
  local html, js = slurp(line .. '.xhtml'), slurp(line .. '.json')
  local a = pandoc.read(html, 'html', {standalone = true}, {})
  local b = pandoc.read(js, 'json')
  if pandoc.write(a, 'json') ~= pandoc.write(b, 'json') then unequal = unequal + 1 end
  local t = {}
  for _ = 1, repeat_ do
    local c = os.clock(); pandoc.read(html, 'html', {standalone = true}, {})
    t[#t + 1] = (os.clock() - c) * 1000
  end
  table.sort(t); html_ms[#html_ms + 1] = t[(#t + 1) // 2]
  t = {}
  for _ = 1, repeat_ do
    local c = os.clock(); pandoc.read(js, 'json')
    t[#t + 1] = (os.clock() - c) * 1000
  end
  table.sort(t); json_ms[#json_ms + 1] = t[(#t + 1) // 2]
end
io.write(pandoc.json.encode({html = html_ms, json = json_ms, unequal = unequal}))
"""


def _median_ms(func, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(arg)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    writer = DocxWriter(Config())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = batch.generate(folder / "articles", args.count)
        pages = [writer.prepare_page(prepare(path, Config())) for path in sources]
        words = [len(" ".join(p.itertext()).split()) for p in pages]
        xhtml_ms = [_median_ms(to_xhtml, p, args.repeat) for p in pages]
        ast_ms = [_median_ms(page_to_json, p, args.repeat) for p in pages]
        names = []
        handled = 0
        for index, page in enumerate(pages):
            ours = page_to_json(page)
            if ours is None:
                continue
            handled += 1
            stem = folder / f"page-{index}"
            stem.with_suffix(".xhtml").write_bytes(to_xhtml(page))
            stem.with_suffix(".json").write_text(ours, encoding="utf-8")
            names.append(str(stem))
        (folder / "list").write_text("\n".join(names) + "\n", encoding="utf-8")
        (folder / "bench.lua").write_text(LUA, encoding="utf-8")
        done = subprocess.run(
            [pandoc_binary(), "lua", str(folder / "bench.lua"), str(folder / "list"),
             str(args.repeat)],
            capture_output=True, check=True,
        )  # fmt: skip
        pandoc = json.loads(done.stdout)

    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else float("nan")

    print(f"input: {args.count} articles from benchmarks/batch.py generate (seed 5), "
          f"{mean(words):.0f} words on average; medians of {args.repeat} runs per page")
    print(f"handled by page_to_json: {handled}/{len(pages)}; pandoc documents unequal: "
          f"{pandoc['unequal']}")
    print(f"Python ms/page   to_xhtml {mean(xhtml_ms):6.3f}   page_to_json {mean(ast_ms):6.3f}")
    print(f"pandoc read ms/page (CPU)   html {mean(pandoc['html']):6.3f}   "
          f"json {mean(pandoc['json']):6.3f}")
    print(f"per page: send-side extra {mean(ast_ms) - mean(xhtml_ms):+.3f} ms (Python, if JSON "
          f"replaces XHTML), pandoc saves {mean(pandoc['html']) - mean(pandoc['json']):.3f} ms")


if __name__ == "__main__":
    main()
