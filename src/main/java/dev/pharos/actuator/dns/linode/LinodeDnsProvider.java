package dev.pharos.actuator.dns.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.dns.DnsChange;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.actuator.dns.Verifier;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.actuator.linode.LinodeApiException;
import dev.pharos.actuator.linode.LinodeClient;
import dev.pharos.actuator.linode.LinodeClients;
import dev.pharos.actuator.linode.LinodeModel.Domain;
import dev.pharos.actuator.linode.LinodeModel.DomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NewDomainRecord;
import dev.pharos.actuator.linode.LinodeModel.RecordName;
import dev.pharos.actuator.linode.Sleeper;
import dev.pharos.config.DnsName;
import dev.pharos.config.IpLiterals;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The Linode Domains API as a DNS provider ({@code pharos.dns.provider: linode}). Linode keeps one
 * row per value: a round-robin name of three addresses is three A rows.
 *
 * <ul>
 *   <li><b>Read</b>: the Domain named {@code pharos.dns.zone} (its id is looked up once), then the
 *       rows of the owned names and types only, asked for with Linode's {@code X-Filter} (one page
 *       however large the Domain; no owned row can slip between two pages), grouped by name and
 *       type; every other row is never touched. Rows of one set that disagree (one address in two
 *       rows, as a partial failure or a late creation can leave, or different TTLs) are read as TTL
 *       {@link RecordSet#DUPLICATE_ROWS} or {@link RecordSet#MIXED_TTLS}, which no desired set has,
 *       so the plan always tidies them.
 *   <li><b>Apply</b>, per change, one row at a time: when at least one wanted row already exists,
 *       dead rows are deleted first, then the missing ones created; when none exists yet, the new
 *       rows are created first and the dead ones deleted after. A name is therefore never empty in
 *       between unless the plan empties it. A wrong TTL is fixed in place (PUT). Linode has no
 *       conditional writes: the compare-and-set is against the rows of the last read, and a write
 *       that fails halfway leaves the rest to the next run, which re-reads first. A creation whose
 *       answer was lost is settled before that row is ever made again ({@link
 *       UnconfirmedCreations}). A row deleted by someone else between the read and a write (404) is
 *       a conflict: the reconciler re-reads and re-plans.
 *   <li><b>Verify</b>: polls the changed names' rows (by name and type) every 2 s until every
 *       change shows, then (when {@code pharos.dns.verify-servers} is set) asks those servers until
 *       they serve it; Linode's own name servers take up to a minute.
 * </ul>
 */
@Singleton
@Named("linode")
public class LinodeDnsProvider implements DnsProvider {
    private static final Logger LOG = Logger.getLogger(LinodeDnsProvider.class);

    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);

    private final LinodeClient client;
    private final String zone;
    private final Optional<Verifier> servers;
    private final String verified;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration poll;
    private final UnconfirmedCreations unconfirmed;

    private long domainId;
    private Map<RecordKey, List<Row>> lastRead;

    /** One record row, its address in canonical text. */
    record Row(long id, String value, int ttl) {}

    @Inject
    public LinodeDnsProvider(Topology topology, LinodeClients clients, Clock clock) {
        this(
                clients.dns(),
                topology.dns().zone().orElseThrow(),
                topology.dns().verifyServers(),
                clock,
                Sleeper.REAL,
                POLL);
    }

    public LinodeDnsProvider(
            LinodeClient client,
            String zone,
            Optional<List<InetSocketAddress>> verifyServers,
            Clock clock,
            Sleeper sleeper,
            Duration poll) {
        this.client = client;
        this.zone = DnsName.normalize(zone);
        this.verified =
                verifyServers
                        .filter(l -> !l.isEmpty())
                        .map(l -> "Linode's record list shows the change and " + l + " serve it")
                        .orElse(
                                "Linode's record list shows the change (its name servers were not"
                                        + " asked)");
        this.servers =
                verifyServers
                        .filter(l -> !l.isEmpty())
                        .map(
                                l ->
                                        new Verifier(
                                                DnsWire.name(this.zone),
                                                l.get(0),
                                                Optional.of(l),
                                                DNS_TIMEOUT));
        this.clock = clock;
        this.sleeper = sleeper;
        this.poll = poll;
        this.unconfirmed = new UnconfirmedCreations(clock, sleeper, poll, client.metrics());
    }

    @Override
    public String name() {
        return "linode";
    }

    @Override
    public RecordSet publishable(RecordSet desired) {
        return desired.withTtl(LinodeTtl.accepted(desired.ttl()));
    }

    @Override
    public synchronized Map<RecordKey, RecordSet> read(Set<RecordKey> owned)
            throws ActuatorException {
        Map<RecordKey, List<Row>> rows = rows(owned);
        rows.forEach((k, r) -> unconfirmed.seen(k, values(r)));
        lastRead = rows;
        Map<RecordKey, RecordSet> out = new TreeMap<>();
        rows.forEach((k, r) -> out.put(k, set(k, r)));
        return out;
    }

    @Override
    public synchronized void apply(DnsPlan plan) throws ActuatorException {
        if (!plan.hasChanges()) {
            return;
        }
        Map<RecordKey, List<Row>> read = lastRead;
        if (read == null) {
            throw ActuatorException.conflict("no fresh read of the records to apply the plan to");
        }
        for (DnsChange c : plan.changes()) {
            List<Row> rows = read.get(c.key());
            RecordSet now = rows == null ? null : set(c.key(), rows);
            if (!Objects.equals(now, c.before().orElse(null))) {
                throw ActuatorException.conflict(
                        c.key() + " changed since it was read (now " + now + ")");
            }
        }
        // whatever happens below, the next apply must start from a new read
        lastRead = null;
        for (DnsChange c : plan.changes()) {
            apply(c, read.getOrDefault(c.key(), List.of()));
        }
    }

    private void apply(DnsChange c, List<Row> rows) throws ActuatorException {
        RecordKey key = c.key();
        Set<String> want = c.after().map(RecordSet::values).orElse(new TreeSet<>());
        int ttl = c.after().map(RecordSet::ttl).orElse(0);
        Map<String, Row> keep = new LinkedHashMap<>();
        rows.stream()
                .sorted(
                        Comparator.comparing((Row r) -> r.ttl() == ttl ? 0 : 1)
                                .thenComparing(Row::id))
                .filter(r -> want.contains(r.value()))
                .forEach(r -> keep.putIfAbsent(r.value(), r));
        List<Row> dead = rows.stream().filter(r -> !keep.containsValue(r)).toList();
        List<String> missing = want.stream().filter(v -> !keep.containsKey(v)).toList();
        if (keep.isEmpty()) {
            create(key, missing, ttl);
            delete(key, dead);
        } else {
            delete(key, dead);
            create(key, missing, ttl);
        }
        for (Row r : keep.values()) {
            if (r.ttl() != ttl) {
                LOG.debugf("%s: TTL of %s %d -> %d", key, r.value(), r.ttl(), ttl);
                client.updateRecordTtl(domainId, r.id(), ttl);
            }
        }
    }

    private void create(RecordKey key, List<String> values, int ttl) throws ActuatorException {
        for (String v : values) {
            if (unconfirmed.appeared(key, v, k -> values(rows(Set.of(k)).get(k)))) {
                continue;
            }
            LOG.debugf("%s: create %s", key, v);
            Instant sent = clock.instant();
            try {
                client.createRecord(
                        domainId, new NewDomainRecord(key.type(), relative(key.name()), v, ttl));
            } catch (LinodeApiException e) {
                if (e.maybeApplied()) {
                    unconfirmed.lost(key, v, sent);
                }
                throw e;
            }
        }
    }

    private static List<String> values(List<Row> rows) {
        return rows == null ? List.of() : rows.stream().map(Row::value).toList();
    }

    private void delete(RecordKey key, List<Row> rows) throws ActuatorException {
        for (Row r : rows) {
            LOG.debugf("%s: delete %s (row %d)", key, r.value(), r.id());
            client.deleteRecord(domainId, r.id());
        }
    }

    /** Only what was asked: Linode's record list, and the verify servers when they are set. */
    @Override
    public String verified() {
        return verified;
    }

    @Override
    public VerifyReport verify(DnsPlan plan, Duration timeout) throws ActuatorException {
        Instant start = clock.instant();
        Instant end = start.plus(timeout);
        Set<RecordKey> keys = new TreeSet<>();
        plan.changes().forEach(c -> keys.add(c.key()));
        while (true) {
            Map<RecordKey, List<Row>> rows;
            synchronized (this) {
                rows = rows(keys);
            }
            List<String> pending = new ArrayList<>();
            for (DnsChange c : plan.changes()) {
                if (!shows(c, rows.getOrDefault(c.key(), List.of()))) {
                    pending.add(c.key().toString());
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (!clock.instant().isBefore(end)) {
                throw ActuatorException.retryable(
                        "Linode's record list does not show the change of "
                                + pending
                                + " after "
                                + timeout.toSeconds()
                                + " s",
                        null);
            }
            try {
                sleeper.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ActuatorException.retryable("verification interrupted", e);
            }
        }
        List<VerifyReport.Server> report = new ArrayList<>();
        report.add(
                VerifyReport.Server.served("Linode API", Duration.between(start, clock.instant())));
        if (servers.isPresent()) {
            Duration left = Duration.between(clock.instant(), end);
            Duration api = Duration.between(start, clock.instant());
            for (VerifyReport.Server s :
                    servers.get()
                            .verify(plan, left.isNegative() ? Duration.ofSeconds(1) : left)
                            .servers()) {
                // counted from the apply, as the API's
                report.add(
                        s.served()
                                ? VerifyReport.Server.served(
                                        s.server(), api.plusMillis(s.servedAfterMs()))
                                : s);
            }
        }
        return new VerifyReport(report);
    }

    private static boolean shows(DnsChange c, List<Row> rows) {
        if (c.after().isEmpty()) {
            return rows.isEmpty();
        }
        RecordSet after = c.after().get();
        return rows.size() == after.values().size()
                && rows.stream().allMatch(r -> r.ttl() == after.ttl())
                && rows.stream()
                        .map(Row::value)
                        .collect(java.util.stream.Collectors.toSet())
                        .equals(after.values());
    }

    /** The owned rows, by key (keys without rows absent), each list by row id. */
    private Map<RecordKey, List<Row>> rows(Set<RecordKey> owned) throws ActuatorException {
        List<RecordName> names = new ArrayList<>();
        for (RecordKey k : owned) {
            names.add(new RecordName(relative(k.name()), k.type()));
            if (k.name().equals(zone)) {
                // Linode shows the apex as ""; rows made by name may keep the Domain's name
                names.add(new RecordName("", k.type()));
            }
        }
        List<DomainRecord> all;
        try {
            all = client.records(domainId(), names);
        } catch (LinodeApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            // the Domain was removed (and perhaps re-created): look it up again, once
            domainId = 0;
            all = client.records(domainId(), names);
        }
        Map<RecordKey, List<Row>> out = new TreeMap<>();
        for (DomainRecord r : all) {
            String type = r.type() == null ? "" : r.type().toUpperCase(Locale.ROOT);
            if (!type.equals("A") && !type.equals("AAAA")) {
                continue;
            }
            RecordKey key = new RecordKey(fqdn(r.name()), type);
            if (owned.contains(key)) {
                out.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new Row(r.id(), canonical(r.target()), r.ttlSec()));
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparingLong(Row::id)));
        return out;
    }

    private long domainId() throws ActuatorException {
        if (domainId == 0) {
            Domain d =
                    client.domain(zone)
                            .orElseThrow(
                                    () ->
                                            ActuatorException.permanent(
                                                    "no Linode Domain named "
                                                            + zone
                                                            + " is visible to this token: create"
                                                            + " it in the DNS Manager or fix"
                                                            + " pharos.dns.zone",
                                                    null));
            if ("slave".equals(d.type())) {
                throw ActuatorException.permanent(
                        "the Linode Domain " + zone + " is a slave zone; Pharos needs a master",
                        null);
            }
            domainId = d.id();
        }
        return domainId;
    }

    /** The set the rows stand for; a sentinel TTL when they disagree (see the class comment). */
    static RecordSet set(RecordKey key, List<Row> rows) {
        Set<String> values = new TreeSet<>();
        Set<Integer> ttls = new TreeSet<>();
        for (Row r : rows) {
            values.add(r.value());
            ttls.add(r.ttl());
        }
        int ttl =
                values.size() != rows.size()
                        ? RecordSet.DUPLICATE_ROWS
                        : ttls.size() != 1 ? RecordSet.MIXED_TTLS : ttls.iterator().next();
        return new RecordSet(key, ttl, new TreeSet<>(values));
    }

    /**
     * The row name for a managed name: relative to the Domain ("cdn"). The apex is sent as the
     * Domain's own name, because Linode's API description does not allow an empty name in a
     * request; Linode stores it as the apex either way.
     */
    String relative(String fqdn) {
        return fqdn.equals(zone) ? zone : fqdn.substring(0, fqdn.length() - zone.length() - 1);
    }

    /** A row's name as a managed name: "" and the Domain's own name are the apex. */
    String fqdn(String name) {
        String n = name == null ? "" : DnsName.normalize(name);
        return n.isEmpty() || n.equals(zone) ? zone : n + "." + zone;
    }

    private static String canonical(String target) {
        String t = target == null ? "" : target.trim();
        return IpLiterals.parseAny(t).map(IpLiterals::toText).orElse(t);
    }
}
