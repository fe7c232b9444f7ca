package dev.pharos.actuator.dns.embedded;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered responses of one zone snapshot, so that a repeated simple query costs a byte-array copy
 * instead of a parse, a lookup and a render. Answers depend only on the snapshot, the lower-cased
 * question, the RD and CD bits, the EDNS state and the size limit: that is the key. A hit copies
 * the stored response and puts in the query's ID and its question name (same length, maybe other
 * letter case), which gives byte for byte what the full path would have rendered, since the
 * question is the first name in the message and later names point to it.
 *
 * <p>Only "simple" queries take this path: standard query, one uncompressed question, nothing but
 * one well-formed OPT after it. Anything else (and every miss) goes the full way through dnsjava.
 * The cache is cleared when it reaches {@link #MAX_ENTRIES}, so a flood of random names costs
 * memory for a moment, never correctness. A new snapshot gets a new cache.
 */
final class AnswerCache {
    static final int MAX_ENTRIES = 10_000;

    private final ZoneData zone;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    AnswerCache(ZoneData zone) {
        this.zone = zone;
    }

    ZoneData zone() {
        return zone;
    }

    /** The stored answer for a query with this key, or null. */
    Entry get(Key key) {
        return entries.get(key);
    }

    void put(Key key, byte[] response, int rcode) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(response, rcode));
    }

    int size() {
        return entries.size();
    }

    /**
     * The cache key of a simple query, or null when the query is not simple (it then takes the full
     * path, which also judges whether it is malformed).
     *
     * @param tcp whether it came over TCP (no size limit then)
     */
    static Key key(byte[] p, boolean tcp) {
        int n = p.length;
        if (n < Wire.HEADER + 5
                || (p[2] & 0xFA) != 0 // QR, opcode and TC clear; AA and RD may be anything
                || Wire.u16(p, 4) != 1
                || Wire.u16(p, 6) != 0
                || Wire.u16(p, 8) != 0
                || Wire.u16(p, 10) > 1) {
            return null;
        }
        int i = Wire.HEADER;
        while (p[i] != 0) {
            int len = p[i] & 0xFF;
            if (len > 63 || i + len + 1 >= n) {
                return null; // a compression pointer, an unknown label type or a runt
            }
            i += len + 1;
        }
        int nameLength = i + 1 - Wire.HEADER;
        int end = i + 5;
        if (end > n || nameLength > 255) {
            return null;
        }
        int limit = tcp ? Wire.TCP_LIMIT : Wire.PLAIN_UDP_LIMIT;
        int edns = 0;
        if (Wire.u16(p, 10) == 1) {
            // exactly one OPT without options: root name, type 41, payload size, TTL, RDLENGTH 0.
            // Options (cookies, client subnet) go the full way: dnsjava checks their syntax, and
            // a malformed one must get FORMERR there, not a cached answer here.
            if (end + 11 != n || p[end] != 0 || Wire.u16(p, end + 1) != 41 || p[end + 5] != 0) {
                return null;
            }
            int payload = Wire.u16(p, end + 3);
            int version = p[end + 6] & 0xFF;
            int flags = Wire.u16(p, end + 7);
            if (Wire.u16(p, end + 9) != 0) {
                return null;
            }
            if (!tcp) {
                limit = Math.max(Wire.PLAIN_UDP_LIMIT, Math.min(payload, Answerer.EDNS_PAYLOAD));
            }
            edns = 1 | (version == 0 ? 0 : 2) | ((flags & 0x8000) != 0 ? 4 : 0);
        } else if (end != n) {
            return null;
        }
        byte[] k = new byte[nameLength + 9];
        for (int j = 0; j < nameLength; j++) {
            byte b = p[Wire.HEADER + j];
            k[j] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
        }
        System.arraycopy(p, i + 1, k, nameLength, 4); // qtype, qclass
        k[nameLength + 4] = (byte) (p[2] & 0x01); // RD
        k[nameLength + 5] = (byte) (p[3] & 0x10); // CD
        k[nameLength + 6] = (byte) edns;
        k[nameLength + 7] = (byte) (limit >> 8);
        k[nameLength + 8] = (byte) limit;
        return new Key(k, nameLength);
    }

    /** A simple query's identity for caching: the bytes that decide its answer. */
    static final class Key {
        private final byte[] bytes;
        private final int hash;
        final int nameLength;

        Key(byte[] bytes, int nameLength) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
            this.nameLength = nameLength;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A rendered response (its ID is the first asker's) and its rcode, for the metrics. */
    record Entry(byte[] response, int rcode) {
        /** The response for {@code packet}: its ID and its question name's letter case. */
        byte[] answer(Key key, byte[] packet) {
            byte[] out = response.clone();
            out[0] = packet[0];
            out[1] = packet[1];
            System.arraycopy(packet, Wire.HEADER, out, Wire.HEADER, key.nameLength);
            return out;
        }
    }
}
