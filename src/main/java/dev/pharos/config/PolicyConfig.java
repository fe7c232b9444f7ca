package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * {@code pharos.policy}: failover policy and safety guards; validated by {@link TopologyBuilder}.
 */
@ConfigMapping(prefix = "pharos.policy")
public interface PolicyConfig {
    /** Compute, journal and show plans, never apply them. */
    @WithDefault("false")
    boolean dryRun();

    /** Never publish fewer regions than this in a round-robin record. */
    @WithDefault("1")
    int minRegions();

    /**
     * Regions that may be removed within the window without confirmation (default: half, rounded
     * up).
     */
    OptionalInt maxRemovals();

    /** The blast-radius window. */
    @WithDefault("10m")
    Duration removalWindow();

    /** A region re-enters only after it has been serving for this long. */
    @WithDefault("60s")
    Duration holdDown();
}
