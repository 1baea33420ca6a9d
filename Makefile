# The one entry point of the talq contract toolkit. `make help` lists the targets.
# Everything runs from a project-local virtual environment (.venv) and node_modules, both created
# on first use from the pinned requirements.lock and package-lock.json.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
NODE_BIN := node_modules/.bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
LINTED := $(wildcard mock_server tests contract_tests tools bench test_support openapi/sdk)

export PATH := $(abspath $(BIN)):$(PATH)
# Bytecode goes to one cache outside the sources (.venv/pycache): no __pycache__ in the tree, and yet no
# recompiling of every module (nor pytest re-rewriting every test module) on each run or in each process.
export PYTHONPYCACHEPREFIX := $(abspath $(VENV))/pycache
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help setup mock prism-compare soak fuzz test lint-spec generate check-generated lint format typecheck check-workflow pytest contract contract-deep bench lock clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY_STAMP): requirements.lock generated/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e generated
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PY_STAMP) $(NODE_STAMP) ## install the pinned Python and Node tools (done by the other targets on first use)

mock: $(PY_STAMP) ## serve the mock on http://127.0.0.1:4010 (Ctrl-C stops it; see python -m mock_server --help)
	$(PY) -m mock_server $(ARGS)

prism-compare: $(PY_STAMP) $(NODE_STAMP) ## replay the black-box cases against Prism 5.16.0 and the mock; report every difference
	$(PY) -m tools.prism_compare

soak: $(PY_STAMP) ## 60 s at concurrency 64 of mixed requests over HTTP: no 5xx, no errors, flat memory (SECONDS=, CONCURRENCY=)
	$(PY) -m tools.soak --seconds $(or $(SECONDS),60) --concurrency $(or $(CONCURRENCY),64)

fuzz: $(PY_STAMP) ## 100,000 seeded mutated requests through the pipeline: no 5xx, every answer valid (INPUTS=, SEED=)
	$(PY) -m tools.fuzz --inputs $(or $(INPUTS),100000) --seed $(or $(SEED),1)

test: setup lint-spec check-generated lint typecheck check-workflow pytest ## everything CI runs: spec lint, drift check, ruff, mypy, workflow check, pytest

lint-spec: $(PY_STAMP) $(NODE_STAMP) ## validate openapi/talq.yaml and openapi/mock-admin.yaml (openapi-spec-validator + Spectral spectral:oas)
	$(BIN)/openapi-spec-validator openapi/talq.yaml openapi/mock-admin.yaml
	$(NODE_BIN)/spectral lint openapi/talq.yaml openapi/mock-admin.yaml --ruleset .spectral.yaml --fail-severity warn

generate: $(PY_STAMP) ## regenerate the client in generated/ from openapi/talq.yaml
	$(PY) tools/generate_client.py

check-generated: $(PY_STAMP) ## fail if generated/ differs from a fresh generation (drift check)
	$(PY) tools/generate_client.py --check
	$(BIN)/mypy --config-file /dev/null --strict generated/talq_client

lint: $(PY_STAMP) ## ruff lint and format check (generated/ excluded: it has its own gate)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: $(PY_STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

typecheck: $(PY_STAMP) ## mypy --strict on the project's own code and tests
	$(BIN)/mypy

check-workflow: $(PY_STAMP) ## validate the GitHub Actions workflow against its JSON schema
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/contract.yml

# Debian's chromium for the inspector's browser tests (Playwright from PyPI drives it; never `playwright install`).
CHROMIUM ?= /usr/bin/chromium

.PHONY: chromium
chromium: ## install Debian's chromium with apt-get when it is missing (the inspector's browser tests need it)
	@test -x $(CHROMIUM) || { \
	  echo "make: $(CHROMIUM) is missing: installing Debian's chromium package with apt-get (once)"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; } || { \
	    echo "make: could not install chromium with apt-get; install Debian's chromium package (or set CHROMIUM=/path/to/chromium) and retry" >&2; \
	    exit 1; }; }

pytest: $(PY_STAMP) $(NODE_STAMP) chromium redis-server ## run the test suite (unit, black-box and contract tests)
	$(BIN)/pytest

.PHONY: test-fast
test-fast: $(PY_STAMP) chromium redis-server ## the edit-test loop: every test but the slow ones (soak, fuzz, Prism, schemathesis runs, generation); < 60 s
	$(BIN)/pytest -q -m "not slow"

contract: $(PY_STAMP) ## schemathesis CLI + schemathesis.toml against URL=... TOKEN=... (localhost only) or, with no URL, a mock it starts; JUnit in reports/
	URL="$(URL)" TOKEN="$(TOKEN)" $(PY) -m contract_tests.run_contract

CONTRACT_DEEP_EXAMPLES ?= 300

contract-deep: $(PY_STAMP) ## the contract tests with many more generated examples (local, slower; CONTRACT_DEEP_EXAMPLES=300)
	TALQ_CONTRACT_MAX_EXAMPLES=$(CONTRACT_DEEP_EXAMPLES) $(BIN)/pytest contract_tests --durations=10
	URL="$(URL)" TOKEN="$(TOKEN)" $(PY) -m contract_tests.run_contract --max-examples $(CONTRACT_DEEP_EXAMPLES)

bench: $(PY_STAMP) $(NODE_STAMP) redis-server ## benchmark the mock vs Prism vs a bare ASGI ceiling, then the inspector's cost (wrk; ~6 min; reports/bench*.*)
	@command -v wrk >/dev/null || { \
	  echo "make bench: wrk is not on PATH: installing Debian's wrk package with apt-get"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; } || { \
	    echo "make bench: could not install wrk with apt-get; install wrk (or put it on PATH) and retry" >&2; \
	    exit 1; }; }
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.inspector $(INSPECTOR_BENCH_ARGS)

.PHONY: bench-inspector
bench-inspector: $(PY_STAMP) ## the inspector's cost alone: before it, no page open, one page streaming (wrk; ~2 min; reports/bench-inspector.*)
	@command -v wrk >/dev/null || { echo "make bench-inspector: wrk is not on PATH: run make bench once (it installs wrk) or install wrk" >&2; exit 1; }
	$(PY) -m bench.inspector $(INSPECTOR_BENCH_ARGS)

lock: ## re-pin requirements.lock from the direct pins in pyproject.toml
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check $$($(PYTHON) tools/direct_pins.py)
	{ echo "# Generated by 'make lock' from pyproject.toml's pins: do not edit by hand."; \
	  .lock-venv/bin/pip freeze --disable-pip-version-check; } > requirements.lock
	rm -rf .lock-venv

# ---- the breaking-change gate and the client's artifacts (issue 13) ----
.PHONY: breaking dist-client

breaking: $(PY_STAMP) $(NODE_STAMP) ## fail if openapi/talq.yaml breaks clients of BASE (default: merge base with origin/main, else HEAD~1) without a new major info.version
	$(PY) -m tools.breaking $(if $(BASE),--base "$(BASE)")

dist-client: $(PY_STAMP) ## build the client's wheel and sdist into dist/ (talq_client-<info.version>)
	$(PY) -m build --outdir dist generated

clean: ## remove the environments, caches and reports
	rm -rf $(VENV) node_modules reports .pytest_cache .mypy_cache .ruff_cache .hypothesis

# --- packaging: the mock's wheel + sdist (talq-mock) and the client's, into dist/ ---
.PHONY: dist dist-mock config-schema plugin-cost

dist: dist-mock dist-client ## build the mock's and the client's wheels and sdists into dist/
	rm -rf generated/.pdm-build  # the client's build backend leaves it; make check-generated would see it

dist-mock: $(PY_STAMP) ## build the mock's wheel and sdist (talq-mock: talq-mock command, pytest plugin) into dist/
	$(PY) -m build --outdir dist .

config-schema: $(PY_STAMP) ## regenerate openapi/mock-config.schema.json (the config file's JSON Schema) from mock_server/settings.py
	$(PY) -m mock_server.settings --write-schema openapi/mock-config.schema.json

plugin-cost: $(PY_STAMP) ## what the talq_mock pytest fixture costs per test (first test vs the others; TESTS=200)
	$(PY) -m tools.plugin_cost --tests $(or $(TESTS),200)

# --- the validating proxy and the recorded-traffic checker (mock_server/proxy/) ---
.PHONY: proxy check-traffic bench-proxy

proxy: $(PY_STAMP) ## forward to UPSTREAM=<API base URL>, checking every exchange against the spec (ARGS=--errors --report reports/proxy.json ...)
	@test -n "$(UPSTREAM)" || { echo "make proxy: set UPSTREAM, e.g. make proxy UPSTREAM=https://app.talkover.ai/api/v1" >&2; exit 2; }
	$(PY) -m mock_server proxy --upstream "$(UPSTREAM)" $(ARGS)

check-traffic: $(PY_STAMP) ## check the exchanges of HAR=<file.har> against the spec (REPORT=reports/traffic.json)
	@test -n "$(HAR)" || { echo "make check-traffic: set HAR, e.g. make check-traffic HAR=session.har" >&2; exit 2; }
	$(PY) -m mock_server check-traffic "$(HAR)" --report "$(or $(REPORT),reports/traffic.json)"

bench-proxy: $(PY_STAMP) ## the proxy's cost: the mock direct vs through the proxy (wrk; ~1 min; reports/bench-proxy.*)
	@command -v wrk >/dev/null || { echo "make bench-proxy: wrk is not on PATH: run make bench once (it installs wrk) or install wrk" >&2; exit 1; }
	$(PY) -m bench.proxy $(BENCH_ARGS)

# --- talq-mock verify: the spec's marks probed on a real upstream, and recordings replayed (mock_server/verify/) ---
.PHONY: verify

verify: $(PY_STAMP) ## probe UPSTREAM=<API base URL> for the spec's marks (env TALQ_TOKEN, TALQ_AGENT_ID; REPLAY=record.json; ARGS=--dry-run; reports/verify.*)
	@test -n "$(UPSTREAM)" || { echo "make verify: set UPSTREAM, e.g. make verify UPSTREAM=https://app.talkover.ai/api/v1" >&2; exit 2; }
	$(PY) -m mock_server verify --upstream "$(UPSTREAM)" --report "$(or $(REPORT),reports/verify.json)" $(if $(REPLAY),--replay "$(REPLAY)") $(ARGS)

# --- the shared store: Debian's redis-server (installed on first use, as make bench installs wrk) ---
.PHONY: redis-server sandbox

redis-server: ## install Debian's redis-server with apt-get unless it is on PATH (the shared-store tests, bench rows and make sandbox run it)
	@command -v redis-server >/dev/null || { \
	  echo "make: redis-server is not on PATH: installing Debian's redis-server package with apt-get"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server >/dev/null; } || { \
	    echo "make: could not install redis-server with apt-get; install it (or put it on PATH) and retry" >&2; \
	    exit 1; }; }

sandbox: $(PY_STAMP) redis-server ## one mock for a team: Redis (AOF, .sandbox/redis, port 6390) + two workers on http://127.0.0.1:4010 (ARGS=--config ...)
	$(PY) -m tools.sandbox $(ARGS)
