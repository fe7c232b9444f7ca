package dev.pharos.api.console;

import dev.pharos.decision.RegionState;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.PipelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups journal events into incidents, so the timeline shows one entry per incident rather than
 * one line per event. An incident opens when a region leaves HEALTHY (or is drained), quorum is
 * lost, every region is down, an actuator stops or the writers are wrong; it closes when the same
 * thing recovers. Events about an open incident's region, and the decisions and applies made while
 * incidents are open, are kept with it. Pure: the journal's events in, incidents out.
 */
public final class Timeline {
    /** Events without a region that belong to every incident open when they happen. */
    private static final Set<EventType> SHARED =
            Set.of(
                    EventType.DESIRED_CHANGED,
                    EventType.APPLY_OK,
                    EventType.APPLY_FAILED,
                    EventType.PROPAGATED,
                    EventType.GUARD_FIRED,
                    EventType.GUARD_CLEARED,
                    EventType.CONFIRMED);

    private Timeline() {}

    /**
     * One incident.
     *
     * @param key {@code region/<name>}, {@code quorum}, {@code all-regions-down}, {@code actuator},
     *     {@code writers}
     * @param region the region, for a region's incident
     * @param worst the worst state the region reached (a region's incident), else null
     * @param ended null while it is open
     * @param events its events, oldest first
     */
    public record Incident(
            String key,
            String title,
            String region,
            String worst,
            Instant started,
            Instant ended,
            List<Entry> events) {}

    /** One event of an incident. */
    public record Entry(
            long seq, Instant time, String node, String type, String severity, String message) {
        static Entry of(JournalEvent e) {
            return new Entry(
                    e.seq(),
                    e.time(),
                    e.node(),
                    e.type().label(),
                    e.severity().name(),
                    e.message());
        }
    }

    private static final class Open {
        final String key;
        final String title;
        final String region;
        final Instant started;
        final List<Entry> events = new ArrayList<>();
        RegionState worst;
        Instant ended;

        Open(String key, String title, String region, Instant started) {
            this.key = key;
            this.title = title;
            this.region = region;
            this.started = started;
        }

        Incident incident() {
            return new Incident(
                    key,
                    title,
                    region,
                    worst == null ? null : worst.name(),
                    started,
                    ended,
                    List.copyOf(events));
        }
    }

    /** The incidents in these events (oldest first), newest first, at most {@code limit}. */
    public static List<Incident> of(List<JournalEvent> oldestFirst, int limit) {
        Map<String, Open> open = new LinkedHashMap<>();
        List<Open> all = new ArrayList<>();
        for (JournalEvent e : oldestFirst) {
            String opens = null;
            String closes = null;
            String title = null;
            RegionState state = null;
            if (e.event() instanceof PipelineEvent.RegionStateChanged r) {
                state = r.evidence().state();
                if (state == RegionState.HEALTHY) {
                    closes = "region/" + r.region();
                } else {
                    opens = "region/" + r.region();
                    title = "region " + r.region();
                }
            } else {
                switch (e.type()) {
                    case DRAIN_SET -> {
                        opens = "region/" + e.region();
                        title = "region " + e.region();
                    }
                    case QUORUM_LOST -> {
                        opens = "quorum";
                        title = "quorum lost";
                    }
                    case QUORUM_REGAINED -> closes = "quorum";
                    case ALL_REGIONS_DOWN -> {
                        opens = "all-regions-down";
                        title = "every region down";
                    }
                    case ALL_REGIONS_DOWN_RESOLVED -> closes = "all-regions-down";
                    case ACTUATOR_STOPPED -> {
                        opens = "actuator";
                        title = "actuator stopped";
                    }
                    case ACTUATOR_RESUMED -> closes = "actuator";
                    case WRITERS_WRONG -> {
                        opens = "writers";
                        title = "writers wrong";
                    }
                    case WRITERS_OK -> closes = "writers";
                    default -> {}
                }
            }
            if (opens != null) {
                Open o = open.get(opens);
                if (o == null) {
                    o = new Open(opens, title, e.region(), e.time());
                    open.put(opens, o);
                    all.add(o);
                }
                o.events.add(Entry.of(e));
                if (state != null && (o.worst == null || state.ordinal() > o.worst.ordinal())) {
                    o.worst = state;
                }
            } else if (closes != null) {
                Open o = open.remove(closes);
                if (o != null) {
                    o.events.add(Entry.of(e));
                    o.ended = e.time();
                }
            } else if (e.region() != null) {
                Open o = open.get("region/" + e.region());
                if (o != null) {
                    o.events.add(Entry.of(e));
                }
            } else if (SHARED.contains(e.type())) {
                open.values().forEach(o -> o.events.add(Entry.of(e)));
            }
        }
        List<Incident> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i).incident());
        }
        return out;
    }
}
