package dev.pharos.actuator.dns.rfc2136;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.dns.DnsChange;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.actuator.dns.Verifier;
import dev.pharos.actuator.dns.VerifyReport;
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
import java.util.Set;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Update;

/**
 * Dynamic updates (RFC 2136) with TSIG to BIND, Knot or PowerDNS.
 *
 * <p>Each plan is one UPDATE message, which the server applies atomically: no moment with an empty
 * name. Every change carries a prerequisite that the RRset is exactly what was read
 * (value-dependent "RRset exists", or "RRset does not exist"), so an update applies only to the
 * RRset Pharos last read; if someone changed it meanwhile the server answers NXRRSET and the
 * reconciler re-reads and re-plans. A rejected TSIG key or a refused update is permanent.
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

    @Inject
    public Rfc2136Provider(Topology topology) {
        this(topology.dns(), topology.dns().rfc2136().orElseThrow());
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

    @Override
    public VerifyReport verify(DnsPlan plan, Duration timeout) throws ActuatorException {
        return verifier.verify(plan, timeout);
    }
}
