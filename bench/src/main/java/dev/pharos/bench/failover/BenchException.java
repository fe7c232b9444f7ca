package dev.pharos.bench.failover;

/** Something the benchmark needs is missing or broke: the message says what, the run stops. */
final class BenchException extends RuntimeException {
    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
