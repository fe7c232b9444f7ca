package dev.pharos.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where managed records are published ({@code pharos.dns}), validated.
 *
 * @param zone the zone holding the managed names (lower case, no trailing dot)
 * @param embedded the embedded server: present when it is the provider and there is a zone
 * @param rfc2136 present when it is the provider
 * @param linode the Linode API, used by the linode DNS provider and the linode load-balancer
 *     provider
 * @param verifyServers authoritative servers queried after a change (default: the zone's NS)
 */
public record DnsSettings(
        Provider provider,
        Optional<String> zone,
        Optional<EmbeddedDnsSettings> embedded,
        Optional<Rfc2136Settings> rfc2136,
        LinodeApiSettings linode,
        Optional<List<InetSocketAddress>> verifyServers,
        Duration verifyTimeout,
        Duration resyncInterval) {

    public DnsSettings {
        verifyServers = verifyServers.map(List::copyOf);
    }

    /** The DNS providers; each is a CDI bean {@code @Named} after its label. */
    public enum Provider {
        EMBEDDED,
        RFC2136,
        LINODE,
        NONE;

        /** The configuration's name of the provider, also its bean name. */
        public String label() {
            return Labels.of(this);
        }
    }
}
