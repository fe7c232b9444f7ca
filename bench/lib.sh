# shellcheck shell=bash
# Sourced by bench/*/run.sh. The harness the scripts start lives in bench/src/main/java, a source
# set of its own that Maven compiles after the tests, against them, into target/bench-classes (see
# bench/README.md); bench_build builds it offline and sets BENCH_CP, its classpath.
#
#   bench_build classes    the harness, the test classes it uses and Pharos's classes
#   bench_build package    the same and the Pharos jar, target/quarkus-app/quarkus-run.jar
BENCH_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_build() {
    local goal
    case "$1" in
        classes) goal=process-test-classes ;;
        package) goal=package ;;
        *) echo "bench_build: classes or package, not '$1'" >&2; return 2 ;;
    esac
    if ! (cd "$BENCH_REPO" && ./mvnw -q -B -o "$goal" -DskipTests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_REPO/target/bench-classpath.txt"); then
        echo "bench: the offline build failed; if Maven says a plugin is missing (the dependency" \
            "plugin, on a first run), fetch it once with network: ./mvnw -B dependency:build-classpath" >&2
        return 1
    fi
    BENCH_CP="$BENCH_REPO/target/bench-classes:$BENCH_REPO/target/test-classes"
    BENCH_CP="$BENCH_CP:$BENCH_REPO/target/classes:$(cat "$BENCH_REPO/target/bench-classpath.txt")"
}
