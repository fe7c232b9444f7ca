package dev.pharos.probe;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Maps the exceptions Netty and the JDK raise to a {@link FailureReason} and a short detail. Kept
 * in one place so that every prober names the same failure the same way, whatever transport (NIO or
 * epoll) produced it: the two word their errors differently ("Connection reset" vs "... failed:
 * Connection reset by peer"), so messages are matched loosely.
 */
final class FailureClassifier {
    private static final int MAX_DETAIL = 120;

    /** A classified failure. */
    record Failure(FailureReason reason, String detail) {}

    private FailureClassifier() {}

    static Failure classify(Throwable error) {
        Failure tls = tlsFailure(error);
        if (tls != null) {
            return tls;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            String msg = lower(t.getMessage());
            if (t instanceof ConnectTimeoutException || msg.contains("connection timed out")) {
                return new Failure(FailureReason.TIMEOUT, "connect timed out");
            }
            if (t instanceof UnknownHostException) {
                return new Failure(FailureReason.DNS, "cannot resolve " + t.getMessage());
            }
            if (t instanceof BindException) {
                return new Failure(FailureReason.OTHER, "cannot bind: " + t.getMessage());
            }
            if (msg.contains("connection refused")) {
                return new Failure(FailureReason.REFUSED, "connection refused");
            }
            if (msg.contains("connection reset")) {
                return new Failure(FailureReason.RESET, "connection reset");
            }
            if (msg.contains("broken pipe") || t instanceof ClosedChannelException) {
                return new Failure(FailureReason.RESET, "connection closed by the peer");
            }
            if (t instanceof NoRouteToHostException || msg.contains("no route to host")) {
                return new Failure(FailureReason.OTHER, "no route to host");
            }
            if (msg.contains("network is unreachable")) {
                return new Failure(FailureReason.OTHER, "network unreachable");
            }
            if (t instanceof ConnectException) {
                return new Failure(FailureReason.OTHER, "connect failed: " + t.getMessage());
            }
        }
        return new Failure(FailureReason.OTHER, describe(error));
    }

    /**
     * A failure during a TLS handshake is always {@link FailureReason#TLS}, even if it surfaced as
     * a closed channel: the server hung up on our ClientHello.
     */
    static Failure classifyHandshake(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return new Failure(FailureReason.TIMEOUT, "TLS handshake timed out");
            }
        }
        Failure tls = tlsFailure(error);
        if (tls != null) {
            return tls;
        }
        Failure other = classify(error);
        return other.reason() == FailureReason.TIMEOUT
                ? other
                : new Failure(FailureReason.TLS, "handshake failed: " + other.detail());
    }

    /** Null when nothing in the cause chain is a TLS or certificate problem. */
    private static Failure tlsFailure(Throwable error) {
        Throwable tlsCause = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return new Failure(FailureReason.TLS, "certificate expired");
            }
            if (t instanceof CertificateNotYetValidException) {
                return new Failure(FailureReason.TLS, "certificate not yet valid");
            }
            String msg = lower(t.getMessage());
            if (t instanceof CertificateException && msg.contains("no subject alternative")
                    || msg.contains("no name matching")) {
                return new Failure(FailureReason.TLS, "certificate does not match the host name");
            }
            if (msg.contains("unable to find valid certification path")) {
                return new Failure(FailureReason.TLS, "certificate not trusted");
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return new Failure(FailureReason.TLS, "certificate expired");
            }
            if (t instanceof NotSslRecordException) {
                return new Failure(FailureReason.TLS, "the server did not answer with TLS");
            }
            if (tlsCause == null
                    && (t instanceof SSLException
                            || t instanceof CertificateException
                            || t instanceof CertPathValidatorException)) {
                tlsCause = t;
            }
        }
        return tlsCause == null ? null : new Failure(FailureReason.TLS, describe(tlsCause));
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        String text =
                msg == null || msg.isBlank()
                        ? t.getClass().getSimpleName()
                        : t.getClass().getSimpleName() + ": " + msg;
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 3) + "...";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
