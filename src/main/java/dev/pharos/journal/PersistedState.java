package dev.pharos.journal;

import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.Drain;
import dev.pharos.domain.RecordSet;
import dev.pharos.observation.OperatorAction;
import dev.pharos.quorum.Verdict;
import java.util.List;
import java.util.Map;

/**
 * What survives a restart besides the journal: the operator actions every vantage point shares
 * (drains, maintenance windows, confirmations, resumes, with their tombstones; {@code drains} is
 * what versions before them wrote, read once and then written empty), the decision memory (who is
 * in DNS, removals within the blast-radius window, confirmations), the last verdicts (so a restart
 * resumes from them instead of UNKNOWN), and the last desired records (served by the embedded DNS
 * server during warm-up, so a restart during an outage never re-publishes a dead address).
 */
public record PersistedState(
        int version,
        List<Drain> drains,
        DecisionMemory decision,
        Map<String, Verdict> verdicts,
        List<RecordSet> desiredRecords,
        List<OperatorAction> actions) {

    public static final int VERSION = 1;

    public static PersistedState empty() {
        return new PersistedState(
                VERSION, List.of(), DecisionMemory.empty(), Map.of(), List.of(), List.of());
    }

    public PersistedState withDrains(List<Drain> d) {
        return new PersistedState(
                version, List.copyOf(d), decision, verdicts, desiredRecords, actions);
    }

    public PersistedState withDecision(DecisionMemory d) {
        return new PersistedState(version, drains, d, verdicts, desiredRecords, actions);
    }

    public PersistedState withVerdicts(Map<String, Verdict> v) {
        return new PersistedState(
                version, drains, decision, Map.copyOf(v), desiredRecords, actions);
    }

    public PersistedState withDesiredRecords(List<RecordSet> r) {
        return new PersistedState(version, drains, decision, verdicts, List.copyOf(r), actions);
    }

    /** The operator actions; the drains of an older version are then in them. */
    public PersistedState withActions(List<OperatorAction> a) {
        return new PersistedState(
                version, List.of(), decision, verdicts, desiredRecords, List.copyOf(a));
    }
}
