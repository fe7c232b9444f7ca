package dev.pharos.reconcile;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.Guard;
import dev.pharos.decision.GuardFiring;
import dev.pharos.decision.RegionStatus;
import dev.pharos.journal.DecisionEvent.AllRegionsDown;
import dev.pharos.journal.DecisionEvent.AllRegionsDownResolved;
import dev.pharos.journal.DecisionEvent.DesiredChanged;
import dev.pharos.journal.DecisionEvent.GuardCleared;
import dev.pharos.journal.DecisionEvent.GuardFired;
import dev.pharos.journal.Journal;
import dev.pharos.journal.PeerEvent;
import dev.pharos.journal.PipelineEvent.QuorumLost;
import dev.pharos.journal.PipelineEvent.QuorumRegained;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.PipelineEvent.VerdictChanged;
import dev.pharos.journal.PipelineEvent.WarmupDone;
import dev.pharos.journal.RegionEvidence;
import dev.pharos.journal.VerdictEvidence;
import dev.pharos.quorum.QuorumStatus;
import dev.pharos.quorum.Verdict;
import dev.pharos.quorum.VerdictChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns what the pipeline concluded into journal events, with their evidence. */
final class EventRecorder {
    private final Topology topology;
    private final Journal journal;

    EventRecorder(Topology topology, Journal journal) {
        this.topology = topology;
        this.journal = journal;
    }

    /**
     * @param ballots who voted what on the target in the evaluation that changed the verdict
     */
    void verdictChanged(VerdictChange c, Map<String, String> ballots) {
        Optional<String> region =
                Optional.ofNullable(topology.targetsById().get(c.to().targetId()))
                        .flatMap(Target::region);
        journal.append(VerdictChanged.of(c, region, ballots));
    }

    void quorumChanged(QuorumStatus q) {
        journal.append(q.held() ? QuorumRegained.of(q) : QuorumLost.of(q));
    }

    /**
     * Vantage points that started or stopped abstaining between two evaluations.
     *
     * @param before abstaining before, @param after abstaining now
     */
    void abstentionChanged(List<String> before, List<String> after, int vantagePoints) {
        for (String v : after) {
            if (!before.contains(v)) {
                journal.append(PeerEvent.abstention(v, true, after, vantagePoints));
            }
        }
        for (String v : before) {
            if (!after.contains(v)) {
                journal.append(PeerEvent.abstention(v, false, after, vantagePoints));
            }
        }
    }

    void warmupDone(long round) {
        journal.append(WarmupDone.of(round));
    }

    void regionChanged(RegionStatus before, RegionStatus after, Evidence evidence) {
        journal.append(
                RegionStateChanged.of(
                        after.region(), before.state(), this.evidence(after, evidence)));
    }

    /** A region's state with the verdicts of its targets: the evidence behind a decision. */
    RegionEvidence evidence(RegionStatus s, Evidence evidence) {
        Map<String, VerdictEvidence> verdicts = new LinkedHashMap<>();
        topology.region(s.region())
                .ifPresent(
                        r ->
                                r.targets()
                                        .forEach(
                                                t -> {
                                                    Verdict v = evidence.verdicts().get(t.id());
                                                    if (v != null) {
                                                        verdicts.put(
                                                                t.id(),
                                                                VerdictEvidence.of(
                                                                        v,
                                                                        evidence.ballotsOf(
                                                                                t.id())));
                                                    }
                                                }));
        return RegionEvidence.of(s, verdicts);
    }

    /** Records guards that started or stopped firing (not every round they keep firing). */
    void guards(List<GuardFiring> before, List<GuardFiring> after) {
        Set<GuardKey> was = keys(before);
        Set<GuardKey> now = keys(after);
        for (GuardFiring g : after) {
            if (!was.contains(GuardKey.of(g))) {
                journal.append(GuardFired.of(g));
            }
        }
        for (GuardFiring g : before) {
            if (!now.contains(GuardKey.of(g))) {
                journal.append(GuardCleared.of(g));
            }
        }
    }

    /** A guard firing is the same one while it holds back the same region or record. */
    private record GuardKey(Guard guard, Optional<String> region, Optional<String> record) {
        static GuardKey of(GuardFiring g) {
            return new GuardKey(g.guard(), g.region(), g.record());
        }
    }

    private static Set<GuardKey> keys(List<GuardFiring> guards) {
        return guards.stream().map(GuardKey::of).collect(Collectors.toSet());
    }

    void allRegionsDown(boolean down) {
        journal.append(down ? AllRegionsDown.of() : AllRegionsDownResolved.of());
    }

    void desiredChanged(
            DesiredState before, DesiredState after, Map<String, RegionEvidence> evidence) {
        journal.append(DesiredChanged.of(before, after, evidence));
    }
}
