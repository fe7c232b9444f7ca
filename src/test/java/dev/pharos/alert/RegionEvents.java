package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.decision.RegionState;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.RegionEvidence;
import dev.pharos.journal.Severity;
import java.util.Map;

/** A region's state change as the alert tests feed it to incidents and notifiers. */
final class RegionEvents {
    private RegionEvents() {}

    /**
     * @param severity what the test expects the state to be worth (checked, not set)
     */
    static RegionStateChanged changed(String region, String state, Severity severity) {
        RegionStateChanged e =
                new RegionStateChanged(
                        region,
                        new RegionEvidence(RegionState.valueOf(state), "test", Map.of(), Map.of()),
                        "region " + region + " -> " + state);
        assertThat(e.severity()).isEqualTo(severity);
        return e;
    }
}
