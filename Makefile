# jiandi: two commands on a fresh machine.
#   make site   install what is needed and build the sample content into site/public and site/internal
#   make test   install what is needed and run every test
#   make lint   install what is needed and run ruff (rules, format) and mypy
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages. Booklets: the Chinese fonts (Noto CJK SC; AR PL UKai as the 楷体 stand-in),
# which Typst (inside its wheel) finds among the system's fonts, and fontconfig, whose fc-list
# tells jiandi before printing whether they are there. Tests: nginx for the access-control
# test, poppler-utils to look at PDFs.
DEB_SITE := fontconfig fonts-noto-cjk fonts-arphic-ukai
DEB_TEST := nginx-light poppler-utils chromium default-jre-headless
# axe-core (npm) for the accessibility checks in the browser tests; the Nu Html Checker (npm
# vnu-jar, run with Debian's Java) for the markup of every page.
AXE := .npm/node_modules/axe-core/axe.min.js
VNU := .npm/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: site test lint golden install clean system-site system-test debs

site: $(STAMP) system-site
	$(BIN)/jiandi build --content content --out site

# Test files spread over one worker per core (pytest-xdist); a file's tests stay together, so
# each file's shared builds are made once.
test: $(STAMP) system-test $(AXE) $(VNU)
	$(BIN)/python -m pytest -n auto --dist loadfile

# ruff (rules and format) over the package, the tests and the benchmarks; mypy (strict) over the
# package. All pinned in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks tools
	$(BIN)/ruff format --check generator tests benchmarks tools
	$(BIN)/mypy

$(AXE) $(VNU):
	command -v npm >/dev/null || $(MAKE) --no-print-directory debs PACKAGES=npm
	mkdir -p .npm && npm install --prefix .npm --no-audit --no-fund --silent axe-core@4 vnu-jar@26

system-site:
	@$(MAKE) --no-print-directory debs PACKAGES="$(DEB_SITE)"

system-test:
	@$(MAKE) --no-print-directory debs PACKAGES="$(DEB_SITE) $(DEB_TEST)"

# Install the Debian packages that are missing (as root; otherwise say which are needed).
debs:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "missing Debian packages:$$missing (install them as root: apt-get install$$missing)"; fi

install: $(STAMP)

# Re-install when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build site $(VENV)

# Update the golden snapshot of the sample's generated projects (tests/golden) after a meant
# change; read its diff before committing.
golden: $(STAMP)
	JIANDI_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
