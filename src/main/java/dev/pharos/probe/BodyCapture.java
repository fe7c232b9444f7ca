package dev.pharos.probe;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * What a content fetch keeps of its response: the status, the ETag and Content-Length headers and
 * the body, up to a limit (a body beyond it fails the fetch). Used on the fetch's event-loop
 * context only.
 */
final class BodyCapture {
    private final int limit;
    private final Buffer body = Buffer.buffer();
    private Optional<String> etag = Optional.empty();
    private Optional<String> contentLength = Optional.empty();

    BodyCapture(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    void headers(int status, Optional<String> etag, Optional<String> contentLength) {
        this.etag = etag;
        this.contentLength = contentLength;
    }

    void append(Buffer data) {
        body.appendBuffer(data);
    }

    Optional<String> etag() {
        return etag;
    }

    Optional<String> contentLength() {
        return contentLength;
    }

    byte[] bytes() {
        return body.getBytes();
    }
}
