package dev.pharos.probe;

import dev.pharos.config.IpLiterals;
import dev.pharos.config.ProbeSpec;
import dev.pharos.probe.HttpResponseReader.MalformedResponseException;
import dev.pharos.probe.HttpResponseReader.Stage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One http(s) probe: connect, optional TLS upgrade, one request, just enough of the response for a
 * verdict, then hang up; redirects (when enabled) repeat this on a new connection. Each socket's
 * events are ignored once it is no longer the current one, so a redirect's closed socket cannot end
 * the probe.
 */
final class HttpExchange {
    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** Methods sent with "Content-Length: 0": servers may answer 411 to one without a length. */
    private static final Set<String> NEEDS_LENGTH = Set.of("POST", "PUT", "PATCH");

    private final ProbeRun run;
    private final ProbeSpec spec;
    private final NetClient client;
    private final boolean tls;
    private final Optional<String> sni;
    private final BodyCapture capture;
    private String method;
    private String path;
    private int redirects;
    private NetSocket socket;
    private boolean handshaking;
    private HttpResponseReader reader;
    private BodyMatcher body;
    private boolean headersSeen;

    HttpExchange(ProbeRun run, NetClient client, boolean tls) {
        this(run, client, tls, null);
    }

    /**
     * @param capture where a content fetch keeps the status, headers and body (null for a probe):
     *     any status is then a successful fetch, and a 200's body is read whole, up to its limit
     */
    HttpExchange(ProbeRun run, NetClient client, boolean tls, BodyCapture capture) {
        this.run = run;
        this.capture = capture;
        this.spec = run.target().probe();
        this.client = client;
        this.tls = tls;
        this.sni = spec.sni().filter(s -> !s.isBlank() && IpLiterals.parseAny(s).isEmpty());
        this.method = spec.method();
        this.path = spec.path();
    }

    void start() {
        run.phase("the connection");
        client.connect(address())
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                run.fail(ar.cause());
                            } else if (run.attach(ar.result())) {
                                connected(ar.result());
                            }
                        });
    }

    /**
     * For TLS the address carries the name to verify the certificate against: Netty hands the
     * address's host string to the SSLEngine as its peer host, and the JDK checks the SNI name if
     * one is sent, else the peer host. Without SNI (an IP-literal host) that is the IP itself, so
     * the certificate must name the IP. The IP is already set, so nothing is ever resolved.
     */
    private SocketAddress address() {
        InetSocketAddress plain = run.target().socketAddress();
        if (!tls) {
            return SocketAddress.inetSocketAddress(plain);
        }
        String peerName = sni.orElseGet(() -> IpLiterals.toText(plain.getAddress()));
        try {
            InetAddress named = InetAddress.getByAddress(peerName, plain.getAddress().getAddress());
            return SocketAddress.inetSocketAddress(new InetSocketAddress(named, plain.getPort()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: the address has a valid length", e);
        }
    }

    private void connected(NetSocket s) {
        socket = s;
        run.markConnected();
        s.exceptionHandler(
                t -> {
                    if (current(s) && !handshaking) {
                        run.fail(t);
                    }
                });
        s.closeHandler(v -> closed(s));
        s.handler(data -> received(s, data));
        if (tls) {
            handshake(s);
        } else {
            send(s);
        }
    }

    private boolean current(NetSocket s) {
        return s == socket && !run.done();
    }

    /**
     * Upgrades the plain connection in place so the handshake is timed on its own. This works on a
     * NetClient created with ssl=false (checked in Vert.x 4.5.27): the client builds its SSL
     * context from its trust options on first connect whatever the ssl flag, and upgradeToSsl uses
     * it; it only refuses if the hostname verification algorithm is null (see NetClients).
     *
     * <p>During the handshake only its outcome counts: a close or error then is the server
     * rejecting our TLS, which the handshake future reports as such.
     */
    private void handshake(NetSocket s) {
        handshaking = true;
        run.phase("the TLS handshake");
        (sni.isPresent() ? s.upgradeToSsl(sni.get()) : s.upgradeToSsl())
                .onComplete(
                        ar -> {
                            handshaking = false;
                            if (!current(s)) {
                                return;
                            }
                            if (ar.failed()) {
                                FailureClassifier.Failure f =
                                        FailureClassifier.classifyHandshake(ar.cause());
                                run.fail(f.reason(), f.detail());
                                return;
                            }
                            run.markTls(leafNotAfter(s));
                            send(s);
                        });
    }

    private static Optional<Instant> leafNotAfter(NetSocket s) {
        try {
            List<Certificate> chain = s.peerCertificates();
            if (chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate x) {
                return Optional.of(x.getNotAfter().toInstant());
            }
        } catch (SSLPeerUnverifiedException e) {
            // No certificate: leave it empty.
        }
        return Optional.empty();
    }

    private void send(NetSocket s) {
        body = new BodyMatcher(spec.body(), spec.bodyRegex());
        reader =
                capture != null
                        ? new HttpResponseReader(false, capture::append, capture.limit() + 1)
                        : new HttpResponseReader(
                                "HEAD".equals(method), body.wanted() ? body::append : data -> {});
        headersSeen = false;
        run.phase("the status line");
        s.write(request())
                .onFailure(
                        t -> {
                            if (current(s)) {
                                run.fail(t);
                            }
                        });
    }

    private String request() {
        String host = spec.host();
        if (IpLiterals.parseV6(host).isPresent() && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        boolean needsLength = NEEDS_LENGTH.contains(method);
        return method
                + " "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nUser-Agent: Pharos/0.1\r\nAccept: */*\r\nConnection: close\r\n"
                + (needsLength ? "Content-Length: 0\r\n" : "")
                + "\r\n";
    }

    private void received(NetSocket s, Buffer data) {
        if (!current(s) || reader == null) {
            return;
        }
        run.markFirstByte();
        try {
            reader.feed(data);
        } catch (MalformedResponseException e) {
            run.fail(FailureReason.OTHER, "malformed response: " + e.getMessage());
            return;
        }
        if (!reader.headersComplete()) {
            run.phase(reader.stage() == Stage.STATUS_LINE ? "the status line" : "the headers");
            return;
        }
        if (!headersSeen) {
            headersSeen = true;
            if (decidedByHeaders()) {
                return;
            }
            run.phase("the body");
        }
        checkBody();
    }

    /** True if the status alone settles the probe (or starts a redirect). */
    private boolean decidedByHeaders() {
        int status = reader.status();
        run.status(status);
        if (capture != null) {
            capture.headers(status, reader.header("etag"), reader.header("content-length"));
            if (status != 200) {
                run.succeed(okDetail());
                return true;
            }
            return false; // the body decides: whole, or beyond the limit
        }
        Optional<String> location = reader.header("location");
        if (spec.followRedirects() && REDIRECTS.contains(status) && location.isPresent()) {
            redirect(status, location.get());
            return true;
        }
        if (!spec.expectStatus().accepts(status)) {
            run.fail(
                    FailureReason.STATUS,
                    "status " + status + " (expected " + spec.expectStatus() + ")");
            return true;
        }
        if (!body.wanted()) {
            run.succeed(okDetail());
            return true;
        }
        return false;
    }

    private void checkBody() {
        if (capture != null) {
            if (reader.truncated()) {
                run.fail(
                        FailureReason.BODY,
                        "body larger than the limit of " + capture.limit() + " bytes");
            } else if (reader.stage() == Stage.COMPLETE) {
                run.succeed(okDetail());
            }
            return;
        }
        switch (body.check(reader.stage() == Stage.COMPLETE)) {
            case MATCHED -> run.succeed(okDetail());
            case MISMATCHED -> run.fail(FailureReason.BODY, body.mismatch(reader.truncated()));
            case UNDECIDED -> {}
        }
    }

    private void closed(NetSocket s) {
        if (!current(s) || handshaking) {
            return;
        }
        if (reader == null || reader.stage() == Stage.STATUS_LINE) {
            run.fail(FailureReason.RESET, "connection closed before the status line");
        } else if (reader.stage() == Stage.HEADERS) {
            run.fail(FailureReason.RESET, "connection closed before the end of the headers");
        } else if (reader.endOfStream()) {
            checkBody();
        } else {
            run.fail(FailureReason.RESET, "connection closed before the end of the body");
        }
    }

    private void redirect(int status, String location) {
        if (redirects >= MAX_REDIRECTS) {
            run.fail(FailureReason.OTHER, "more than " + MAX_REDIRECTS + " redirects");
            return;
        }
        Optional<String> next;
        try {
            next = Redirects.sameHostPath(run.target(), tls, path, location);
        } catch (URISyntaxException e) {
            run.fail(FailureReason.OTHER, "bad redirect location '" + cut(location) + "'");
            return;
        }
        if (next.isEmpty()) {
            run.fail(FailureReason.OTHER, "redirect to another host (" + cut(location) + ")");
            return;
        }
        redirects++;
        path = next.get();
        if (status == 303 && !"HEAD".equals(method)) {
            method = "GET";
        }
        socket.close();
        socket = null;
        start();
    }

    private String okDetail() {
        String reason = reader.reason().isEmpty() ? "" : " " + cut(reader.reason());
        String after =
                redirects == 0
                        ? ""
                        : " after " + redirects + (redirects == 1 ? " redirect" : " redirects");
        return reader.status() + reason + " in " + run.elapsed() + after;
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
