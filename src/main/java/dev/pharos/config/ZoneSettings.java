package dev.pharos.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * The fixed part of the embedded zone, parsed and validated from {@code pharos.dns}: the origin,
 * the SOA names and timers, the NS records, their glue and the static records. The embedded server
 * adds the managed RRsets and the serial. It is parsed once, at start-up, and carried in {@link
 * EmbeddedDnsSettings}: what the server serves is exactly what was checked.
 *
 * @param records the apex NS records, the glue address records and the static records
 * @param managedNames the managed names, which exist (NODATA rather than NXDOMAIN) even while they
 *     have no addresses
 */
public record ZoneSettings(
        Name origin,
        Name mname,
        Name rname,
        int apexTtl,
        int negativeTtl,
        List<Name> nameservers,
        List<Record> records,
        Set<Name> managedNames) {

    private static final String KEY = "pharos.dns.embedded.";

    public ZoneSettings {
        nameservers = List.copyOf(nameservers);
        records = List.copyOf(records);
        managedNames = Set.copyOf(managedNames);
    }

    /**
     * Parses the embedded settings of {@code zone}; every problem goes to {@code problems} as (key,
     * message). Empty when something is wrong.
     *
     * @param managedNames the managed names (lower case, no trailing dot): no static record may use
     *     one, and each exists in the zone even without addresses
     */
    static Optional<ZoneSettings> parse(
            DnsName zone,
            DnsConfig.Embedded embedded,
            Set<String> managedNames,
            BiConsumer<String, String> problems) {
        Name origin;
        try {
            origin = Name.fromString(zone.text() + ".");
        } catch (TextParseException e) {
            problems.accept("pharos.dns.zone", "'" + zone + "' is not a DNS name");
            return Optional.empty();
        }
        int[] count = {0};
        BiConsumer<String, String> sink =
                (k, m) -> {
                    count[0]++;
                    problems.accept(k, m);
                };
        ZoneSettings s = new Parser(origin, embedded, managedNames, sink).parse();
        return count[0] == 0 ? Optional.of(s) : Optional.empty();
    }

    /**
     * A name from the configuration: "@" is the apex, a trailing dot or the zone's suffix makes it
     * absolute, a name without a dot is relative to the zone, anything else is taken as absolute
     * (an out-of-zone name server such as ns1.provider.net).
     */
    static Name name(String text, Name origin) throws TextParseException {
        String t = text.trim();
        if (t.equals("@")) {
            return origin;
        }
        if (t.endsWith(".")) {
            return Name.fromString(t);
        }
        Name absolute = Name.fromString(t + ".");
        if (absolute.subdomain(origin) || t.contains(".")) {
            return absolute;
        }
        return Name.fromString(t, origin);
    }

    /** A name as messages and {@code RecordKey} show it: lower case, no trailing dot. */
    static String display(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static final class Parser {
        private final Name origin;
        private final DnsConfig.Embedded e;
        private final Set<String> managed;
        private final BiConsumer<String, String> problems;
        private final ZoneRecords records;

        Parser(
                Name origin,
                DnsConfig.Embedded e,
                Set<String> managed,
                BiConsumer<String, String> problems) {
            this.origin = origin;
            this.e = e;
            this.managed = managed;
            this.problems = problems;
            this.records = new ZoneRecords(origin, e.apexTtl(), managed, problems);
        }

        ZoneSettings parse() {
            if (e.apexTtl() < 1) {
                problems.accept(KEY + "apex-ttl", "must be at least 1 second, got " + e.apexTtl());
            }
            if (e.negativeTtl() < 0) {
                problems.accept(KEY + "negative-ttl", "must be at least 0, got " + e.negativeTtl());
            }
            List<Name> nameservers = nameservers();
            for (Name ns : nameservers) {
                records.add(KEY + "nameservers", new NSRecord(origin, DClass.IN, e.apexTtl(), ns));
            }
            glue(nameservers);
            Name rname = hostmaster();
            List<String> lines = e.staticRecords().orElse(List.of());
            for (int i = 0; i < lines.size(); i++) {
                records.addStatic(KEY + "static-records[" + i + "]", lines.get(i));
            }
            for (int i = 0; i < nameservers.size(); i++) {
                Name ns = nameservers.get(i);
                if (ns.subdomain(origin) && !records.hasAddress(ns)) {
                    problems.accept(
                            KEY + "nameservers[" + i + "]",
                            display(ns)
                                    + " is inside the zone and needs an address in "
                                    + KEY
                                    + "glue");
                }
            }
            Name mname = nameservers.isEmpty() ? origin : nameservers.get(0);
            Set<Name> managedNames = new HashSet<>();
            for (String m : managed) {
                try {
                    Name n = Name.fromString(m + ".");
                    if (n.subdomain(origin)) {
                        managedNames.add(n);
                    }
                } catch (TextParseException ex) {
                    // the records' own validation reports it
                }
            }
            return new ZoneSettings(
                    origin,
                    mname,
                    rname,
                    Math.max(1, e.apexTtl()),
                    Math.max(0, e.negativeTtl()),
                    nameservers,
                    records.records(),
                    managedNames);
        }

        private List<Name> nameservers() {
            List<Name> out = new ArrayList<>();
            List<String> texts = e.nameservers().orElse(List.of("ns1"));
            for (int i = 0; i < texts.size(); i++) {
                String key = KEY + "nameservers[" + i + "]";
                try {
                    Name ns = name(texts.get(i), origin);
                    if (out.contains(ns)) {
                        problems.accept(key, display(ns) + " is listed twice");
                    } else {
                        out.add(ns);
                    }
                } catch (TextParseException ex) {
                    problems.accept(key, "'" + texts.get(i) + "' is not a valid DNS name");
                }
            }
            return out;
        }

        private void glue(List<Name> nameservers) {
            Map<String, List<String>> glue = new TreeMap<>(e.glue());
            if (e.nameservers().isEmpty() && glue.isEmpty()) {
                // the default ns1.<zone> is this server: its glue is where it listens
                List<String> own = new ArrayList<>();
                for (String a : e.listen()) {
                    IpLiterals.parseAny(a)
                            .filter(x -> !x.isAnyLocalAddress())
                            .ifPresent(x -> own.add(IpLiterals.toText(x)));
                }
                glue.put("ns1", own);
            }
            for (var entry : glue.entrySet()) {
                String key = KEY + "glue." + entry.getKey();
                Name ns;
                try {
                    ns = name(entry.getKey(), origin);
                } catch (TextParseException ex) {
                    problems.accept(key, "'" + entry.getKey() + "' is not a valid DNS name");
                    continue;
                }
                if (!ns.subdomain(origin)) {
                    problems.accept(key, display(ns) + " is outside the zone " + display(origin));
                    continue;
                }
                if (!nameservers.contains(ns)) {
                    problems.accept(key, display(ns) + " is not one of the nameservers");
                    continue;
                }
                if (managed.contains(display(ns))) {
                    problems.accept(key, display(ns) + " is a managed name");
                    continue;
                }
                List<String> addresses = entry.getValue();
                for (int j = 0; j < addresses.size(); j++) {
                    Optional<InetAddress> a = IpLiterals.parseAny(addresses.get(j));
                    if (a.isEmpty()) {
                        problems.accept(
                                key + "[" + j + "]",
                                "'" + addresses.get(j) + "' is not an IP address");
                        continue;
                    }
                    Record r =
                            a.get() instanceof Inet4Address
                                    ? new ARecord(ns, DClass.IN, e.apexTtl(), a.get())
                                    : new AAAARecord(ns, DClass.IN, e.apexTtl(), a.get());
                    records.add(key, r);
                }
            }
        }

        private Name hostmaster() {
            String text = e.hostmaster().trim();
            try {
                int at = text.indexOf('@');
                if (at > 0) {
                    // a mail address: the local part becomes the first label
                    String local = text.substring(0, at).replace(".", "\\.");
                    String domain = text.substring(at + 1);
                    return Name.fromString(
                            local + "." + (domain.endsWith(".") ? domain : domain + "."));
                }
                return name(text, origin);
            } catch (TextParseException ex) {
                problems.accept(KEY + "hostmaster", "'" + text + "' is not a name or mail address");
                return origin;
            }
        }
    }
}
