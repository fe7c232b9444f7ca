package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code pharos.node}: this vantage point; validated by {@link TopologyBuilder}. */
@ConfigMapping(prefix = "pharos.node")
public interface NodeConfig {
    /** This vantage point's name, unique among the peers ([a-z0-9-]). */
    String name();

    /**
     * Local address probes and the peer exchange are sent from (optional; the kernel picks one
     * otherwise).
     */
    Optional<String> sourceAddress();

    /** Directory for the journal and the persisted state (overrides, verdicts). */
    @WithDefault("data")
    String dataDir();

    /**
     * Whether this instance applies changes to external actuators (Linode, RFC 2136, load
     * balancers). Exactly one instance should; the embedded DNS server is served by all.
     */
    @WithDefault("false")
    boolean actuate();

    /** {@code pharos.node.journal}: rotation and the buffer for a failing disk. */
    Journal journal();

    interface Journal {
        /** The size at which {@code journal.jsonl} is rotated into a segment (bytes). */
        @WithDefault("67108864")
        long segmentBytes();

        /** How many rotated (compressed) segments are kept; older ones are deleted. */
        @WithDefault("16")
        int retainSegments();

        /** How many events that could not be written are kept in memory for a later write. */
        @WithDefault("10000")
        int unwrittenLimit();
    }
}
