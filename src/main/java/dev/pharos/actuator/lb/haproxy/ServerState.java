package dev.pharos.actuator.lb.haproxy;

/**
 * One server of a backend, from {@code show servers state}.
 *
 * @param operational 0 stopped, 1 starting, 2 running, 3 soft-stopped (HAProxy's srv_op_state)
 * @param admin HAProxy's srv_admin_state bit field (see {@link #maintenance()})
 */
public record ServerState(
        String backend, String name, String address, int port, int operational, int admin) {

    /**
     * In maintenance: forced (0x01), inherited (0x02), by resolution (0x20) or hostname (0x40).
     * 0x04 only remembers that the configuration said "disabled"; once a server is set ready it
     * runs with that bit still set.
     */
    public boolean maintenance() {
        return (admin & (0x01 | 0x02 | 0x20 | 0x40)) != 0;
    }

    /** Draining: forced (0x08) or inherited (0x10). */
    public boolean draining() {
        return (admin & (0x08 | 0x10)) != 0;
    }

    /** Running and not in maintenance: it takes traffic (if its checks pass). */
    public boolean active() {
        return !maintenance() && operational == 2;
    }

    public String endpoint() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
