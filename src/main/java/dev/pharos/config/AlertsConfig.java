package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pharos.alerts}: outbound notifications and inbound alerts; validated by {@link
 * AlertsSection}.
 */
@ConfigMapping(prefix = "pharos.alerts")
public interface AlertsConfig {
    /** Outbound receivers. */
    List<Receiver> receivers();

    /** How notifications are delivered to every receiver. */
    Delivery delivery();

    /** Inbound Alertmanager webhooks. */
    Inbound inbound();

    interface Receiver {
        /** Receiver name ([a-z0-9-]), unique; the {@code receiver} label of its metrics. */
        String name();

        /** webhook (signed JSON) or slack. */
        @WithDefault("webhook")
        String type();

        /**
         * Destination URL. A Slack webhook URL is itself a secret: give it as {@code
         * ${SLACK_WEBHOOK_URL}} and set it in the environment.
         */
        String url();

        /**
         * HMAC-SHA256 secret that signs a webhook's payload; required for webhooks. Give it from
         * the environment: {@code ${PHAROS_WEBHOOK_SECRET}} in the file, or {@code
         * PHAROS_ALERTS_RECEIVERS_<index>__SECRET}.
         */
        Optional<String> secret();

        /** Minimum severity of the events sent: info, warning or critical. */
        @WithDefault("info")
        String minSeverity();

        /**
         * Event types that open the incidents this receiver hears about (default: all); resolutions
         * follow the incidents it was told about.
         */
        Optional<List<String>> events();
    }

    interface Delivery {
        /** Timeout of one delivery attempt (connect and answer). */
        @WithDefault("5s")
        Duration timeout();

        /** Delay before the first retry; it doubles with every further failure. */
        @WithDefault("1s")
        Duration firstRetry();

        /** The longest delay between two retries. */
        @WithDefault("5m")
        Duration maxRetryDelay();

        /** A notification not delivered this long after its event is given up. */
        @WithDefault("1h")
        Duration maxAge();

        /** Notifications waiting per receiver at most; beyond it the oldest are dropped. */
        @WithDefault("1000")
        int queueSize();
    }

    interface Inbound {
        /**
         * A firing inbound alert for a target (or a region's load balancers) counts as one extra
         * DOWN vote until it resolves or expires. It never decides alone.
         */
        @WithDefault("false")
        boolean countAsVote();

        /**
         * How long a firing alert without an end time ({@code endsAt}) counts as a vote after it
         * was last received; Alertmanager's repeat interval for Pharos must be shorter.
         */
        @WithDefault("15m")
        Duration voteTtl();

        /** Largest accepted payload in bytes (at most the HTTP limit, 1 MiB). */
        @WithDefault("262144")
        int maxBytes();
    }
}
