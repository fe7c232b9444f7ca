package dev.pharos.alert;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One alert of an Alertmanager webhook payload, validated.
 *
 * @param firing status "firing" (else "resolved")
 * @param endsAt absent when Alertmanager sent none (it sends the zero time for firing alerts)
 * @param fingerprint Alertmanager's, or one made from the labels when it sent none
 */
public record InboundAlert(
        boolean firing,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Optional<Instant> endsAt,
        String fingerprint) {

    public static final String REGION_LABEL = "pharos_region";
    public static final String TARGET_LABEL = "pharos_target";

    /** {@code pharos_vote="false"}: never counted as a vote (Pharos's own rules set it). */
    public static final String VOTE_LABEL = "pharos_vote";

    public String status() {
        return firing ? "firing" : "resolved";
    }

    public String name() {
        return labels.getOrDefault("alertname", "(unnamed)");
    }

    public Optional<String> label(String name) {
        return Optional.ofNullable(labels.get(name));
    }
}
