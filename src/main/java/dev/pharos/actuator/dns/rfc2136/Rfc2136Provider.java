package dev.pharos.actuator.dns.rfc2136;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.dns.DnsChange;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.actuator.dns.Verifier;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.actuator.dns.WriterFence;
import dev.pharos.config.DnsSettings;
import dev.pharos.config.Rfc2136Settings;
import dev.pharos.config.Topology;
import dev.pharos.config.TsigAlgorithm;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Dynamic updates (RFC 2136) with TSIG to BIND, Knot or PowerDNS.
 *
 * <p>Each plan is one UPDATE message, which the server applies atomically: no moment with an empty
 * name. Every change carries a prerequisite that the RRset is exactly what was read
 * (value-dependent "RRset exists", or "RRset does not exist"), so an update applies only to the
 * RRset Pharos last read; if someone changed it meanwhile the server answers NXRRSET and the
 * reconciler re-reads and re-plans. A rejected TSIG key or a refused update is permanent.
 *
 * <p>Under an elected writer ({@link WriterFence}) every update also carries the prerequisite that
 * the TXT record {@code _pharos-writer.<zone>} holds the writer's term. A new writer takes the
 * record over before its first write, with a compare-and-set from the term it read (only ever to a
 * later term), so the update of a writer that lost its lease without noticing (a paused process, a
 * delayed packet) is refused by the server itself; that writer then steps down.
 */
@Singleton
@Named("rfc2136")
public class Rfc2136Provider implements DnsProvider {
    private static final Logger LOG = Logger.getLogger(Rfc2136Provider.class);

    private final Name zone;
    private final InetSocketAddress server;
    private final Optional<TSIG> tsig;
    private final Duration timeout;
    private final Verifier verifier;
    private final Name fenceName;
    private WriterFence fence = WriterFence.NONE;

    /** The term this provider has made the server hold, or -1. */
    private volatile long fenced = -1;

    @Inject
    public Rfc2136Provider(Topology topology, WriterFence fence) {
        this(topology.dns(), topology.dns().rfc2136().orElseThrow());
        this.fence = fence;
    }

    private Rfc2136Provider(DnsSettings dns, Rfc2136Settings r) {
        this(
                dns.zone().orElseThrow(),
                r.server(),
                r.tsig()
                        .map(
                                t ->
                                        new TSIG(
                                                t.algorithm().dnsName(),
                                                t.keyName(),
                                                t.secret().value())),
                r.timeout(),
                dns.verifyServers());
    }

    public Rfc2136Provider(
            String zone,
            InetSocketAddress server,
            Optional<String> keyName,
            String algorithm,
            Optional<String> secret,
            Duration timeout,
            Optional<List<InetSocketAddress>> verifyServers) {
        this(
                zone,
                server,
                keyName.map(k -> new TSIG(algorithm(algorithm), k, secret.orElseThrow())),
                timeout,
                verifyServers);
    }

    private Rfc2136Provider(
            String zone,
            InetSocketAddress server,
            Optional<TSIG> tsig,
            Duration timeout,
            Optional<List<InetSocketAddress>> verifyServers) {
        this.zone = DnsWire.name(zone);
        this.server = server;
        this.timeout = timeout;
        this.tsig = tsig;
        this.verifier = new Verifier(this.zone, server, verifyServers, timeout);
        try {
            this.fenceName = Name.concatenate(Name.fromConstantString(FENCE_LABEL), this.zone);
        } catch (NameTooLongException e) {
            throw new IllegalArgumentException("zone name too long for " + FENCE_LABEL, e);
        }
    }

    /** The fencing record's first label, under the zone. */
    public static final String FENCE_LABEL = "_pharos-writer";

    /** Writes under this fence (tests, and the benchmarks' own providers). */
    public Rfc2136Provider fencedBy(WriterFence f) {
        this.fence = f;
        return this;
    }

    private static Name algorithm(String text) {
        return TsigAlgorithm.parse(text)
                .orElseThrow(() -> new IllegalArgumentException("unknown TSIG algorithm " + text))
                .dnsName();
    }

    @Override
    public String name() {
        return "rfc2136";
    }

    @Override
    public Map<RecordKey, RecordSet> read(Set<RecordKey> owned) throws ActuatorException {
        // a new writer takes the fence over before it reads and plans its first write
        OptionalLong term = fence.fencingTerm();
        if (term.isPresent() && term.getAsLong() != fenced) {
            takeOver(term.getAsLong());
        }
        Map<RecordKey, RecordSet> out = new LinkedHashMap<>();
        for (RecordKey k : owned) {
            DnsWire.query(server, k, timeout).ifPresent(s -> out.put(k, s));
        }
        return out;
    }

    @Override
    public void apply(DnsPlan plan) throws ActuatorException {
        if (!plan.hasChanges()) {
            return;
        }
        Update update = new Update(zone);
        OptionalLong term = fence.fencingTerm();
        long under = -1;
        if (term.isPresent()) {
            if (term.getAsLong() != fenced) {
                takeOver(term.getAsLong());
            }
            under = term.getAsLong();
            update.present(fenceRecord(under));
        }
        for (DnsChange c : plan.changes()) {
            RecordKey key = c.key();
            if (c.before().isPresent()) {
                for (String v : c.before().get().values()) {
                    update.present(DnsWire.record(key, v, DClass.IN, 0));
                }
            } else {
                update.absent(DnsWire.name(key.name()), DnsWire.type(key));
            }
            if (c.after().isEmpty() || c.ttlChanged()) {
                update.delete(DnsWire.name(key.name()), DnsWire.type(key));
                c.after()
                        .ifPresent(
                                a ->
                                        a.values()
                                                .forEach(
                                                        v ->
                                                                update.add(
                                                                        DnsWire.record(
                                                                                key, v, DClass.IN,
                                                                                a.ttl()))));
            } else {
                RecordSet after = c.after().get();
                for (String v : c.removed()) {
                    update.delete(DnsWire.record(key, v, DClass.IN, 0));
                }
                for (String v : c.added()) {
                    update.add(DnsWire.record(key, v, DClass.IN, after.ttl()));
                }
            }
        }
        SimpleResolver r = DnsWire.resolver(server, timeout);
        tsig.ifPresent(r::setTSIGKey);
        Message response = DnsWire.send(r, update, server);
        int rcode = response.getRcode();
        if (rcode == Rcode.NOERROR) {
            LOG.debugf("update applied: %s", plan);
            return;
        }
        String text = Rcode.string(rcode);
        if (under >= 0 && (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET)) {
            OptionalLong holds = fenceHolds();
            if (holds.isEmpty() || holds.getAsLong() != under) {
                throw superseded(under, holds);
            }
        }
        switch (rcode) {
            case Rcode.NXRRSET, Rcode.YXRRSET, Rcode.NXDOMAIN, Rcode.YXDOMAIN ->
                    throw ActuatorException.conflict(
                            "prerequisite failed ("
                                    + text
                                    + "): the records changed since they were read");
            case Rcode.SERVFAIL ->
                    throw ActuatorException.retryable(server + " answered SERVFAIL", null);
            case Rcode.NOTAUTH ->
                    throw ActuatorException.permanent(
                            server
                                    + " answered NOTAUTH: the TSIG key was rejected (wrong name, algorithm or"
                                    + " secret) or the server is not authoritative for "
                                    + zone,
                            null);
            case Rcode.REFUSED ->
                    throw ActuatorException.permanent(
                            server
                                    + " REFUSED the update: allow it for this key (update-policy/allow-update)",
                            null);
            default -> throw ActuatorException.permanent(server + " answered " + text, null);
        }
    }

    /**
     * Makes the server hold {@code term} in the fencing record: a compare-and-set from the term
     * read (or from no record), only ever to a later term. A later term found there means another
     * writer has taken over: this one is superseded.
     */
    private void takeOver(long term) throws ActuatorException {
        OptionalLong holds = fenceHolds();
        if (holds.isPresent() && holds.getAsLong() == term) {
            fenced = term;
            return;
        }
        if (holds.isPresent() && holds.getAsLong() > term) {
            throw superseded(term, holds);
        }
        Update update = new Update(zone);
        if (holds.isPresent()) {
            update.present(fenceRecord(holds.getAsLong()));
        } else {
            update.absent(fenceName, Type.TXT);
        }
        update.delete(fenceName, Type.TXT);
        update.add(new TXTRecord(fenceName, DClass.IN, 0, Long.toString(term)));
        SimpleResolver r = DnsWire.resolver(server, timeout);
        tsig.ifPresent(r::setTSIGKey);
        int rcode = DnsWire.send(r, update, server).getRcode();
        if (rcode == Rcode.NOERROR) {
            fenced = term;
            LOG.infof(
                    "%s now holds term %d (was %s)",
                    fenceName, term, holds.isPresent() ? holds.getAsLong() : "absent");
            return;
        }
        if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET) {
            throw ActuatorException.conflict(
                    fenceName + " changed while this writer took it over; reading it again");
        }
        throw ActuatorException.permanent(
                server
                        + " answered "
                        + Rcode.string(rcode)
                        + " to the update of "
                        + fenceName
                        + " (the key must be allowed to update it)",
                null);
    }

    private ActuatorException superseded(long ours, OptionalLong holds) {
        long theirs = holds.orElse(-1);
        fence.superseded(ours, theirs);
        return ActuatorException.retryable(
                "fenced: "
                        + server
                        + " refused the update of term "
                        + ours
                        + ": "
                        + fenceName
                        + " holds "
                        + (holds.isPresent() ? "term " + theirs : "no term")
                        + ", another writer has taken over; stepping down",
                null);
    }

    private TXTRecord fenceRecord(long term) {
        return new TXTRecord(fenceName, DClass.IN, 0, Long.toString(term));
    }

    /** The term the fencing record holds at the server, if any. */
    private OptionalLong fenceHolds() throws ActuatorException {
        Message q = Message.newQuery(Record.newRecord(fenceName, Type.TXT, DClass.IN));
        Message r = DnsWire.send(DnsWire.resolver(server, timeout), q, server);
        if (r.getRcode() != Rcode.NOERROR && r.getRcode() != Rcode.NXDOMAIN) {
            throw ActuatorException.retryable(
                    server + " answered " + Rcode.string(r.getRcode()) + " for " + fenceName, null);
        }
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec instanceof TXTRecord t && !t.getStrings().isEmpty()) {
                try {
                    return OptionalLong.of(Long.parseLong(t.getStrings().get(0)));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public VerifyReport verify(DnsPlan plan, Duration timeout) throws ActuatorException {
        return verifier.verify(plan, timeout);
    }
}
