package dev.pharos.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Outbound notifications and inbound alerts ({@code pharos.alerts}), validated. */
public record AlertSettings(List<Receiver> receivers, DeliverySettings delivery, Inbound inbound) {

    /** Journal event types that open an incident a receiver can be told about. */
    public static final List<String> NOTIFY_EVENTS =
            List.of(
                    "region_state_changed",
                    "quorum_lost",
                    "all_regions_down",
                    "apply_failed",
                    "actuator_stopped",
                    "guard_fired",
                    "relay_on");

    public AlertSettings {
        receivers = List.copyOf(receivers);
    }

    /** How a receiver is spoken to. */
    public enum ReceiverType {
        /** Signed JSON (docs/ALERTS.md). */
        WEBHOOK,
        /** A Slack-compatible incoming webhook: {"text": ...}. */
        SLACK;

        public String label() {
            return Labels.of(this);
        }
    }

    /**
     * One outbound receiver.
     *
     * @param secret required for a webhook, absent for slack
     * @param minSeverity info, warning or critical
     * @param events the journal event types of the incidents it hears about (empty: all)
     */
    public record Receiver(
            String name,
            ReceiverType type,
            URI url,
            Optional<Secret> secret,
            String minSeverity,
            List<String> events) {

        public Receiver {
            events = List.copyOf(events);
        }

        /** Never the secret or the URL (a Slack URL is a secret too). */
        @Override
        public String toString() {
            return "receiver " + name + " (" + type.label() + ")";
        }
    }

    /**
     * Inbound Alertmanager webhooks.
     *
     * @param countAsVote a firing alert counts as one extra DOWN vote on the targets it names
     * @param voteTtl how long a firing alert without an end counts after it was last received
     * @param maxBytes the largest accepted payload
     */
    public record Inbound(boolean countAsVote, Duration voteTtl, int maxBytes) {}
}
