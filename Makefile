# Waspada: `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
export WASPADA_DATA_DIR ?= $(CURDIR)/var
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
# One catalog per language in responses/languages.yml: adding a language adds a folder here.
LOCALES := $(patsubst locales/%/LC_MESSAGES/messages.po,%,$(wildcard locales/*/LC_MESSAGES/messages.po))
MO_FILES := $(foreach l,$(LOCALES),locales/$(l)/LC_MESSAGES/messages.mo)
# The strings in the code are English: `make locales` copies each new msgid into this catalog.
SOURCE_LOCALE := en

# A working Python 3.10 (Rasa 3.6 needs exactly 3.10): $PYTHON, then python3.10 if it really runs
# (pyenv shims often do not), then pyenv's versions/3.10.*, then common system places.
define FIND_PYTHON
is310() { "$$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }; \
if [ -n "$${PYTHON:-}" ]; then \
	if is310 "$$PYTHON"; then echo "$$PYTHON"; exit 0; fi; \
	echo "PYTHON=$$PYTHON is not a working Python 3.10 interpreter." >&2; exit 1; \
fi; \
root=$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}"); \
for c in python3.10 $$(ls -d "$$root"/versions/3.10.*/bin/python 2>/dev/null | sort -rV) \
		/usr/local/bin/python3.10 /usr/bin/python3.10 /opt/homebrew/bin/python3.10; do \
	if is310 "$$c"; then command -v "$$c"; exit 0; fi; \
done; \
echo "Waspada needs Python 3.10 (Rasa 3.6 does not run on 3.11+) and none was found." >&2; \
echo "Install it with one of:  pyenv install 3.10  |  sudo apt install python3.10 python3.10-venv  |  brew install python@3.10" >&2; \
echo "or point at one:  make run PYTHON=/path/to/python3.10" >&2; exit 1
endef

.DEFAULT_GOAL := help
.PHONY: help setup run chat test lint typecheck pytest bench train locales clean check-answers show-answer eval screenshots

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml constraints.txt
	@py=$$($(FIND_PYTHON)) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
		echo "Creating $(VENV) with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=24,<26'
	$(BIN)/python -m pip install --quiet --progress-bar off -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip check
	@touch $@

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel -q compile -d locales -D messages -l $* -i $< -o $@

setup: $(BIN)/.installed $(MO_FILES) train ## Create .venv, install pinned packages, compile translations, train NLU if stale

train: $(BIN)/.installed ## Train the NLU model (only when nlu/ data or config changed)
	$(BIN)/waspada nlu train

COMPLAINT_API_PORT ?= 8765

run: setup ## Set up, then chat: Telegram if TELEGRAM_BOT_TOKEN is set, else in this terminal
	@if [ -z "$${COMPLAINT_API_URL:-}" ]; then \
	  mkdir -p var; \
	  export COMPLAINT_API_TOKEN="$${COMPLAINT_API_TOKEN:-local-$$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"; \
	  $(BIN)/waspada complaint-api serve --host 127.0.0.1 --port $(COMPLAINT_API_PORT) \
	    </dev/null >var/complaint-api.log 2>&1 & api=$$!; \
	  trap 'kill $$api 2>/dev/null' EXIT INT TERM; \
	  export COMPLAINT_API_URL=http://127.0.0.1:$(COMPLAINT_API_PORT); \
	  echo "Reports go to a local reference complaint API on $$COMPLAINT_API_URL (log: var/complaint-api.log)." >&2; \
	fi; \
	if [ -n "$${TELEGRAM_BOT_TOKEN:-}" ]; then $(BIN)/waspada run; else $(BIN)/waspada chat; fi

lint: $(BIN)/.installed ## ruff check and format check
	$(BIN)/ruff check bot tests
	$(BIN)/ruff format --check bot tests

typecheck: $(BIN)/.installed ## mypy --strict on bot/
	$(BIN)/mypy

pytest: setup ## Run the test suite only
	$(BIN)/pytest

test: setup lint typecheck pytest ## Set up, then ruff, mypy and the whole test suite

check-answers: $(BIN)/.installed ## Check every answer file in responses/ (for staff)
	$(BIN)/waspada faq check

show-answer: $(BIN)/.installed ## Show an answer as citizens see it: make show-answer TOPIC=faq_phishing IN=ms
	$(BIN)/waspada faq show $(TOPIC) --lang $(or $(IN),en)

screenshots: setup ## Refresh docs/screenshots/ from the console's browser tests
	WASPADA_SCREENSHOTS=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_console_handoff.py tests/test_console_alerts.py tests/test_console_insight.py

eval: setup ## Measure the NLU on the held-out set (reports in var/reports/)
	$(BIN)/waspada nlu eval

bench: setup ## Run benchmarks and write docs/benchmarks.md
	$(BIN)/python -m tests.bench

locales: $(BIN)/.installed ## Extract UI strings, update every catalog, fill English from the msgids
	$(BIN)/pybabel extract -F pyproject.toml -o locales/messages.pot --no-location --sort-output --project=waspada -c TRANSLATORS: --no-default-keywords -k _t:2 -k t:2 -k gettext:2 -k N_ .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/python -m bot.i18n.fill_source locales/$(SOURCE_LOCALE)/LC_MESSAGES/messages.po
	$(MAKE) $(MO_FILES)

clean: ## Remove the venv and local data (models, database)
	rm -rf $(VENV) var
