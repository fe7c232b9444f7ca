package dev.pharos.journal;

import dev.pharos.config.Family;
import dev.pharos.decision.RegionState;
import dev.pharos.decision.RegionStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A region's state with the verdicts of its targets: the evidence behind a decision.
 *
 * @param families family label ("ipv4") to its state and reason in words
 * @param verdicts by target id, the region's targets that have a verdict
 */
public record RegionEvidence(
        RegionState state,
        String reason,
        Map<String, String> families,
        Map<String, VerdictEvidence> verdicts) {

    public RegionEvidence {
        families = Data.ordered(families);
        verdicts = Data.ordered(verdicts);
    }

    public static RegionEvidence of(RegionStatus s, Map<String, VerdictEvidence> verdicts) {
        Map<String, String> families = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            s.family(f)
                    .ifPresent(
                            fs -> families.put(f.label(), fs.state().name() + ": " + fs.reason()));
        }
        return new RegionEvidence(s.state(), s.reason(), families, verdicts);
    }

    Map<String, Object> data() {
        return Data.of()
                .put("state", state.name())
                .put("reason", reason)
                .put("families", families)
                .put("verdicts", Data.objects(verdicts, VerdictEvidence::data))
                .map();
    }

    static RegionEvidence read(Fields f) {
        return new RegionEvidence(
                f.constant("state", RegionState.class),
                f.text("reason"),
                f.textMap("families"),
                f.objects("verdicts", VerdictEvidence::read));
    }
}
