package dev.pharos.coordination;

import java.time.Duration;

/**
 * What the writer's election needs from etcd: a lease, its renewal, and one compare-and-set of the
 * election key. Each call blocks for at most its timeout (a renewal: its patience) and throws when
 * etcd does not answer in time or refuses.
 */
public interface ElectionBackend extends AutoCloseable {
    /** A new lease of this many seconds; its id. */
    long grant(long ttlSeconds) throws Exception;

    /**
     * Renews the lease, waiting for an answer at most {@code patience} (the caller passes the time
     * its lease has left: an answer later than that cannot keep it). A member that died or stopped
     * answering must not cost the renewal while another member answers, and a renewal asked while
     * etcd elects a new leader (its leader died) is answered once it has one.
     *
     * @return the seconds it now has left; 0 or less if etcd no longer knows it (it expired)
     */
    long keepAlive(long leaseId, Duration patience) throws Exception;

    /**
     * Takes the key for this lease if nobody holds it (its create revision is 0), in one
     * transaction.
     *
     * @return who holds the key afterwards
     */
    Holder campaign(String key, String value, long leaseId) throws Exception;

    /** Gives the lease up at once (a clean shutdown hands over without waiting for the TTL). */
    void revoke(long leaseId) throws Exception;

    @Override
    void close();

    /**
     * The key's holder.
     *
     * @param lease the lease the key is attached to
     * @param term the key's create revision: it grows with every new holder
     */
    record Holder(String value, long lease, long term) {}
}
