package dev.pharos.config;

/** Address family: load balancers are judged per family. */
public enum Family {
    IPV4("ipv4", "A"),
    IPV6("ipv6", "AAAA");

    private final String label;
    private final String recordType;

    Family(String label, String recordType) {
        this.label = label;
        this.recordType = recordType;
    }

    public String label() {
        return label;
    }

    /** The DNS record type that carries addresses of this family. */
    public String recordType() {
        return recordType;
    }
}
