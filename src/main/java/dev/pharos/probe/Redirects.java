package dev.pharos.probe;

import dev.pharos.config.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides where a redirect leads. A probe only follows redirects that stay on the endpoint it
 * probes (same host, scheme and port), on a new connection to the same address: following one
 * elsewhere would judge a different server than the target.
 */
final class Redirects {
    private Redirects() {}

    /**
     * The path (with query) to request next, or empty if the location leaves this endpoint.
     *
     * @throws URISyntaxException if the location or the current path is not a URI reference
     */
    static Optional<String> sameHostPath(
            Target target, boolean tls, String currentPath, String location)
            throws URISyntaxException {
        String scheme = tls ? "https" : "http";
        URI loc = new URI(location.trim());
        if (loc.getScheme() != null && !loc.getScheme().equalsIgnoreCase(scheme)) {
            return Optional.empty();
        }
        if (loc.getRawAuthority() != null) {
            if (loc.getHost() == null
                    || !bare(loc.getHost()).equals(bare(hostOnly(target.probe().host())))) {
                return Optional.empty();
            }
            if (loc.getPort() != -1 && loc.getPort() != target.port()) {
                return Optional.empty();
            }
        }
        URI resolved = new URI(scheme + "://probed" + currentPath).resolve(loc);
        String path =
                resolved.getRawPath() == null || resolved.getRawPath().isEmpty()
                        ? "/"
                        : resolved.getRawPath();
        return Optional.of(
                resolved.getRawQuery() == null ? path : path + "?" + resolved.getRawQuery());
    }

    /** "example.com:8080" -> "example.com", "[2001:db8::1]:80" -> "[2001:db8::1]". */
    private static String hostOnly(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon >= 0 && colon == hostHeader.lastIndexOf(':')
                ? hostHeader.substring(0, colon)
                : hostHeader;
    }

    private static String bare(String host) {
        String h =
                host.startsWith("[") && host.endsWith("]")
                        ? host.substring(1, host.length() - 1)
                        : host;
        return h.toLowerCase(Locale.ROOT);
    }
}
