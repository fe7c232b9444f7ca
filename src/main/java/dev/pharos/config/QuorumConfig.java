package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code pharos.peers} and {@code pharos.quorum}: the other vantage points and how they decide
 * together; validated by {@link QuorumSection}.
 */
@ConfigMapping(prefix = "pharos")
public interface QuorumConfig {
    /** The other vantage points. Empty: this instance decides alone. */
    List<Peer> peers();

    /** How the vantage points decide together. */
    Quorum quorum();

    interface Peer {
        /** The peer's node name. */
        String name();

        /** Base URL of the peer's API, e.g. http://127.0.9.2:8080. */
        String url();

        /**
         * Hex SHA-256 of the token this peer presents (its own {@code PHAROS_API_PEER_TOKEN}): a
         * request carrying it speaks for this peer and for no other. Several digests,
         * comma-separated, are all accepted for this peer (to rotate its token). Required when
         * {@code quorum.peer-identity} is {@code token}, the default.
         */
        Optional<String> tokenSha256();
    }

    interface Quorum {
        /** Votes needed for a verdict. Default: a majority of ALL configured vantage points. */
        OptionalInt size();

        /** A vote older than this is not counted. */
        @WithDefault("3s")
        Duration staleAfter();

        /** Rounds with quorum needed after start before anything is changed. */
        @WithDefault("2")
        int warmupRounds();

        /** How often peers are pulled (and verdicts re-evaluated): one round. */
        @WithDefault("1s")
        Duration exchangeInterval();

        /** Timeout of one pull or push to a peer. */
        @WithDefault("500ms")
        Duration exchangeTimeout();

        /**
         * How far a peer's clock may run ahead of this one: a snapshot whose {@code startedAt} is
         * further in the future is refused.
         */
        @WithDefault("30s")
        Duration maxClockSkew();

        /**
         * Name of the Quarkus TLS configuration ({@code quarkus.tls.<name>.*}) whose trust store
         * (and key store, for mutual TLS) is used for https peer URLs. Default: the default TLS
         * configuration ({@code quarkus.tls.*}) if there is one, else the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();

        /**
         * Targets outside the CDN that every vantage point should always reach. A vantage point
         * whose canaries are all DOWN abstains instead of voting everything DOWN.
         */
        List<Canary> canaries();

        /** Cooperative re-probe: the first vantage point to see a target fail asks its peers. */
        Reprobe reprobe();

        /**
         * Restart catch-up: a restarted instance with peers keeps its embedded DNS server silent
         * until it has the desired state of its peers that decide (docs/QUORUM.md).
         */
        @WithName("catch-up")
        CatchUp catchUp();
    }

    interface CatchUp {
        /** Off: the embedded server serves the restored state from start (as without peers). */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long to stay silent without any deciding peer before serving the restored state (or
         * this instance's own first decision, whichever comes first).
         */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Reprobe {
        /**
         * When a probe failure starts a fall sequence here, ask every peer to probe that target at
         * once, so the other vantage points' own votes follow within one re-check.
         */
        @WithDefault("true")
        boolean enabled();

        /** At most one request per target is sent to the peers this often. */
        @WithDefault("1s")
        Duration sendInterval();

        /** At most one re-probe per target is taken on a peer's request this often. */
        @WithDefault("500ms")
        Duration receiveInterval();
    }

    interface Canary {
        /** Canary name ([a-z0-9-]). */
        String name();

        /** IP address to probe. */
        String address();

        /** Port to probe. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();
    }
}
