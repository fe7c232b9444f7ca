package dev.pharos.probe;

import dev.pharos.reconcile.Pipeline;

/**
 * Deliberately wrong: a probe class that calls the orchestrator above it. Only {@code
 * ArchitectureTest} reads it, to show that its rules find such an import (test classes are not part
 * of the architecture it checks).
 */
public final class UpwardImportFixture {
    private UpwardImportFixture() {}

    static void evaluateNow(Pipeline pipeline) {
        pipeline.trigger();
    }
}
