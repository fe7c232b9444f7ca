package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.config.ProbeSpec;

/** A target's effective probe settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeView(
        String type,
        long intervalMs,
        long timeoutMs,
        long connectTimeoutMs,
        long recheckMs,
        int rise,
        int fall,
        String method,
        String path,
        String host,
        String expectStatus) {
    public static ProbeView of(ProbeSpec p) {
        boolean http = p.type() != dev.pharos.config.ProbeType.TCP;
        return new ProbeView(
                p.type().label(),
                p.interval().toMillis(),
                p.timeout().toMillis(),
                p.connectTimeout().toMillis(),
                p.recheck().toMillis(),
                p.rise(),
                p.fall(),
                http ? p.method() : null,
                http ? p.path() : null,
                http ? p.host() : null,
                http ? p.expectStatus().text() : null);
    }
}
