# converter: two commands do all the set-up on a fresh clone:
#   make export   -> converts samples/ into build/ (PDF, EPUB, DOCX)
#   make test     -> the whole test suite
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SAMPLES := samples
OUT     ?= build
CONVERT := $(BIN)/converter convert $(SAMPLES) -o $(OUT)

.PHONY: install system-check test-deps export pdf epub docx html md test clean

install: system-check $(STAMP)

# Re-installs only when pyproject.toml changes; otherwise a quick no-op.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# WeasyPrint needs Pango and HarfBuzz subsetting, EPUBCheck needs Java, the styles need DejaVu.
# .ci/system-deps installs what is missing when run as root with apt-get, else names it and fails.
system-check:
	@.ci/system-deps

# The tests also open DOCX in LibreOffice and read PDFs with poppler: they must run, not skip.
test-deps:
	@.ci/system-deps --test

export: install
	$(CONVERT) --to pdf,epub,docx

pdf epub docx html md: install
	$(CONVERT) --to $@

test: install test-deps
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(OUT) .pytest_cache
