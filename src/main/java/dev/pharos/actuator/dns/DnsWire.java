package dev.pharos.actuator.dns;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.config.IpLiterals;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Small dnsjava helpers shared by the DNS providers and their verification. */
public final class DnsWire {
    private DnsWire() {}

    public static Name name(String fqdn) {
        try {
            return Name.fromString(fqdn.endsWith(".") ? fqdn : fqdn + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + fqdn, e);
        }
    }

    public static int type(RecordKey key) {
        return Type.value(key.type());
    }

    /** One A/AAAA record of the set, with the given class and TTL. */
    public static Record record(RecordKey key, String value, int dclass, long ttl) {
        InetAddress a =
                IpLiterals.parseAny(value)
                        .orElseThrow(
                                () -> new IllegalArgumentException("not an address: " + value));
        Name n = name(key.name());
        return "AAAA".equals(key.type())
                ? new AAAARecord(n, dclass, ttl, a)
                : new ARecord(n, dclass, ttl, a);
    }

    public static SimpleResolver resolver(InetSocketAddress server, Duration timeout) {
        SimpleResolver r = new SimpleResolver(server);
        r.setTCP(true);
        r.setTimeout(timeout);
        return r;
    }

    /**
     * What {@code server} serves for the key: empty for NXDOMAIN or NODATA. Fails retryably on
     * timeouts and SERVFAIL, permanently when the server is not authoritative for the name.
     */
    public static Optional<RecordSet> query(
            InetSocketAddress server, RecordKey key, Duration timeout) throws ActuatorException {
        Message q = Message.newQuery(Record.newRecord(name(key.name()), type(key), DClass.IN));
        Message r = send(resolver(server, timeout), q, server);
        int rcode = r.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return Optional.empty();
        }
        if (rcode != Rcode.NOERROR) {
            String text = Rcode.string(rcode);
            throw rcode == Rcode.SERVFAIL
                    ? ActuatorException.retryable(
                            server + " answered " + text + " for " + key, null)
                    : ActuatorException.permanent(
                            server + " answered " + text + " for " + key, null);
        }
        if (!r.getHeader().getFlag(Flags.AA)) {
            throw ActuatorException.permanent(
                    server + " is not authoritative for " + key.name(), null);
        }
        List<String> values = new ArrayList<>();
        long ttl = -1;
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec.getType() == type(key) && rec.getName().equals(name(key.name()))) {
                values.add(IpLiterals.toText(address(rec)));
                ttl = rec.getTTL();
            }
        }
        return values.isEmpty()
                ? Optional.empty()
                : Optional.of(RecordSet.of(key.name(), key.type(), (int) ttl, values));
    }

    public static InetAddress address(Record rec) {
        return rec instanceof ARecord a ? a.getAddress() : ((AAAARecord) rec).getAddress();
    }

    public static Message send(SimpleResolver resolver, Message m, InetSocketAddress server)
            throws ActuatorException {
        try {
            return resolver.send(m);
        } catch (SocketTimeoutException e) {
            throw ActuatorException.retryable("no answer from " + server + " (timeout)", null);
        } catch (IOException e) {
            throw ActuatorException.retryable(
                    "cannot reach "
                            + server
                            + ": "
                            + e.getClass().getSimpleName()
                            + " "
                            + e.getMessage(),
                    null);
        }
    }
}
