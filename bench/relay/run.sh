#!/bin/sh
# Relay timings: backends die -> first relayed 200 (10 trials, TRIALS to change), and the extra
# latency of a relayed request, with real HAProxy load balancers and relays on loopback.
# Writes bench/results/relay.md.
set -eu
cd "$(dirname "$0")/../.."
exec ./mvnw -B -o test -Dtest=RelayBenchTest -Drelaybench=true \
  -Drelaybench.trials="${TRIALS:-10}" -Drelaybench.out="$(pwd)/bench/results/relay.md"
