package dev.pharos.config;

import dev.pharos.actuator.dns.embedded.ZoneSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** The DNS provider and the load-balancer provider, with what each needs. */
final class ProvidersSection extends ConfigSection {
    static final Set<String> DNS_PROVIDERS = Set.of("embedded", "rfc2136", "linode", "none");
    static final Set<String> LB_PROVIDERS = Set.of("none", "haproxy", "linode");

    ProvidersSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    void validateDns(List<ManagedRecord> records) {
        PharosConfig.Dns dns = config.dns();
        String provider = dns.provider().trim().toLowerCase(Locale.ROOT);
        if (!DNS_PROVIDERS.contains(provider)) {
            problem(
                    "pharos.dns.provider",
                    "unknown provider '" + dns.provider() + "' (embedded, rfc2136, linode, none)");
            return;
        }
        if (dns.zone().isPresent()
                && !TopologyBuilder.validDnsName(TopologyBuilder.normalizeName(dns.zone().get()))) {
            problem("pharos.dns.zone", "'" + dns.zone().get() + "' is not a valid DNS name");
        }
        if (!"none".equals(provider) && !records.isEmpty() && dns.zone().isEmpty()) {
            problem("pharos.dns.zone", "required when records are managed by provider " + provider);
        }
        if ("embedded".equals(provider)) {
            PharosConfig.Embedded e = dns.embedded();
            for (int i = 0; i < e.listen().size(); i++) {
                if (IpLiterals.parseAny(e.listen().get(i)).isEmpty()) {
                    problem(
                            "pharos.dns.embedded.listen[" + i + "]",
                            "'" + e.listen().get(i) + "' is not an IP address");
                }
            }
            checkPort("pharos.dns.embedded.port", e.port());
            if (e.rateLimit() < 0) {
                problem("pharos.dns.embedded.rate-limit", "must be at least 0");
            }
            if (e.rateLimitSlip() < 0) {
                problem("pharos.dns.embedded.rate-limit-slip", "must be at least 0");
            }
            if (!TopologyBuilder.positive(e.tcpIdleTimeout())) {
                problem("pharos.dns.embedded.tcp-idle-timeout", "must be positive");
            }
            if (e.maxTcpConnections() < 1) {
                problem("pharos.dns.embedded.max-tcp-connections", "must be at least 1");
            }
            if (dns.zone().isPresent()
                    && TopologyBuilder.validDnsName(
                            TopologyBuilder.normalizeName(dns.zone().get()))) {
                // the same parser the server uses: what passes here is what it serves
                Set<String> managed = new HashSet<>();
                records.forEach(r -> managed.add(r.name()));
                ZoneSettings.parse(dns, managed, this::problem);
            }
        }
        if ("rfc2136".equals(provider)) {
            Optional<String> server = dns.rfc2136().server();
            if (server.isEmpty()) {
                problem("pharos.dns.rfc2136.server", "required for provider rfc2136");
            } else if (TopologyBuilder.parseHostPort(server.get()).isEmpty()) {
                problem(
                        "pharos.dns.rfc2136.server",
                        "'" + server.get() + "' is not an address:port");
            }
            if (dns.rfc2136().tsigKeyName().isPresent() != dns.rfc2136().tsigSecret().isPresent()) {
                problem(
                        "pharos.dns.rfc2136.tsig-secret",
                        "tsig-key-name and tsig-secret go together (set PHAROS_DNS_RFC2136_TSIG_SECRET)");
            }
        }
        if ("linode".equals(provider) && dns.linode().token().isEmpty()) {
            problem(
                    "pharos.dns.linode.token",
                    "required for provider linode (set PHAROS_DNS_LINODE_TOKEN)");
        }
        String lbProvider = config.loadBalancer().provider().trim().toLowerCase(Locale.ROOT);
        if ("linode".equals(provider) || "linode".equals(lbProvider)) {
            validateLinodeApi(dns.linode());
        }
        if (dns.verifyServers().isPresent()) {
            List<String> servers = dns.verifyServers().get();
            for (int i = 0; i < servers.size(); i++) {
                if (TopologyBuilder.parseHostPort(servers.get(i)).isEmpty()) {
                    problem(
                            "pharos.dns.verify-servers[" + i + "]",
                            "'" + servers.get(i) + "' is not an address:port");
                }
            }
        }
    }

    private void validateLinodeApi(PharosConfig.Linode l) {
        try {
            URI u = new URI(l.baseUrl());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    || u.getHost() == null) {
                problem(
                        "pharos.dns.linode.base-url",
                        "'" + l.baseUrl() + "' is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            problem("pharos.dns.linode.base-url", "'" + l.baseUrl() + "' is not an http(s) URL");
        }
        if (l.requestsPerMinute() < 1 || l.requestsPerMinute() > 200) {
            problem(
                    "pharos.dns.linode.requests-per-minute",
                    "must be between 1 and 200 (Linode allows about 200 paginated GETs a"
                            + " minute), got "
                            + l.requestsPerMinute());
        }
        if (l.pageSize() < 25 || l.pageSize() > 500) {
            problem(
                    "pharos.dns.linode.page-size",
                    "must be between 25 and 500 (Linode's limits), got " + l.pageSize());
        }
        if (!TopologyBuilder.positive(l.timeout())) {
            problem("pharos.dns.linode.timeout", "must be positive");
        }
    }

    void validateLoadBalancer(Map<String, Region> regions) {
        PharosConfig.LoadBalancerSection lb = config.loadBalancer();
        String provider = lb.provider().trim().toLowerCase(Locale.ROOT);
        if (!LB_PROVIDERS.contains(provider)) {
            problem(
                    "pharos.loadbalancer.provider",
                    "unknown provider '" + lb.provider() + "' (none, haproxy, linode)");
        }
        for (var e : new TreeMap<>(config.regions()).entrySet()) {
            String key = "pharos.regions." + e.getKey();
            PharosConfig.Region r = e.getValue();
            checkId(key + ".load-balancer.nodebalancer-id", r.loadBalancer().nodebalancerId());
            if (r.relay().isEmpty()) {
                continue;
            }
            PharosConfig.RelayControl c = r.relay().get().control();
            String cKey = key + ".relay.control";
            checkId(cKey + ".nodebalancer-id", c.nodebalancerId());
            checkId(cKey + ".nodebalancer-config-id", c.nodebalancerConfigId());
            checkId(cKey + ".node-id", c.nodeId());
            if (!"none".equals(provider) && c.runtimeApi().isEmpty()) {
                problem(
                        cKey + ".runtime-api",
                        "required for loadbalancer provider "
                                + provider
                                + ": Pharos sets where the relay forwards through it");
            }
            if ("haproxy".equals(provider) && c.lbRuntimeApi().isEmpty()) {
                problem(
                        cKey + ".lb-runtime-api",
                        "required for loadbalancer provider haproxy: the runtime API of the"
                                + " region's load balancer, which holds the relay server");
            }
            if (!"linode".equals(provider)) {
                continue;
            }
            if (c.nodebalancerId().isEmpty() && r.loadBalancer().nodebalancerId().isEmpty()) {
                problem(
                        cKey + ".nodebalancer-id",
                        "required for loadbalancer provider linode (or set "
                                + key
                                + ".load-balancer.nodebalancer-id)");
            }
            if (c.nodebalancerConfigId().isEmpty()) {
                problem(
                        cKey + ".nodebalancer-config-id",
                        "required for loadbalancer provider linode");
            }
            if (c.nodeId().isEmpty()) {
                problem(cKey + ".node-id", "required for loadbalancer provider linode");
            }
        }
        if ("linode".equals(provider)) {
            if (lb.linodeToken().isEmpty() && config.dns().linode().token().isEmpty()) {
                problem(
                        "pharos.loadbalancer.linode-token",
                        "required for provider linode (set PHAROS_LOADBALANCER_LINODE_TOKEN, or"
                                + " PHAROS_DNS_LINODE_TOKEN for both)");
            }
            if (!TopologyBuilder.positive(lb.linodePollInterval())) {
                problem("pharos.loadbalancer.linode-poll-interval", "must be positive");
            }
        }
    }
}
