package dev.pharos.probe;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An incremental HTTP/1.1 response parser for one response on a {@code Connection: close}
 * connection: status line, headers, then the body framed by chunked encoding, Content-Length or the
 * end of the connection. Body bytes are handed to a sink, at most {@link #MAX_BODY} of them; past
 * that the response counts as read. Feed it whatever arrives; it never blocks and never needs the
 * whole response at once.
 */
final class HttpResponseReader {
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_LINE = 8 * 1024;

    enum Stage {
        STATUS_LINE,
        HEADERS,
        BODY,
        /** The body is fully read, or {@link #MAX_BODY} of it. */
        COMPLETE
    }

    private enum Framing {
        LENGTH,
        CHUNKED,
        UNTIL_CLOSE
    }

    private enum Chunk {
        SIZE,
        DATA,
        DATA_END,
        TRAILERS
    }

    /** The peer's answer is not HTTP as we know it. */
    static final class MalformedResponseException extends Exception {
        MalformedResponseException(String message) {
            super(message);
        }
    }

    private final boolean headRequest;
    private final Consumer<Buffer> bodySink;
    private final int maxBody;
    private Buffer pending = Buffer.buffer();
    private Stage stage = Stage.STATUS_LINE;
    private int headBytes;
    private int status;
    private String reason = "";
    private final Map<String, String> headers = new HashMap<>();
    private String lastHeader;
    private Framing framing;
    private Chunk chunk = Chunk.SIZE;
    private long remaining;
    private int bodyBytes;
    private boolean truncated;

    HttpResponseReader(boolean headRequest, Consumer<Buffer> bodySink) {
        this(headRequest, bodySink, MAX_BODY);
    }

    /**
     * @param maxBody body bytes handed to the sink at most; past that the response counts as read
     */
    HttpResponseReader(boolean headRequest, Consumer<Buffer> bodySink, int maxBody) {
        this.headRequest = headRequest;
        this.bodySink = bodySink;
        this.maxBody = maxBody;
    }

    Stage stage() {
        return stage;
    }

    boolean headersComplete() {
        return stage == Stage.BODY || stage == Stage.COMPLETE;
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /** Header value by case-insensitive name; repeated headers are joined with ", ". */
    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** True if the body was cut at the body limit. */
    boolean truncated() {
        return truncated;
    }

    /** Whether the body, being delimited by the end of the connection, is now complete. */
    boolean endOfStream() {
        if (stage == Stage.BODY && framing == Framing.UNTIL_CLOSE) {
            stage = Stage.COMPLETE;
        }
        return stage == Stage.COMPLETE;
    }

    void feed(Buffer data) throws MalformedResponseException {
        if (stage == Stage.COMPLETE) {
            return;
        }
        pending = pending.length() == 0 ? data : pending.appendBuffer(data);
        int pos = 0;
        while (stage != Stage.COMPLETE) {
            int consumed = stage == Stage.BODY ? body(pos) : head(pos);
            if (consumed == 0) {
                break;
            }
            pos += consumed;
        }
        pending =
                pos >= pending.length()
                        ? Buffer.buffer()
                        : pending.getBuffer(pos, pending.length());
        if (stage != Stage.COMPLETE && pending.length() > MAX_LINE) {
            throw new MalformedResponseException("response line longer than " + MAX_LINE);
        }
    }

    /** Consumes one line of the head, if a whole one is there; returns the bytes consumed. */
    private int head(int pos) throws MalformedResponseException {
        String line = line(pos);
        if (line == null) {
            return 0;
        }
        int consumed = lineLength(pos);
        headBytes += consumed;
        if (headBytes > MAX_HEAD) {
            throw new MalformedResponseException("response head larger than " + MAX_HEAD);
        }
        if (stage == Stage.STATUS_LINE) {
            if (!isStatusLine(line)) {
                throw new MalformedResponseException("not an HTTP status line: " + cut(line));
            }
            status =
                    (line.charAt(9) - '0') * 100
                            + (line.charAt(10) - '0') * 10
                            + (line.charAt(11) - '0');
            reason = line.length() == 12 ? "" : line.substring(13).trim();
            stage = Stage.HEADERS;
        } else if (line.isEmpty()) {
            endOfHead();
        } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastHeader != null) {
            headers.merge(lastHeader, line.trim(), (a, b) -> a + " " + b);
        } else {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException("not a header line: " + cut(line));
            }
            lastHeader = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.merge(lastHeader, line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return consumed;
    }

    /**
     * Whether the line is {@code HTTP/1.0} or {@code HTTP/1.1}, a space, three ASCII digits, then
     * nothing or a space and a reason without line terminators: what the pattern {@code
     * HTTP/1\.[01] (\d{3})(?: (.*))?} matches, without a regex per probe.
     */
    static boolean isStatusLine(String line) {
        int n = line.length();
        if (n < 12
                || !line.startsWith("HTTP/1.")
                || (line.charAt(7) != '0' && line.charAt(7) != '1')
                || line.charAt(8) != ' ') {
            return false;
        }
        for (int i = 9; i < 12; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return false;
            }
        }
        if (n == 12) {
            return true;
        }
        if (line.charAt(12) != ' ') {
            return false;
        }
        for (int i = 13; i < n; i++) {
            char c = line.charAt(i);
            // what '.' does not match: the line terminators
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private void endOfHead() throws MalformedResponseException {
        if (status >= 100 && status < 200 && status != 101) {
            // An interim answer (103 Early Hints, a stray 100): the real one follows.
            headers.clear();
            lastHeader = null;
            stage = Stage.STATUS_LINE;
            return;
        }
        stage = Stage.BODY;
        Optional<String> te = header("transfer-encoding");
        Optional<String> cl = header("content-length");
        if (headRequest || status == 204 || status == 304) {
            stage = Stage.COMPLETE;
        } else if (te.isPresent() && te.get().toLowerCase(Locale.ROOT).trim().endsWith("chunked")) {
            framing = Framing.CHUNKED;
        } else if (cl.isPresent()) {
            framing = Framing.LENGTH;
            try {
                remaining = Long.parseLong(cl.get().split(",")[0].trim());
            } catch (NumberFormatException e) {
                throw new MalformedResponseException("bad Content-Length: " + cut(cl.get()));
            }
            if (remaining < 0) {
                throw new MalformedResponseException("bad Content-Length: " + cl.get());
            }
            if (remaining == 0) {
                stage = Stage.COMPLETE;
            }
        } else {
            framing = Framing.UNTIL_CLOSE;
        }
    }

    private int body(int pos) throws MalformedResponseException {
        int available = pending.length() - pos;
        if (framing == Framing.UNTIL_CLOSE) {
            return deliver(pos, available);
        }
        if (framing == Framing.LENGTH) {
            int n = deliver(pos, (int) Math.min(available, remaining));
            remaining -= n;
            if (remaining == 0) {
                stage = Stage.COMPLETE;
            }
            return n;
        }
        return chunked(pos, available);
    }

    private int chunked(int pos, int available) throws MalformedResponseException {
        if (chunk == Chunk.DATA) {
            int n = deliver(pos, (int) Math.min(available, remaining));
            remaining -= n;
            if (remaining == 0) {
                chunk = Chunk.DATA_END;
            }
            return n;
        }
        String line = line(pos);
        if (line == null) {
            return 0;
        }
        int consumed = lineLength(pos);
        switch (chunk) {
            case SIZE -> {
                String size = line.split(";", 2)[0].trim();
                try {
                    remaining = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    throw new MalformedResponseException("bad chunk size: " + cut(line));
                }
                if (remaining < 0) {
                    throw new MalformedResponseException("bad chunk size: " + cut(line));
                }
                chunk = remaining == 0 ? Chunk.TRAILERS : Chunk.DATA;
            }
            case DATA_END -> {
                if (!line.isEmpty()) {
                    throw new MalformedResponseException("chunk longer than its size");
                }
                chunk = Chunk.SIZE;
            }
            case TRAILERS -> {
                if (line.isEmpty()) {
                    stage = Stage.COMPLETE;
                }
            }
            default -> throw new IllegalStateException(chunk.name());
        }
        return consumed;
    }

    /** Passes up to {@code n} body bytes to the sink, stopping at the body limit. */
    private int deliver(int pos, int n) {
        int take = Math.min(n, maxBody - bodyBytes);
        if (take > 0) {
            bodySink.accept(pending.getBuffer(pos, pos + take));
            bodyBytes += take;
        }
        if (bodyBytes >= maxBody) {
            truncated = true;
            stage = Stage.COMPLETE;
        }
        return take;
    }

    /** The line starting at pos without its CRLF (or bare LF), or null if it is incomplete. */
    private String line(int pos) {
        int nl = indexOfNewline(pos);
        if (nl < 0) {
            return null;
        }
        int end = nl > pos && pending.getByte(nl - 1) == '\r' ? nl - 1 : nl;
        return new String(pending.getBytes(pos, end), StandardCharsets.ISO_8859_1);
    }

    private int lineLength(int pos) {
        return indexOfNewline(pos) - pos + 1;
    }

    private int indexOfNewline(int pos) {
        for (int i = pos; i < pending.length(); i++) {
            if (pending.getByte(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
