package dev.pharos.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.probe.HttpResponseReader.MalformedResponseException;
import dev.pharos.probe.HttpResponseReader.Stage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The parser against responses delivered whole and one byte at a time. */
class HttpResponseReaderTest {
    private final Buffer body = Buffer.buffer();

    private HttpResponseReader reader() {
        return new HttpResponseReader(false, body::appendBuffer);
    }

    private static void feedBytewise(HttpResponseReader r, String text) throws Exception {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            r.feed(Buffer.buffer(new byte[] {b}));
        }
    }

    @Test
    void chunkedBodyIsDecodedEvenWhenSplitAnywhere() throws Exception {
        HttpResponseReader r = reader();
        feedBytewise(
                r,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nX-A: 1\r\nX-A: 2\r\n\r\n"
                        + "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: x\r\n\r\n");

        assertThat(r.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.header("x-a")).contains("1, 2");
        assertThat(body.toString()).isEqualTo("hello world");
    }

    @Test
    void contentLengthEndsTheBodyAndIgnoresWhatFollows() throws Exception {
        HttpResponseReader r = reader();
        r.feed(Buffer.buffer("HTTP/1.0 404\nContent-Length: 3\n\nabcdef"));

        assertThat(r.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.reason()).isEmpty();
        assertThat(body.toString()).isEqualTo("abc");
    }

    @Test
    void bodyWithoutLengthEndsWithTheConnection() throws Exception {
        HttpResponseReader r = reader();
        r.feed(Buffer.buffer("HTTP/1.1 200 OK\r\n\r\nsome"));
        assertThat(r.stage()).isEqualTo(Stage.BODY);

        assertThat(r.endOfStream()).isTrue();
        assertThat(body.toString()).isEqualTo("some");
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        HttpResponseReader r = reader();
        r.feed(Buffer.buffer("HTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 204 No\r\n\r\n"));

        assertThat(r.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("link")).isEmpty();
    }

    @Test
    void bodyIsCutAt64KiB() throws Exception {
        HttpResponseReader r = reader();
        r.feed(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"));
        r.feed(Buffer.buffer("y".repeat(70_000)));

        assertThat(r.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(r.truncated()).isTrue();
        assertThat(body.length()).isEqualTo(HttpResponseReader.MAX_BODY);
    }

    @Test
    void closeBeforeTheEndOfALengthDelimitedBodyIsIncomplete() throws Exception {
        HttpResponseReader r = reader();
        r.feed(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));

        assertThat(r.endOfStream()).isFalse();
    }

    @Test
    void nonHttpAnswersAreMalformed() {
        assertThatThrownBy(() -> reader().feed(Buffer.buffer("SSH-2.0-OpenSSH_9.6\r\n")))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("not an HTTP status line");
        assertThatThrownBy(() -> reader().feed(Buffer.buffer("x".repeat(10_000))))
                .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(
                        () ->
                                reader().feed(
                                                Buffer.buffer(
                                                        "HTTP/1.1 200 OK\r\n"
                                                                + "Transfer-Encoding: chunked\r\n\r\n"
                                                                + "zz\r\n")))
                .hasMessageStartingWith("bad chunk size");
    }

    @Test
    void statusLineCheckAgreesWithThePatternItReplaces() {
        Pattern pattern = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: (.*))?");
        List<String> lines =
                List.of(
                        "HTTP/1.1 200 OK",
                        "HTTP/1.0 404",
                        "HTTP/1.1 204 ",
                        "HTTP/1.1 503 Service  Unavailable ",
                        "HTTP/1.2 200 OK",
                        "HTTP/2 200",
                        "HTTP/1.1 20 OK",
                        "HTTP/1.1 2000",
                        "HTTP/1.1  200 OK",
                        "HTTP/1.1 200OK",
                        "HTTP/1.1 2x0 OK",
                        "http/1.1 200 OK",
                        "HTTP/1.1 200 O\rK",
                        "HTTP/1.1 200 O\u2028K",
                        "HTTP/1.1 \u0662\u0660\u0660 OK",
                        "HTTP/1.1",
                        "");
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            boolean matches = m.matches();
            assertThat(HttpResponseReader.isStatusLine(line)).as(line).isEqualTo(matches);
            if (matches && line.indexOf('\r') < 0) {
                HttpResponseReader r = new HttpResponseReader(false, b -> {});
                try {
                    r.feed(Buffer.buffer(line + "\r\n\r\n"));
                } catch (MalformedResponseException e) {
                    throw new AssertionError(line, e);
                }
                assertThat(r.status()).as(line).isEqualTo(Integer.parseInt(m.group(1)));
                assertThat(r.reason())
                        .as(line)
                        .isEqualTo(m.group(2) == null ? "" : m.group(2).trim());
            }
        }
    }
}
