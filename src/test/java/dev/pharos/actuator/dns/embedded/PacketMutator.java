package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.edns;
import static dev.pharos.actuator.dns.embedded.AnswererTest.query;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Makes hostile packets for the fuzz test: valid queries with bits flipped, cut short, with absurd
 * section counts, with compression pointers that loop or point nowhere, with broken labels and OPT
 * records, spliced together, or plain random bytes. Seeded, so a failure can be replayed.
 */
final class PacketMutator {
    /** The kinds of damage, each picked equally often. */
    enum Kind {
        BIT_FLIPS,
        TRUNCATED,
        ABSURD_COUNTS,
        POINTER_LOOP,
        BAD_LABELS,
        BAD_OPT,
        SPLICED,
        RANDOM_FLAGS,
        GARBAGE
    }

    private final Random random;
    private final List<byte[]> corpus = new ArrayList<>();

    PacketMutator(long seed) {
        this.random = new Random(seed);
        String[] names = {
            "cdn.example.test.", "www.example.test.", "example.test.", "big.example.test.",
            "chain1.example.test.", "nothere.example.test.", "example.com.",
                    "deep.ent.example.test."
        };
        int[] types = {
            Type.A, Type.AAAA, Type.TXT, Type.NS, Type.SOA, Type.ANY, Type.MX, Type.CNAME
        };
        for (String name : names) {
            for (int type : types) {
                corpus.add(query(name, type).toWire());
                corpus.add(edns(query(name, type), 1232, 0, 0).toWire());
            }
        }
        Message cookie = query("cdn.example.test.", Type.A);
        cookie.addRecord(
                new OPTRecord(
                        4096,
                        0,
                        0,
                        0,
                        List.of(new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))),
                Section.ADDITIONAL);
        corpus.add(cookie.toWire());
        // options the RFCs call malformed: a 5-byte cookie, a client subnet /33 in IPv4
        corpus.add(MalformedEdnsTest.withOption(10, "0102030405", 0, 0).toWire());
        corpus.add(MalformedEdnsTest.withOption(8, "000121007f000001ff", 0, 0).toWire());
    }

    Kind kind() {
        return Kind.values()[random.nextInt(Kind.values().length)];
    }

    byte[] packet(Kind kind) {
        byte[] p = corpus.get(random.nextInt(corpus.size())).clone();
        switch (kind) {
            case BIT_FLIPS -> {
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return p;
            }
            case TRUNCATED -> {
                return Arrays.copyOf(p, random.nextInt(p.length));
            }
            case ABSURD_COUNTS -> {
                for (int at = 4; at < 12; at += 2) {
                    if (random.nextBoolean()) {
                        int v = random.nextBoolean() ? 0xFFFF : random.nextInt(0x10000);
                        p[at] = (byte) (v >> 8);
                        p[at + 1] = (byte) v;
                    }
                }
                return p;
            }
            case POINTER_LOOP -> {
                return pointers(p);
            }
            case BAD_LABELS -> {
                return badLabels(p);
            }
            case BAD_OPT -> {
                return badOpt();
            }
            case SPLICED -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(p, 0, random.nextInt(p.length + 1));
                int from = random.nextInt(other.length);
                out.write(other, from, other.length - from);
                return out.toByteArray();
            }
            case RANDOM_FLAGS -> {
                p[2] = (byte) random.nextInt(256);
                p[3] = (byte) random.nextInt(256);
                return p;
            }
            default -> {
                byte[] g = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 600)];
                random.nextBytes(g);
                return g;
            }
        }
    }

    /**
     * Compression pointers in the question: to itself, in a cycle, past the end, into the header.
     */
    private byte[] pointers(byte[] p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p, 0, 12);
        int variant = random.nextInt(5);
        switch (variant) {
            case 0 -> out.writeBytes(new byte[] {(byte) 0xC0, 12}); // points at itself
            case 1 -> out.writeBytes(new byte[] {(byte) 0xC0, 14, (byte) 0xC0, 12}); // a cycle
            case 2 -> out.writeBytes(new byte[] {3, 'c', 'd', 'n', (byte) 0xC0, 12}); // label, loop
            case 3 -> out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF}); // far past the end
            default -> out.writeBytes(new byte[] {(byte) 0xC0, 2}); // into the header
        }
        out.writeBytes(new byte[] {0, 1, 0, 1});
        if (random.nextBoolean()) {
            // and an answer record whose name loops too
            p[7] = 1;
            out.writeBytes(
                    new byte[] {(byte) 0xC0, (byte) (out.size()), 0, 1, 0, 1, 0, 0, 0, 1, 0, 4});
            out.writeBytes(new byte[] {127, 0, 0, 1});
        }
        byte[] b = out.toByteArray();
        b[4] = 0;
        b[5] = 1;
        b[6] = 0;
        b[7] = p[7];
        return b;
    }

    /** Label lengths of reserved types (0x40, 0x80), over 63, running past the end or over 255. */
    private byte[] badLabels(byte[] p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p, 0, 12);
        switch (random.nextInt(4)) {
            case 0 -> out.writeBytes(new byte[] {0x41, 'a', 0});
            case 1 -> out.writeBytes(new byte[] {(byte) 0x80, 'a', 0});
            case 2 -> out.writeBytes(new byte[] {63, 'a', 'b'});
            default -> {
                for (int i = 0; i < 60; i++) {
                    out.writeBytes(new byte[] {4, 'a', 'b', 'c', 'd'});
                }
                out.write(0);
            }
        }
        out.writeBytes(new byte[] {0, 1, 0, 1});
        return out.toByteArray();
    }

    /** An OPT whose RDLENGTH or option lengths lie, or two OPTs, or an OPT not at the root. */
    private byte[] badOpt() {
        byte[] q = query("cdn.example.test.", Type.A).toWire();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(q);
        int variant = random.nextInt(4);
        int opts = variant == 1 ? 2 : 1;
        for (int i = 0; i < opts; i++) {
            out.write(variant == 2 ? 1 : 0); // root, or a one-byte label without its byte
            out.writeBytes(new byte[] {0, 41, 0x10, 0, 0, 0, 0, 0});
            if (variant == 3) {
                out.writeBytes(new byte[] {0, 8, 0, 10, 0, 40, 1, 2, 3, 4}); // option overruns
            } else {
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xF0}); // RDLENGTH past the end
            }
        }
        byte[] b = out.toByteArray();
        b[11] = (byte) opts;
        return b;
    }
}
