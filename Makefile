# jiandi: two commands on a fresh machine.
#   make site   install what is needed and build the sample content into site/public and site/internal
#   make test   install what is needed and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test install clean

site: $(STAMP)
	$(BIN)/jiandi build --content content --out site

test: $(STAMP)
	$(BIN)/python -m pytest

install: $(STAMP)

# Re-install when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build site $(VENV)
