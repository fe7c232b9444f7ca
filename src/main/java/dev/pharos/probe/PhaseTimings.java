package dev.pharos.probe;

/**
 * How long each phase of a probe took, in microseconds from the probe's start; -1 where the phase
 * was not reached (or does not apply, like TLS on plain http).
 */
public record PhaseTimings(
        long connectMicros, long tlsMicros, long firstByteMicros, long totalMicros) {
    public static final long NOT_REACHED = -1;

    public static PhaseTimings totalOnly(long totalMicros) {
        return new PhaseTimings(NOT_REACHED, NOT_REACHED, NOT_REACHED, totalMicros);
    }
}
