package dev.pharos.reconcile;

import dev.pharos.alert.AlertVotes;
import dev.pharos.observation.ContentVote;
import dev.pharos.observation.OwnContent;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageView;
import dev.pharos.quorum.Ballots;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final OwnContent content;

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
    public VoteSources(
            OwnVantage own, PeerObservations peers, AlertVotes alerts, OwnContent content) {
        this.own = own;
        this.content = content;
        this.peers = peers;
        this.alerts = alerts;
    }

    Votes collect(Instant now) {
        List<VantageView> views = new ArrayList<>();
        views.add(own.view(now));
        views.addAll(peers.views(now));
        return new Votes(List.copyOf(views), alerts.down(now));
    }

    /**
     * Every vantage point's countable content votes, by vantage point then region: this one's
     * (unless it abstains), then every reachable peer's fresh ones.
     */
    Map<String, Map<String, ContentVote>> content(Instant now) {
        Map<String, Map<String, ContentVote>> out = new LinkedHashMap<>();
        if (!own.abstaining()) {
            out.put(own.name(), content.votes(now));
        }
        out.putAll(peers.contentVotes(now));
        return out;
    }
}
