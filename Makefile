# Runnel — the two commands of the quick start, plus benchmarks.
#   make test   install what is missing, then build and run every test
#   make run    install what is missing, then run Runnel on plugins.toml
#   make bench  side-by-side benchmarks with ratios against peers
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
CONFIG ?= plugins.toml

.PHONY: all build test run bench setup lint clean

all: build

setup:
	@deploy/local/setup.sh

build: setup
	$(SWIFT) build

test: setup
	RUNNEL_INTEGRATION=1 $(SWIFT) test

run: build
	@deploy/local/run-demo.sh $(CONFIG)

bench:
	@deploy/local/setup.sh --bench
	@Benchmarks/run.sh
	@Benchmarks/pipeline/run.sh
	@Benchmarks/docker/run.sh
	@Benchmarks/elasticsearch/run.sh

lint:
	@duplicates || true

clean:
	rm -rf .build Benchmarks/.build
