package dev.pharos.reconcile;

import dev.pharos.alert.AlertVotes;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageView;
import dev.pharos.quorum.Ballots;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pipeline observes: every vote the verdicts count, as of one moment. This vantage point's
 * own view, then each peer's as the observation exchange has it, and the targets an inbound alert
 * votes DOWN on.
 */
@Singleton
public class VoteSources {
    private final OwnVantage own;
    private final PeerObservations peers;
    private final AlertVotes alerts;

    /**
     * The votes of one evaluation.
     *
     * @param alertDown the targets with an inbound alert's DOWN vote
     */
    record Votes(List<VantageView> views, Set<String> alertDown) {
        /** Who voted what on the target, as the journal's evidence shows it. */
        Map<String, String> ballots(String targetId) {
            return Ballots.of(targetId, views, alertDown.contains(targetId));
        }
    }

    @Inject
    public VoteSources(OwnVantage own, PeerObservations peers, AlertVotes alerts) {
        this.own = own;
        this.peers = peers;
        this.alerts = alerts;
    }

    Votes collect(Instant now) {
        List<VantageView> views = new ArrayList<>();
        views.add(own.view(now));
        views.addAll(peers.views(now));
        return new Votes(List.copyOf(views), alerts.down(now));
    }
}
