package dev.pharos.bench.failover;

/** Sleeps that turn an interrupt into a stop of the run. */
final class Sleep {
    private Sleep() {}

    static void ms(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }
}
