package dev.pharos.probe;

import dev.pharos.config.ProbeSpec;
import dev.pharos.config.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Probes tcp targets: connect, optionally send bytes, optionally wait for an expected substring.
 *
 * <p>send and expect are strings whose {@code \xHH} escapes stand for single bytes, so both are
 * mapped one char to one byte (ISO-8859-1), and so is what the server answers.
 */
public final class TcpProber implements Prober {
    static final int MAX_ANSWER = 64 * 1024;

    private final Vertx vertx;
    private final Clock clock;
    private final NetClients clients;

    /**
     * @param sourceAddress local address to connect from (the vantage point's), if any
     */
    public TcpProber(Vertx vertx, Clock clock, Optional<InetAddress> sourceAddress) {
        this(vertx, clock, new NetClients(vertx, sourceAddress));
    }

    TcpProber(Vertx vertx, Clock clock, NetClients clients) {
        this.vertx = vertx;
        this.clock = clock;
        this.clients = clients;
    }

    @Override
    public Future<ProbeResult> probe(Target target) {
        return probe(target, target.probe().timeout());
    }

    @Override
    public Future<ProbeResult> probe(Target target, Duration timeout) {
        ProbeSpec spec = target.probe();
        return ProbeRun.start(
                vertx,
                clock,
                target,
                timeout,
                run -> {
                    NetClient client =
                            clients.client(spec.connectTimeout(), false, Optional.empty());
                    run.phase("the connection");
                    client.connect(SocketAddress.inetSocketAddress(target.socketAddress()))
                            .onComplete(
                                    ar -> {
                                        if (ar.failed()) {
                                            run.fail(ar.cause());
                                        } else if (run.attach(ar.result())) {
                                            connected(run, spec, ar.result());
                                        }
                                    });
                });
    }

    private static void connected(ProbeRun run, ProbeSpec spec, NetSocket s) {
        run.markConnected();
        if (spec.send().isEmpty() && spec.expect().isEmpty()) {
            run.succeed("connected in " + run.elapsed());
            return;
        }
        s.exceptionHandler(run::fail);
        if (spec.expect().isPresent()) {
            Answer answer = new Answer(spec.expect().get());
            s.handler(
                    data -> {
                        run.markFirstByte();
                        if (answer.add(data)) {
                            run.succeed("expected answer in " + run.elapsed());
                        } else if (answer.full()) {
                            run.fail(
                                    FailureReason.BODY,
                                    "first 64 KiB of the answer lack '" + answer.cut() + "'");
                        }
                    });
            s.closeHandler(
                    v ->
                            run.fail(
                                    FailureReason.BODY,
                                    answer.empty()
                                            ? "closed without an answer, expected '"
                                                    + answer.cut()
                                                    + "'"
                                            : "answer lacks '" + answer.cut() + "'"));
            run.phase("'" + answer.cut() + "'");
        }
        if (spec.send().isPresent()) {
            Future<Void> written =
                    s.write(Buffer.buffer(spec.send().get().getBytes(StandardCharsets.ISO_8859_1)));
            written.onFailure(run::fail);
            if (spec.expect().isEmpty()) {
                run.phase("the write to complete");
                written.onSuccess(v -> run.succeed("connected and sent in " + run.elapsed()));
            }
        }
    }

    /** Closes the connection clients; probes started afterwards fail with OTHER. */
    public Future<Void> close() {
        return clients.close();
    }

    /** What the server has said so far, searched for the expected text as it arrives. */
    private static final class Answer {
        private final String expected;
        private final StringBuilder text = new StringBuilder();

        Answer(String expected) {
            this.expected = expected;
        }

        /** True once the expected text has arrived. */
        boolean add(Buffer data) {
            int room = MAX_ANSWER - text.length();
            int from = Math.max(0, text.length() - expected.length() + 1);
            byte[] bytes = data.getBytes();
            text.append(
                    new String(
                            bytes, 0, Math.min(room, bytes.length), StandardCharsets.ISO_8859_1));
            return text.indexOf(expected, from) >= 0;
        }

        boolean full() {
            return text.length() >= MAX_ANSWER;
        }

        boolean empty() {
            return text.length() == 0;
        }

        String cut() {
            String printable = expected.replace("\r", "\\r").replace("\n", "\\n");
            return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
        }
    }
}
