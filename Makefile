# Build targets. A newcomer runs them through ./dev, which installs the Debian
# packages first (see README.md):
#   make demo   build, index the sample corpus, run example searches
#   make test   build, run the whole test suite (ctest)
#   make asan   build with AddressSanitizer + UBSan into build-asan and run the tests
BUILD ?= build
JOBS  ?= $(shell nproc)
INDEX ?= $(BUILD)/sample-index
DL    := $(BUILD)/dateline

.PHONY: deps build demo test asan clean bench

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

clean:
	rm -rf $(BUILD) build-asan
