# The storefront's everyday commands. `make help` lists them.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Test processes side by side: most of a test's time is spent waiting on services, the
# broker and the browser, so two share two cores well. TEST_WORKERS=0 runs them in one.
# Work stealing: a process that runs out of tests takes some from the other's queue, so
# the run does not end with one process idle beside a queue of slow end-to-end tests.
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run test lint migrate clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

run: $(STAMP) ## Start the whole storefront locally with demo shops, then print the URL
	@# exec: the script, not a shell between make and it, hears Ctrl-C and ends quietly.
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec scripts/run-local

test: $(STAMP) ## Run the whole test suite (RabbitMQ required; Chromium installed if missing)
	scripts/ensure-rabbitmq
	scripts/ensure-chromium
	@# The slowest tests are listed after the summary: where a longer run went.
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not alone" --durations=20 $(PYTEST_ARGS)
	@# Tests that stop the broker every other test uses, afterwards and one at a time
	@# (exit code 5: none among the tests asked for).
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m pytest -m alone $(PYTEST_ARGS) || test $$? -eq 5

lint: $(STAMP) ## Check style and formatting with ruff
	$(VENV)/bin/ruff check services gateway tests scripts bench
	$(VENV)/bin/ruff format --check services gateway tests scripts bench

migrate: $(STAMP) ## Bring every service's database to the latest schema
	$(PY) -m services.common.manage all migrate

clean: ## Remove local databases and the search index (var/)
	rm -rf var
