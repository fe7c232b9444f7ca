package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.InMemoryDnsProvider;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory provider whose reads and applies fail as the test scripts them, that notes when each
 * read happened, and that runs a hook inside an apply (something else happening meanwhile).
 */
class ScriptedDns extends InMemoryDnsProvider {
    private final Clock clock;
    private final Deque<ActuatorException> readErrors = new ArrayDeque<>();
    private final Deque<ActuatorException> applyErrors = new ArrayDeque<>();
    private final List<Instant> reads = new ArrayList<>();
    private Runnable duringApply = () -> {};
    private Runnable duringRead = () -> {};

    ScriptedDns(Clock clock) {
        super("scripted");
        this.clock = clock;
    }

    @Override
    public synchronized Map<RecordKey, RecordSet> read(Set<RecordKey> owned)
            throws ActuatorException {
        reads.add(clock.instant());
        Runnable hook = duringRead;
        duringRead = () -> {};
        hook.run();
        if (!readErrors.isEmpty()) {
            throw readErrors.poll();
        }
        return super.read(owned);
    }

    @Override
    public synchronized void apply(DnsPlan plan) throws ActuatorException {
        Runnable hook = duringApply;
        duringApply = () -> {};
        hook.run();
        if (!applyErrors.isEmpty()) {
            throw applyErrors.poll();
        }
        super.apply(plan);
    }

    synchronized void failReads(ActuatorException... errors) {
        readErrors.addAll(List.of(errors));
    }

    synchronized void failApplies(ActuatorException... errors) {
        applyErrors.addAll(List.of(errors));
    }

    /** Runs once, inside the next read, before it answers (a slow read: move the clock). */
    synchronized void duringNextRead(Runnable hook) {
        duringRead = hook;
    }

    /** Runs once, inside the next apply, before it takes effect. */
    synchronized void duringNextApply(Runnable hook) {
        duringApply = hook;
    }

    /** What is published now, without counting as a read. */
    synchronized Map<RecordKey, RecordSet> published() {
        try {
            return super.read(ManagedRecords.owned(Scene.TOPOLOGY));
        } catch (ActuatorException e) {
            throw new AssertionError("the in-memory provider never fails", e);
        }
    }

    synchronized List<Instant> reads() {
        return List.copyOf(reads);
    }

    static ActuatorException retryable() {
        return ActuatorException.retryable("503 from the provider", null);
    }

    static ActuatorException permanent() {
        return ActuatorException.permanent("401 token refused", null);
    }
}
