package dev.pharos.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The exceptions seen from NIO, epoll and the JDK's TLS stack, each to one reason. */
class FailureClassifierTest {
    private static FailureClassifier.Failure classify(Throwable t) {
        return FailureClassifier.classify(t);
    }

    @Test
    void connectFailuresAreRefusedOrTimeout() {
        assertThat(classify(new ConnectException("Connection refused: /127.0.0.1:1")).reason())
                .isEqualTo(FailureReason.REFUSED);
        assertThat(classify(new ConnectTimeoutException("connection timed out after 1000 ms")))
                .isEqualTo(
                        new FailureClassifier.Failure(FailureReason.TIMEOUT, "connect timed out"));
        assertThat(classify(new ConnectException("Connection timed out")).reason())
                .isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void resetsFromEitherTransportAreReset() {
        assertThat(classify(new SocketException("Connection reset")).reason())
                .isEqualTo(FailureReason.RESET);
        assertThat(
                        classify(
                                        new IOException(
                                                "recvAddress(..) failed: Connection reset by peer"))
                                .reason())
                .isEqualTo(FailureReason.RESET);
        assertThat(classify(new ClosedChannelException()).reason()).isEqualTo(FailureReason.RESET);
    }

    @Test
    void certificateProblemsAreTlsWithAReadableDetail() {
        SSLHandshakeException expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(
                new CertPathValidatorException(
                        "validity check failed", new CertificateExpiredException("NotAfter")));
        assertThat(classify(expired))
                .isEqualTo(new FailureClassifier.Failure(FailureReason.TLS, "certificate expired"));

        SSLHandshakeException name = new SSLHandshakeException("No subject alternative DNS name");
        name.initCause(new CertificateException("No subject alternative DNS name matching x"));
        assertThat(classify(new DecoderException(name)).detail())
                .isEqualTo("certificate does not match the host name");

        assertThat(classify(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo(
                        new FailureClassifier.Failure(
                                FailureReason.TLS,
                                "SSLHandshakeException: Received fatal alert: handshake_failure"));
    }

    @Test
    void aConnectionClosedDuringTheHandshakeIsTls() {
        assertThat(FailureClassifier.classifyHandshake(new ClosedChannelException()).reason())
                .isEqualTo(FailureReason.TLS);
    }

    @Test
    void namesAndLocalProblemsAreDnsOrOther() {
        assertThat(classify(new UnknownHostException("nowhere.test")).reason())
                .isEqualTo(FailureReason.DNS);
        assertThat(classify(new BindException("Cannot assign requested address")))
                .isEqualTo(
                        new FailureClassifier.Failure(
                                FailureReason.OTHER,
                                "cannot bind: Cannot assign requested address"));
        assertThat(classify(new IllegalStateException("x".repeat(500))).detail()).hasSize(120);
    }
}
