package dev.pharos.probe;

import static dev.pharos.probe.RawServer.readHead;
import static dev.pharos.probe.RawServer.response;
import static dev.pharos.probe.RawServer.write;
import static dev.pharos.probe.TestTargets.await;
import static dev.pharos.probe.TestTargets.http;
import static dev.pharos.probe.TestTargets.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbersTest {
    private static final String SOURCE = "127.0.50.99";

    private Vertx vertx;
    private Probers probers;
    private RawServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (probers != null) {
            await(probers.close());
        }
        await(vertx.close());
    }

    private static RawServer httpServer(String address) throws Exception {
        return RawServer.start(
                address,
                s -> {
                    readHead(s);
                    write(s, response(200, "OK", "healthy"));
                });
    }

    @Test
    void probesConnectFromTheConfiguredSourceAddress() throws Exception {
        InetAddress source = InetAddress.getByAddress(RawServer.toBytes(SOURCE));
        probers = new Probers(vertx, Clock.systemUTC(), Optional.of(source));
        server = httpServer("127.0.53.1");

        ProbeResult viaHttp = await(probers.probe(http().target(server.address(), server.port())));
        ProbeResult viaTcp = await(probers.probe(tcp().target(server.address(), server.port())));

        assertThat(viaHttp.success()).as(viaHttp.detail()).isTrue();
        assertThat(viaTcp.success()).as(viaTcp.detail()).isTrue();
        assertThat(server.awaitRemotes(2))
                .extracting(InetSocketAddress::getAddress)
                .containsExactly(source, source);
    }

    @Test
    void eachTypeGoesToItsProber() throws Exception {
        probers = new Probers(vertx, Clock.systemUTC(), Optional.empty());
        server = httpServer("127.0.53.2");

        ProbeResult viaHttp =
                await(
                        probers.probe(
                                http().body("healthy").target(server.address(), server.port())));
        ProbeResult viaTcp = await(probers.probe(tcp().target(server.address(), server.port())));

        assertThat(viaHttp.status()).contains(200);
        assertThat(viaTcp.status()).isEmpty();
        assertThat(viaTcp.detail()).startsWith("connected in");
    }

    @Test
    void manyParallelProbesEachUseTheirOwnConnection() throws Exception {
        probers = new Probers(vertx, Clock.systemUTC(), Optional.empty());
        server = httpServer("127.0.53.3");
        Target target = http().body("healthy").target(server.address(), server.port());

        List<Future<ProbeResult>> running = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            running.add(probers.probe(target));
        }
        List<ProbeResult> results = new ArrayList<>();
        for (Future<ProbeResult> f : running) {
            results.add(await(f));
        }

        assertThat(results)
                .as(results.stream().map(ProbeResult::detail).collect(Collectors.joining("; ")))
                .allMatch(ProbeResult::success);
        assertThat(server.remotes()).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void probesAfterCloseFailWithoutThrowing() throws Exception {
        probers = new Probers(vertx, Clock.systemUTC(), Optional.empty());
        server = httpServer("127.0.53.4");
        Target target = http().target(server.address(), server.port());
        await(probers.close());

        ProbeResult r = await(probers.probe(target));

        assertThat(r.reason()).contains(FailureReason.OTHER);
        assertThat(server.remotes()).isEmpty();
    }
}
