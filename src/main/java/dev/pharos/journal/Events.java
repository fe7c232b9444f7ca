package dev.pharos.journal;

import dev.pharos.journal.ActuatorEvent.ActuatorResumed;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.AlertEvent.AlertReceived;
import dev.pharos.journal.AlertEvent.PeerReprobe;
import dev.pharos.journal.AlertEvent.Reprobe;
import dev.pharos.journal.DecisionEvent.AllRegionsDown;
import dev.pharos.journal.DecisionEvent.AllRegionsDownResolved;
import dev.pharos.journal.DecisionEvent.DesiredChanged;
import dev.pharos.journal.DecisionEvent.GuardCleared;
import dev.pharos.journal.DecisionEvent.GuardFired;
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyInterrupted;
import dev.pharos.journal.DnsEvent.ApplyOk;
import dev.pharos.journal.DnsEvent.ApplyRecovered;
import dev.pharos.journal.DnsEvent.Plan;
import dev.pharos.journal.DnsEvent.Propagated;
import dev.pharos.journal.DnsFailure.ApplyFailed;
import dev.pharos.journal.DnsFailure.VerifyFailed;
import dev.pharos.journal.NotifierEvent.NotificationFailed;
import dev.pharos.journal.OperatorEvent.Confirmed;
import dev.pharos.journal.OperatorEvent.DrainExpired;
import dev.pharos.journal.OperatorEvent.DrainRemoved;
import dev.pharos.journal.OperatorEvent.DrainSet;
import dev.pharos.journal.OperatorEvent.MaintenanceCancelled;
import dev.pharos.journal.OperatorEvent.MaintenanceScheduled;
import dev.pharos.journal.OperatorEvent.ResumeRequested;
import dev.pharos.journal.PipelineEvent.ContentStateChanged;
import dev.pharos.journal.PipelineEvent.QuorumLost;
import dev.pharos.journal.PipelineEvent.QuorumRegained;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.PipelineEvent.Started;
import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.journal.PipelineEvent.VerdictChanged;
import dev.pharos.journal.PipelineEvent.WarmupDone;
import dev.pharos.journal.PipelineEvent.WritersOk;
import dev.pharos.journal.PipelineEvent.WritersWrong;
import dev.pharos.journal.RelayEvent.RelayFailed;
import dev.pharos.journal.RelayEvent.RelayIntent;
import dev.pharos.journal.RelayEvent.RelayOff;
import dev.pharos.journal.RelayEvent.RelayOn;
import dev.pharos.journal.RelayEvent.RelayPlan;
import dev.pharos.journal.RelayEvent.RelayRecovered;

/** Which record a journal line is: by its type, and where one type has several shapes, its data. */
final class Events {
    private Events() {}

    /**
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static Event read(Line l) {
        Fields d = l.data();
        return switch (l.type()) {
            case STARTED -> Started.read(l);
            case STOPPED -> Stopped.read(l);
            case VERDICT_CHANGED -> VerdictChanged.read(l);
            case REGION_STATE_CHANGED -> RegionStateChanged.read(l);
            case CONTENT_STATE_CHANGED -> ContentStateChanged.read(l);
            case QUORUM_LOST -> QuorumLost.read(l);
            case QUORUM_REGAINED -> QuorumRegained.read(l);
            case WARMUP_DONE -> WarmupDone.read(l);
            case CATCHUP -> PipelineEvent.CatchUp.read(l);
            case WRITERS_WRONG -> WritersWrong.read(l);
            case WRITERS_OK -> WritersOk.read(l);
            case DESIRED_CHANGED -> DesiredChanged.read(l);
            case GUARD_FIRED -> GuardFired.read(l);
            case GUARD_CLEARED -> GuardCleared.read(l);
            case ALL_REGIONS_DOWN -> AllRegionsDown.read(l);
            case ALL_REGIONS_DOWN_RESOLVED -> AllRegionsDownResolved.read(l);
            case PLAN -> d.has("relays") ? RelayPlan.read(l) : Plan.read(l);
            case APPLY_INTENT -> d.has("relay") ? RelayIntent.read(l) : ApplyIntent.read(l);
            case APPLY_OK ->
                    d.has("recovered")
                            ? d.has("changes") ? ApplyRecovered.read(l) : RelayRecovered.read(l)
                            : ApplyOk.read(l);
            case APPLY_FAILED ->
                    !d.has("phase")
                            ? RelayFailed.read(l)
                            : "verify".equals(d.text("phase"))
                                    ? VerifyFailed.read(l)
                                    : ApplyFailed.read(l);
            case APPLY_INTERRUPTED -> ApplyInterrupted.read(l);
            case PROPAGATED -> Propagated.read(l);
            case ACTUATOR_STOPPED -> ActuatorStopped.read(l);
            case ACTUATOR_RESUMED -> ActuatorResumed.read(l);
            case RELAY_ON -> RelayOn.read(l);
            case RELAY_OFF -> RelayOff.read(l);
            case DRAIN_SET -> DrainSet.read(l);
            case DRAIN_REMOVED -> DrainRemoved.read(l);
            case DRAIN_EXPIRED -> DrainExpired.read(l);
            case CONFIRMED -> Confirmed.read(l);
            case MAINTENANCE_SCHEDULED -> MaintenanceScheduled.read(l);
            case MAINTENANCE_CANCELLED -> MaintenanceCancelled.read(l);
            case RESUME_REQUESTED -> ResumeRequested.read(l);
            case ALERT_RECEIVED -> AlertReceived.read(l);
            case REPROBE -> d.has("by") ? PeerReprobe.read(l) : Reprobe.read(l);
            case NOTIFICATION_FAILED -> NotificationFailed.read(l);
            case PEER_REFUSED -> PeerEvent.PeerRefused.read(l);
            case ABSTENTION_STARTED -> PeerEvent.AbstentionStarted.read(l);
            case ABSTENTION_ENDED -> PeerEvent.AbstentionEnded.read(l);
            case VOTE_CHANGED ->
                    throw new IllegalArgumentException(
                            "type: VOTE_CHANGED is a name only, no version journals it");
        };
    }
}
