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

.PHONY: install system-check export pdf epub docx html md test clean

install: $(STAMP)

# Re-installs only when pyproject.toml changes; otherwise a quick no-op.
$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-check
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# WeasyPrint needs Pango; EPUBCheck needs Java. Say what is missing instead of failing later.
system-check:
	@missing=""; \
	$(PYTHON) -c "import ctypes.util,sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') else 1)" \
	  || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "converter: missing system packages:$$missing" >&2; \
	  echo "  install them with: apt-get install -y$$missing   (or run .ci/run as root, which does)" >&2; \
	  exit 1; \
	fi

export: install
	$(CONVERT) --to pdf,epub,docx

pdf epub docx html md: install
	$(CONVERT) --to $@

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(OUT) .pytest_cache
