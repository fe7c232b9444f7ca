package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.IpLiterals;
import java.io.IOException;
import java.net.InetAddress;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * One packet in, one packet (or nothing) out: parse, rate-limit, answer, render. Transport-agnostic
 * and free of sockets, so the same path is exercised by the servers, the fuzz test and the unit
 * tests. It never throws: a packet that breaks the parser gets FORMERR (or nothing, if it has no
 * header or is a response), and anything unexpected is answered SERVFAIL, counted, and logged at
 * debug level only (hostile traffic must not turn into a flood of log lines).
 */
public final class QueryProcessor {
    private static final Logger LOG = Logger.getLogger(QueryProcessor.class);

    private final Supplier<ZoneData> zone;
    private final ResponseRateLimiter limiter;
    private final EmbeddedDnsMetrics metrics;
    private volatile AnswerCache cache;

    /**
     * @param zone the snapshot to answer from, read once per query (a volatile read: publishing a
     *     change swaps the reference, queries never lock); null: answer nothing (a server started
     *     silent, docs/QUORUM.md "Restart catch-up")
     */
    public QueryProcessor(
            Supplier<ZoneData> zone, ResponseRateLimiter limiter, EmbeddedDnsMetrics metrics) {
        this.zone = zone;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /**
     * The response to send for {@code packet}, or null to send nothing.
     *
     * @param client the sender's IP address as text, for rate limiting
     */
    public byte[] handle(byte[] packet, Transport transport, String client) {
        return handle(packet, transport, IpLiterals.parseAny(client).orElse(null));
    }

    /**
     * The response to send for {@code packet}, or null to send nothing.
     *
     * @param client the sender's address, for rate limiting (null: not limited)
     */
    public byte[] handle(byte[] packet, Transport transport, InetAddress client) {
        try {
            return process(packet, transport, client);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.debugf(e, "query from %s failed", client);
            byte[] out = Wire.formErr(packet);
            if (out == null) {
                metrics.dropped(transport);
                return null;
            }
            out[3] = (byte) Rcode.SERVFAIL;
            metrics.answered(transport, Rcode.SERVFAIL);
            return out;
        }
    }

    private byte[] process(byte[] packet, Transport transport, InetAddress client) {
        if (packet.length < Wire.HEADER || Wire.isResponse(packet) || zone.get() == null) {
            metrics.dropped(transport);
            return null;
        }
        if (transport == Transport.UDP && client != null && limiter.enabled()) {
            // before any parsing: a flood that is limited should cost as little as possible
            ResponseRateLimiter.Decision d = limiter.check(client);
            if (d != ResponseRateLimiter.Decision.SEND) {
                metrics.rateLimited(d);
                return d == ResponseRateLimiter.Decision.SLIP ? Wire.slip(packet) : null;
            }
        }
        AnswerCache cache = cache();
        AnswerCache.Key key = AnswerCache.key(packet, transport == Transport.TCP);
        if (key != null) {
            byte[] hit = cache.answer(key, packet, client);
            if (hit != null) {
                metrics.answered(transport, key.rcode(hit));
                return hit;
            }
        }
        Response r = respond(packet, transport, cache.zone(), client);
        if (key != null) {
            cache.put(key, r);
        }
        metrics.answered(transport, r.rcode());
        return r.bytes();
    }

    /**
     * A rendered response and its rcode (for the metrics); {@code geo}: the geo name whose location
     * of the client decided it (null: it does not depend on where the client is), with the type
     * asked of it and the number of the RRset chosen ({@link GeoName#answers}).
     */
    record Response(byte[] bytes, int rcode, GeoName geo, int type, int answer) {
        Response(byte[] bytes, int rcode) {
            this(bytes, rcode, null, 0, -1);
        }

        /** Whether it depends on where the client is (it is not cached by the question alone). */
        boolean located() {
            return geo != null;
        }
    }

    /**
     * The full path without the cache: parse, answer, render; a packet that does not parse gets
     * FORMERR from its header. Tests compare the cached path with this one.
     */
    static Response respond(byte[] packet, Transport transport, ZoneData zone) {
        return respond(packet, transport, zone, null);
    }

    /** The same, for a client at {@code client} (null: unknown). */
    static Response respond(byte[] packet, Transport transport, ZoneData zone, InetAddress client) {
        QueryParser.Parsed parsed;
        try {
            parsed = QueryParser.parse(packet);
        } catch (IOException | RuntimeException e) {
            return new Response(Wire.formErr(packet), Rcode.FORMERR);
        }
        Message query = parsed.query();
        Answerer.Client who = new Answerer.Client(client);
        Message response =
                Answerer.answer(query, zone, parsed.badOption(), parsed.clientSubnet(), who);
        int limit = transport == Transport.TCP ? Wire.TCP_LIMIT : Wire.udpLimit(query);
        byte[] bytes = Wire.render(response, limit);
        return who.located()
                ? new Response(bytes, response.getRcode(), who.geo(), who.type(), who.answer())
                : new Response(bytes, response.getRcode());
    }

    /** The cache of the snapshot served now; a new snapshot starts an empty one. */
    AnswerCache cache() {
        ZoneData z = zone.get();
        AnswerCache c = cache;
        if (c == null || c.zone() != z) {
            c = new AnswerCache(z);
            cache = c;
        }
        return c;
    }
}
