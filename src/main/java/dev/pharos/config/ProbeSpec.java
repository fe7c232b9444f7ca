package dev.pharos.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The effective probe settings of one target: the defaults with the target's overrides applied.
 *
 * @param host the Host header (already defaulted to the target address)
 * @param sni the TLS server name (already defaulted to the host, empty for IP literals)
 * @param send tcp: bytes to send after connecting, escapes already decoded
 */
public record ProbeSpec(
        ProbeType type,
        Duration interval,
        Duration timeout,
        Duration connectTimeout,
        Duration recheck,
        int rise,
        int fall,
        String method,
        String path,
        String host,
        Optional<String> sni,
        StatusRanges expectStatus,
        Optional<String> body,
        Optional<Pattern> bodyRegex,
        boolean tlsVerify,
        Optional<Path> caFile,
        boolean followRedirects,
        Optional<String> send,
        Optional<String> expect) {

    /** The same settings for another path (a content fetch reuses its target's settings). */
    public ProbeSpec withPath(String other) {
        return new ProbeSpec(
                type,
                interval,
                timeout,
                connectTimeout,
                recheck,
                rise,
                fall,
                method,
                other,
                host,
                sni,
                expectStatus,
                body,
                bodyRegex,
                tlsVerify,
                caFile,
                followRedirects,
                send,
                expect);
    }
}
