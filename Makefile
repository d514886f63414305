# dlntui: two set-up commands that work on a fresh Debian 12 machine with only the Swift toolchain.
#   make run    installs what is missing, builds (release) and launches dlntui on its default preset
#   make test   installs what is missing, builds and runs every test
# Installed Debian packages (apt-get, as root or through sudo):
#   libopenblas-dev liblapacke-dev libncurses-dev pkg-config tmux librsvg2-bin (rsvg-convert: the figure
#   tests); for make test also parallel slurm-wlm munge chromium

SWIFT     ?= swift
PREFIX    ?= /usr/local
DEPS      := libopenblas-dev liblapacke-dev libncurses-dev pkg-config tmux librsvg2-bin
# The real components of the study scale-out tests (issue 14): GNU parallel, Slurm and munge.
STUDY_DEPS := parallel slurm-wlm munge
# Headless Chromium: a test screenshots a figure with a browser engine as well as with rsvg-convert.
TEST_DEPS := chromium
RELEASE   := .build/release/dlntui
ARGS      ?=

.PHONY: all deps build run test bench soak install clean

all: build

deps:
	@missing=""; for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release

run: build
	$(RELEASE) $(ARGS)

# The allocation tests run in a process of their own. malloc-interposer 1.6.1 counts for every thread
# while they measure, and a thread that exits then frees its counter block in a pthread-key
# destructor but keeps using it for its last frees: heap corruption ("corrupted double-linked
# list", seen once in a full run, when another suite's thread ended mid-measurement). Alone, only
# their own threads run. --no-parallel: the malloc hook is global, and three suites (each
# serialized in itself) measuring at once unhook one another (a positive control counted 21 of 25).
test: deps
	@$(MAKE) --no-print-directory deps DEPS="$(STUDY_DEPS) $(TEST_DEPS)"
	$(SWIFT) build
	$(SWIFT) test --skip DLNAllocationTests
	$(SWIFT) test --skip-build --no-parallel --filter DLNAllocationTests
	bash scripts/study-scaleout.sh .build/debug/dlntui

bench: build
	@python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy
	@python3 -c 'import threadpoolctl' 2>/dev/null || python3 -m pip install --quiet threadpoolctl || true
	python3 bench/compare.py --dlntui $(RELEASE) $(BENCH_ARGS)
	python3 bench/ensemble.py --dlntui $(RELEASE)
	@python3 -c 'import scipy' 2>/dev/null || python3 -m pip install --quiet scipy
	python3 bench/accuracy.py --dlntui $(RELEASE)

soak: build
	bash scripts/soak.sh

# The binary in PREFIX/bin, the themes in PREFIX/share/dlntui/themes (where dlntui looks for them,
# found from the binary's real path); DESTDIR for staged installs.
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/dlntui/themes
	install -m 755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/dlntui
	install -m 644 themes/*.theme themes/README.md $(DESTDIR)$(PREFIX)/share/dlntui/themes/

clean:
	rm -rf .build
