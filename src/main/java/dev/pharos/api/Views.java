package dev.pharos.api;

import dev.pharos.actuator.lb.LoadBalancerReports;
import dev.pharos.api.view.LoadBalancerView;
import dev.pharos.api.view.ObservationView;
import dev.pharos.api.view.ProbeView;
import dev.pharos.api.view.RegionView;
import dev.pharos.api.view.TargetView;
import dev.pharos.api.view.VantageVoteView;
import dev.pharos.api.view.VerdictView;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.RegionStatus;
import dev.pharos.observation.OwnObservations;
import dev.pharos.quorum.Verdict;
import dev.pharos.quorum.VoteBook;
import dev.pharos.quorum.VoteState;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the API's views from the pipeline's snapshot and the observations. */
@Singleton
public class Views {
    @Inject Topology topology;
    @Inject OwnObservations observations;
    @Inject VoteBook votes;
    @Inject Clock clock;
    @Inject LoadBalancerReports loadBalancers;

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
                targets,
                detail
                        ? loadBalancers.get(region.name()).map(LoadBalancerView::of).orElse(null)
                        : null);
    }

    public TargetView target(Target t, PipelineState state, boolean detail) {
        Verdict v = state.verdicts().get(t.id());
        Instant now = clock.instant();
        List<VantageVoteView> vantage = new ArrayList<>();
        VoteState own = votes.get(t.id());
        vantage.add(
                new VantageVoteView(
                        topology.nodeName(),
                        own.vote().name(),
                        own.since(),
                        votes.fresh(t.id(), now),
                        observations.latest(t.id()).map(ObservationView::of).orElse(null)));
        return new TargetView(
                t.id(),
                t.kind().name(),
                t.endpoint(),
                detail ? ProbeView.of(t.probe()) : null,
                v == null ? null : VerdictView.of(v),
                vantage);
    }
}
