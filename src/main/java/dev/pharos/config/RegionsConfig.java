package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code pharos.regions}: the regions by name, with their load balancers, backends and relays;
 * validated by {@link RegionsSection} (the relay controls also by {@link LoadBalancerSection}).
 */
@ConfigMapping(prefix = "pharos")
public interface RegionsConfig {
    /** The regions, by name. */
    Map<String, Region> regions();

    interface Region {
        /** The region's load balancer (the address users reach). */
        LoadBalancer loadBalancer();

        /** The servers behind the load balancer, probed directly. */
        List<Backend> backends();

        /** The region's relay host, if it has one. */
        Optional<Relay> relay();

        /** Regions to send this region's alias and relay traffic to, in order. */
        Optional<List<String>> fallback();

        /** Backends that must be UP for the region to serve by itself. */
        @WithDefault("1")
        int minBackends();

        /** Overrides of the content-consistency defaults ({@code pharos.content}). */
        ContentOverrides content();

        /** Where the region is, in degrees (-90 to 90): geo records in distance mode. */
        OptionalDouble latitude();

        /** Where the region is, in degrees (-180 to 180): geo records in distance mode. */
        OptionalDouble longitude();
    }

    interface LoadBalancer {
        /** Public IPv4 address. */
        Optional<String> ipv4();

        /** Public IPv6 address. */
        Optional<String> ipv6();

        /** Port probed. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();

        /**
         * The Linode NodeBalancer id of this load balancer: its nodes are read as a second opinion
         * (loadbalancer provider linode), and it is the relay's NodeBalancer unless the relay names
         * another.
         */
        Optional<Long> nodebalancerId();
    }

    interface Backend {
        /** Backend name, unique within the region ([a-z0-9-]). */
        String name();

        /** Address probed. */
        String address();

        /** Port probed. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();
    }

    interface Relay {
        /** Address of the relay's HTTP listener, probed like a backend. */
        String address();

        /** Port of the relay's HTTP listener. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();

        /** How Pharos drives this relay (filled in by the load-balancer provider). */
        RelayControl control();
    }

    interface RelayControl {
        /** HAProxy runtime API of the relay: "unix:/path" or "tcp:host:port". */
        Optional<String> runtimeApi();

        /** Backend in the relay's HAProxy that forwards to the target region. */
        @WithDefault("forward")
        String forwardBackend();

        /** Backend in the region's load balancer HAProxy that holds the relay server. */
        Optional<String> lbRuntimeApi();

        /** Backend of the region's load balancer that the relay server belongs to. */
        @WithDefault("cdn")
        String lbBackend();

        /** Name of the relay server in that backend. */
        @WithDefault("relay")
        String lbServer();

        /** Linode NodeBalancer id of the region (default: the load balancer's nodebalancer-id). */
        Optional<Long> nodebalancerId();

        /** Linode NodeBalancer config id (port) that holds the relay node. */
        Optional<Long> nodebalancerConfigId();

        /** Linode node id of the relay. */
        Optional<Long> nodeId();
    }
}
