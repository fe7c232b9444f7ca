package dev.pharos.observation;

import java.util.OptionalLong;

/**
 * A port: whether this instance writes to the external actuators now, as its snapshot announces it
 * to its peers. Implemented by the coordination stage (from {@code node.actuate}, or from holding
 * the writer's lease).
 */
public interface WriterRole {
    /** This instance applies plans to an external actuator now. */
    boolean actuates();

    /** The writer's term while this instance holds the lease under coordination; else empty. */
    OptionalLong term();
}
