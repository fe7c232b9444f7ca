package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.TimeoutException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How client failures become exchange outcomes and messages fit for status and logs. */
class PeerClientTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        new TimeoutException(), ExchangeOutcome.TIMEOUT, "no answer within 500 ms"),
                Arguments.of(
                        new ProcessingException(
                                new ConnectTimeoutException("connection timed out: /127.0.9.2")),
                        ExchangeOutcome.TIMEOUT,
                        "no answer within 500 ms"),
                Arguments.of(
                        new ProcessingException(
                                new ConnectException("Connection refused: /127.0.9.2:8080")),
                        ExchangeOutcome.REFUSED,
                        "connection refused"),
                Arguments.of(
                        new WebApplicationException(Response.status(401).build()),
                        ExchangeOutcome.UNAUTHORIZED,
                        "HTTP 401: the peer refused our token (does its pharos.peers[].token-sha256 for this vantage point hold the SHA-256 of our PHAROS_API_PEER_TOKEN?)"),
                Arguments.of(
                        new WebApplicationException(Response.status(403).build()),
                        ExchangeOutcome.UNAUTHORIZED,
                        "HTTP 403: the peer refused our token (does its pharos.peers[].token-sha256 for this vantage point hold the SHA-256 of our PHAROS_API_PEER_TOKEN?)"),
                Arguments.of(
                        new WebApplicationException(Response.status(400).build()),
                        ExchangeOutcome.REJECTED,
                        "HTTP 400"),
                Arguments.of(
                        new WebApplicationException(Response.status(503).build()),
                        ExchangeOutcome.SERVER_ERROR,
                        "HTTP 503"),
                Arguments.of(
                        new ProcessingException(
                                new SSLHandshakeException("PKIX path building failed")),
                        ExchangeOutcome.TLS,
                        "TLS: PKIX path building failed"),
                Arguments.of(
                        new ProcessingException(
                                new com.fasterxml.jackson.core.JsonParseException(
                                        null, "Unexpected character")),
                        ExchangeOutcome.INVALID,
                        "unreadable snapshot"),
                Arguments.of(
                        new ProcessingException(new IOException("Connection reset by peer")),
                        ExchangeOutcome.ERROR,
                        "I/O error: Connection reset by peer"),
                Arguments.of(
                        new PeerExchangeException(ExchangeOutcome.INVALID, "answered as 'vp9'"),
                        ExchangeOutcome.INVALID,
                        "answered as 'vp9'"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("failures")
    void failuresAreClassified(Throwable failure, ExchangeOutcome outcome, String message) {
        PeerExchangeException e = PeerClient.classify(failure, TIMEOUT);
        assertThat(e.outcome()).isEqualTo(outcome);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.getStackTrace()).isEmpty();
    }
}
