package dev.pharos.config;

import java.time.Duration;
import java.util.Optional;

/**
 * One region's overrides of the content defaults ({@link ContentConfig}, same keys except {@code
 * on-stale}), under {@code pharos.regions.<name>.content}; every field optional.
 */
public interface ContentOverrides {
    /** false: this region's content is not checked, whatever the defaults say. */
    Optional<Boolean> enabled();

    Optional<String> tracePath();

    Optional<String> manifestPath();

    Optional<String> syncingPath();

    Optional<Duration> interval();

    Optional<Duration> timeout();

    Optional<Duration> connectTimeout();

    Optional<Integer> maxBody();

    Optional<Duration> warnAfter();

    Optional<Duration> staleAfter();

    Optional<Boolean> backends();

    Optional<String> host();
}
