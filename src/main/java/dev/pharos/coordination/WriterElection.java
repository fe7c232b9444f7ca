package dev.pharos.coordination;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The writer's election on an etcd lease, one {@link #tick} at a time (a timer calls it every sixth
 * of the lease's TTL). A candidate holds a lease of its own and takes the election key with it when
 * the key is free; whoever holds the key writes, with the key's create revision as its term.
 *
 * <p>Time is counted conservatively, by this instance's clock: a renewal counts from the moment its
 * request was <em>sent</em>, so the lease this instance believes it has never outlives the one etcd
 * grants. A writer starts no write unless at least a third of the TTL is left ({@link #mayWrite});
 * when the lease has run out by this clock (etcd unreachable, quorum lost, this process paused) it
 * steps down before anything else. Not thread-safe: ticks run on one thread, readers see the
 * volatile state.
 */
public final class WriterElection {
    /** What changed in one tick. */
    public enum Change {
        NONE,
        ELECTED,
        STEPPED_DOWN,
        /**
         * Still the writer, and it may write again after a write was held back ({@link
         * #mayStartWrite} refused it: the lease ran short while etcd did not answer): the round
         * that held it back is not retried by anything else, so the actuators must run again.
         */
        WRITABLE_AGAIN;

        /** Whether the actuators must read and plan again now: a new writer, or a writer again. */
        public boolean reconcile() {
            return this == ELECTED || this == WRITABLE_AGAIN;
        }
    }

    private final ElectionBackend etcd;
    private final String key;
    private final String node;
    private final Duration ttl;
    private final Clock clock;

    // written by stepDown (an actuator's thread) too, while a tick may wait for a renewal
    private volatile long lease;
    private volatile Instant validUntil = Instant.MIN;
    private volatile boolean leader;
    private volatile long term;
    private volatile String lastError;
    // the writer refused a write of its own (lease short) since the last tick that said so
    private volatile boolean heldBack;

    public WriterElection(
            ElectionBackend etcd, String key, String node, Duration ttl, Clock clock) {
        this.etcd = etcd;
        this.key = key;
        this.node = node;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** One round: renew or take a lease, campaign if not the writer, step down if it ran out. */
    public Change tick() {
        boolean wasLeader = leader;
        Instant sent = clock.instant();
        if (leader && !sent.isBefore(validUntil)) {
            // paused, or etcd unreachable for a whole TTL: another may hold the key by now
            leader = false;
            lease = 0;
        }
        try {
            if (lease == 0 || !sent.isBefore(validUntil)) {
                lease = etcd.grant(ttl.toSeconds());
                validUntil = sent.plus(ttl);
            } else {
                // waits as long as an answer can still keep the lease: when etcd's leader dies,
                // its followers answer a renewal once they have elected another (within one or
                // two of etcd's election timeouts), and one call timeout would be too short
                long held = lease;
                long left = etcd.keepAlive(held, Duration.between(sent, validUntil));
                if (lease != held) {
                    // stepped down while the renewal waited (the DNS server holds a later
                    // writer's term): a candidate from the next tick, with a new lease
                    lastError = "superseded: the DNS server holds a later writer's term";
                    heldBack = false;
                    return wasLeader ? Change.STEPPED_DOWN : Change.NONE;
                }
                if (left <= 0) {
                    lease = 0;
                    leader = false;
                    validUntil = Instant.MIN;
                    lastError = "the lease expired in etcd";
                    heldBack = false;
                    return wasLeader ? Change.STEPPED_DOWN : Change.NONE;
                }
                validUntil = sent.plusSeconds(left);
            }
            if (!leader && lease != 0) {
                ElectionBackend.Holder h = etcd.campaign(key, node, lease);
                if (h.lease() == lease) {
                    leader = true;
                    term = h.term();
                }
            }
            lastError = null;
        } catch (Exception e) {
            lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        if (leader && !clock.instant().isBefore(validUntil)) {
            leader = false;
            lease = 0;
        }
        if (leader == wasLeader) {
            if (leader && heldBack && mayWrite()) {
                heldBack = false;
                return Change.WRITABLE_AGAIN;
            }
            return Change.NONE;
        }
        // a new writer reads and plans anew (ELECTED); one that stepped down writes nothing
        heldBack = false;
        return leader ? Change.ELECTED : Change.STEPPED_DOWN;
    }

    /** Steps down for good (shutdown): revokes the lease so that another takes over at once. */
    public void resign() {
        long held = lease;
        leader = false;
        lease = 0;
        validUntil = Instant.MIN;
        if (held != 0) {
            try {
                etcd.revoke(held);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // it expires by itself within the TTL
            }
        }
    }

    /**
     * Stops writing at once, without revoking anything (the lease is already another's or gone):
     * the next tick runs as a candidate.
     */
    public void stepDown() {
        heldBack = false;
        leader = false;
        lease = 0;
        validUntil = Instant.MIN;
    }

    /** Holds the key with a lease that has not run out by this clock. */
    public boolean leader() {
        return leader && clock.instant().isBefore(validUntil);
    }

    /** May start a write now: the writer, with at least a third of the TTL left. */
    public boolean mayWrite() {
        return leader
                && Duration.between(clock.instant(), validUntil).compareTo(ttl.dividedBy(3)) >= 0;
    }

    /**
     * {@link #mayWrite}, asked by an actuator right before it writes: a writer that refuses itself
     * a write (its lease ran short) remembers it, and the tick that renews the lease says {@link
     * Change#WRITABLE_AGAIN}, so the write held back is made then rather than at the next decision
     * or resync. A candidate's refusals are not remembered: its election says {@link
     * Change#ELECTED}.
     */
    public boolean mayStartWrite() {
        boolean ok = mayWrite();
        if (!ok && leader) {
            heldBack = true;
        }
        return ok;
    }

    /** The term while this instance is the writer. */
    public OptionalLong term() {
        return leader() ? OptionalLong.of(term) : OptionalLong.empty();
    }

    /** The latest etcd error, if the latest tick failed. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Duration ttl() {
        return ttl;
    }
}
