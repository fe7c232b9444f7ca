package dev.pharos.config;

import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** The load-balancer provider, with what each region's relay control needs for it. */
final class LoadBalancerSection extends ConfigSection {
    private static final String KEY = "pharos.loadbalancer";

    LoadBalancerSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    /**
     * The provider configured, if it is one (an unknown one is reported by {@link #loadBalancer}).
     */
    static Optional<LoadBalancerSettings.Provider> provider(PharosConfig config) {
        return Labels.parse(LoadBalancerSettings.Provider.class, config.loadBalancer().provider());
    }

    LoadBalancerSettings loadBalancer() {
        LoadBalancerConfig lb = config.loadBalancer();
        Optional<LoadBalancerSettings.Provider> parsed =
                choice(
                        KEY + ".provider",
                        LoadBalancerSettings.Provider.class,
                        lb.provider(),
                        "provider");
        // an unknown provider is checked like none: nothing more is required
        LoadBalancerSettings.Provider provider = parsed.orElse(LoadBalancerSettings.Provider.NONE);
        for (var e : new TreeMap<>(config.regions()).entrySet()) {
            relayControl("pharos.regions." + e.getKey(), e.getValue(), provider);
        }
        Optional<Secret> token =
                Secret.of(lb.linodeToken()).or(() -> Secret.of(config.dns().linode().token()));
        if (provider == LoadBalancerSettings.Provider.LINODE) {
            if (token.isEmpty()) {
                problem(
                        KEY + ".linode-token",
                        "required for provider linode (set PHAROS_LOADBALANCER_LINODE_TOKEN, or"
                                + " PHAROS_DNS_LINODE_TOKEN for both)");
            }
            positive(KEY + ".linode-poll-interval", lb.linodePollInterval());
        }
        return new LoadBalancerSettings(
                parsed.orElse(LoadBalancerSettings.Provider.NONE),
                token,
                lb.timeout(),
                lb.linodePollInterval());
    }

    private void relayControl(
            String key, RegionsConfig.Region r, LoadBalancerSettings.Provider provider) {
        checkId(key + ".load-balancer.nodebalancer-id", r.loadBalancer().nodebalancerId());
        if (r.relay().isEmpty()) {
            return;
        }
        RegionsConfig.RelayControl c = r.relay().get().control();
        String cKey = key + ".relay.control";
        checkId(cKey + ".nodebalancer-id", c.nodebalancerId());
        checkId(cKey + ".nodebalancer-config-id", c.nodebalancerConfigId());
        checkId(cKey + ".node-id", c.nodeId());
        if (provider != LoadBalancerSettings.Provider.NONE && c.runtimeApi().isEmpty()) {
            problem(
                    cKey + ".runtime-api",
                    "required for loadbalancer provider "
                            + provider.label()
                            + ": Pharos sets where the relay forwards through it");
        }
        if (provider == LoadBalancerSettings.Provider.HAPROXY && c.lbRuntimeApi().isEmpty()) {
            problem(
                    cKey + ".lb-runtime-api",
                    "required for loadbalancer provider haproxy: the runtime API of the"
                            + " region's load balancer, which holds the relay server");
        }
        if (provider != LoadBalancerSettings.Provider.LINODE) {
            return;
        }
        if (c.nodebalancerId().isEmpty() && r.loadBalancer().nodebalancerId().isEmpty()) {
            problem(
                    cKey + ".nodebalancer-id",
                    "required for loadbalancer provider linode (or set "
                            + key
                            + ".load-balancer.nodebalancer-id)");
        }
        if (c.nodebalancerConfigId().isEmpty()) {
            problem(cKey + ".nodebalancer-config-id", "required for loadbalancer provider linode");
        }
        if (c.nodeId().isEmpty()) {
            problem(cKey + ".node-id", "required for loadbalancer provider linode");
        }
    }
}
