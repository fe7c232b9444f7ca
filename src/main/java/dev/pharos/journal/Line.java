package dev.pharos.journal;

import java.util.Optional;

/** A journal line being read: the fields every line has, and its data. */
record Line(
        EventType type,
        Severity severity,
        Optional<String> region,
        Optional<String> target,
        String message,
        Fields data) {

    String requireRegion() {
        return region.orElseThrow(() -> new IllegalArgumentException("region: missing"));
    }

    String requireTarget() {
        return target.orElseThrow(() -> new IllegalArgumentException("target: missing"));
    }
}
