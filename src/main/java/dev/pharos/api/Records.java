package dev.pharos.api;

import dev.pharos.api.view.RecordView;
import dev.pharos.config.Family;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.ProbeSpec;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.DnsStep;
import dev.pharos.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The per-record view of GET /api/v1/status. */
@Singleton
public class Records {
    @Inject Topology topology;
    @Inject Actuators actuators;

    public List<RecordView> views(DesiredState desired) {
        Optional<DnsStep> dns = actuators.dns().stream().findFirst().map(ReconcileLoop::step);
        Map<RecordKey, RecordSet> published = dns.map(DnsStep::published).orElse(Map.of());
        Duration propagation = dns.map(DnsStep::lastPropagation).orElse(Duration.ZERO);
        Map<RecordKey, RecordSet> wanted =
                dns.map(r -> r.publishable(desired.records())).orElse(desired.records());
        List<RecordView> out = new ArrayList<>();
        for (RecordKey key : ManagedRecords.owned(topology)) {
            RecordSet want = wanted.get(key);
            RecordSet have = published.get(key);
            ManagedRecord r = record(key.name());
            double detection = detectionSeconds(r);
            double exchange =
                    topology.peers().isEmpty()
                            ? 0
                            : topology.quorum().exchangeInterval().toMillis() / 1000.0;
            int ttl = want == null ? r.ttl() : want.ttl();
            double prop = propagation.toMillis() / 1000.0;
            out.add(
                    new RecordView(
                            key.name(),
                            key.type(),
                            ttl,
                            want == null ? List.of() : List.copyOf(want.values()),
                            dns.isEmpty()
                                    ? null
                                    : have == null ? List.of() : List.copyOf(have.values()),
                            dns.isPresent() && want != null && want.equals(have),
                            new RecordView.FailoverTime(
                                    detection,
                                    exchange,
                                    prop,
                                    ttl,
                                    round(detection + exchange + prop + ttl))));
        }
        return out;
    }

    private ManagedRecord record(String name) {
        return topology.records().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** The slowest load-balancer target of the record's regions: interval + fall x timeout. */
    private double detectionSeconds(ManagedRecord r) {
        List<String> regions = r.spans() ? r.regions() : ManagedRecords.aliasChain(topology, r);
        double worst = 0;
        for (String name : regions) {
            Region region = topology.regions().get(name);
            for (Family f : Family.values()) {
                Optional<ProbeSpec> p = region.loadBalancer(f).map(t -> t.probe());
                if (p.isPresent()) {
                    ProbeSpec s = p.get();
                    long slowest = Math.max(s.timeout().toMillis(), s.recheck().toMillis());
                    worst =
                            Math.max(
                                    worst, (s.interval().toMillis() + s.fall() * slowest) / 1000.0);
                }
            }
        }
        return round(worst);
    }

    private static double round(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}
