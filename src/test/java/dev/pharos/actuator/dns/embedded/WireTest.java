package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.edns;
import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Size limits, truncation and the answers built from raw bytes. */
class WireTest {
    private final ZoneData zone = TestZone.zone();

    @Test
    void theUdpLimitIs512WithoutEdnsAndTheClientsSizeCappedAt1232With() {
        assertThat(Wire.udpLimit(query("a.example.test.", Type.A))).isEqualTo(512);
        assertThat(Wire.udpLimit(edns(query("a.example.test.", Type.A), 4096, 0, 0)))
                .isEqualTo(1232);
        assertThat(Wire.udpLimit(edns(query("a.example.test.", Type.A), 800, 0, 0))).isEqualTo(800);
        assertThat(Wire.udpLimit(edns(query("a.example.test.", Type.A), 100, 0, 0)))
                .as("RFC 6891: below 512 counts as 512")
                .isEqualTo(512);
    }

    @Test
    void anAnswerTooBigForTheLimitIsTruncatedToTheQuestionWithTc() throws Exception {
        Message q = query("big.example.test.", Type.TXT);
        Message response = Answerer.answer(q, zone);
        byte[] udp = Wire.render(response, Wire.udpLimit(q));
        assertThat(udp.length).isLessThanOrEqualTo(512);
        Message truncated = new Message(udp);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isEmpty();
        assertThat(truncated.getQuestion()).isEqualTo(q.getQuestion());

        Message full = new Message(Wire.render(response, Wire.TCP_LIMIT));
        assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(full.getSection(Section.ANSWER)).hasSize(12);

        Message small = edns(query("big.example.test.", Type.TXT), 512, 0, 0);
        Message truncatedWithOpt =
                new Message(Wire.render(Answerer.answer(small, zone), Wire.udpLimit(small)));
        assertThat(truncatedWithOpt.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncatedWithOpt.getSection(Section.QUESTION)).hasSize(1);
        assertThat(truncatedWithOpt.getSection(Section.ANSWER)).isEmpty();
        assertThat(truncatedWithOpt.getOPT().getPayloadSize()).isEqualTo(1232);

        Message withEdns = edns(query("big.example.test.", Type.TXT), 1232, 0, 0);
        Message fits = new Message(Wire.render(Answerer.answer(withEdns, zone), 1232));
        assertThat(fits.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(fits.getSection(Section.ANSWER)).hasSize(12);
        assertThat(fits.getOPT()).isNotNull();
    }

    @Test
    void glueThatDoesNotFitIsLeftOutWithoutTcWhileTheNsRecordsFit() throws Exception {
        ZoneData eight = TestZone.zone(TestZone.eightNameServers());
        Message q = query("example.test.", Type.NS);
        Message response = Answerer.answer(q, eight);
        List<Record> glue = response.getSection(Section.ADDITIONAL);
        assertThat(glue).hasSize(16);
        assertThat(response.toWire().length).as("all of it needs more than 512").isGreaterThan(512);

        for (Message asked : List.of(q, edns(query("example.test.", Type.NS), 512, 0, 0))) {
            byte[] wire = Wire.render(Answerer.answer(asked, eight), Wire.udpLimit(asked));
            assertThat(wire.length).isLessThanOrEqualTo(512);
            Message m = new Message(wire);
            assertThat(m.getHeader().getFlag(Flags.TC)).as("RFC 2181 section 9").isFalse();
            assertThat(m.getSection(Section.ANSWER)).hasSize(8);
            List<Record> kept =
                    m.getSection(Section.ADDITIONAL).stream()
                            .filter(r -> r.getType() != Type.OPT)
                            .toList();
            assertThat(kept)
                    .as("whole RRsets, in order, as many as fit")
                    .isNotEmpty()
                    .isEqualTo(glue.subList(0, kept.size()));
            assertThat(kept.size()).isLessThan(16);
            assertThat(m.getOPT() != null).isEqualTo(asked.getOPT() != null);
        }
        Message big = edns(query("example.test.", Type.NS), 1232, 0, 0);
        Message all = new Message(Wire.render(Answerer.answer(big, eight), 1232));
        assertThat(all.getSection(Section.ADDITIONAL)).hasSize(17);
    }

    @Test
    void anUnparsablePacketGetsFormerrFromItsHeaderAndRuntsAndResponsesGetNothing() {
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 0x0C};
        byte[] formerr = Wire.formErr(garbage);
        assertThat(formerr).hasSize(12);
        assertThat(formerr[0]).isEqualTo((byte) 0x12);
        assertThat(formerr[1]).isEqualTo((byte) 0x34);
        assertThat(formerr[2] & 0x80).as("QR").isNotZero();
        assertThat(formerr[2] & 0x01).as("RD copied").isNotZero();
        assertThat(formerr[3] & 0x0F).isEqualTo(Rcode.FORMERR);
        assertThat(Wire.formErr(new byte[11])).isNull();
        byte[] response = garbage.clone();
        response[2] |= (byte) 0x80;
        assertThat(Wire.formErr(response)).isNull();
    }

    @Test
    void aSlippedResponseIsTheQuestionWithTcAndNoLargerThanTheQuery() throws Exception {
        byte[] packet = edns(query("cdn.example.test.", Type.A), 1232, 0, 0).toWire();
        byte[] slip = Wire.slip(packet);
        assertThat(slip.length).isLessThan(packet.length);
        Message m = new Message(slip);
        assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(m.getHeader().getID()).isEqualTo(new Message(packet).getHeader().getID());
        assertThat(m.getQuestion().getName().toString()).isEqualTo("cdn.example.test.");
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        byte[] headerOnly = Wire.slip(new byte[] {1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0});
        assertThat(new Message(headerOnly).getSection(Section.QUESTION)).isEmpty();
    }
}
