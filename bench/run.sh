#!/bin/sh
# Runs the issue-2 and issue-6 benchmarks as measured in docs/benchmarks.md. Run from anywhere; extra
# arguments go to three-tasks.ts (e.g. --runs 3). Needs no build: Baton is loaded from its TypeScript sources.
set -e
cd "$(dirname "$0")/.."
node --conditions=baton-src --import tsx bench/three-tasks.ts \
  --engines baton-sqlite,baton-sqlite-normal,baton-memory,bpmn-engine "$@"
node --conditions=baton-src --import tsx bench/replay.ts
node --conditions=baton-src --import tsx bench/grpc-three-tasks.ts
