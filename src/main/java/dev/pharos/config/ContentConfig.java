package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code pharos.content}: content consistency across regions, checked once for all regions (each
 * may override any key under {@code pharos.regions.<name>.content}, {@link ContentOverrides});
 * validated by {@link ContentSection}. Nothing is checked unless a trace or a manifest path is set.
 */
@ConfigMapping(prefix = "pharos.content")
public interface ContentConfig {
    /** Path of the trace file: its body is the time of the last successful sync. */
    Optional<String> tracePath();

    /** Path of the manifest, compared across regions (strong ETag, Content-Length, SHA-256). */
    Optional<String> manifestPath();

    /** Path of the in-progress marker: while it answers 200, a sync is running. */
    Optional<String> syncingPath();

    /** Time between two content checks of a region. */
    @WithDefault("60s")
    Duration interval();

    /** Whole timeout of one fetch. */
    @WithDefault("5s")
    Duration timeout();

    /** TCP connect timeout of one fetch. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Largest body read of a trace or manifest, in bytes. */
    @WithDefault("1048576")
    int maxBody();

    /** A region whose last sync is older than this is LAGGING. */
    @WithDefault("30m")
    Duration warnAfter();

    /**
     * A region whose last sync is older than this, or whose manifest differs from the newest for
     * longer than this, is STALE.
     */
    @WithDefault("2h")
    Duration staleAfter();

    /** alert, leave-geo or leave-dns: what a STALE region does besides turning DEGRADED. */
    @WithDefault("alert")
    String onStale();

    /** Also fetch the trace and manifest from every backend directly (shown, not voted). */
    @WithDefault("false")
    boolean backends();

    /** Host header of the fetches; default: the load balancer's probe host. */
    Optional<String> host();
}
