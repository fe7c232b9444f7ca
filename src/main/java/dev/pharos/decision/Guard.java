package dev.pharos.decision;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The safety guards that change or hold back the desired state, by the names the API shows. */
public enum Guard {
    /** No region qualifies for a record: every configured address stays (fail open). */
    NEVER_EMPTY("never-empty"),
    /** A round-robin record keeps the least-bad regions up to {@code policy.min-regions}. */
    MIN_REGIONS("min-regions"),
    /** Too many regions left DNS within the window: a removal waits for an operator. */
    BLAST_RADIUS("blast-radius"),
    /** A recovered region re-enters DNS only after serving for {@code policy.hold-down}. */
    HOLD_DOWN("hold-down");

    private final String label;

    Guard(String label) {
        this.label = label;
    }

    /** The name in the plan API and the journal. */
    @JsonValue
    public String label() {
        return label;
    }

    public static Guard parse(String label) {
        return Arrays.stream(values())
                .filter(g -> g.label.equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown guard '" + label + "'"));
    }
}
