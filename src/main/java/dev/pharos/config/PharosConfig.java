package dev.pharos.config;

import java.util.List;
import java.util.Map;

/**
 * The whole Pharos configuration as mapped from the YAML file (everything under {@code pharos:}),
 * one {@code @ConfigMapping} interface per area. Only the validators see it: {@link
 * TopologyBuilder} checks it and turns it into the plain {@link Topology} that every other stage
 * uses, and every problem it finds names the key.
 *
 * <p>The accessors mirror the file's top-level keys; the areas whose top level is a list or a map
 * ({@code peers}, {@code regions}, {@code records}) are mapped with the prefix {@code pharos}.
 */
record PharosConfig(
        NodeConfig node,
        List<QuorumConfig.Peer> peers,
        QuorumConfig.Quorum quorum,
        ProbeConfig probe,
        Map<String, RegionsConfig.Region> regions,
        List<RecordsConfig.Entry> records,
        PolicyConfig policy,
        DnsConfig dns,
        LoadBalancerConfig loadBalancer,
        AlertsConfig alerts,
        ApiConfig api,
        CoordinationConfig coordination,
        ContentConfig content) {

    /** Every mapping interface of the configuration: what Quarkus and the tests map. */
    static final List<Class<?>> MAPPINGS =
            List.of(
                    NodeConfig.class,
                    QuorumConfig.class,
                    ProbeConfig.class,
                    RegionsConfig.class,
                    RecordsConfig.class,
                    PolicyConfig.class,
                    DnsConfig.class,
                    LoadBalancerConfig.class,
                    AlertsConfig.class,
                    ApiConfig.class,
                    CoordinationConfig.class,
                    ContentConfig.class);

    /** Where a test's mapped areas come from: its own SmallRye configuration. */
    interface Mappings {
        <T> T get(Class<T> mapping);
    }

    static PharosConfig load(Mappings m) {
        return of(
                m.get(NodeConfig.class),
                m.get(QuorumConfig.class),
                m.get(ProbeConfig.class),
                m.get(RegionsConfig.class),
                m.get(RecordsConfig.class),
                m.get(PolicyConfig.class),
                m.get(DnsConfig.class),
                m.get(LoadBalancerConfig.class),
                m.get(AlertsConfig.class),
                m.get(ApiConfig.class),
                m.get(CoordinationConfig.class),
                m.get(ContentConfig.class));
    }

    static PharosConfig of(
            NodeConfig node,
            QuorumConfig quorum,
            ProbeConfig probe,
            RegionsConfig regions,
            RecordsConfig records,
            PolicyConfig policy,
            DnsConfig dns,
            LoadBalancerConfig loadBalancer,
            AlertsConfig alerts,
            ApiConfig api,
            CoordinationConfig coordination,
            ContentConfig content) {
        return new PharosConfig(
                node,
                quorum.peers(),
                quorum.quorum(),
                probe,
                regions.regions(),
                records.records(),
                policy,
                dns,
                loadBalancer,
                alerts,
                api,
                coordination,
                content);
    }
}
