#!/bin/sh
# Runs the issue-17 cluster benchmarks as measured in docs/benchmarks.md: throughput with 1, 2 and 3 nodes on
# PostgreSQL beside one SQLite node, then the failover time over 20 kills. Needs PostgreSQL
# (BATON_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres). Run from anywhere; no build.
set -e
cd "$(dirname "$0")/.."
node --conditions=baton-src --import tsx bench/cluster-throughput.ts "$@"
node --conditions=baton-src --import tsx bench/cluster-failover.ts
