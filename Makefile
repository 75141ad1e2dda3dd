# modelwatch — the two commands the README promises:
#   make demo   build, generate a demo scenario, profile it, run modelwatch over it and show the result
#   make test   install what the tests need (Debian/Ubuntu), then run the whole suite against real servers
# and the way to a production host:
#   make release   a release binary with the Swift runtime linked in (only libc, libcurl, libpq, zlib… stay shared)
#   make install   PREFIX=/usr/local DESTDIR= : binary, man page, completions, example config, Grafana kit, units
#   make deb       a .deb (dpkg-deb) from the install tree, with a systemd service and timer
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT ?= swift
DEMO_DIR ?= demo-output
DEMO_SCENARIO ?= demo
BIN := .build/debug/modelwatch
# The demos' state (run lock, spool): in the checkout, unless MODELWATCH_STATE_DIR says otherwise, so a demo run as
# root never makes the system's /var/lib/modelwatch (root-owned, before the package would create it for its user).
DEMO_STATE_DIR ?= $(or $(MODELWATCH_STATE_DIR),$(abspath .build/demo-state))
DEMO_BIN = MODELWATCH_STATE_DIR=$(DEMO_STATE_DIR) $(BIN)
RELEASE_BIN := .build/release/modelwatch

# The release build: its own scratch directory, so `make bench`'s plain release build does not undo it.
# --static-swift-stdlib links the Swift runtime and Foundation; --disable-local-rpath drops RUNPATH $$ORIGIN;
# -z now gives full RELRO (BIND_NOW).
STATIC_SCRATCH := .build/static
STATIC_BIN := $(STATIC_SCRATCH)/release/modelwatch
RELEASE_FLAGS := -c release --scratch-path $(STATIC_SCRATCH) --static-swift-stdlib --disable-local-rpath -Xlinker -z -Xlinker now
VERSION := $(shell sed -n 's/^ *static let version = "\(.*\)"/\1/p' Sources/modelwatch/Modelwatch.swift)
COMMIT_HEADER := Sources/CBuildInfo/commit.h

# Install layout (GNU conventions). For a package: make install PREFIX=/usr DESTDIR=<staging root>.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/modelwatch
DOCDIR ?= $(PREFIX)/share/doc/modelwatch
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SYSTEMDUNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

# The .deb: built from `make install PREFIX=/usr` into DEB_ROOT.
DEB_REVISION ?= 1
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_VERSION := $(VERSION)-$(DEB_REVISION)
DEB_ROOT := .build/deb/root
DEB_FILE := .build/deb/modelwatch_$(DEB_VERSION)_$(DEB_ARCH).deb

# Debian packages: build (libcurl, zlib, libpq, pkg-config), test servers (influxdb 1.x, victoria-metrics, postgresql),
# compose validation (docker-compose), the benchmark's Python comparators (python3-venv).
BUILD_PACKAGES := libcurl4-openssl-dev zlib1g-dev libpq-dev pkg-config
TEST_PACKAGES := influxdb victoria-metrics docker-compose postgresql
# The Spark push-down tests: Java for the Spark Thrift server (pyspark itself goes into .venv-spark, below), and
# python3-venv to make that virtual environment.
TEST_PACKAGES += openjdk-17-jre-headless python3-venv
# The package tests: dpkg-shlibdeps (dpkg-dev), lintian, systemd-analyze (systemd), adduser, deb-systemd-helper
# (init-system-helpers), strip (binutils).
PACKAGE_PACKAGES := dpkg-dev lintian systemd adduser init-system-helpers binutils
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: help deps test-deps package-deps build commit-header demo demo-tasks test bench up down clean release install man completions deb spark-venv bench-spark

help:
	@echo "make demo   build, generate demo data, run modelwatch on it, show the summary and the points"
	@echo "make demo-tasks  the same for a regression and a multiclass model (scenarios with an incident from day 25)"
	@echo "make test   install test dependencies (apt) and run the whole test suite"
	@echo "make bench  benchmark modelwatch against pandas/scikit-learn and DuckDB"
	@echo "make release  build $(STATIC_BIN) with the Swift runtime linked statically"
	@echo "make install  install it (PREFIX=$(PREFIX), DESTDIR=) with man page, completions, example config, Grafana kit"
	@echo "make deb      build $(DEB_FILE) with the systemd service and timer"
	@echo "make up     start InfluxDB 2.x and Grafana with docker compose (needs a Docker engine)"
	@echo "make down   stop them"

# Installs only what is missing, so repeated runs are fast and need no network.
deps:
	@missing=""; for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

test-deps: deps package-deps
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

package-deps:
	@missing=""; for p in $(PACKAGE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

# The commit `modelwatch --version` reports (git-ignored; rewritten only when it changes, and build_info.c is
# touched so the build notices a header it did not see before).
commit-header:
	@commit=$$(git rev-parse HEAD 2>/dev/null || echo unknown); \
	if [ "$$commit" != unknown ] && [ -n "$$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$$commit-dirty"; fi; \
	line="#define MODELWATCH_COMMIT \"$$commit\""; \
	if [ "$$(cat $(COMMIT_HEADER) 2>/dev/null)" != "$$line" ]; then echo "$$line" > $(COMMIT_HEADER); touch Sources/CBuildInfo/build_info.c; fi

build: deps commit-header
	$(SWIFT) build --product modelwatch

# With INFLUX_URL set (and INFLUX_TOKEN or INFLUX_USER/INFLUX_PASSWORD), the demo backfills the scenario's 14 days
# into that server (so every dashboard shows data); otherwise it writes one run's line protocol to $(DEMO_DIR)/points.lp.
demo: build
	@rm -rf $(DEMO_DIR)
	$(DEMO_BIN) generate --scenario $(DEMO_SCENARIO) --out $(DEMO_DIR)
	$(DEMO_BIN) profile --config $(DEMO_DIR)/modelwatch.yaml --from 2026-11-01T00:00:00Z --to 2026-11-04T00:00:00Z
	@if [ -n "$$INFLUX_URL" ]; then \
		echo "writing to $$INFLUX_URL: every day of the scenario, so every dashboard has data"; \
		$(DEMO_BIN) backfill --config $(DEMO_DIR)/modelwatch.yaml --from 2026-11-02T00:00:00Z --to 2026-11-15T00:00:00Z --restart; \
	else \
		$(DEMO_BIN) run --config $(DEMO_DIR)/modelwatch.yaml --as-of 2026-11-15T00:00:00Z --output file:$(DEMO_DIR)/points.lp && \
		echo && echo "first points of $(DEMO_DIR)/points.lp ($$(wc -l < $(DEMO_DIR)/points.lp) lines):" && head -n 4 $(DEMO_DIR)/points.lp | cut -c1-220; \
	fi
	@echo && echo "regression and multiclass models: make demo-tasks (or modelwatch generate --scenario regression|multiclass)"

# A regression and a multiclass model (modelwatch generate --scenario regression|multiclass): 30 days from
# 2026-10-01, an incident from day 25 (predictions biased high; `returns` tickets predicted as `shipping`).
# With INFLUX_URL set they are backfilled into that server; otherwise one run before and one after the incident.
demo-tasks: build
	@for task in regression multiclass; do \
		dir=$(DEMO_DIR)-$$task; rm -rf $$dir; \
		$(DEMO_BIN) generate --scenario $$task --out $$dir --model-name $$task-demo && \
		$(DEMO_BIN) profile --config $$dir/modelwatch.yaml --from 2026-10-01T00:00:00Z --to 2026-10-04T00:00:00Z || exit 1; \
		if [ -n "$$INFLUX_URL" ]; then \
			$(DEMO_BIN) backfill --config $$dir/modelwatch.yaml --from 2026-10-05T00:00:00Z --to 2026-10-31T00:00:00Z --restart || exit 1; \
		else \
			for asof in 2026-10-24T00:00:00Z 2026-10-31T00:00:00Z; do \
				$(DEMO_BIN) run --config $$dir/modelwatch.yaml --as-of $$asof --output file:$$dir/points-$$asof.lp || exit 1; \
			done; \
		fi; \
	done

# The release binary is built first, once: the packaging tests install the .deb made from it (they find it
# through MODELWATCH_DEB).
# The tests' state (spool, lock, finalised windows of in-process runs): never the real /var/lib/modelwatch, which
# the package test installs, purges and (when it existed before) moves aside and puts back.
TEST_STATE_DIR := $(abspath .build/test-state)
# The 30-day alert scenarios run the job a few hundred times: they use the release binary the package was built
# from (MODELWATCH_BINARY), not the debug one.
test: test-deps deb spark-venv
	$(SWIFT) build --build-tests
	rm -rf $(TEST_STATE_DIR) && mkdir -p $(TEST_STATE_DIR)
	MODELWATCH_STATE_DIR=$(TEST_STATE_DIR) MODELWATCH_DEB=$(abspath $(DEB_FILE)) MODELWATCH_BINARY=$(abspath $(STATIC_BIN)) $(SWIFT) test --skip-build

release: deps commit-header
	$(SWIFT) build $(RELEASE_FLAGS) --product modelwatch
	@if ldd $(STATIC_BIN) | grep -i swift; then echo "$(STATIC_BIN) links a Swift library dynamically" >&2; exit 1; fi
	@env -i $(STATIC_BIN) --version

# The man page from swift-argument-parser's generate-manual plugin, run on the debug product (which `make test`
# builds anyway; its default, release, would compile the whole package a second time for the same text), dated
# by the last commit so a rebuild gives the same page. The completion scripts come from the release binary.
MAN_DIR := .build/man
man: deps commit-header
	$(SWIFT) package plugin generate-manual --configuration debug --date $$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
	@rm -rf $(MAN_DIR) && mkdir -p $(MAN_DIR)
	cp .build/plugins/GenerateManual/outputs/modelwatch/modelwatch.1 $(MAN_DIR)/

completions: release
	@mkdir -p .build/completions
	$(STATIC_BIN) --generate-completion-script bash | sed '1{/^#!/d}' > .build/completions/modelwatch.bash
	$(STATIC_BIN) --generate-completion-script zsh > .build/completions/_modelwatch
	$(STATIC_BIN) --generate-completion-script fish > .build/completions/modelwatch.fish

install: release man completions
	install -Dm755 $(STATIC_BIN) $(DESTDIR)$(BINDIR)/modelwatch
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m644 $(MAN_DIR)/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -Dm644 .build/completions/modelwatch.bash $(DESTDIR)$(BASHCOMPDIR)/modelwatch
	install -Dm644 .build/completions/_modelwatch $(DESTDIR)$(ZSHCOMPDIR)/_modelwatch
	install -Dm644 .build/completions/modelwatch.fish $(DESTDIR)$(FISHCOMPDIR)/modelwatch.fish
	install -Dm644 packaging/models.yaml.example $(DESTDIR)$(SYSCONFDIR)/modelwatch/models.yaml.example
	@for unit in modelwatch.service modelwatch.timer modelwatch@.service modelwatch@.timer; do \
		install -d $(DESTDIR)$(SYSTEMDUNITDIR) && \
		sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' packaging/systemd/$$unit > $(DESTDIR)$(SYSTEMDUNITDIR)/$$unit && \
		chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$unit; \
	done
	@cd grafana && find . -type f | while read -r f; do install -Dm644 "$$f" "$(DESTDIR)$(DATADIR)/grafana/$$f"; done
	install -Dm755 influxdb/initdb/10-modelwatch.sh $(DESTDIR)$(DATADIR)/influxdb/initdb/10-modelwatch.sh
	install -Dm644 docker-compose.yml $(DESTDIR)$(DATADIR)/docker-compose.yml
	install -Dm644 .env.example $(DESTDIR)$(DATADIR)/env.example
	install -Dm644 packaging/lintian/overrides $(DESTDIR)$(PREFIX)/share/lintian/overrides/modelwatch
	install -Dm644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m644 docs/*.md $(DESTDIR)$(DOCDIR)/

# The .deb: the install tree for /usr, stripped, compressed man pages, DEBIAN/ from packaging/debian, Depends
# from dpkg-shlibdeps (the binary's real shared libraries) plus adduser for the maintainer scripts.
deb: package-deps
	rm -rf $(DEB_ROOT)
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT))
	bash packaging/build-deb.sh $(DEB_ROOT) $(DEB_VERSION) $(DEB_ARCH) $(DEB_FILE)

bench: deps
	@dpkg -s python3-venv >/dev/null 2>&1 || python3 -c "import venv, ensurepip" 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3-venv; }
	$(SWIFT) build -c release --product modelwatch
	bash Tests/Benchmarks/run.sh
	bash Tests/Benchmarks/tasks.sh
	bash Tests/Benchmarks/metrics.sh

# pyspark (a whole Spark distribution with its Thrift server, ~520 MB) for the Spark push-down tests, once; the
# tests find it in .venv-spark (or MODELWATCH_SPARK_HOME). impyla is the independent HiveServer2 client the
# benchmark cross-checks with.
SPARK_VENV := .venv-spark
spark-venv: $(SPARK_VENV)/.installed
$(SPARK_VENV)/.installed:
	python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install -q pyspark==4.3.0 impyla
	@touch $@

# The Spark push-down beside the exact file path on a 10M-row Parquet table (takes a while; not part of `make bench`).
bench-spark: deps spark-venv
	$(SWIFT) build -c release --product modelwatch
	bash Tests/Benchmarks/spark.sh

# Refuses to start with the example's passwords: they are public.
up:
	@if [ ! -f .env ]; then \
		echo "no .env: copy the example and set every password and token in it, then run make up again:" >&2; \
		echo "  cp .env.example .env && \$${EDITOR:-vi} .env     (openssl rand -hex 32 makes a good token)" >&2; \
		exit 1; \
	fi
	@if grep -nE '^[A-Z_]+=change-me' .env >&2; then \
		echo ".env still holds the example's change-me values above: replace each with a secret of your own, then run make up again" >&2; \
		exit 1; \
	fi
	docker compose up -d || docker-compose up -d

down:
	docker compose down || docker-compose down

clean:
	rm -rf .build $(DEMO_DIR) $(COMMIT_HEADER)
