package dev.pharos.actuator.linode;

import dev.pharos.config.LinodeApiSettings;
import dev.pharos.config.Secret;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * The Linode clients of this instance, built from the configuration: one for Domains (token {@code
 * pharos.dns.linode.token}) and one for NodeBalancers ({@code pharos.loadbalancer.linode-token},
 * else the DNS token). Both go to {@code pharos.dns.linode.base-url}, share one {@link RateBudget}
 * of {@code pharos.dns.linode.requests-per-minute} and count in {@link LinodeMetrics}; when both
 * use the same token they also share its pause after a 429 ({@link TokenGate}).
 */
@Singleton
public class LinodeClients {
    private final Topology topology;
    private final Clock clock;
    @Inject LinodeMetrics metrics;
    private RateBudget budget;
    private LinodeClient dns;
    private LinodeClient loadBalancer;

    @Inject
    public LinodeClients(Topology topology, Clock clock) {
        this.topology = topology;
        this.clock = clock;
    }

    /** Built on first use: the settings are validated only where Linode is used. */
    public synchronized RateBudget budget() {
        if (budget == null) {
            budget = RateBudget.perMinute(topology.dns().linode().requestsPerMinute(), clock);
        }
        return budget;
    }

    /** The client for Domains; needs {@code pharos.dns.linode.token}. */
    public synchronized LinodeClient dns() {
        if (dns == null) {
            dns = create(topology.dns().linode().token(), "pharos.dns.linode.token");
        }
        return dns;
    }

    /** The client for NodeBalancers; needs a NodeBalancer or DNS token. */
    public synchronized LinodeClient loadBalancer() {
        if (loadBalancer == null) {
            loadBalancer =
                    create(
                            topology.loadBalancer().linodeToken(),
                            "pharos.loadbalancer.linode-token");
        }
        return loadBalancer;
    }

    private LinodeClient create(Optional<Secret> token, String key) {
        LinodeApiSettings l = topology.dns().linode();
        return LinodeClient.create(
                l.baseUrl(),
                token.orElseThrow(() -> new IllegalStateException(key + ": not set")).value(),
                budget(),
                Sleeper.REAL,
                LinodeClient.Settings.defaults()
                        .withTimeout(l.timeout())
                        .withPageSize(l.pageSize()),
                metrics);
    }
}
