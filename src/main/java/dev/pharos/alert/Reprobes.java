package dev.pharos.alert;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.journal.AlertEvent.PeerReprobe;
import dev.pharos.journal.AlertEvent.Reprobe;
import dev.pharos.journal.Journal;
import dev.pharos.observation.CooperativeReprobe;
import dev.pharos.observation.ObservationMetrics;
import dev.pharos.observation.PeerExchange;
import dev.pharos.observation.ReprobeOutcome;
import dev.pharos.observation.ReprobeRequest;
import dev.pharos.probe.ProbeEngine;
import dev.pharos.probe.ProbeScheduler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immediate re-probes for fast confirmation: this vantage point probes the targets at once (each
 * right after its probe in flight, if one is), and asks every peer to do the same through the
 * observation exchange. Each is journaled as {@code REPROBE}.
 *
 * <p>A peer's request (after an inbound alert there, or a cooperative re-probe after a failure
 * there) is an extra probe only: taken at most once per target per {@code
 * quorum.reprobe.receive-interval}, and never when this vantage point's own last probe of the
 * target failed (its own re-check is planned; see {@link ProbeScheduler#reprobe}).
 */
@Singleton
public class Reprobes {
    private final Topology topology;
    private final ProbeEngine probes;
    private final PeerExchange exchange;
    private final Journal journal;
    private final CooperativeReprobe cooperative;
    private final ObservationMetrics metrics;

    @Inject
    public Reprobes(
            Topology topology,
            ProbeEngine probes,
            PeerExchange exchange,
            Journal journal,
            CooperativeReprobe cooperative,
            ObservationMetrics metrics) {
        this.topology = topology;
        this.probes = probes;
        this.exchange = exchange;
        this.journal = journal;
        this.cooperative = cooperative;
        this.metrics = metrics;
    }

    /** Re-probes from every vantage point; returns the vantage points that were asked. */
    public List<String> everywhere(Collection<String> targets, String reason) {
        List<String> ids = List.copyOf(targets);
        ids.forEach(probes::probeNow);
        List<String> peers = exchange.reprobe(new ReprobeRequest(topology.nodeName(), ids, reason));
        List<String> vantage = new ArrayList<>();
        vantage.add(topology.nodeName());
        vantage.addAll(peers);
        journal.append(Reprobe.of(region(ids), ids, vantage, reason));
        return vantage;
    }

    /**
     * A peer asks this vantage point to re-probe. Targets this instance does not know are ignored
     * (during a rolling config change the peers' targets may differ), as are targets re-probed on a
     * request less than {@code receive-interval} ago and targets whose last probe here failed. Only
     * the targets re-probed are journaled.
     *
     * @return the targets re-probed
     */
    public List<String> forPeer(ReprobeRequest r) {
        Map<String, Target> known = topology.targetsById();
        List<String> asked = r.targets() == null ? List.of() : r.targets();
        List<String> ids = new ArrayList<>();
        for (String id : asked.stream().distinct().toList()) {
            if (id == null || !known.containsKey(id)) {
                metrics.reprobe(ReprobeOutcome.UNKNOWN_TARGET);
            } else if (cooperative.mayTake(id)) {
                switch (probes.reprobe(id)) {
                    case PROBING -> {
                        metrics.reprobe(ReprobeOutcome.PROBED);
                        ids.add(id);
                    }
                    case RECHECKING -> metrics.reprobe(ReprobeOutcome.RECHECKING);
                    case UNKNOWN -> metrics.reprobe(ReprobeOutcome.UNKNOWN_TARGET);
                }
            }
        }
        if (ids.isEmpty()) {
            return ids;
        }
        String reason = r.reason() == null ? "" : AlertmanagerPayload.shorten(r.reason());
        String by = r.by() == null ? "a peer" : AlertmanagerPayload.shorten(r.by());
        journal.append(PeerReprobe.of(region(ids), ids, by, reason));
        return ids;
    }

    /** The region all these targets belong to, if they share one. */
    private Optional<String> region(List<String> ids) {
        Map<String, Target> known = topology.targetsById();
        List<Optional<String>> regions =
                ids.stream()
                        .map(known::get)
                        .filter(Objects::nonNull)
                        .map(Target::region)
                        .distinct()
                        .toList();
        return regions.size() == 1 ? regions.get(0) : Optional.empty();
    }
}
