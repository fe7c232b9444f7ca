package dev.pharos.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.journal.AlertEvent;
import dev.pharos.journal.AlertEvent.AlertReceived;
import dev.pharos.journal.Journal;
import dev.pharos.journal.Severity;
import dev.pharos.reconcile.Pipeline;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Alerts in (DESIGN 7): Alertmanager's webhook payload, checked whole before anything changes.
 * Every accepted alert is journaled ({@code ALERT_RECEIVED}); those labelled {@code pharos_region}
 * or {@code pharos_target} have their targets re-probed from every vantage point at once ({@link
 * Reprobes}), and, with {@code count-as-vote}, count as one DOWN vote while they fire ({@link
 * AlertVotes}).
 */
@Singleton
public class InboundAlerts {
    private final Topology topology;
    private final Journal journal;
    private final ObjectMapper json;
    private final AlertMetrics metrics;
    private final AlertVotes votes;
    private final Reprobes reprobes;
    private final Pipeline pipeline;
    private final int maxBytes;

    /** What was done with an accepted payload. */
    public record Result(int accepted, List<String> reprobed, List<String> vantagePoints) {}

    /** A payload refused as a whole: nothing was changed. */
    public static final class Refused extends Exception {
        private final int status;
        private final String title;

        Refused(int status, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }
    }

    /** An alert with the targets its labels name: all of them to re-probe, some to vote on. */
    private record Resolved(InboundAlert alert, Set<String> reprobe, Set<String> vote) {}

    @Inject
    public InboundAlerts(
            Topology topology,
            Journal journal,
            ObjectMapper json,
            AlertMetrics metrics,
            AlertVotes votes,
            Reprobes reprobes,
            Pipeline pipeline) {
        this.topology = topology;
        this.journal = journal;
        this.json = json;
        this.metrics = metrics;
        this.votes = votes;
        this.reprobes = reprobes;
        this.pipeline = pipeline;
        this.maxBytes = topology.alerts().inbound().maxBytes();
    }

    public Result receive(byte[] body) throws Refused {
        if (body != null && body.length > maxBytes) {
            metrics.refused("too_large");
            throw tooLarge(body.length, maxBytes);
        }
        List<InboundAlert> alerts;
        try {
            alerts = AlertmanagerPayload.parse(body, json);
        } catch (AlertmanagerPayload.Invalid e) {
            metrics.refused("malformed");
            throw new Refused(400, "Bad Request", e.getMessage());
        }
        List<Resolved> resolved = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            resolved.add(resolve("alerts[" + i + "].labels.", alerts.get(i)));
        }
        // accepted as a whole: from here on nothing is refused
        Set<String> reprobe = new TreeSet<>();
        Set<String> reasons = new LinkedHashSet<>();
        boolean votesChanged = false;
        for (Resolved r : resolved) {
            boolean voted = votes.record(r.alert(), r.vote());
            votesChanged |= voted;
            journal(r, voted);
            metrics.accepted(r.alert().status());
            reprobe.addAll(r.reprobe());
            if (!r.reprobe().isEmpty()) {
                reasons.add("alert " + r.alert().name() + " " + r.alert().status());
            }
        }
        if (votesChanged) {
            pipeline.trigger();
        }
        List<String> vantage =
                reprobe.isEmpty()
                        ? List.of()
                        : reprobes.everywhere(reprobe, String.join(", ", reasons));
        return new Result(alerts.size(), List.copyOf(reprobe), vantage);
    }

    static Refused tooLarge(long size, int max) {
        return new Refused(
                413,
                "Payload Too Large",
                "the payload has "
                        + size
                        + " bytes; at most "
                        + max
                        + " are accepted (pharos.alerts.inbound.max-bytes)");
    }

    /** The targets an alert's labels name; an unknown region or target refuses the payload. */
    private Resolved resolve(String key, InboundAlert a) throws Refused {
        Optional<String> regionName = a.label(InboundAlert.REGION_LABEL);
        Optional<String> targetId = a.label(InboundAlert.TARGET_LABEL);
        Optional<Region> region = Optional.empty();
        if (regionName.isPresent()) {
            region = topology.region(regionName.get());
            if (region.isEmpty()) {
                throw unknown(
                        key + InboundAlert.REGION_LABEL,
                        "unknown region '"
                                + regionName.get()
                                + "' (known: "
                                + String.join(", ", topology.regions().keySet())
                                + ")");
            }
        }
        if (targetId.isPresent()) {
            Target t = topology.targetsById().get(targetId.get());
            if (t == null) {
                throw unknown(
                        key + InboundAlert.TARGET_LABEL,
                        "unknown target '"
                                + targetId.get()
                                + "' (a target id such as "
                                + topology.targets().get(0).id()
                                + ")");
            }
            if (regionName.isPresent() && !t.region().equals(regionName)) {
                throw unknown(
                        key + InboundAlert.TARGET_LABEL,
                        "target '" + t.id() + "' is not in region '" + regionName.get() + "'");
            }
            return new Resolved(a, Set.of(t.id()), Set.of(t.id()));
        }
        if (region.isPresent()) {
            Set<String> all = new LinkedHashSet<>();
            region.get().targets().forEach(t -> all.add(t.id()));
            Set<String> lbs = new LinkedHashSet<>();
            region.get().loadBalancerV4().ifPresent(t -> lbs.add(t.id()));
            region.get().loadBalancerV6().ifPresent(t -> lbs.add(t.id()));
            return new Resolved(a, all, lbs);
        }
        return new Resolved(a, Set.of(), Set.of());
    }

    private Refused unknown(String key, String detail) {
        metrics.refused("unknown_label");
        return new Refused(422, "Unprocessable Content", key + ": " + detail);
    }

    private void journal(Resolved r, boolean voted) {
        InboundAlert a = r.alert();
        Severity severity = Severity.INFO;
        if (a.firing()) {
            try {
                severity = Severity.parse(a.labels().getOrDefault("severity", "warning"));
            } catch (IllegalArgumentException e) {
                severity = Severity.WARNING;
            }
        }
        Optional<String> target = a.label(InboundAlert.TARGET_LABEL);
        journal.append(
                AlertReceived.of(
                        a.name(),
                        new AlertEvent.Alert(
                                a.firing(),
                                a.labels(),
                                Optional.ofNullable(a.annotations().get("summary")),
                                a.startsAt(),
                                a.endsAt(),
                                a.fingerprint()),
                        severity,
                        a.label(InboundAlert.REGION_LABEL)
                                .or(
                                        () ->
                                                target.map(topology.targetsById()::get)
                                                        .flatMap(Target::region)),
                        target,
                        List.copyOf(r.reprobe()),
                        votes.enabled() && !r.vote().isEmpty()
                                ? Optional.of(voted && a.firing() ? "DOWN" : "none")
                                : Optional.empty()));
    }
}
