# Build targets. A newcomer runs them through ./dev, which installs the Debian
# packages first (see README.md):
#   make demo   build, index the sample corpus, run example searches
#   make test   build, run the whole test suite (ctest)
#   make asan   build with AddressSanitizer + UBSan into build-asan and run the tests
#   make tsan   build the concurrent code's tests with ThreadSanitizer (clang) into build-tsan and run them
#   make fuzz   build the libFuzzer targets with clang into build-fuzz, run each FUZZ_SECONDS
BUILD ?= build
JOBS  ?= $(shell nproc)
INDEX ?= $(BUILD)/sample-index
DL    := $(BUILD)/dateline

FUZZ_SECONDS ?= 20

.PHONY: deps build demo test asan tsan fuzz clean bench

deps:
	@bash scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(DL) index --overwrite --index $(INDEX) corpus/samples
	$(DL) stats --index $(INDEX)
	@bash scripts/demo-searches.sh $(DL) $(INDEX)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDATELINE_SANITIZE=ON -DDATELINE_BENCHMARKS=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# The tests whose code runs threads: parallel indexing, searches from
# several threads, concurrent processes.
TSAN_TESTS := indexing_threads_test archive_test concurrency_test
tsan:
	CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDATELINE_TSAN=ON -DDATELINE_BENCHMARKS=OFF
	cmake --build build-tsan -j $(JOBS) --target dateline $(TSAN_TESTS)
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --output-on-failure -j $(JOBS) \
	  -R 'indexing threads|concurrent use|replace by id|random mix'

fuzz:
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDATELINE_FUZZ=ON -DDATELINE_BENCHMARKS=OFF
	cmake --build build-fuzz -j $(JOBS)
	bash tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz
