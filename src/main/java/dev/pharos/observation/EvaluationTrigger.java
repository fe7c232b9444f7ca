package dev.pharos.observation;

/**
 * Asks for an evaluation of the verdicts as soon as possible, because something they depend on
 * changed (a peer's snapshot arrived, an inbound alert's vote). Implemented by the orchestrator;
 * several requests coalesce into one evaluation. Safe from any thread, never blocks, and does
 * nothing while shutting down.
 */
public interface EvaluationTrigger {
    void trigger();
}
