package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code pharos.probe}: the probe defaults of every target, each of which may override any of them
 * ({@link ProbeOverrides}); merged and validated by {@link ProbeSpecMerger}.
 */
@ConfigMapping(prefix = "pharos.probe")
public interface ProbeConfig {
    /** http, https or tcp. */
    @WithDefault("http")
    String type();

    /** Time between probes of one target. */
    @WithDefault("1s")
    Duration interval();

    /**
     * Whole-probe timeout; must be shorter than the interval. A hanging server is detected after
     * about interval + fall x timeout, so this default is a trade between far vantage points (TLS
     * needs 3 round trips) and detection time.
     */
    @WithDefault("700ms")
    Duration timeout();

    /** TCP connect timeout; at most the whole-probe timeout. */
    @WithDefault("500ms")
    Duration connectTimeout();

    /** Delay of the next probe after a failure (rapid re-check). */
    @WithDefault("200ms")
    Duration recheck();

    /** Consecutive successes that turn a DOWN vote UP. */
    @WithDefault("3")
    int rise();

    /** Consecutive failures that turn a vote DOWN. */
    @WithDefault("2")
    int fall();

    /** HTTP method. */
    @WithDefault("GET")
    String method();

    /** HTTP path. */
    @WithDefault("/")
    String path();

    /** Host header (and default SNI). Default: the target's address. */
    Optional<String> host();

    /** TLS server name. Default: the Host header. */
    Optional<String> sni();

    /**
     * Accepted HTTP statuses, e.g. "200-399" or "200,204,301-302". Load-balancer probes of a region
     * with backends default to "100-599" (the load balancer answers at all).
     */
    Optional<String> expectStatus();

    /** A substring the first 64 KiB of the body must contain. */
    Optional<String> body();

    /** A regular expression the first 64 KiB of the body must match (find). */
    Optional<String> bodyRegex();

    /** Verify the server certificate chain and host name (https). */
    @WithDefault("true")
    boolean tlsVerify();

    /** PEM file of extra trusted CA certificates (https). */
    Optional<String> caFile();

    /** Follow same-address redirects (at most 5). */
    @WithDefault("false")
    boolean followRedirects();

    /** tcp: bytes to send after connecting (Java escapes \r \n allowed). */
    Optional<String> send();

    /** tcp: substring the answer must contain. */
    Optional<String> expect();

    /**
     * Per-target timeouts from each target's observed latency (not a per-target override: it
     * applies to every target, each with its own latency and its own configured timeout).
     */
    AdaptiveTimeout adaptiveTimeout();

    interface AdaptiveTimeout {
        /**
         * On by default; off: every probe waits for its configured timeout. A timeout at a
         * shortened limit while this process was stalled is inconclusive (see ProbeScheduler).
         */
        @WithDefault("true")
        boolean enabled();

        /** The shortest timeout a probe gets. */
        @WithDefault("200ms")
        Duration floor();

        /** The timeout is this many times the slowest recent successful probe of the target. */
        @WithDefault("4")
        double factor();

        /** Recent successful probes remembered per target. */
        @WithDefault("20")
        int samples();
    }
}
