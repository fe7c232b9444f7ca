package dev.pharos.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who writes to the external actuators, validated.
 *
 * @param etcd the etcd settings with provider etcd; empty with none
 */
public record CoordinationSettings(Provider provider, Optional<Etcd> etcd) {
    public enum Provider {
        NONE,
        ETCD;

        public String label() {
            return Labels.of(this);
        }
    }

    public static final CoordinationSettings NONE =
            new CoordinationSettings(Provider.NONE, Optional.empty());

    /**
     * @param endpoints the members' client URLs
     * @param key the election key
     * @param leaseTtl whole seconds, at least 2
     * @param tls CA, client certificate and key files, where given
     */
    public record Etcd(
            List<URI> endpoints,
            String key,
            Duration leaseTtl,
            Optional<String> username,
            Optional<Secret> password,
            Optional<Path> caFile,
            Optional<Path> certFile,
            Optional<Path> keyFile) {
        public Etcd {
            endpoints = List.copyOf(endpoints);
        }
    }
}
