package dev.pharos.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The load balancers Pharos drives ({@code pharos.loadbalancer}), validated.
 *
 * @param linodeToken the NodeBalancer token, else the DNS one
 * @param timeout of one HAProxy runtime-API command
 * @param linodePollInterval how often the NodeBalancers are read as a second opinion
 */
public record LoadBalancerSettings(
        Provider provider,
        Optional<Secret> linodeToken,
        Duration timeout,
        Duration linodePollInterval) {

    /** The load-balancer providers; each is a CDI bean {@code @Identifier} by its label. */
    public enum Provider {
        NONE,
        HAPROXY,
        LINODE;

        /** The configuration's name of the provider, also its bean identifier. */
        public String label() {
            return Labels.of(this);
        }
    }
}
