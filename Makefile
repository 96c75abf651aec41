# studyapp: `make run` to try it, `make test` for the whole suite.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SEEDS ?= ../shared/seeds
CORPUS ?= ../shared/corpus

.PHONY: install install-dev run serve test lint banks bench model browser-deps clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Migrate, load the shipped banks (idempotent: progress is kept), create the demo accounts, serve.
run: install
	$(BIN)/studyapp db upgrade
	$(BIN)/studyapp load-banks
	@echo "Demo accounts:"
	@$(BIN)/studyapp demo-accounts
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(BIN)/studyapp run --host 127.0.0.1 --port $(PORT)

# Several gunicorn workers and the job worker; set DATABASE_URL (PostgreSQL), REDIS_URL (jobs)
# and RATELIMIT_STORAGE_URI (Redis). Without REDIS_URL the job worker has nothing to do and
# says so: jobs then run on threads inside the web workers. Ctrl-C stops both.
serve: install
	$(BIN)/studyapp db upgrade
	$(BIN)/studyapp load-banks
	@trap 'kill $$jobs 2>/dev/null; wait $$jobs' EXIT INT TERM; \
	$(BIN)/studyapp worker & jobs=$$!; \
	$(BIN)/gunicorn --workers $${WORKERS:-4} --bind 127.0.0.1:$(PORT) 'studyapp:create_app()'

# Browser tests drive Debian's Chromium; install it when we may (root), else say how.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

test: install-dev browser-deps
	$(BIN)/ruff check studyapp tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check studyapp tests bench

banks: install
	$(BIN)/python -m studyapp.qgen.make_banks $(SEEDS) questions

# Rebuild the English spaCy pipeline from the treebanks in $(CORPUS) (about two hours on one
# core): convert, train (one process), measure on the held-out test splits, then ship
# model-best in the package. Checkpoints and corpora stay in training/ (git-ignored).
model: install
	$(BIN)/python training/convert.py training/corpus $(CORPUS)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m spacy train training/config.cfg \
	  --output training/output
	$(BIN)/python training/evaluate.py training/output/model-best $(CORPUS)
	rm -rf studyapp/nlp/model
	cp -r training/output/model-best studyapp/nlp/model

bench: install-dev
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
