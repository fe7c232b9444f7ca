package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code pharos.loadbalancer}: the load balancers Pharos drives (relays); validated by {@link
 * LoadBalancerSection}.
 */
@ConfigMapping(prefix = "pharos.loadbalancer")
public interface LoadBalancerConfig {
    /** none, haproxy or linode. */
    @WithDefault("none")
    String provider();

    /** Linode token for NodeBalancers (defaults to the DNS one). */
    Optional<String> linodeToken();

    /** Timeout of one runtime-API command. */
    @WithDefault("2s")
    Duration timeout();

    /**
     * How often the NodeBalancers' configs and nodes are read as a second opinion (provider
     * linode). Linode's own node status lags its checks by about 90 s at their defaults.
     */
    @WithDefault("60s")
    Duration linodePollInterval();
}
