package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pharos.coordination}: who writes to the external actuators; validated by {@link
 * CoordinationSection}.
 */
@ConfigMapping(prefix = "pharos.coordination")
public interface CoordinationConfig {
    /** none: {@code node.actuate} decides; etcd: the holder of an etcd lease writes. */
    @WithDefault("none")
    String provider();

    Etcd etcd();

    interface Etcd {
        /** Client URLs of the etcd members, http or https. */
        Optional<List<String>> endpoints();

        /** The election key; every instance of one Pharos deployment uses the same. */
        @WithDefault("/pharos/writer")
        String key();

        /** The writer's lease: a writer that stops renewing it is replaced after this long. */
        @WithDefault("10s")
        Duration leaseTtl();

        /** etcd user, if authentication is on. */
        Optional<String> username();

        /** That user's password (from the environment: PHAROS_COORDINATION_ETCD_PASSWORD). */
        Optional<String> password();

        /** PEM file of the CA that signed the members' certificates (https endpoints). */
        Optional<String> caFile();

        /** PEM client certificate, for members that require one. */
        Optional<String> certFile();

        /** PEM (PKCS#8) private key of that certificate. */
        Optional<String> keyFile();
    }
}
