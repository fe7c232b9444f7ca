package dev.pharos.testing;

/** One region of a {@link TestTopology}: its keys under {@code pharos.regions.<name>}. */
public final class RegionSpec {
    private final TestTopology topology;
    private final String prefix;

    RegionSpec(TestTopology topology, String prefix) {
        this.topology = topology;
        this.prefix = prefix;
    }

    /** The load balancer's IPv4 address, probed on the default port. */
    public RegionSpec ipv4(String address) {
        return set("load-balancer.ipv4", address);
    }

    public RegionSpec ipv4(String address, int port) {
        return ipv4(address).set("load-balancer.port", port);
    }

    public RegionSpec ipv6(String address) {
        return set("load-balancer.ipv6", address);
    }

    /** A server on loopback as the region's (IPv4) load balancer. */
    public RegionSpec lb(LoopbackHttpServer server) {
        return ipv4(server.address(), server.port());
    }

    public RegionSpec backend(String name, String address) {
        newBackend(name, address);
        return this;
    }

    public RegionSpec backend(String name, String address, int port) {
        topology.set(newBackend(name, address) + ".port", port);
        return this;
    }

    private String newBackend(String name, String address) {
        String b = prefix + ".backends[" + topology.next(prefix + ".backends") + "]";
        topology.set(b + ".name", name).set(b + ".address", address);
        return b;
    }

    public RegionSpec backend(String name, LoopbackHttpServer server) {
        return backend(name, server.address(), server.port());
    }

    public RegionSpec relay(String address) {
        return set("relay.address", address);
    }

    public RegionSpec relay(String address, int port) {
        return relay(address).set("relay.port", port);
    }

    /**
     * How Pharos drives the relay: {@code runtime-api}, {@code lb-runtime-api}, {@code node-id}...
     */
    public RegionSpec relayControl(String key, Object value) {
        return set("relay.control." + key, value);
    }

    /** Appends fallback regions, in order. */
    public RegionSpec fallback(String... regions) {
        for (String r : regions) {
            topology.set(prefix + ".fallback[" + topology.next(prefix + ".fallback") + "]", r);
        }
        return this;
    }

    /** Any key of the region ({@code min-backends}, {@code load-balancer.nodebalancer-id}...). */
    public RegionSpec set(String key, Object value) {
        topology.set(prefix + "." + key, value);
        return this;
    }
}
