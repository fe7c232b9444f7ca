package dev.pharos.actuator.dns.embedded;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Rcode;

/**
 * Rendered responses of one zone snapshot, so that a repeated simple query costs a byte-array copy
 * instead of a parse, a lookup and a render. Answers depend only on the snapshot, the lower-cased
 * question, the RD and CD bits, the EDNS state and the size limit: that is the key. A hit copies
 * the stored response and puts in the query's ID and its question name (same length, maybe other
 * letter case), which gives byte for byte what the full path would have rendered, since the
 * question is the first name in the message and later names point to it.
 *
 * <p>Geo names (docs/GEO.md) are answered per client, so their responses are keyed by the chosen
 * answer, never by the question alone: the key's entry says which geo name (and type) locates the
 * client, a hit locates the client with the code the full path uses ({@link Answerer#locate}) and
 * takes the response rendered for the RRset chosen ({@link GeoName.Choice#id}). Clients that get
 * the same RRset share it; a client never gets an RRset chosen for another location.
 *
 * <p>A query with an EDNS Client Subnet option (RFC 7871) gets it back with the scope that decided
 * its answer. The option's length is part of the key (it sets the response's length, so whether it
 * fits the size limit), its content is not: a hit writes the client's own option (family, source
 * prefix, address) and its scope over the stored one, the last bytes of the response.
 *
 * <p>Only "simple" queries take this path: standard query, one uncompressed question, nothing after
 * it but one well-formed OPT without options or with only a well-formed Client Subnet option.
 * Anything else (and every miss) goes the full way through dnsjava.
 *
 * <p>The bound is on rendered responses, not on keys: a geo question's entry holds one response per
 * RRset asked for, and a client choosing its subnet, size limit and flags can make many keys and
 * ask each for every RRset. The cache counts the responses it stores and is cleared when the count
 * reaches {@link #MAX_ENTRIES} (a few more while several threads store at once), so a flood costs
 * memory for a moment, never correctness; a geo entry's array grows with the responses it holds,
 * not with the name's number of RRsets. A new snapshot (a region's state, a record, the regions
 * left out of geo answers) gets a new cache; a new location database needs none, as hits locate the
 * client again.
 */
final class AnswerCache {
    static final int MAX_ENTRIES = 10_000;

    private final ZoneData zone;
    private final ConcurrentHashMap<Key, Object> entries = new ConcurrentHashMap<>();

    /**
     * The responses stored since the cache was last cleared: counted after each is stored, set to 0
     * before the entries are cleared, so it is never below what the entries hold.
     */
    private final AtomicInteger responses = new AtomicInteger();

    AnswerCache(ZoneData zone) {
        this.zone = zone;
    }

    ZoneData zone() {
        return zone;
    }

    /**
     * The response to {@code packet} (whose key is {@code key}) from a client at {@code client}
     * (null: unknown) from what is stored, or null: not stored (take the full path).
     */
    byte[] answer(Key key, byte[] packet, InetAddress client) {
        Object slot = entries.get(key);
        if (slot instanceof Entry e) {
            return e.answer(key, packet, 0);
        }
        if (slot instanceof Located l) {
            GeoName.Choice c = Answerer.locate(l.geo, l.type, key.ecs, client, zone.locator());
            Entry e = c == null || c.id() < 0 ? null : l.answer(c.id());
            return e == null ? null : e.answer(key, packet, c.scope());
        }
        return null;
    }

    /** Stores a response of the full path, unless its option is not where a hit would write. */
    void put(Key key, QueryProcessor.Response r) {
        Entry e = Entry.of(key, r.bytes(), r.rcode());
        if (e == null || (r.located() && (r.answer() < 0 || r.answer() >= r.geo().answers()))) {
            return;
        }
        if (responses.get() >= MAX_ENTRIES) {
            clear();
        }
        if (!r.located()) {
            if (entries.put(key, e) == null) {
                responses.incrementAndGet();
            }
            return;
        }
        Object slot =
                entries.compute(
                        key,
                        (k, old) ->
                                old instanceof Located l && l.geo == r.geo() && l.type == r.type()
                                        ? l
                                        : new Located(r.geo(), r.type()));
        if (((Located) slot).store(r.answer(), e)) {
            responses.incrementAndGet();
        }
    }

    private synchronized void clear() {
        if (responses.get() >= MAX_ENTRIES) {
            // the count first: a response stored while the entries are cleared is counted after it
            responses.set(0);
            entries.clear();
        }
    }

    int size() {
        return entries.size();
    }

    /**
     * How many rendered responses are stored, as counted for the bound (a geo question holds one
     * per RRset asked for).
     */
    int responses() {
        return responses.get();
    }

    /** How many rendered responses the entries hold, counted one by one (for tests). */
    int stored() {
        int n = 0;
        for (Object slot : entries.values()) {
            n += slot instanceof Located l ? l.answers.length : 1;
        }
        return n;
    }

    /**
     * A question whose answer a geo name chooses per client: the name and the type it locates for,
     * and the response rendered for each of its RRsets that has been asked for (only those: the
     * array grows by one with each, copied on write so that a hit reads it without a lock).
     */
    private static final class Located {
        private static final Numbered[] NONE = {};

        final GeoName geo;
        final int type;
        volatile Numbered[] answers = NONE;

        Located(GeoName geo, int type) {
            this.geo = geo;
            this.type = type;
        }

        /** The response stored for RRset {@code id}, or null. */
        Entry answer(int id) {
            for (Numbered n : answers) {
                if (n.id() == id) {
                    return n.entry();
                }
            }
            return null;
        }

        /** Stores the response for RRset {@code id} unless one is; whether it was stored. */
        synchronized boolean store(int id, Entry e) {
            Numbered[] old = answers;
            for (Numbered n : old) {
                if (n.id() == id) {
                    return false;
                }
            }
            Numbered[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = new Numbered(id, e);
            answers = grown;
            return true;
        }
    }

    /** The response rendered for one of a geo name's RRsets, and the RRset's number. */
    private record Numbered(int id, Entry entry) {}

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
        ClientSubnet ecs = null;
        if (Wire.u16(p, 10) == 1) {
            // exactly one OPT: root name, type 41, payload size, TTL, RDLENGTH, and either no
            // option or one well-formed Client Subnet option. Other options (cookies) go the full
            // way, and so does a malformed subnet: it must get FORMERR there, not an answer here.
            if (end + 11 > n || p[end] != 0 || Wire.u16(p, end + 1) != 41 || p[end + 5] != 0) {
                return null;
            }
            int payload = Wire.u16(p, end + 3);
            int version = p[end + 6] & 0xFF;
            int flags = Wire.u16(p, end + 7);
            int rdlength = Wire.u16(p, end + 9);
            if (end + 11 + rdlength != n) {
                return null;
            }
            if (rdlength != 0) {
                int o = end + 11;
                if (rdlength < 8
                        || Wire.u16(p, o) != EDNSOption.Code.CLIENT_SUBNET
                        || Wire.u16(p, o + 2) != rdlength - 4) {
                    return null;
                }
                ecs = ClientSubnet.parse(p, o + 4, rdlength - 4);
                if (ecs == null) {
                    return null;
                }
            }
            if (!tcp) {
                limit = Math.max(Wire.PLAIN_UDP_LIMIT, Math.min(payload, Answerer.EDNS_PAYLOAD));
            }
            edns = 1 | (version == 0 ? 0 : 2) | ((flags & 0x8000) != 0 ? 4 : 0);
        } else if (end != n) {
            return null;
        }
        byte[] k = new byte[nameLength + 10];
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
        k[nameLength + 9] = (byte) (ecs == null ? 0 : 1 + ecs.octets());
        return new Key(k, nameLength, ecs, (edns & 2) != 0);
    }

    /**
     * A simple query's identity for caching: the bytes that decide its answer, or (for a geo name)
     * which of the answers the name chooses from; with the query's Client Subnet option, which is
     * not part of the identity (only its length is).
     */
    static final class Key {
        private final byte[] bytes;
        private final int hash;
        final int nameLength;
        final ClientSubnet ecs;
        private final boolean badVersion;

        Key(byte[] bytes, int nameLength, ClientSubnet ecs, boolean badVersion) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
            this.nameLength = nameLength;
            this.ecs = ecs;
            this.badVersion = badVersion;
        }

        /**
         * The rcode of a response to this query, for the metrics: the header's, and BADVERS (an
         * extended rcode, in the OPT) for an EDNS version above 0, which always gets it.
         */
        int rcode(byte[] response) {
            return badVersion ? Rcode.BADVERS : response[3] & 0x0F;
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

    /**
     * A rendered response (its ID, name case and Client Subnet option are the first asker's) and
     * its rcode, for the metrics.
     *
     * @param ecsAt where the Client Subnet option's data starts (the last bytes of the response),
     *     -1 when it has none
     */
    record Entry(byte[] response, int rcode, int ecsAt) {
        /**
         * The entry for a response of the full path to a query with this key, or null when the
         * query's Client Subnet option is not the response's last bytes as expected (it is then not
         * stored: a hit could not put the client's own option in).
         */
        static Entry of(Key key, byte[] response, int rcode) {
            if (key.ecs == null) {
                return new Entry(response, rcode, -1);
            }
            int data = 4 + key.ecs.octets();
            int at = response.length - data;
            // the OPT's RDLENGTH, then the option's code and length, then its data
            if (at - 15 < Wire.HEADER
                    || Wire.u16(response, at - 6) != 4 + data
                    || Wire.u16(response, at - 4) != EDNSOption.Code.CLIENT_SUBNET
                    || Wire.u16(response, at - 2) != data
                    || Wire.u16(response, at - 14) != 41
                    || response[at - 15] != 0
                    || Wire.u16(response, at) != key.ecs.family()
                    || (response[at + 2] & 0xFF) != key.ecs.source()) {
                return null;
            }
            return new Entry(response, rcode, at);
        }

        /**
         * The response for {@code packet}: its ID, its question name's letter case, and its own
         * Client Subnet option with {@code scope}.
         */
        byte[] answer(Key key, byte[] packet, int scope) {
            byte[] out = response.clone();
            out[0] = packet[0];
            out[1] = packet[1];
            System.arraycopy(packet, Wire.HEADER, out, Wire.HEADER, key.nameLength);
            if (ecsAt >= 0) {
                ClientSubnet e = key.ecs;
                out[ecsAt] = (byte) (e.family() >> 8);
                out[ecsAt + 1] = (byte) e.family();
                out[ecsAt + 2] = (byte) e.source();
                out[ecsAt + 3] = (byte) scope;
                System.arraycopy(e.address(), 0, out, ecsAt + 4, e.octets());
            }
            return out;
        }
    }
}
