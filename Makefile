# The two entry points: `make run` (the main job on a built-in default) and
# `make test` (the whole suite, short fuzz runs, then the suite again under AddressSanitizer/UBSan). Both install
# missing Debian packages first (scripts/install-deps), configure and build.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# make fuzz: each libFuzzer harness for FUZZ_RUNS inputs (0: no limit) or FUZZ_SECONDS
# seconds (0: no limit), or only FUZZ_ONLY (fuzz/README.md).
FUZZ_RUNS    ?= 2000
FUZZ_SECONDS ?= 0
FUZZ_ONLY    ?=
JOBS       ?= $(shell nproc)

.PHONY: deps build run install test test-release test-python test-asan test-fuzz fuzz bench clean

deps:
	@bash scripts/install-deps

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the best mapping of every AlexNet layer (batch 16) on 004's eyeriss
# baseline with 004's C|K dataflow (Fig. 11 and 14), about 1 s of CPU.
# It builds the command only (about 3.5 minutes on 2 cores from scratch), not the tests.
run: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) --target dnnspace -j $(JOBS)
	./$(BUILD)/dnnspace optimize --arch eyeriss --network alexnet --batch 16 --dataflow "C|K"

# make install [PREFIX=/usr/local]: the command, the libraries, headers and CMake package
# (find_package(dnnspace)), and the examples under share/dnnspace (docs/install.md).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

test: test-release test-fuzz test-asan

test-release: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-python

# The Python module's tests (tests/python, pytest) against the build tree.
test-python: build
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$(CURDIR)/$(BUILD)/python DNNSPACE_CLI=$(CURDIR)/$(BUILD)/dnnspace \
	  DNNSPACE_TEST_OUTPUT=$(CURDIR)/$(BUILD)/test-output \
	  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNNSPACE_SANITIZE=ON

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNNSPACE_FUZZ=ON

fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) --target fuzzers -j $(JOBS)
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_RUNS) $(FUZZ_SECONDS) $(FUZZ_ONLY)

# The short fuzz runs of make test: every harness for 2000 inputs.
test-fuzz: FUZZ_RUNS = 2000
test-fuzz: FUZZ_SECONDS = 0
test-fuzz: fuzz

bench: build
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
