package dev.pharos.actuator.dns.embedded;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Rcode;

/**
 * Metrics of the embedded DNS server, in one place. Every series is created up front, so a rate of
 * zero shows as zero rather than as a missing series.
 *
 * <ul>
 *   <li>{@code pharos_dns_queries_total{transport,rcode}}: responses sent, by rcode; {@code
 *       rcode="dropped"} counts packets not answered at all (responses, runt packets, and every
 *       query while the server is silent at a restart: docs/QUORUM.md)
 *   <li>{@code pharos_dns_rate_limited_total{action}}: UDP responses withheld by rate limiting,
 *       {@code dropped} or {@code slipped} (sent empty with TC)
 *   <li>{@code pharos_dns_zone_serial}: the SOA serial served
 *   <li>{@code pharos_geo_database_build_timestamp_seconds}: the location database's build date
 * </ul>
 */
@Singleton
public class EmbeddedDnsMetrics {
    private static final int[] RCODES = {
        Rcode.NOERROR,
        Rcode.FORMERR,
        Rcode.SERVFAIL,
        Rcode.NXDOMAIN,
        Rcode.NOTIMP,
        Rcode.REFUSED,
        Rcode.BADVERS
    };

    private final Map<Transport, Counter[]> answered = new EnumMap<>(Transport.class);
    private final Map<Transport, Counter> other = new EnumMap<>(Transport.class);
    private final Map<Transport, Counter> dropped = new EnumMap<>(Transport.class);
    private final Counter limitedDropped;
    private final Counter limitedSlipped;
    private final AtomicLong serial = new AtomicLong();
    private final AtomicLong geoBuilt = new AtomicLong();

    @Inject
    public EmbeddedDnsMetrics(MeterRegistry registry) {
        for (Transport t : Transport.values()) {
            Counter[] byRcode = new Counter[Rcode.BADVERS + 1];
            for (int rcode : RCODES) {
                byRcode[rcode] = queries(registry, t, Rcode.string(rcode));
            }
            answered.put(t, byRcode);
            other.put(t, queries(registry, t, "other"));
            dropped.put(t, queries(registry, t, "dropped"));
        }
        limitedDropped = limited(registry, "dropped");
        limitedSlipped = limited(registry, "slipped");
        Gauge.builder("pharos_geo_database_build_timestamp_seconds", geoBuilt, AtomicLong::get)
                .description(
                        "Build date (Unix time) of the location database geo records are answered"
                                + " from; 0 without one")
                .register(registry);
        Gauge.builder("pharos_dns_zone_serial", serial, AtomicLong::get)
                .description("SOA serial of the zone the embedded server answers from")
                .register(registry);
    }

    void answered(Transport t, int rcode) {
        Counter[] byRcode = answered.get(t);
        Counter c = rcode >= 0 && rcode < byRcode.length ? byRcode[rcode] : null;
        (c != null ? c : other.get(t)).increment();
    }

    void dropped(Transport t) {
        dropped.get(t).increment();
    }

    void rateLimited(ResponseRateLimiter.Decision d) {
        (d == ResponseRateLimiter.Decision.SLIP ? limitedSlipped : limitedDropped).increment();
    }

    void geoBuilt(long epochSeconds) {
        geoBuilt.set(epochSeconds);
    }

    void serial(long value) {
        serial.set(value);
    }

    private static Counter queries(MeterRegistry registry, Transport t, String rcode) {
        return Counter.builder("pharos_dns_queries_total")
                .description("Responses of the embedded DNS server by transport and rcode")
                .tags("transport", t.label(), "rcode", rcode.toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private static Counter limited(MeterRegistry registry, String action) {
        return Counter.builder("pharos_dns_rate_limited_total")
                .description("UDP responses withheld by response rate limiting")
                .tags("action", action)
                .register(registry);
    }
}
