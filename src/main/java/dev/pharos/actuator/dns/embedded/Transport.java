package dev.pharos.actuator.dns.embedded;

/** How a query came in. */
public enum Transport {
    UDP,
    TCP;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
