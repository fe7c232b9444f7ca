package dev.pharos.reconcile;

import dev.pharos.decision.Drain;
import dev.pharos.journal.Event;
import dev.pharos.journal.Journal;
import dev.pharos.journal.OperatorEvent.DrainExpired;
import dev.pharos.journal.OperatorEvent.DrainRemoved;
import dev.pharos.journal.OperatorEvent.DrainSet;
import dev.pharos.journal.OperatorEvent.MaintenanceCancelled;
import dev.pharos.journal.OperatorEvent.MaintenanceScheduled;
import dev.pharos.journal.OperatorEvent.ResumeRequested;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.ActionBook;
import dev.pharos.observation.ActionSet;
import dev.pharos.observation.OperatorAction;
import dev.pharos.observation.OperatorAction.Kind;
import dev.pharos.observation.PeerExchange;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Operator actions on every vantage point: drains, maintenance windows, confirmations and resumes
 * taken through this instance's API are stamped ({@link ActionBook}), persisted and journaled
 * before the API answers, and pushed to every peer at once; the ones taken at a peer arrive in its
 * snapshots and are journaled, persisted and acted on by the pipeline ({@link #settle}). Drains and
 * windows expire on time by each instance's clock.
 */
@Singleton
public class Overrides {
    private final StateStore store;
    private final Journal journal;
    private final Clock clock;
    private final ActionBook book;
    private final Provider<PeerExchange> exchange;
    private final Actuators actuators;

    /** Drains whose expiry is journaled (key and stamp), so it is journaled once. */
    private final Set<String> expired = new HashSet<>();

    @Inject
    public Overrides(
            StateStore store,
            Journal journal,
            Clock clock,
            ActionBook book,
            Provider<PeerExchange> exchange,
            Actuators actuators) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
        this.book = book;
        this.exchange = exchange;
        this.actuators = actuators;
        Instant now = clock.instant();
        for (OperatorAction a : book.current().all()) {
            if (endedDrain(a, now)) {
                expired.add(a.key() + " " + a.hlc());
            }
        }
        persist();
    }

    public Drain drain(String region, String reason, Instant until, String by) {
        OperatorAction a = OperatorAction.drain(region, reason, until, by, book.stamp());
        take(a, DrainSet.of(a));
        return drainOf(a);
    }

    /** Removes the region's drain; empty if it had none. */
    public Optional<Drain> undrain(String region, String by) {
        Optional<OperatorAction> existing =
                book.current().get(Kind.DRAIN.key(region)).filter(a -> a.drainsAt(clock.instant()));
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        OperatorAction clear = OperatorAction.clear(existing.get(), by, book.stamp());
        take(clear, DrainRemoved.of(clear));
        return existing.map(Overrides::drainOf);
    }

    /** Announces a maintenance window of a region. */
    public OperatorAction schedule(
            String id, String region, String reason, Instant start, Instant end, String by) {
        OperatorAction a =
                OperatorAction.maintenance(id, region, reason, start, end, by, book.stamp());
        take(a, MaintenanceScheduled.of(a));
        return a;
    }

    /** Cancels a maintenance window that has not ended; empty if there is none by that id. */
    public Optional<OperatorAction> cancel(String id, String by) {
        Instant now = clock.instant();
        Optional<OperatorAction> existing =
                book.current()
                        .get(Kind.MAINTENANCE.key(id))
                        .filter(a -> a.drainsAt(now) || a.scheduledAt(now));
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        OperatorAction clear = OperatorAction.clear(existing.get(), by, book.stamp());
        take(clear, MaintenanceCancelled.of(clear));
        return existing;
    }

    /**
     * Shares a confirmation this instance's pipeline records itself (it journals it): every peer
     * records it too.
     */
    public Instant confirmed(List<String> regions, String by) {
        List<OperatorAction> all = new ArrayList<>();
        for (String r : regions) {
            all.add(OperatorAction.confirm(r, by, book.stamp()));
        }
        all.forEach(book::record);
        exchange.get().pushAll();
        persist();
        return all.get(0).start();
    }

    /** Shares a resume: every vantage point resumes the actuator if it stopped before now. */
    public void resumed(String actuator, String by) {
        OperatorAction a = OperatorAction.resume(actuator, by, book.stamp());
        take(a, ResumeRequested.of(a));
    }

    /**
     * Records the action, pushes it to every peer, then persists and journals it before the API
     * answers. The push goes first so that the peers' own work (their journal, their decision,
     * their name server) runs beside this instance's writes instead of after them; an instance that
     * dies before its write takes the action back from its peers' snapshots at its restart.
     */
    private void take(OperatorAction a, Event event) {
        book.record(a);
        exchange.get().pushAll();
        persist();
        journal.append(event);
    }

    private void persist() {
        store.update(s -> s.withActions(book.current().all()));
    }

    /**
     * Journals and persists what peers' snapshots brought, and resumes the actuators a resume from
     * a peer names; runs on the pipeline thread.
     *
     * @return the confirmations among them, for the decision memory
     */
    List<OperatorAction> settle() {
        List<OperatorAction> received = book.received();
        if (book.purge()) {
            persist();
        }
        if (received.isEmpty()) {
            return List.of();
        }
        persist();
        List<OperatorAction> confirmations = new ArrayList<>();
        for (OperatorAction a : received) {
            switch (a.kind()) {
                case DRAIN -> journal.append(a.cleared() ? DrainRemoved.of(a) : DrainSet.of(a));
                case MAINTENANCE ->
                        journal.append(
                                a.cleared()
                                        ? MaintenanceCancelled.of(a)
                                        : MaintenanceScheduled.of(a));
                case CONFIRM -> {
                    if (!a.cleared()) {
                        confirmations.add(a);
                    }
                }
                case RESUME -> {
                    if (!a.cleared()) {
                        journal.append(ResumeRequested.of(a));
                        actuators.resumeStoppedBefore(a.subject(), a.start());
                    }
                }
            }
        }
        return confirmations;
    }

    /** Journals drains whose time is up, once each; returns the regions released. */
    public List<String> expire() {
        Instant now = clock.instant();
        List<String> out = new ArrayList<>();
        for (OperatorAction a : book.current().all()) {
            if (endedDrain(a, now) && expired.add(a.key() + " " + a.hlc())) {
                journal.append(DrainExpired.of(a));
                out.add(a.region());
            }
        }
        return out;
    }

    private static boolean endedDrain(OperatorAction a, Instant now) {
        return a.kind() == Kind.DRAIN && !a.cleared() && !now.isBefore(a.until());
    }

    /** What takes the region out now: its drain or a maintenance window in force. */
    public Optional<Drain> active(String region) {
        return book.current().drainOf(region, clock.instant()).map(Overrides::drainOf);
    }

    public ActionSet actions() {
        return book.current();
    }

    static Drain drainOf(OperatorAction a) {
        String reason =
                a.kind() == Kind.MAINTENANCE
                        ? "maintenance " + a.subject() + ": " + a.reason()
                        : a.reason();
        return new Drain(a.region(), reason, a.start(), a.until(), a.by());
    }
}
