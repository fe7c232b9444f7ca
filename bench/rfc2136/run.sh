#!/bin/sh
# Time from verdict to BIND serving the change, over 20 trials (TRIALS to change), with one
# Pharos process using the RFC 2136 provider and a real BIND on loopback. Writes
# bench/results/rfc2136.md. Needs root (named -g) and the built jar (./mvnw package).
set -eu
cd "$(dirname "$0")/../.."
exec ./mvnw -B -o verify \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=Rfc2136BenchIT -Dpharos.bench=true \
  -Dpharos.bench.trials="${TRIALS:-20}" \
  -Dpharos.bench.out="$(pwd)/bench/results/rfc2136.md"
