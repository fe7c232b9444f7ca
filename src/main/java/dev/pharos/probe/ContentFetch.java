package dev.pharos.probe;

import java.util.Optional;

/**
 * One content fetch: the probe result (reason and phase timings, as for any probe) and what the
 * response held. A fetch succeeds whatever its status; the status says what was found.
 *
 * @param path the path fetched
 * @param etag the ETag header, as sent
 * @param contentLength the Content-Length header, if it was a number
 * @param sha256 lowercase hex SHA-256 of the body (a 200's only)
 * @param text the body's start as text (a 200's only, at most {@link #TEXT_LIMIT} characters)
 */
public record ContentFetch(
        String path,
        ProbeResult result,
        Optional<String> etag,
        Optional<Long> contentLength,
        Optional<String> sha256,
        Optional<String> text) {

    public static final int TEXT_LIMIT = 256;

    /** The status of a completed fetch. */
    public Optional<Integer> status() {
        return result.success() ? result.status() : Optional.empty();
    }

    /** Whether the fetch got a 200. */
    public boolean found() {
        return status().filter(s -> s == 200).isPresent();
    }
}
