# modelwatch — the two commands the README promises:
#   make demo   build, generate a demo scenario, profile it, run modelwatch over it and show the result
#   make test   install what the tests need (Debian/Ubuntu), then run the whole suite against real servers
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT ?= swift
DEMO_DIR ?= demo-output
DEMO_SCENARIO ?= demo
BIN := .build/debug/modelwatch
RELEASE_BIN := .build/release/modelwatch

# Debian packages: build (libcurl, zlib, libpq, pkg-config), test servers (influxdb 1.x, victoria-metrics, postgresql),
# compose validation (docker-compose), the benchmark's Python comparators (python3-venv).
BUILD_PACKAGES := libcurl4-openssl-dev zlib1g-dev libpq-dev pkg-config
TEST_PACKAGES := influxdb victoria-metrics docker-compose postgresql
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: help deps test-deps build demo test bench up down clean

help:
	@echo "make demo   build, generate demo data, run modelwatch on it, show the summary and the points"
	@echo "make test   install test dependencies (apt) and run the whole test suite"
	@echo "make bench  benchmark modelwatch against pandas/scikit-learn and DuckDB"
	@echo "make up     start InfluxDB 2.x and Grafana with docker compose (needs a Docker engine)"
	@echo "make down   stop them"

# Installs only what is missing, so repeated runs are fast and need no network.
deps:
	@missing=""; for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

test-deps: deps
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

build: deps
	$(SWIFT) build --product modelwatch

# With INFLUX_URL set (and INFLUX_TOKEN or INFLUX_USER/INFLUX_PASSWORD), the demo writes to that server;
# otherwise it writes line protocol to $(DEMO_DIR)/points.lp.
demo: build
	@rm -rf $(DEMO_DIR)
	$(BIN) generate --scenario $(DEMO_SCENARIO) --out $(DEMO_DIR)
	$(BIN) profile --config $(DEMO_DIR)/modelwatch.yaml --from 2026-11-01T00:00:00Z --to 2026-11-04T00:00:00Z
	@if [ -n "$$INFLUX_URL" ]; then \
		echo "writing to $$INFLUX_URL"; \
		$(BIN) run --config $(DEMO_DIR)/modelwatch.yaml --as-of 2026-11-15T00:00:00Z; \
	else \
		$(BIN) run --config $(DEMO_DIR)/modelwatch.yaml --as-of 2026-11-15T00:00:00Z --output file:$(DEMO_DIR)/points.lp && \
		echo && echo "first points of $(DEMO_DIR)/points.lp ($$(wc -l < $(DEMO_DIR)/points.lp) lines):" && head -n 4 $(DEMO_DIR)/points.lp | cut -c1-220; \
	fi

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	@dpkg -s python3-venv >/dev/null 2>&1 || python3 -c "import venv, ensurepip" 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3-venv; }
	$(SWIFT) build -c release --product modelwatch
	bash Tests/Benchmarks/run.sh
	bash Tests/Benchmarks/metrics.sh

up:
	@test -f .env || { cp .env.example .env && echo "created .env from .env.example: change its passwords"; }
	docker compose up -d || docker-compose up -d

down:
	docker compose down || docker-compose down

clean:
	rm -rf .build $(DEMO_DIR)
