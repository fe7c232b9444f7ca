package dev.pharos.observation;

import dev.pharos.config.RegionContent;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One vantage point's judgement of every region's content from its own latest readings of the
 * regions' load balancers. Pure apart from what it remembers: when it first saw each manifest
 * version, since when each region has been syncing, and since when each state holds. The time is
 * always given, never read.
 *
 * <ul>
 *   <li>UNKNOWN: no reading yet, the latest is older than three intervals, or a configured file
 *       could not be read (its reason is the detail).
 *   <li>SYNCING: the in-progress marker is there, for at most stale-after (a sync stuck longer is
 *       judged by its age like any other).
 *   <li>STALE: the trace is older than stale-after, or the region's manifest has differed from the
 *       newest for longer than stale-after (counted from when this vantage point first saw the
 *       newest one anywhere).
 *   <li>LAGGING: the trace is older than warn-after, or the manifest differs from the newest.
 *   <li>FRESH otherwise.
 * </ul>
 *
 * The newest manifest is the one served by the region with the latest trace; without traces, the
 * one first seen last; then the one most regions serve; then by name.
 */
public final class ContentJudge {
    private final Map<String, RegionContent> regions;
    private final Map<String, Instant> firstSeen = new HashMap<>();
    private final Map<String, Instant> syncingSince = new HashMap<>();
    private final Map<String, ContentVote> last = new HashMap<>();

    public ContentJudge(Map<String, RegionContent> regions) {
        this.regions = Map.copyOf(regions);
    }

    /** Every checked region's vote now, from the latest reading of each (absent: none yet). */
    public Map<String, ContentVote> judge(Map<String, ContentReading> readings, Instant now) {
        Map<String, ContentReading> current = new LinkedHashMap<>();
        Map<String, Integer> served = new HashMap<>();
        for (var e : readings.entrySet()) {
            RegionContent rc = regions.get(e.getKey());
            if (rc == null || tooOld(e.getValue(), rc, now)) {
                continue;
            }
            current.put(e.getKey(), e.getValue());
            e.getValue()
                    .manifest()
                    .ifPresent(
                            m -> {
                                firstSeen.merge(
                                        m, e.getValue().at(), (a, b) -> a.isBefore(b) ? a : b);
                                served.merge(m, 1, Integer::sum);
                            });
        }
        firstSeen.keySet().retainAll(served.keySet());
        Optional<String> newest = newest(current, served);
        Map<String, ContentVote> out = new LinkedHashMap<>();
        for (RegionContent rc : regions.values()) {
            String name = rc.region();
            ContentReading r = readings.get(name);
            ContentVote v = vote(rc, r, current.containsKey(name), newest, now);
            ContentVote before = last.get(name);
            Instant since = before != null && before.state() == v.state() ? before.since() : now;
            v =
                    new ContentVote(
                            v.state(),
                            since,
                            v.ageMs(),
                            v.syncedAt(),
                            v.version(),
                            v.syncing(),
                            v.detail());
            last.put(name, v);
            out.put(name, v);
        }
        return out;
    }

    private static boolean tooOld(ContentReading r, RegionContent rc, Instant now) {
        return Duration.between(r.at(), now).compareTo(rc.interval().multipliedBy(3)) > 0;
    }

    private Optional<String> newest(
            Map<String, ContentReading> current, Map<String, Integer> served) {
        Map<String, Instant> latestTrace = new HashMap<>();
        for (ContentReading r : current.values()) {
            if (r.manifest().isPresent() && r.syncedAt().isPresent()) {
                latestTrace.merge(
                        r.manifest().get(), r.syncedAt().get(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        Comparator<String> order =
                Comparator.<String, Instant>comparing(
                                m -> latestTrace.getOrDefault(m, Instant.EPOCH))
                        .thenComparing(m -> firstSeen.getOrDefault(m, Instant.EPOCH))
                        .thenComparing(m -> served.getOrDefault(m, 0))
                        .thenComparing(Comparator.reverseOrder());
        return served.keySet().stream().max(order);
    }

    private ContentVote vote(
            RegionContent rc,
            ContentReading r,
            boolean current,
            Optional<String> newest,
            Instant now) {
        String name = rc.region();
        if (r == null) {
            syncingSince.remove(name);
            return unknown(null, null, "not checked yet");
        }
        Long ageMs = Math.max(0, Duration.between(r.at(), now).toMillis());
        if (!current) {
            syncingSince.remove(name);
            return unknown(ageMs, r, "the latest check is older than three intervals");
        }
        if (r.error().isPresent()) {
            syncingSince.remove(name);
            return unknown(ageMs, r, r.error().get());
        }
        Instant syncedAt = r.syncedAt().orElse(null);
        String version = r.version().orElse(null);
        Duration age = r.syncedAt().map(t -> max0(Duration.between(t, now))).orElse(Duration.ZERO);
        if (r.syncing()) {
            Instant started = syncingSince.computeIfAbsent(name, k -> r.at());
            Duration running = max0(Duration.between(started, now));
            if (running.compareTo(rc.staleAfter()) <= 0) {
                return new ContentVote(
                        ContentState.SYNCING,
                        now,
                        ageMs,
                        syncedAt,
                        version,
                        true,
                        "sync in progress for " + human(running));
            }
        } else {
            syncingSince.remove(name);
        }
        Optional<Duration> differs = Optional.empty();
        if (r.manifest().isPresent()
                && newest.isPresent()
                && !newest.get().equals(r.manifest().get())) {
            differs = Optional.of(max0(Duration.between(firstSeen.get(newest.get()), now)));
        }
        String lastSync = r.syncedAt().isPresent() ? "last sync " + human(age) + " ago" : "";
        ContentState state = ContentState.FRESH;
        String detail = lastSync.isEmpty() ? "manifest is the newest" : lastSync;
        if (differs.isPresent()) {
            String d =
                    "manifest "
                            + version
                            + " differs from the newest "
                            + shortVersion(newest.get())
                            + " for "
                            + human(differs.get());
            detail = lastSync.isEmpty() ? d : lastSync + "; " + d;
        }
        if (r.syncedAt().isPresent() && age.compareTo(rc.staleAfter()) > 0
                || differs.isPresent() && differs.get().compareTo(rc.staleAfter()) > 0) {
            state = ContentState.STALE;
            detail += " (stale-after " + human(rc.staleAfter()) + ")";
        } else if (r.syncedAt().isPresent() && age.compareTo(rc.warnAfter()) > 0
                || differs.isPresent()) {
            state = ContentState.LAGGING;
            detail += " (warn-after " + human(rc.warnAfter()) + ")";
        }
        return new ContentVote(state, now, ageMs, syncedAt, version, r.syncing(), detail);
    }

    private static ContentVote unknown(Long ageMs, ContentReading r, String detail) {
        return new ContentVote(
                ContentState.UNKNOWN,
                null,
                ageMs,
                r == null ? null : r.syncedAt().orElse(null),
                r == null ? null : r.version().orElse(null),
                r == null ? null : r.syncing(),
                cut(detail));
    }

    /** The 12 hex digits a version is shown as, from a manifest identity. */
    static String shortVersion(String manifest) {
        return manifest.startsWith("sha256:") && manifest.length() >= 19
                ? manifest.substring(7, 19)
                : manifest;
    }

    private static Duration max0(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String cut(String s) {
        return s.length() <= ContentVote.MAX_DETAIL ? s : s.substring(0, ContentVote.MAX_DETAIL);
    }

    /** "1h 5m", "3m 2s", "45s". */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        if (s >= 60) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        return s + "s";
    }
}
