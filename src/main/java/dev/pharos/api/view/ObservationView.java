package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.observation.VantageSnapshot;
import dev.pharos.probe.PhaseTimings;
import dev.pharos.probe.ProbeResult;
import java.time.Instant;

/** One observation as the API shows it; times in milliseconds, null where not reached. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObservationView(
        Instant at,
        boolean success,
        String reason,
        String detail,
        Integer status,
        Double connectMs,
        Double tlsMs,
        Double firstByteMs,
        Double totalMs,
        Instant certNotAfter) {

    public static ObservationView of(ProbeResult r) {
        PhaseTimings t = r.timings();
        return new ObservationView(
                r.startedAt(),
                r.success(),
                r.reason().map(Enum::name).orElse(null),
                r.detail(),
                r.status().orElse(null),
                ms(t.connectMicros()),
                ms(t.tlsMicros()),
                ms(t.firstByteMicros()),
                ms(t.totalMicros()),
                r.certNotAfter().orElse(null));
    }

    /** A peer's observation, as its snapshot summarizes it. */
    public static ObservationView of(VantageSnapshot.Summary s) {
        return new ObservationView(
                null,
                s.success(),
                s.reason(),
                s.detail(),
                null,
                null,
                null,
                null,
                s.totalMs(),
                null);
    }

    private static Double ms(long micros) {
        return micros < 0 ? null : Math.round(micros / 10.0) / 100.0;
    }
}
