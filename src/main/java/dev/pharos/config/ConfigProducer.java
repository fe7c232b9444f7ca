package dev.pharos.config;

import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Turns the mapped configuration into the validated topology, once, at start-up. */
public class ConfigProducer {

    /**
     * Every mapping is injected here, and nowhere else: Quarkus registers only the mappings that
     * something injects (looking one up by class otherwise fails with SRCFG00027).
     */
    @Produces
    @Singleton
    Topology topology(
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
            ContentConfig content,
            TlsConfigurationRegistry tls) {
        PharosConfig config =
                PharosConfig.of(
                        node,
                        quorum,
                        probe,
                        regions,
                        records,
                        policy,
                        dns,
                        loadBalancer,
                        alerts,
                        api,
                        coordination,
                        content);
        return TopologyBuilder.build(config, name -> tls.get(name).isPresent());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
