package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.embedded.DnsTools.Answer;
import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import dev.pharos.testing.TestTopology;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS over TCP (RFC 7766) against the running server, with raw sockets where framing matters:
 * length prefixes split across writes, several queries in one write, answers in order on one
 * connection, idle connections closed, a cap on open connections.
 */
class TcpTransportTest {
    private final Vertx vertx = Vertx.vertx();
    private EmbeddedDnsProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.stop();
        }
        vertx.close();
    }

    private void start(Consumer<TestTopology> changes) throws Exception {
        provider = TestZone.start(vertx, changes);
    }

    private Socket connect(String host) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, provider.port()), 3000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return s;
    }

    static byte[] framed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message.length >> 8);
        out.write(message.length & 0xFF);
        out.writeBytes(message);
        return out.toByteArray();
    }

    static Message read(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readUnsignedShort()];
        in.readFully(body);
        return new Message(body);
    }

    @Test
    void pipelinedAndSplitQueriesOnOneConnectionAreAllAnsweredInOrder() throws Exception {
        start(TestZone.listen("127.0.70.11"));
        List<Message> queries =
                List.of(
                        query("cdn.example.test.", Type.A),
                        query("nothere.example.test.", Type.A),
                        query("big.example.test.", Type.TXT),
                        query("europe.example.test.", Type.AAAA));
        try (Socket s = connect("127.0.70.11")) {
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream three = new ByteArrayOutputStream();
            for (Message q : queries.subList(0, 3)) {
                three.writeBytes(framed(q.toWire()));
            }
            out.write(three.toByteArray()); // three queries in one segment
            out.flush();
            byte[] last = framed(queries.get(3).toWire());
            for (byte b : last) { // the fourth one byte at a time, length prefix included
                out.write(b);
                out.flush();
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (Message q : queries) {
                Message r = read(in);
                assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
                assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
            }
        }
    }

    @Test
    void digAsksSeveralQuestionsOverOneConnection() throws Exception {
        DnsTools.require(Tool.DIG);
        start(TestZone.listen("127.0.70.12"));
        long before = provider.server().accepted();
        Answer run =
                DnsTools.run(
                        List.of(
                                "dig",
                                "@127.0.70.12",
                                "-p",
                                String.valueOf(provider.port()),
                                "+tcp",
                                "+keepopen",
                                "+tries=1",
                                "+time=3",
                                "cdn.example.test",
                                "A",
                                "nothere.example.test",
                                "A",
                                "www.example.test",
                                "CNAME"));
        List<Answer> answers = DnsTools.parseAll(run.raw());
        assertThat(answers)
                .extracting(Answer::status)
                .containsExactly("NOERROR", "NXDOMAIN", "NOERROR");
        assertThat(answers.get(2).data("ANSWER")).containsExactly("cdn.example.test.");
        assertThat(provider.server().accepted() - before).as("one connection").isEqualTo(1);
    }

    @Test
    void aLengthPrefixShorterThanAHeaderClosesTheConnection() throws Exception {
        start(TestZone.listen("127.0.70.13"));
        try (Socket s = connect("127.0.70.13")) {
            s.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = connect("127.0.70.13")) {
            s.getOutputStream().write(framed(query("cdn.example.test.", Type.A).toWire()));
            Message r = read(new DataInputStream(s.getInputStream()));
            assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        start(
                TestZone.listen("127.0.70.14")
                        .andThen(z -> z.set("pharos.dns.embedded.tcp-idle-timeout", "300ms")));
        try (Socket s = connect("127.0.70.14")) {
            s.getOutputStream().write(framed(query("cdn.example.test.", Type.A).toWire()));
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(read(in).getSection(Section.ANSWER)).hasSize(3);
            // nothing more is sent: the server closes well within the 5 s read timeout
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAndTheOthersKeepWorking() throws Exception {
        start(
                TestZone.listen("127.0.70.15")
                        .andThen(z -> z.set("pharos.dns.embedded.max-tcp-connections", 2)));
        try (Socket a = connect("127.0.70.15");
                Socket b = connect("127.0.70.15")) {
            // make sure both are accepted and counted before the third arrives
            for (Socket s : List.of(a, b)) {
                s.getOutputStream().write(framed(query("cdn.example.test.", Type.A).toWire()));
                read(new DataInputStream(s.getInputStream()));
            }
            try (Socket c = connect("127.0.70.15")) {
                c.getOutputStream().write(framed(query("cdn.example.test.", Type.A).toWire()));
                assertThat(readOrClosed(c)).as("third connection").isFalse();
            }
            a.getOutputStream().write(framed(query("www.example.test.", Type.A).toWire()));
            assertThat(read(new DataInputStream(a.getInputStream())).getSection(Section.ANSWER))
                    .hasSize(4);
        }
    }

    /** True if an answer came, false if the server closed the connection. */
    private static boolean readOrClosed(Socket s) throws IOException {
        try {
            read(new DataInputStream(s.getInputStream()));
            return true;
        } catch (EOFException | java.net.SocketException e) {
            return false;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither answered nor closed", e);
        }
    }
}
