package dev.pharos.quorum;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.observation.Health;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vote, verdict and quorum metrics, in one place. Votes and verdicts are 1 UP, 0 DOWN, -1 UNKNOWN.
 *
 * <ul>
 *   <li>{@code pharos_vote{target,vantage}}: this vantage point's own vote
 *   <li>{@code pharos_verdict{target}}: the quorum's verdict
 *   <li>{@code pharos_quorum_size}, {@code pharos_quorum_vantage_points}, {@code
 *       pharos_quorum_reachable_vantage_points}, {@code pharos_quorum_held} (1/0)
 *   <li>{@code pharos_quorum_lost_total}: times quorum was lost
 *   <li>{@code pharos_warmup_done} (1/0)
 *   <li>{@code pharos_vantage_abstaining{vantage}}: 1 while that vantage point abstains because all
 *       its canaries are down (a peer that went silent: as it was last known)
 *   <li>{@code pharos_restart_catchup{state}}: 1 for the state restart catch-up is in ({@link
 *       #CATCHUP_STATES}), 0 for the others (docs/QUORUM.md, "Restart catch-up")
 * </ul>
 */
@Singleton
public class QuorumMetrics {
    private final Map<String, AtomicInteger> votes = new HashMap<>();
    private final Map<String, AtomicInteger> verdicts = new HashMap<>();
    private final AtomicInteger reachable = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger warm = new AtomicInteger();
    private final Counter lost;
    private final Map<String, AtomicInteger> abstaining = new HashMap<>();
    private final Map<String, AtomicInteger> catchUp = new HashMap<>();

    /** The states of restart catch-up, as the pipeline labels them. */
    public static final List<String> CATCHUP_STATES =
            List.of("off", "silent", "adopted", "timed-out", "own");

    @Inject
    public QuorumMetrics(Topology topology, MeterRegistry registry) {
        String vantage = topology.nodeName();
        for (Target t : topology.targets()) {
            AtomicInteger vote = new AtomicInteger(Health.UNKNOWN.gauge());
            Gauge.builder("pharos_vote", vote, AtomicInteger::get)
                    .description("This vantage point's vote: 1 UP, 0 DOWN, -1 UNKNOWN")
                    .tags("target", t.id(), "vantage", vantage)
                    .register(registry);
            votes.put(t.id(), vote);
            AtomicInteger verdict = new AtomicInteger(Health.UNKNOWN.gauge());
            Gauge.builder("pharos_verdict", verdict, AtomicInteger::get)
                    .description("The quorum's verdict: 1 UP, 0 DOWN, -1 UNKNOWN")
                    .tags("target", t.id())
                    .register(registry);
            verdicts.put(t.id(), verdict);
        }
        int size = topology.quorum().size();
        int all = topology.quorum().vantagePoints().size();
        Gauge.builder("pharos_quorum_size", () -> size)
                .description("Votes needed for a verdict")
                .register(registry);
        Gauge.builder("pharos_quorum_vantage_points", () -> all)
                .description("Configured vantage points, this one included")
                .register(registry);
        Gauge.builder("pharos_quorum_reachable_vantage_points", reachable, AtomicInteger::get)
                .description("Vantage points with fresh data, this one included")
                .register(registry);
        Gauge.builder("pharos_quorum_held", held, AtomicInteger::get)
                .description("1 while enough vantage points are reachable for verdicts to change")
                .register(registry);
        Gauge.builder("pharos_warmup_done", warm, AtomicInteger::get)
                .description("1 once warm-up after start is over")
                .register(registry);
        for (String state : CATCHUP_STATES) {
            AtomicInteger c = new AtomicInteger();
            Gauge.builder("pharos_restart_catchup", c, AtomicInteger::get)
                    .description(
                            "1 for the state of restart catch-up: where the embedded DNS server's"
                                    + " answers come from after a start")
                    .tags("state", state)
                    .register(registry);
            catchUp.put(state, c);
        }
        for (String v : topology.quorum().vantagePoints()) {
            AtomicInteger a = new AtomicInteger();
            Gauge.builder("pharos_vantage_abstaining", a, AtomicInteger::get)
                    .description("1 while the vantage point abstains (all its canaries are down)")
                    .tags("vantage", v)
                    .register(registry);
            abstaining.put(v, a);
        }
        lost =
                Counter.builder("pharos_quorum_lost_total")
                        .description("Times this instance lost quorum")
                        .register(registry);
    }

    public void vote(String targetId, Health vote) {
        AtomicInteger g = votes.get(targetId);
        if (g != null) {
            g.set(vote.gauge());
        }
    }

    /** The vantage points known to abstain (a silent one as it was last known). */
    public void abstaining(List<String> vantagePoints) {
        abstaining.forEach((v, g) -> g.set(vantagePoints.contains(v) ? 1 : 0));
    }

    public void update(VerdictBoard.Evaluation ev) {
        ev.verdicts()
                .forEach(
                        (id, v) -> {
                            AtomicInteger g = verdicts.get(id);
                            if (g != null) {
                                g.set(v.health().gauge());
                            }
                        });
        reachable.set(ev.quorum().reachable());
        held.set(ev.quorum().held() ? 1 : 0);
        warm.set(ev.warm() ? 1 : 0);
        if (ev.quorumChanged() && !ev.quorum().held()) {
            lost.increment();
        }
    }

    /** Restart catch-up is in this state (one of {@link #CATCHUP_STATES}). */
    public void catchUp(String state) {
        catchUp.forEach((k, v) -> v.set(k.equals(state) ? 1 : 0));
    }
}
