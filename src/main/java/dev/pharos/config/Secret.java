package dev.pharos.config;

import java.util.Optional;

/** A secret setting (a token, a TSIG key): its text never appears in a log or a message. */
public record Secret(String value) {

    /** A secret setting; blank counts as unset. */
    public static Optional<Secret> of(Optional<String> setting) {
        return setting.filter(s -> !s.isBlank()).map(Secret::new);
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
