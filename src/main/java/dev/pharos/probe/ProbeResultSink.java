package dev.pharos.probe;

import dev.pharos.config.Target;

/**
 * Where probe results go: the port through which the probes feed the stages after them without
 * knowing them (the orchestrator implements it, turning results into votes).
 */
public interface ProbeResultSink {
    /**
     * Called on the probe's thread (a Vert.x event loop) for every result: must be cheap and never
     * block.
     *
     * @param lagNanos how late the probe started against its plan
     */
    void accept(Target target, ProbeResult result, long lagNanos);
}
