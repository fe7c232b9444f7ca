package dev.pharos.api;

import dev.pharos.actuator.lb.LoadBalancerReports;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.api.view.ContentView;
import dev.pharos.api.view.LoadBalancerView;
import dev.pharos.api.view.ObservationView;
import dev.pharos.api.view.ProbeView;
import dev.pharos.api.view.RegionView;
import dev.pharos.api.view.TargetView;
import dev.pharos.api.view.VantageVoteView;
import dev.pharos.api.view.VerdictView;
import dev.pharos.config.PeerInfo;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.RegionStatus;
import dev.pharos.decision.RelayDecision;
import dev.pharos.observation.Health;
import dev.pharos.observation.OwnContent;
import dev.pharos.observation.OwnObservations;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageSnapshot;
import dev.pharos.observation.VoteBook;
import dev.pharos.observation.VoteState;
import dev.pharos.quorum.ContentVerdict;
import dev.pharos.quorum.Verdict;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Builds the API's views from the pipeline's snapshot and the observations. */
@Singleton
public class Views {
    @Inject Topology topology;
    @Inject Actuators actuators;
    @Inject OwnObservations observations;
    @Inject VoteBook votes;
    @Inject OwnVantage own;
    @Inject PeerObservations peers;
    @Inject Clock clock;
    @Inject LoadBalancerReports loadBalancers;
    @Inject OwnContent ownContent;

    public RegionView region(Region region, PipelineState state, boolean detail) {
        RegionStatus s = state.regions().get(region.name());
        Map<String, RegionView.FamilyView> families = new LinkedHashMap<>();
        s.families()
                .forEach(
                        (f, fs) ->
                                families.put(
                                        f.label(),
                                        new RegionView.FamilyView(fs.state().name(), fs.reason())));
        List<TargetView> targets = new ArrayList<>();
        for (Target t : region.targets()) {
            targets.add(target(t, state, detail));
        }
        return new RegionView(
                region.name(),
                s.state().name(),
                s.reason(),
                s.since(),
                families,
                s.backendsUp(),
                s.backendsTotal(),
                detail ? region.fallback() : null,
                detail ? region.minBackends() : null,
                relay(region, state),
                targets,
                detail
                        ? loadBalancers.get(region.name()).map(LoadBalancerView::of).orElse(null)
                        : null,
                content(region, state, detail));
    }

    private ContentView content(Region region, PipelineState state, boolean detail) {
        ContentVerdict v = state.content().get(region.name());
        if (v == null) {
            return null;
        }
        return ContentView.of(
                v,
                clock.instant(),
                detail
                        ? ownContent.checks(region.name()).stream()
                                .map(ContentView.CheckView::of)
                                .toList()
                        : null);
    }

    private RegionView.RelayView relay(Region region, PipelineState state) {
        if (region.relay().isEmpty()) {
            return null;
        }
        RelayDecision d = state.desired().relays().get(region.name());
        Optional<RelayState> applied =
                actuators.relays().stream()
                        .map(r -> r.step().lastRead().get(region.name()))
                        .filter(Objects::nonNull)
                        .findFirst();
        return new RegionView.RelayView(
                d == null ? null : d.target().orElse(null),
                d == null ? "no decision yet (warming up)" : d.reason(),
                applied.map(RelayState::inRotation).orElse(null),
                applied.flatMap(RelayState::forwardTo).orElse(null),
                applied.map(RelayState::details).orElse(null));
    }

    public TargetView target(Target t, PipelineState state, boolean detail) {
        Verdict v = state.verdicts().get(t.id());
        Instant now = clock.instant();
        List<VantageVoteView> vantage = new ArrayList<>();
        vantage.add(own(t, now));
        for (PeerInfo p : topology.peers()) {
            vantage.add(peer(p, t, now));
        }
        return new TargetView(
                t.id(),
                t.kind().name(),
                t.endpoint(),
                detail ? ProbeView.of(t.probe()) : null,
                v == null ? null : VerdictView.of(v),
                vantage);
    }

    private VantageVoteView own(Target t, Instant now) {
        VoteState s = votes.get(t.id());
        boolean abstaining = own.abstaining();
        return new VantageVoteView(
                topology.nodeName(),
                s.vote().name(),
                s.since(),
                votes.fresh(t.id(), now),
                true,
                s.lastResultAt()
                        .map(at -> Math.max(0, Duration.between(at, now).toMillis()))
                        .orElse(null),
                abstaining ? Boolean.TRUE : null,
                observations.latest(t.id()).map(ObservationView::of).orElse(null));
    }

    /** A peer's latest known vote, shown even when stale (then not fresh). */
    private VantageVoteView peer(PeerInfo p, Target t, Instant now) {
        Optional<PeerObservations.Received> r = peers.latest(p.name());
        boolean reachable = peers.reachable(p.name(), now);
        VantageSnapshot.TargetVote tv = r.map(x -> x.snapshot().targets().get(t.id())).orElse(null);
        if (tv == null) {
            return new VantageVoteView(
                    p.name(), Health.UNKNOWN.name(), null, false, reachable, null, null, null);
        }
        PeerObservations.Received received = r.get();
        long sinceReceipt = Math.max(0, Duration.between(received.receivedAt(), now).toMillis());
        return new VantageVoteView(
                p.name(),
                tv.vote().name(),
                tv.since(),
                peers.fresh(received, tv, now),
                reachable,
                tv.ageMs() == null ? null : tv.ageMs() + sinceReceipt,
                received.snapshot().abstaining() ? Boolean.TRUE : null,
                tv.last() == null ? null : ObservationView.of(tv.last()));
    }
}
