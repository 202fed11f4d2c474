# civiloop developer commands. `make help` lists them; see docs/local-infrastructure.md.
.DEFAULT_GOAL := help
SHELL := /bin/bash

export UV_PYTHON_DOWNLOADS := never
UV_VERSION := 0.13.8
PYTHON := python3.11
# Every Python tool runs through uv against the locked environment (never re-resolves).
RUN := uv run --frozen --python $(PYTHON)
KAFKA_JAR := .local/kafka/libs/kafka_2.13-3.9.1.jar
# kustomize renders deploy/k8s for its test; built once with Go into the cache (like the store).
KUSTOMIZE_VERSION := v5.7.1
KUSTOMIZE := $(or $(CIVILOOP_CACHE),$(HOME)/.cache/civiloop)/kustomize-$(KUSTOMIZE_VERSION)/kustomize
ROLE ?= resident
STATION ?=

.PHONY: help install web web-test screens kafka-jars store browser gateway kustomize infra-up \
        infra-down infra-status topics run test lint token schemas bench bench-dispatch bench-loop \
        load load-ci chaos chaos-ci backup restore stats-rebuild clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

install: ## Install uv if missing, the locked Python environment, and the AsyncAPI tool
	@command -v uv >/dev/null || python3 -m pip install -q uv==$(UV_VERSION) >&2 \
		|| python3 -m pip install -q --break-system-packages uv==$(UV_VERSION) >&2
	@uv sync --frozen --quiet --python $(PYTHON)
	@# npm ci only when the lockfile is newer than the last install (it wipes node_modules).
	@lock=tools/asyncapi/package-lock.json; if [ -f $$lock ] && \
		[ ! tools/asyncapi/node_modules/.package-lock.json -nt $$lock ]; then \
		npm ci --no-audit --no-fund --silent --prefix tools/asyncapi >&2; fi
	@lock=tools/k8s/package-lock.json; if [ -f $$lock ] && \
		[ ! tools/k8s/node_modules/.package-lock.json -nt $$lock ]; then \
		npm ci --no-audit --no-fund --silent --prefix tools/k8s >&2; fi
	@$(MAKE) --no-print-directory web >&2

web: web/dist/index.html ## Build the web app (npm ci from web/package-lock.json, then vite) into web/dist

WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
	web/tsconfig.json

web/node_modules/.package-lock.json: web/package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --prefix web

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	npm run --silent --prefix web build

web-test: web/node_modules/.package-lock.json ## The web app's unit tests (vitest)
	npm test --silent --prefix web

kafka-jars: $(KAFKA_JAR) ## Fetch the Kafka 3.9.1 jars with mvn (once; cached in .local/kafka)

$(KAFKA_JAR): deploy/kafka/pom.xml
	mvn -q -B -f deploy/kafka/pom.xml dependency:copy-dependencies
	@touch $@

kustomize: $(KUSTOMIZE) ## Build kustomize (Go module proxy) once into ~/.cache/civiloop, for the deploy/k8s test

$(KUSTOMIZE):
	GOBIN=$(dir $@) GOFLAGS=-buildvcs=false go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)

store: install ## Build SecantusDB's Rust server once into ~/.cache/civiloop (CIVILOOP_STORE=py: skip)
	$(RUN) civiloop-infra build-store

infra-up: install kafka-jars store ## Start local Kafka + SecantusDB (KAFKA_PORT, MONGO_PORT, CIVILOOP_HOME)
	$(RUN) civiloop-infra up

infra-down: install ## Stop the local Kafka + SecantusDB that infra-up started
	$(RUN) civiloop-infra down

infra-status: install ## Show whether the local Kafka and SecantusDB run
	$(RUN) civiloop-infra status

topics: install ## Create the catalogue's Kafka topics that are missing; every topic keeps its history
	$(RUN) civiloop-infra topics

run: install kafka-jars store gateway ## Run infra, the five services and the gateway; Ctrl-C stops them (RESET=1 wipes data)
	$(RUN) civiloop-dev run $(if $(RESET),--reset)

browser: ## Debian's Chromium and a CJK font for the dashboard's browser test (apt-get, as root)
	@dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null && { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium fonts-wqy-microhei >/dev/null; } \
		|| echo "make: install chromium and fonts-wqy-microhei for the browser test"; }

gateway: ## Debian's nginx for the gateway in front of the services (apt-get, as root)
	@PATH="$$PATH:/usr/sbin:/sbin" command -v nginx >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null && { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		nginx >/dev/null; } \
		|| echo "make: install nginx for the gateway (Debian: apt-get install nginx)"; }

test: install kafka-jars browser gateway store kustomize web-test ## Run the tests (real Kafka + MongoDB: env, Docker or local processes)
	$(RUN) pytest

screens: install kafka-jars browser gateway store ## The browser tests, saving their screenshots into docs/screens
	CIVILOOP_SCREENS=docs/screens $(RUN) pytest tests/browser

lint: install ## ruff and mypy --strict over libs, services, tests and bench
	$(RUN) ruff check libs services tests bench
	$(RUN) mypy libs services tests bench
	npm run --silent --prefix web typecheck

token: install ## Print a development bearer token: make token ROLE=dispatcher [STATION=code] [INSTITUTE=code] [CENTRE=code] [SUBJECT=id]
	@$(RUN) civiloop-token --role $(ROLE) $(if $(STATION),--station $(STATION)) \
		$(if $(INSTITUTE),--institute $(INSTITUTE)) $(if $(CENTRE),--centre $(CENTRE)) \
		$(if $(SUBJECT),--subject $(SUBJECT))

schemas: install ## Regenerate the committed JSON Schemas from the event models
	$(RUN) python -m civiloop_contracts.schemagen

bench: install kafka-jars store ## Measure outbox → relay → Kafka → consumer (EVENTS=2000)
	$(RUN) python -m bench.platform_delivery --events $(or $(EVENTS),2000)

bench-dispatch: install kafka-jars store ## Measure dispatch decisions over a large registry (see bench/dispatch_match.py)
	$(RUN) python -m bench.dispatch_match

bench-loop: install kafka-jars store ## The loop vs its raw limits on a fresh stack (~25 min; ARGS=--help)
	$(RUN) python -m bench.loop $(ARGS)

load: install ## Load the running system (make run): STATIONS=20 ORDERS=2000 RATE=2 orders/s
	$(RUN) civiloop-dev load --stations $(or $(STATIONS),20) --orders $(or $(ORDERS),2000) \
		--rate $(or $(RATE),2)

load-ci: install kafka-jars store ## CI's load run: 2,000 orders from 20 stations on a fresh stack, lost must be 0
	rm -rf .local/test-output/load
	LOAD_STATIONS=$(or $(STATIONS),20) LOAD_ORDERS=$(or $(ORDERS),2000) LOAD_RATE=$(or $(RATE),2) \
		$(RUN) pytest tests/e2e/test_load.py; status=$$?; \
		cat .local/test-output/load/*.txt 2>/dev/null; exit $$status

# The chaos runs: the load generator on a stack of their own while services, the broker and
# the store fail (docs/reliability.md). The figures go to .local/test-output/chaos/<run>.json.
chaos: install kafka-jars store ## Faults under load: 5,000 orders, every fault (ORDERS, RATE, STATIONS)
	CHAOS_ORDERS=$(or $(ORDERS),5000) CHAOS_RATE=$(or $(RATE),2) \
		CHAOS_STATIONS=$(or $(STATIONS),20) CHAOS_FAULTS=full \
		$(RUN) pytest -s tests/chaos/test_chaos.py

chaos-ci: install kafka-jars store ## CI's chaos run: 300 orders, every kind of fault once
	CHAOS_ORDERS=$(or $(ORDERS),300) CHAOS_RATE=$(or $(RATE),2) \
		CHAOS_STATIONS=$(or $(STATIONS),20) CHAOS_FAULTS=short \
		$(RUN) pytest -s tests/chaos/test_chaos.py

backup: install ## Back up the five services' databases of `make run` (SERVICE=name for one; DIR=folder)
	$(RUN) civiloop-dev backup $(DIR) $(if $(SERVICE),--service $(SERVICE))

restore: install ## Restore databases from a backup: make restore FROM=folder [SERVICE=name] (stop the services first)
	@test -n "$(FROM)" || { echo "make restore FROM=<a folder make backup wrote>" >&2; exit 2; }
	$(RUN) civiloop-dev restore $(FROM) $(if $(SERVICE),--service $(SERVICE))

stats-rebuild: install ## Rebuild stats' figures by replaying every topic (the infra of make run)
	eval "$$($(RUN) civiloop-infra env)" && CIVILOOP_ENV=development \
		$(RUN) python -m civiloop_stats rebuild

clean: install ## Remove caches and local state (stop the infra first: make infra-down)
	@if $(RUN) civiloop-infra status 2>/dev/null | grep -q ' running '; then \
		echo "infra is running: run 'make infra-down' first" >&2; exit 1; fi
	rm -rf .local/infra .local/logs .local/test-infra .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +
