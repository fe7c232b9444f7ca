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
            AnswerCache.Entry hit = cache.get(key);
            if (hit != null) {
                metrics.answered(transport, hit.rcode());
                return hit.answer(key, packet);
            }
        }
        Response r = respond(packet, transport, cache.zone(), client);
        if (key != null && !r.located()) {
            cache.put(key, r.bytes(), r.rcode());
        }
        metrics.answered(transport, r.rcode());
        return r.bytes();
    }

    /**
     * A rendered response and its rcode (for the metrics); {@code located}: it depends on where the
     * client is, so it is not cached by the question.
     */
    record Response(byte[] bytes, int rcode, boolean located) {
        Response(byte[] bytes, int rcode) {
            this(bytes, rcode, false);
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
        return new Response(Wire.render(response, limit), response.getRcode(), who.located());
    }

    /** The cache of the snapshot served now; a new snapshot starts an empty one. */
    private AnswerCache cache() {
        ZoneData z = zone.get();
        AnswerCache c = cache;
        if (c == null || c.zone() != z) {
            c = new AnswerCache(z);
            cache = c;
        }
        return c;
    }
}
