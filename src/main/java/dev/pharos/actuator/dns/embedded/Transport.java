package dev.pharos.actuator.dns.embedded;

import java.util.Locale;

/** How a query came in. */
public enum Transport {
    UDP,
    TCP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
