package dev.pharos.config;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The API's limits per client ({@code pharos.api}): how long a request body may take to arrive, and
 * how many requests one client address may have open at once.
 */
public record ApiLimits(Duration bodyTimeout, int maxRequestsPerClient) {
    static final Duration MAX_BODY_TIMEOUT = Duration.ofMinutes(5);

    /** The limits; a problem for each that is out of range. */
    static ApiLimits of(ApiConfig api, BiConsumer<String, String> problems) {
        Duration body = api.bodyTimeout();
        if (body.isNegative() || body.isZero() || body.compareTo(MAX_BODY_TIMEOUT) > 0) {
            problems.accept("pharos.api.body-timeout", "must be positive and at most 5m");
        }
        if (api.maxRequestsPerClient() < 1) {
            problems.accept(
                    "pharos.api.max-requests-per-client",
                    "must be at least 1, got " + api.maxRequestsPerClient());
        }
        return new ApiLimits(body, api.maxRequestsPerClient());
    }
}
