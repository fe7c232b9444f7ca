package dev.pharos.api;

import dev.pharos.api.view.ActionView;
import dev.pharos.observation.ActionBook;
import dev.pharos.observation.OperatorAction;
import dev.pharos.observation.PeerObservations;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Operator actions as views, with the vantage points that hold each. */
@Singleton
public class Actions {
    @Inject ActionBook book;
    @Inject PeerObservations peers;
    @Inject Clock clock;

    /** Every action this vantage point holds, tombstones included. */
    public List<ActionView> all() {
        Instant now = clock.instant();
        return book.current().all().stream().map(a -> view(a, now)).toList();
    }

    /** Maintenance windows in force or announced, by start. */
    public List<ActionView> maintenance() {
        Instant now = clock.instant();
        return book.current().maintenance(now).stream().map(a -> view(a, now)).toList();
    }

    public ActionView view(OperatorAction a) {
        return view(a, clock.instant());
    }

    private ActionView view(OperatorAction a, Instant now) {
        List<String> held = new ArrayList<>();
        held.add(book.self());
        held.addAll(peers.holding(a));
        List<String> missing =
                book.vantagePoints().stream().filter(v -> !held.contains(v)).toList();
        return new ActionView(
                a.key(),
                a.kind().name().toLowerCase(Locale.ROOT),
                state(a, now),
                a.region(),
                a.reason(),
                a.start(),
                a.until(),
                a.by(),
                a.origin(),
                a.hlc().toString(),
                held,
                missing);
    }

    static String state(OperatorAction a, Instant now) {
        if (a.cleared()) {
            return "cleared";
        }
        if (a.until() == null) {
            return "given";
        }
        if (a.drainsAt(now)) {
            return "active";
        }
        return a.scheduledAt(now) ? "scheduled" : "ended";
    }
}
