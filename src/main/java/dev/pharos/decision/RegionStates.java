package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.observation.Health;
import dev.pharos.quorum.ContentVerdict;
import dev.pharos.quorum.Verdict;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Region states from verdicts, as a pure function. Each address family is judged on its own load
 * balancer (an IPv6 outage must not hide a working IPv4 path, nor the reverse) and the region takes
 * the worst of its families, so it serves only where every family it publishes can serve; the
 * backends are shared by both families. Backends without a verdict yet do not count as DOWN: the
 * region is UNKNOWN only while they could still decide it (docs/ARCHITECTURE.md, "Semantics").
 */
public final class RegionStates {
    /** The reason of a region DEGRADED by its content. */
    public static final String STALE_CONTENT = "stale content";

    private RegionStates() {}

    /**
     * @param verdicts by target id; a missing verdict counts as UNKNOWN
     * @param drain the region's active override, if any
     * @param previous the region's previous status, to carry {@code since} over
     */
    public static RegionStatus evaluate(
            Region region,
            Map<String, Verdict> verdicts,
            Optional<Drain> drain,
            Optional<RegionStatus> previous,
            Instant now) {
        return evaluate(region, verdicts, drain, Optional.empty(), previous, now);
    }

    /**
     * As above, with the region's content verdict: STALE content makes a serving family (HEALTHY or
     * DEGRADED) DEGRADED with the reason {@value #STALE_CONTENT}; it never makes a region DEAD nor
     * hides a worse state (docs/CONTENT.md).
     */
    public static RegionStatus evaluate(
            Region region,
            Map<String, Verdict> verdicts,
            Optional<Drain> drain,
            Optional<ContentVerdict> content,
            Optional<RegionStatus> previous,
            Instant now) {
        int up = 0;
        int down = 0;
        for (Target b : region.backends()) {
            Health h = health(verdicts, b);
            if (h == Health.UP) {
                up++;
            } else if (h == Health.DOWN) {
                down++;
            }
        }
        int total = region.backends().size();
        int unknown = total - up - down;
        Map<Family, FamilyStatus> families = new EnumMap<>(Family.class);
        for (Family f : region.families()) {
            Target lb = region.loadBalancer(f).orElseThrow();
            FamilyStatus fs = family(region, f, lb, verdicts, drain, up, down, unknown);
            if (content.isPresent() && content.get().stale() && fs.state().serving()) {
                fs =
                        new FamilyStatus(
                                f,
                                RegionState.DEGRADED,
                                STALE_CONTENT + ": " + content.get().reason());
            }
            families.put(f, fs);
        }
        RegionState worst = RegionState.HEALTHY;
        String reason = "";
        for (FamilyStatus fs : families.values()) {
            if (fs.state().ordinal() >= worst.ordinal()) {
                if (fs.state().ordinal() > worst.ordinal() || reason.isEmpty()) {
                    reason = fs.reason();
                }
                worst = fs.state();
            }
        }
        Instant since =
                previous.filter(p -> p.state() == worstOf(families))
                        .map(RegionStatus::since)
                        .orElse(now);
        return new RegionStatus(
                region.name(), worst, Map.copyOf(families), up, total, reason, since);
    }

    private static RegionState worstOf(Map<Family, FamilyStatus> families) {
        RegionState worst = RegionState.HEALTHY;
        for (FamilyStatus fs : families.values()) {
            if (fs.state().ordinal() > worst.ordinal()) {
                worst = fs.state();
            }
        }
        return worst;
    }

    private static FamilyStatus family(
            Region region,
            Family f,
            Target lb,
            Map<String, Verdict> verdicts,
            Optional<Drain> drain,
            int up,
            int down,
            int unknown) {
        if (drain.isPresent()) {
            return new FamilyStatus(
                    f,
                    RegionState.DRAINED,
                    "drained by "
                            + drain.get().by()
                            + " until "
                            + drain.get().until()
                            + ": "
                            + drain.get().reason());
        }
        Verdict lbVerdict = verdicts.get(lb.id());
        Health lbHealth = lbVerdict == null ? Health.UNKNOWN : lbVerdict.health();
        String lbName = "load balancer " + lb.endpoint();
        if (lbHealth == Health.DOWN) {
            return new FamilyStatus(f, RegionState.DEAD, lbName + " " + lbVerdict.reason());
        }
        if (lbHealth == Health.UNKNOWN) {
            return new FamilyStatus(f, RegionState.UNKNOWN, lbName + " has no verdict yet");
        }
        int total = region.backends().size();
        if (total == 0) {
            return new FamilyStatus(f, RegionState.HEALTHY, lbName + " UP, no backends listed");
        }
        String counts = up + " of " + total + " backends UP";
        if (up >= region.minBackends()) {
            if (down == 0 && unknown == 0) {
                return new FamilyStatus(f, RegionState.HEALTHY, counts);
            }
            return new FamilyStatus(
                    f,
                    down == 0 ? RegionState.HEALTHY : RegionState.DEGRADED,
                    counts
                            + (unknown > 0 ? ", " + unknown + " unknown" : "")
                            + " (min-backends "
                            + region.minBackends()
                            + ")");
        }
        if (up + unknown >= region.minBackends()) {
            return new FamilyStatus(
                    f, RegionState.UNKNOWN, counts + ", " + unknown + " without a verdict yet");
        }
        String shortBy = counts + ", fewer than min-backends " + region.minBackends();
        if (region.relay().isEmpty()) {
            return new FamilyStatus(f, RegionState.DEAD, shortBy + ", no relay");
        }
        Health relay = health(verdicts, region.relay().get());
        if (relay == Health.UP) {
            return new FamilyStatus(f, RegionState.RELAYING, shortBy + ", relay UP");
        }
        return new FamilyStatus(f, RegionState.DEAD, shortBy + ", relay " + relay.name());
    }

    private static Health health(Map<String, Verdict> verdicts, Target t) {
        Verdict v = verdicts.get(t.id());
        return v == null ? Health.UNKNOWN : v.health();
    }
}
