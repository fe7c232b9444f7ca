package dev.pharos.observation;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Peer-exchange metrics, in one place. Every series exists from start-up, at zero.
 *
 * <ul>
 *   <li>{@code pharos_peer_up{peer}}: 1 while the peer's latest snapshot is within stale-after
 *   <li>{@code pharos_peer_last_seen_age_seconds{peer}}: time since its latest snapshot arrived
 *       (+Inf before the first)
 *   <li>{@code pharos_peer_exchange_total{peer,direction,outcome}}: this instance's pulls and
 *       pushes by outcome (ok, timeout, refused, tls, unauthorized, rejected, server_error,
 *       invalid, error)
 *   <li>{@code pharos_peer_snapshots_received_total{peer,via,result}}: snapshots received by pull
 *       or push, accepted or superseded (older than the one held)
 *   <li>{@code pharos_peer_refused_total{caller,reason}}: peer requests refused, by the vantage
 *       point the credential names ({@code unknown} for a token that names none) and {@link
 *       PeerRefusal.Reason} (token, vantage, invalid, round, age, started-at)
 *   <li>{@code pharos_reprobes_total{direction,outcome}}: cooperative re-probes per target, asked
 *       of the peers ({@code sent}: sent, rate_limited, failed) or asked by them ({@code received}:
 *       probed, rate_limited, rechecking, refused, unknown_target); see {@link ReprobeOutcome}
 * </ul>
 */
@Singleton
public class ObservationMetrics {
    /** Which way a request went. */
    public enum Direction {
        PULL,
        PUSH
    }

    private final Map<String, Map<Direction, Map<ExchangeOutcome, Counter>>> exchanges =
            new HashMap<>();
    private final Map<String, Map<PeerObservations.Via, Counter[]>> received = new HashMap<>();
    private final Map<String, Map<PeerRefusal.Reason, Counter>> refused = new HashMap<>();
    private final Map<ReprobeOutcome, Counter> reprobes = new EnumMap<>(ReprobeOutcome.class);

    /** The caller label of a request whose token names no peer. */
    public static final String UNKNOWN_CALLER = "unknown";

    @Inject
    public ObservationMetrics(
            Topology topology, MeterRegistry registry, PeerObservations peers, Clock clock) {
        for (PeerInfo p : topology.peers()) {
            String name = p.name();
            Gauge.builder("pharos_peer_up", () -> peers.reachable(name, clock.instant()) ? 1 : 0)
                    .description("1 while the peer's latest snapshot arrived within stale-after")
                    .tags("peer", name)
                    .register(registry);
            Gauge.builder(
                            "pharos_peer_last_seen_age_seconds",
                            () ->
                                    peers.latest(name)
                                            .map(
                                                    r ->
                                                            PeerObservations.elapsedMillis(
                                                                            r.receivedAt(),
                                                                            clock.instant())
                                                                    / 1000.0)
                                            .orElse(Double.POSITIVE_INFINITY))
                    .description("Seconds since the peer's latest snapshot arrived")
                    .tags("peer", name)
                    .register(registry);
            Map<Direction, Map<ExchangeOutcome, Counter>> byDirection =
                    new EnumMap<>(Direction.class);
            for (Direction d : Direction.values()) {
                Map<ExchangeOutcome, Counter> byOutcome = new EnumMap<>(ExchangeOutcome.class);
                for (ExchangeOutcome o : ExchangeOutcome.values()) {
                    byOutcome.put(
                            o,
                            Counter.builder("pharos_peer_exchange_total")
                                    .description("Pulls from and pushes to peers, by outcome")
                                    .tags(
                                            "peer",
                                            name,
                                            "direction",
                                            d.name().toLowerCase(Locale.ROOT),
                                            "outcome",
                                            o.label())
                                    .register(registry));
                }
                byDirection.put(d, byOutcome);
            }
            exchanges.put(name, byDirection);
            Map<PeerObservations.Via, Counter[]> byVia = new EnumMap<>(PeerObservations.Via.class);
            for (PeerObservations.Via via : PeerObservations.Via.values()) {
                byVia.put(
                        via,
                        new Counter[] {
                            receivedCounter(registry, name, via, "accepted"),
                            receivedCounter(registry, name, via, "superseded")
                        });
            }
            received.put(name, byVia);
            refusedCounters(registry, name);
        }
        if (!topology.peers().isEmpty()) {
            refusedCounters(registry, UNKNOWN_CALLER);
        }
        for (ReprobeOutcome o : ReprobeOutcome.values()) {
            reprobes.put(
                    o,
                    Counter.builder("pharos_reprobes_total")
                            .description(
                                    "Cooperative re-probes per target, asked of peers (sent) or"
                                            + " by them (received), by outcome")
                            .tags("direction", o.direction(), "outcome", o.label())
                            .register(registry));
        }
    }

    /** Counts one target's cooperative re-probe. */
    public void reprobe(ReprobeOutcome outcome) {
        reprobes.get(outcome).increment();
    }

    private void refusedCounters(MeterRegistry registry, String caller) {
        Map<PeerRefusal.Reason, Counter> byReason = new EnumMap<>(PeerRefusal.Reason.class);
        for (PeerRefusal.Reason r : PeerRefusal.Reason.values()) {
            byReason.put(
                    r,
                    Counter.builder("pharos_peer_refused_total")
                            .description(
                                    "Peer requests refused, by the caller its credential names and"
                                            + " why")
                            .tags("caller", caller, "reason", r.label())
                            .register(registry));
        }
        refused.put(caller, byReason);
    }

    /** Counts a refused peer request; an unknown caller counts as {@link #UNKNOWN_CALLER}. */
    public void refused(String caller, PeerRefusal.Reason reason) {
        Map<PeerRefusal.Reason, Counter> m = refused.get(caller);
        if (m == null) {
            m = refused.get(UNKNOWN_CALLER);
        }
        if (m != null) {
            m.get(reason).increment();
        }
    }

    private static Counter receivedCounter(
            MeterRegistry registry, String peer, PeerObservations.Via via, String result) {
        return Counter.builder("pharos_peer_snapshots_received_total")
                .description("Snapshots received from peers, by how they came and whether kept")
                .tags("peer", peer, "via", via.label(), "result", result)
                .register(registry);
    }

    public void exchange(String peer, Direction direction, ExchangeOutcome outcome) {
        Map<Direction, Map<ExchangeOutcome, Counter>> m = exchanges.get(peer);
        if (m != null) {
            m.get(direction).get(outcome).increment();
        }
    }

    public void received(String peer, PeerObservations.Via via, boolean accepted) {
        Map<PeerObservations.Via, Counter[]> m = received.get(peer);
        if (m != null) {
            m.get(via)[accepted ? 0 : 1].increment();
        }
    }
}
