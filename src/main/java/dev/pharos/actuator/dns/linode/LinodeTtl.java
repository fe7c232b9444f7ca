package dev.pharos.actuator.dns.linode;

/**
 * The record TTLs Linode keeps as they are: 30 and 120, and 300, 3600, 7200, ... 2419200. Linode
 * rounds any other value to the nearest of these, which could make a TTL longer than asked; Pharos
 * instead maps a configured TTL to the largest accepted value that is not larger (60 -> 30, 200 ->
 * 120, 600 -> 300), or to 30 below that, and plans with the mapped value so that plans converge.
 */
public final class LinodeTtl {
    static final int[] ACCEPTED = {
        30, 120, 300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1209600,
        2419200
    };

    private LinodeTtl() {}

    /** The TTL Pharos sends for a desired {@code ttl}. */
    public static int accepted(int ttl) {
        int out = ACCEPTED[0];
        for (int a : ACCEPTED) {
            if (a <= ttl) {
                out = a;
            }
        }
        return out;
    }
}
