package dev.pharos.reconcile;

import dev.pharos.config.Topology;
import dev.pharos.decision.Drain;
import dev.pharos.journal.Journal;
import dev.pharos.journal.OperatorEvent.DrainExpired;
import dev.pharos.journal.OperatorEvent.DrainRemoved;
import dev.pharos.journal.OperatorEvent.DrainSet;
import dev.pharos.journal.StateStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Operator drains: set and removed through the API, persisted before the API answers, journaled,
 * and expired on time by the pipeline.
 */
@Singleton
public class Overrides {
    private final Topology topology;
    private final StateStore store;
    private final Journal journal;
    private final Clock clock;

    @Inject
    public Overrides(Topology topology, StateStore store, Journal journal, Clock clock) {
        this.topology = topology;
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    public synchronized Drain drain(String region, String reason, Instant until, String by) {
        Instant now = clock.instant();
        Drain d = new Drain(region, reason, now, until, by);
        store.update(
                s -> {
                    List<Drain> drains = new ArrayList<>(s.drains());
                    drains.removeIf(x -> x.region().equals(region));
                    drains.add(d);
                    return s.withDrains(drains);
                });
        journal.append(DrainSet.of(d));
        return d;
    }

    /** Removes the region's drain; empty if it had none. */
    public synchronized Optional<Drain> undrain(String region, String by) {
        Optional<Drain> existing = active(region);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        store.update(
                s -> {
                    List<Drain> drains = new ArrayList<>(s.drains());
                    drains.removeIf(x -> x.region().equals(region));
                    return s.withDrains(drains);
                });
        journal.append(DrainRemoved.of(region, by));
        return existing;
    }

    /** Removes drains whose time is up; returns the regions released. */
    public synchronized List<String> expire() {
        Instant now = clock.instant();
        List<Drain> expired = store.get().drains().stream().filter(d -> !d.activeAt(now)).toList();
        if (expired.isEmpty()) {
            return List.of();
        }
        store.update(s -> s.withDrains(s.drains().stream().filter(d -> d.activeAt(now)).toList()));
        List<String> out = new ArrayList<>();
        for (Drain d : expired) {
            journal.append(DrainExpired.of(d));
            out.add(d.region());
        }
        return out;
    }

    public Optional<Drain> active(String region) {
        Instant now = clock.instant();
        return store.get().drains().stream()
                .filter(d -> d.region().equals(region) && d.activeAt(now))
                .findFirst();
    }

    public List<Drain> all() {
        return store.get().drains();
    }

    Topology topology() {
        return topology;
    }
}
