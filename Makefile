# Runnel — the two commands of the quick start, plus benchmarks.
#   make test   install what is missing, then build and run every test
#   make run    install what is missing, then run Runnel on plugins.toml
#   make bench  side-by-side benchmarks with ratios against peers
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
CONFIG ?= plugins.toml
# A current librdkafka (deploy/local/setup.sh links it here) replaces Debian's 2.0.2 at run time for
# the tests, the agent and the benchmarks: 2.0.2 cannot talk to current brokers (docs/kafka.md).
export LD_LIBRARY_PATH := $(CURDIR)/.build/kafka/lib$(if $(LD_LIBRARY_PATH),:$(LD_LIBRARY_PATH))

.PHONY: all build test run bench setup lint clean

all: build

setup:
	@deploy/local/setup.sh

build: setup
	$(SWIFT) build

# Suites that run real servers and processes with timing of their own (health checks, kill and
# restart, brokers) run one at a time after the others: on two cores, running them beside a
# hundred other suites starves their timers.
SERIAL_TESTS := ^(IntegrationTests|RunnelDockerTests|RunnelKafkaTests|RunnelElasticsearchTests|RunnelRouterTests)\.

test: setup
	$(SWIFT) build --build-tests
	RUNNEL_INTEGRATION=1 $(SWIFT) test --skip-build --skip '$(SERIAL_TESTS)'
	RUNNEL_INTEGRATION=1 $(SWIFT) test --skip-build --no-parallel --filter '$(SERIAL_TESTS)'

run: build
	@deploy/local/run-demo.sh $(CONFIG)

bench:
	@deploy/local/setup.sh --bench
	@Benchmarks/run.sh
	@Benchmarks/pipeline/run.sh
	@Benchmarks/docker/run.sh
	@Benchmarks/router/run.sh
	@Benchmarks/kafka/run.sh
	@Benchmarks/elasticsearch/run.sh

lint:
	@duplicates || true

clean:
	rm -rf .build Benchmarks/.build
