package dev.pharos.observation;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * This vantage point's copy of the operator actions every vantage point shares: the ones taken
 * through its own API ({@link #record}) and the ones in its peers' snapshots ({@link #merge}), with
 * the hybrid logical clock that stamps new ones. What a merge changes waits in {@link #received}
 * until the pipeline journals and persists it.
 *
 * <p>Thread-safe and never blocking: snapshots are merged on Vert.x and HTTP I/O threads.
 */
@Singleton
public class ActionBook {
    private static final Logger LOG = Logger.getLogger(ActionBook.class);

    /**
     * An entry stamped further ahead of this clock is not taken (yet): it would win for that long.
     */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** Maintenance windows are forgotten this long after they ended. */
    public static final Duration RETENTION = Duration.ofDays(1);

    private final String self;
    private final Set<String> vantagePoints = new LinkedHashSet<>();
    private final Clock clock;
    private final HybridClock hlc;
    private final ConcurrentLinkedQueue<OperatorAction> received = new ConcurrentLinkedQueue<>();
    private volatile ActionSet set;

    @Inject
    public ActionBook(Topology topology, Clock clock, ActionStore store) {
        this(
                topology.nodeName(),
                topology.peers().stream().map(PeerInfo::name).toList(),
                clock,
                store.saved());
    }

    public ActionBook(String self, List<String> peers, Clock clock, List<OperatorAction> saved) {
        this.self = self;
        this.vantagePoints.add(self);
        this.vantagePoints.addAll(peers);
        this.clock = clock;
        this.hlc = new HybridClock(self, clock);
        this.set = ActionSet.of(saved);
        saved.forEach(a -> hlc.observe(a.hlc()));
    }

    public String self() {
        return self;
    }

    /** Every vantage point's name, this one's first. */
    public Set<String> vantagePoints() {
        return vantagePoints;
    }

    public ActionSet current() {
        return set;
    }

    /** A timestamp for a new action taken here. */
    public Hlc stamp() {
        return hlc.tick();
    }

    /** Takes an action made here (stamped with {@link #stamp}); true if it is now in force. */
    public synchronized boolean record(OperatorAction action) {
        ActionSet.Merge m = set.merge(List.of(action));
        set = m.set();
        return !m.changed().isEmpty();
    }

    /**
     * Takes a peer's entries (checked with {@link ActionSet#problem}); the ones that win wait in
     * {@link #received}.
     *
     * @return whether anything changed
     */
    public boolean merge(String from, List<OperatorAction> actions) {
        if (actions == null || actions.isEmpty()) {
            return false;
        }
        long ahead = clock.millis() + MAX_AHEAD.toMillis();
        List<OperatorAction> take = new ArrayList<>(actions.size());
        for (OperatorAction a : actions) {
            if (a.hlc().wall() > ahead) {
                LOG.warnf(
                        "action %s from %s is stamped %s, more than %s ahead of this clock; not"
                                + " taken yet",
                        a.key(), from, Instant.ofEpochMilli(a.hlc().wall()), MAX_AHEAD);
                continue;
            }
            take.add(a);
        }
        List<OperatorAction> changed;
        synchronized (this) {
            ActionSet.Merge m = set.merge(take);
            changed = m.changed();
            if (changed.isEmpty()) {
                return false;
            }
            set = m.set();
        }
        changed.forEach(a -> hlc.observe(a.hlc()));
        received.addAll(changed);
        return true;
    }

    /** The entries taken from peers since the last call, oldest first. */
    public List<OperatorAction> received() {
        List<OperatorAction> out = new ArrayList<>();
        for (OperatorAction a; (a = received.poll()) != null; ) {
            out.add(a);
        }
        return out;
    }

    /** Forgets maintenance windows that ended long ago; true if any was forgotten. */
    public synchronized boolean purge() {
        ActionSet next = set.purge(clock.instant(), RETENTION);
        if (next == set) {
            return false;
        }
        set = next;
        return true;
    }
}
