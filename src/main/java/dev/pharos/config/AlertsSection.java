package dev.pharos.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/** Outbound receivers and inbound alerts. */
final class AlertsSection extends ConfigSection {
    /** Event types that resolve incidents, and the type that opens them. */
    static final Map<String, String> RESOLVING_EVENTS =
            Map.of(
                    "quorum_regained", "quorum_lost",
                    "all_regions_down_resolved", "all_regions_down",
                    "apply_ok", "apply_failed",
                    "actuator_resumed", "actuator_stopped",
                    "guard_cleared", "guard_fired",
                    "relay_off", "relay_on");

    /** quarkus.http.limits.max-body-size as Pharos ships it. */
    static final int MAX_HTTP_BODY = 1 << 20;

    AlertsSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    AlertSettings alerts(ApiTokens tokens) {
        List<AlertsConfig.Receiver> receivers = config.alerts().receivers();
        List<AlertSettings.Receiver> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < receivers.size(); i++) {
            AlertsConfig.Receiver r = receivers.get(i);
            String key = "pharos.alerts.receivers[" + i + "]";
            if (!NAME.matcher(r.name()).matches()) {
                problem(key + ".name", "'" + r.name() + "' is not a valid name ([a-z0-9-])");
            } else if (!names.add(r.name())) {
                problem(key + ".name", "duplicate receiver '" + r.name() + "'");
            }
            Optional<AlertSettings.ReceiverType> type =
                    choice(
                            key + ".type",
                            AlertSettings.ReceiverType.class,
                            r.type(),
                            "receiver type");
            Optional<Secret> secret = Secret.of(r.secret());
            if (type.equals(Optional.of(AlertSettings.ReceiverType.WEBHOOK)) && secret.isEmpty()) {
                problem(
                        key + ".secret",
                        "required for a webhook receiver (its payloads are signed); set it from"
                                + " the environment");
            } else if (type.equals(Optional.of(AlertSettings.ReceiverType.SLACK))
                    && secret.isPresent()) {
                problem(
                        key + ".secret",
                        "a slack receiver is not signed (its URL is the secret); remove it");
            }
            if (!Set.of("info", "warning", "critical").contains(r.minSeverity())) {
                problem(
                        key + ".min-severity",
                        "unknown severity '" + r.minSeverity() + "' (info, warning, critical)");
            }
            List<String> events = r.events().orElse(List.of());
            for (int j = 0; j < events.size(); j++) {
                String e = events.get(j);
                if (RESOLVING_EVENTS.containsKey(e)) {
                    problem(
                            key + ".events[" + j + "]",
                            "'"
                                    + e
                                    + "' resolves incidents; list '"
                                    + RESOLVING_EVENTS.get(e)
                                    + "' (a receiver hears the resolution of every incident it"
                                    + " was told about)");
                } else if (!AlertSettings.NOTIFY_EVENTS.contains(e)) {
                    problem(
                            key + ".events[" + j + "]",
                            "unknown event type '"
                                    + e
                                    + "' ("
                                    + String.join(", ", AlertSettings.NOTIFY_EVENTS)
                                    + ")");
                }
            }
            Optional<URI> url = Optional.empty();
            try {
                URI u = new URI(r.url());
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                        && u.getHost() != null) {
                    url = Optional.of(u);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            if (url.isEmpty()) {
                problem(key + ".url", "not an http(s) URL with a host");
            }
            if (type.isPresent() && url.isPresent()) {
                out.add(
                        new AlertSettings.Receiver(
                                r.name(), type.get(), url.get(), secret, r.minSeverity(), events));
            }
        }
        AlertsConfig.Delivery d = config.alerts().delivery();
        positive("pharos.alerts.delivery.timeout", d.timeout());
        positive("pharos.alerts.delivery.first-retry", d.firstRetry());
        positive("pharos.alerts.delivery.max-age", d.maxAge());
        if (positive(d.firstRetry()) && d.maxRetryDelay().compareTo(d.firstRetry()) < 0) {
            problem(
                    "pharos.alerts.delivery.max-retry-delay",
                    human(d.maxRetryDelay())
                            + " is shorter than first-retry "
                            + human(d.firstRetry()));
        }
        if (d.queueSize() < 1) {
            problem("pharos.alerts.delivery.queue-size", "must be at least 1");
        }
        AlertsConfig.Inbound in = config.alerts().inbound();
        if (in.maxBytes() < 1024 || in.maxBytes() > MAX_HTTP_BODY) {
            problem(
                    "pharos.alerts.inbound.max-bytes",
                    in.maxBytes()
                            + " is outside 1024-"
                            + MAX_HTTP_BODY
                            + " (the HTTP body limit, 1 MiB)");
        }
        positive("pharos.alerts.inbound.vote-ttl", in.voteTtl());
        if (in.countAsVote() && tokens.alert().isEmpty()) {
            problem(
                    "pharos.alerts.inbound.count-as-vote",
                    "needs the alert token (set PHAROS_API_ALERT_TOKEN) to receive alerts at all");
        }
        return new AlertSettings(
                out,
                new DeliverySettings(
                        d.timeout(), d.firstRetry(), d.maxRetryDelay(), d.maxAge(), d.queueSize()),
                new AlertSettings.Inbound(in.countAsVote(), in.voteTtl(), in.maxBytes()));
    }
}
