# converter: two commands do all the set-up on a fresh clone:
#   make export   -> converts samples/ into build/ (PDF, EPUB, DOCX), in parallel, only what changed
#   make test     -> the whole test suite
# also: make pdf|epub|docx|html|md (one format), make check (validate what is in build/)
# e.g.  make export CONVERT_FLAGS="--strict --force"   JOBS=1
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SAMPLES := samples
OUT     ?= build
JOBS    ?=
CONVERT_FLAGS ?=
CONVERT := $(BIN)/converter convert $(SAMPLES) -o $(OUT) $(if $(JOBS),--jobs $(JOBS)) $(CONVERT_FLAGS)

.PHONY: install system-check test-deps export pdf epub docx html md check test bench clean reference-docx docs fuzz

# Bytecode for converter's own modules (pip compiles a wheel's at install; an editable
# install leaves it to the first import, which PYTHONDONTWRITEBYTECODE=1 turns off: then every
# process compiles ~30 modules again, 0.12 s). Quick when nothing changed.
install: system-check $(STAMP)
	@$(BIN)/python -m compileall -q converter

# Re-installs only when pyproject.toml changes; otherwise a quick no-op.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# WeasyPrint needs Pango and HarfBuzz subsetting, EPUBCheck needs Java, the styles need DejaVu,
# Amiri, Frank Ruehl CLM and WenQuanYi Micro Hei (Greek, Cyrillic, Arabic, Hebrew, CJK).
# .ci/system-deps installs what is missing when run as root with apt-get, else names it and fails.
system-check:
	@.ci/system-deps

# The tests also open DOCX in LibreOffice and read PDFs with poppler: they must run, not skip.
test-deps:
	@.ci/system-deps --test

# Incremental: editions whose source, options, styles and converter are unchanged are kept
# (build/.converter-manifest.json); build/report.json lists every document.
export: install
	$(CONVERT) --to pdf,epub,docx --report $(OUT)/report.json

pdf epub docx html md: install
	$(CONVERT) --to $@

# EPUBCheck on the EPUBs, structure checks on the PDFs and DOCX files; exit 1 if any is invalid.
check: install
	@test -d $(OUT) || { echo "make check: no $(OUT)/ folder; run make export first" >&2; exit 2; }
	$(BIN)/converter check $(OUT)

test: install test-deps
	$(BIN)/python -m pytest -q

# A long Hypothesis campaign on the readers, the normaliser and the writers (random bytes,
# markup and Markdown soup): FUZZ_EXAMPLES examples per property (the test suite runs 100-150).
# Failing examples are kept in .hypothesis/ and replayed first by every later run.
FUZZ_EXAMPLES ?= 20000
fuzz: install
	HYPOTHESIS_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_fuzz_readers.py tests/test_normalise_properties.py

# Speed against pandoc and calibre (benchmarks/speed.py: medians of alternated runs, stages,
# memory, cost by length). .ci/system-deps --bench installs calibre's ebook-convert first.
bench: install
	@.ci/system-deps --bench
	$(BIN)/python benchmarks/speed.py $(BENCH_FLAGS)

# styles/reference.docx is generated (pandoc's default restyled); review the diff, then commit.
reference-docx: install
	$(BIN)/python styles/make_reference_docx.py

# docs/edition-{pdf,epub,docx}.png: one page of each edition of samples/every-block.md.
docs: install test-deps
	$(BIN)/python docs/render.py

clean:
	rm -rf $(OUT) .pytest_cache
