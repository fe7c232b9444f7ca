package dev.pharos.config;

import java.util.Locale;
import java.util.Optional;

/** The probe types; one prober class each. */
public enum ProbeType {
    HTTP,
    HTTPS,
    TCP;

    public static Optional<ProbeType> parse(String text) {
        for (ProbeType t : values()) {
            if (t.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
