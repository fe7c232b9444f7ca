package dev.pharos.actuator.dns;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where managed records are published. Implementations are chosen by {@code pharos.dns.provider}.
 *
 * <p>The contract of {@link #apply}: it changes only the keys in the plan; within a change it
 * removes dead values before adding new ones only where that never leaves a name empty unless the
 * plan's {@code after} is empty; applying a plan whose {@code before} no longer matches what is
 * published fails retryably (compare-and-set), so the caller re-reads and re-plans. Applying the
 * same desired state twice changes nothing the second time (the planner sees no diff).
 */
public interface DnsProvider {
    /** The provider's configuration name. */
    String name();

    /**
     * Called once by the orchestrator at start-up, before the first read, with the desired records
     * restored from before a restart (or every configured address on a first start). A provider
     * that serves DNS itself starts serving them, until its first apply; one that publishes
     * elsewhere leaves what is published alone (the first plan after warm-up decides).
     */
    default void start(Map<RecordKey, RecordSet> restored) throws ActuatorException {}

    /**
     * The same, but a provider that serves DNS itself answers nothing until {@link #speak} (restart
     * catch-up: docs/QUORUM.md); one that publishes elsewhere starts as with {@link #start(Map)}.
     */
    default void startSilent(Map<RecordKey, RecordSet> restored) throws ActuatorException {
        start(restored);
    }

    /** A provider started silent answers from now on; for any other, nothing. */
    default void speak() {}

    /** Called once at shutdown. */
    default void stop() {}

    /** What is published now for these keys (absent keys: no such RRset). */
    Map<RecordKey, RecordSet> read(Set<RecordKey> owned) throws ActuatorException;

    /**
     * The desired set as this provider publishes it; by default unchanged. A provider that accepts
     * only some TTLs maps the desired TTL here, so that the plan compares like with like and
     * converges instead of rewriting the TTL on every run.
     */
    default RecordSet publishable(RecordSet desired) {
        return desired;
    }

    /** Applies the plan (see the class comment for the contract). */
    void apply(DnsPlan plan) throws ActuatorException;

    /**
     * The regions this provider passes over in geo records' answers while they stay in the RRsets;
     * empty when it does not answer geo records itself.
     */
    default Optional<Set<String>> leftOutOfGeo() {
        return Optional.empty();
    }

    /** Passes over {@code regions} in geo answers from now on (a provider that answers them). */
    default void leaveGeo(Set<String> regions) throws ActuatorException {}

    /**
     * Waits until every authoritative server serves the plan's {@code after} sets, or the timeout
     * passes; reports each server on its own (one that does not answer never holds back the others'
     * results). Providers that serve the change themselves (embedded, in-memory) report {@link
     * VerifyReport#servedHere}. Runs beside the next reconcile round, never in it: it may be
     * interrupted when a newer change is applied.
     *
     * @throws ActuatorException the servers to ask cannot be found
     */
    VerifyReport verify(DnsPlan plan, Duration timeout) throws ActuatorException;

    /**
     * What a successful {@link #verify} has checked, in words, for the journal's {@code
     * PROPAGATED}: no more than was asked.
     */
    default String verified() {
        return "every authoritative server serves the change";
    }
}
