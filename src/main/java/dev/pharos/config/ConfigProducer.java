package dev.pharos.config;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

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
        return TopologyBuilder.build(
                config, name -> tls.get(name).isPresent(), peerTls(tls, quorum));
    }

    /** The HTTP server's client-auth and which TLS configurations hold a trust and a key store. */
    private static PeerTlsFacts peerTls(TlsConfigurationRegistry tls, QuorumConfig quorum) {
        Config c = ConfigProvider.getConfig();
        Optional<String> server =
                c.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
        Optional<String> client = quorum.quorum().tlsConfigurationName();
        Optional<TlsConfiguration> s =
                server.isPresent() ? tls.get(server.get()) : tls.getDefault();
        Optional<TlsConfiguration> k =
                client.isPresent() ? tls.get(client.get()) : tls.getDefault();
        return new PeerTlsFacts(
                c.getOptionalValue("quarkus.http.ssl.client-auth", String.class).orElse("none"),
                server.map(n -> "quarkus.tls." + n).orElse("quarkus.tls"),
                s.map(t -> t.getTrustStore() != null).orElse(false),
                client.map(n -> "quarkus.tls." + n).orElse("quarkus.tls"),
                k.map(t -> t.getKeyStore() != null).orElse(false));
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
