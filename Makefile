# Two commands: `make run` serves the app, `make test` runs every test. Both install what is
# missing first (scripts/tools.sh). See README.md.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c

# One target dir outside the checkout, reused by every run (and by CI on the same machine).
export CARGO_TARGET_DIR ?= $(HOME)/.cache/gatehouse/target
# cargo-leptos runs the first wasm-opt on PATH: npm's binaryen, not Debian's.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

POSTGRES_SERVER ?= postgres://postgres@127.0.0.1:5432
# The browser tests' outage test runs a server of its own there.
export GATEHOUSE_E2E_POSTGRES ?= $(POSTGRES_SERVER)
PSQL := psql "$(POSTGRES_SERVER)/postgres" -v ON_ERROR_STOP=1 -qAt

.PHONY: run test tools lint test-rust test-sqlite test-postgres build-release test-e2e test-e2e-one-bundle bench bench-compare bench-versus bench-smoke bench-tools

tools:
	@scripts/tools.sh

## Serve the app on http://127.0.0.1:3000 (SQLite in ./gatehouse.db).
run: tools
	cargo leptos serve --split

## Every test: formatting, lints (server and WASM), unit + integration tests on SQLite and on
## PostgreSQL, then the browser tests against the release build (split into chunks, then as one
## bundle), and both benchmarks for a second per scenario.
test: tools lint test-rust test-e2e test-e2e-one-bundle bench-smoke

lint:
	cargo fmt --all --check
	cargo clippy -p app -p server --all-targets -- -D warnings
	cargo clippy -p app -p frontend --target wasm32-unknown-unknown --all-targets -- -D warnings

test-rust: test-sqlite test-postgres

# The postgres:: tests are about a database server (restarts, dropped connections): the
# PostgreSQL run has them.
test-sqlite:
	cargo nextest run -p app -p server --no-fail-fast -E 'not test(/^postgres::/)'

# A fresh database per test, all named gatehouse_test_*, dropped when the run ends.
test-postgres:
	@status=0; \
	TEST_POSTGRES_URL="$(POSTGRES_SERVER)" cargo nextest run -p app -p server -E 'package(server)' --no-fail-fast || status=$$?; \
	for db in $$($(PSQL) -c "SELECT datname FROM pg_database WHERE datname LIKE 'gatehouse_test_%'"); do \
	  $(PSQL) -c "DROP DATABASE IF EXISTS $$db WITH (FORCE)"; \
	done; \
	exit $$status

build-release:
	cargo leptos build --release --precompress --split

test-e2e: build-release
	cd end2end && npx playwright test

# The same browser tests against the browser build a plain `cargo leptos watch` or `build`
# makes (no --split: one bundle, no chunks), served by the release server. It has its own
# site and target dirs, so it never overwrites the split build or its compiled dependencies.
test-e2e-one-bundle: build-release
	LEPTOS_SITE_ROOT=target/site-one-bundle CARGO_TARGET_DIR="$(CARGO_TARGET_DIR)/one-bundle" \
	  cargo leptos build --release --frontend-only
	cd end2end && GATEHOUSE_E2E_SITE=target/site-one-bundle \
	  GATEHOUSE_E2E_HASH_FILE="$(CARGO_TARGET_DIR)/one-bundle/release/hash.txt" npx playwright test

## The benchmark (see bench/): release server on a fresh SQLite database (BENCH_DATABASE=postgres
## for PostgreSQL), driven by wrk; prints a table and writes bench/results/<date>-<db>.json.
bench: tools bench-tools build-release
	python3 bench/bench.py

## The newest run of `make bench` beside the one before it on the same database: what moved.
## `python3 bench/compare.py [OLD.json] NEW.json` compares others (bench/compare.py says how).
bench-compare:
	python3 bench/compare.py

## Gatehouse beside Better Auth on Node: the same requests against each in turn, on the machine's
## PostgreSQL; prints a table and writes bench/results/<date>-versus-better-auth.json.
bench-versus: tools bench-tools build-release bench/better-auth/node_modules
	python3 bench/versus.py

bench/better-auth/node_modules: bench/better-auth/package-lock.json
	cd bench/better-auth && npm ci --no-audit --no-fund
	touch $@

# The test command runs both benchmarks for one second per scenario, so they cannot silently rot,
# and sets the first one's result beside the newest run kept in bench/results.
bench-smoke: bench-tools build-release bench/better-auth/node_modules
	results="$$(mktemp -d)" && BENCH_DURATION=1 BENCH_RESULTS="$$results" python3 bench/bench.py \
	  && python3 bench/compare.py "$$results"/*.json
	BENCH_DURATION=1 BENCH_RESULTS="$$(mktemp -d)" python3 bench/versus.py

bench-tools:
	@command -v wrk >/dev/null || { sudo_cmd=""; [ "$$(id -u)" -ne 0 ] && sudo_cmd=sudo; $$sudo_cmd apt-get install -y wrk || { $$sudo_cmd apt-get update && $$sudo_cmd apt-get install -y wrk; }; }
