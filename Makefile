# The README's two commands live here; everything else is CMake.
#   make run   - set up, build, create a database with demo data, start shikaku
#   make test  - set up, build twice (normal and ASan+UBSan), run every test, check formatting
SHELL    := /bin/bash
MAKEFLAGS += --no-print-directory
BUILD    ?= build
JOBS     ?= $(shell nproc)
DB       ?= var/shikaku.db
# tracked and new (untracked, not ignored) files alike, so nothing escapes the check before it is committed
FMT_SRCS  = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find src tests bench -name '*.[ch]')

.PHONY: all deps deps-test build build-asan run test test-normal test-asan format format-check fuzz clean bench-soak \
        bench-intake bench-eligibility

SOAK_MINUTES ?= 30

all: build

deps:
	@scripts/deps.sh

deps-test:
	@scripts/deps.sh test

build: deps
	@cmake -S . -B $(BUILD)/normal -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)/normal -j $(JOBS)

build-asan: deps
	@cmake -S . -B $(BUILD)/asan -DCMAKE_BUILD_TYPE=Debug -DSK_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)/asan -j $(JOBS)

run: build
	@scripts/run.sh $(BUILD)/normal/shikaku $(DB)

test-normal: build
	@echo "== tests: normal build"
	@cd $(BUILD)/normal && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	@echo "== tests: ASan+UBSan build"
	@cd $(BUILD)/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

format-check: deps
	@echo "== clang-format"
	@clang-format --dry-run -Werror $(FMT_SRCS)

format:
	@clang-format -i $(FMT_SRCS)

# Formatting first (cheap), then the sanitizer build, then the normal build last so
# that the output ends in ctest's summary of the whole suite.
test: deps-test format-check test-asan test-normal

# Explores each parser with libFuzzer for FUZZ_SECONDS (default 30) each; new inputs go to
# build/fuzz/corpus-*, crashes to build/fuzz/. Copy a worthwhile input into tests/fuzz/corpus/.
FUZZ_SECONDS ?= 30
fuzz:
	@scripts/deps.sh fuzz
	@cmake -S . -B $(BUILD)/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=-O1 -DSK_FUZZ=ON >/dev/null
	@cmake --build $(BUILD)/fuzz -j $(JOBS)
	@set -e; for h in $(BUILD)/fuzz/tests/fuzz_*; do n=$${h##*/fuzz_}; \
	  mkdir -p $(BUILD)/fuzz/corpus-$$n; echo "== fuzz $$n ($(FUZZ_SECONDS) s)"; \
	  $$h -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(BUILD)/fuzz/ \
	    $(BUILD)/fuzz/corpus-$$n tests/fuzz/corpus/$$n 2>&1 | tail -2; done

clean:
	rm -rf $(BUILD)

# benchmarks (bounded, loopback only); figures are ratios against a baseline of the same run
bench-intake: build
	@bench/intake/run.sh $(BENCH_SECONDS)

# PERSONS (default 10000000), BENCH_DB (a database generated before; default: generated once
# into build/bench-data), BENCH_SECONDS (default 10), BENCH_ROUNDS (default 3: the goals are read
# as the median of rounds, each of our runs paired with nginx's — docs/performance.md)
bench-soak: build
	@bench/soak/run.sh $(SOAK_MINUTES)

bench-eligibility: build
	@scripts/deps.sh bench
	@bench/eligibility/run.sh --persons $(or $(PERSONS),10000000) --seconds $(or $(BENCH_SECONDS),10) \
	  --rounds $(or $(BENCH_ROUNDS),3) $(if $(BENCH_DB),--db $(BENCH_DB))
