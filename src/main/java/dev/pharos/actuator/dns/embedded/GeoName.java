package dev.pharos.actuator.dns.embedded;

import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.actuator.dns.geo.GeoMatcher;
import dev.pharos.config.Family;
import dev.pharos.config.GeoMapping;
import dev.pharos.config.IpLiterals;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.Topology;
import dev.pharos.decision.GeoAnswers;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One geo name of a snapshot: every location's answer, computed once when the snapshot is built
 * (from the RRsets it serves and the regions left out of geo answers, by {@link GeoAnswers}), so
 * that a query only looks its client up and picks one of them. The client's location and the scope
 * of the answer (RFC 7871 SCOPE PREFIX-LENGTH) come from {@link GeoMatcher}.
 *
 * <p>In distance mode a client with coordinates walks the record's regions nearest first: the
 * answer of every order of up to {@value #PRECOMPUTED_SITES} regions is computed with the snapshot
 * (indexed by the order's rank); with more regions, a client's answer is worked out when it asks
 * (the same walk, not numbered: such answers are not kept in the answer cache).
 */
final class GeoName {
    /**
     * A choice: the RRset to answer with, the prefix length that decided it, and the RRset's number
     * among this name's distinct answers ({@link #answers()}): locations that get the same RRset
     * get the same number, so the answer cache keeps one rendered response for all of them.
     */
    record Choice(List<Record> rrset, int scope, String location, int id) {}

    private final GeoMatcher matcher;
    private final Answer[] netAnswers;
    private final Map<String, Answer> countries = new HashMap<>();
    private final Map<String, Answer> continents = new HashMap<>();
    private final Answer unknown;
    private int answers;

    /**
     * Distance mode: the most regions whose every order is computed with the snapshot (6! = 720).
     */
    static final int PRECOMPUTED_SITES = 6;

    /** Distance mode: the answer of every order of the sites, by rank; else null. */
    private Answer[] byOrder;

    /** Distance mode with more sites: works out an order's answer when a client asks. */
    private java.util.function.Function<List<String>, Answer> onDemand;

    /**
     * A location's RRsets, A and AAAA (null: the name has no RRset of that type), and their numbers
     * among the name's distinct RRsets.
     */
    private record Answer(List<Record> a, List<Record> aaaa, String label, int aId, int aaaaId) {
        List<Record> of(int type) {
            return type == Type.A ? a : type == Type.AAAA ? aaaa : null;
        }

        int id(int type) {
            return type == Type.A ? aId : aaaaId;
        }
    }

    private GeoName(GeoMatcher matcher, Answer[] netAnswers, Answer unknown) {
        this.matcher = matcher;
        this.netAnswers = netAnswers;
        this.unknown = unknown;
    }

    static GeoName build(
            Topology topology,
            ManagedRecord r,
            Name name,
            Map<RecordKey, RecordSet> managed,
            Set<String> leftOut) {
        GeoMapping g = r.geo().orElseThrow();
        Map<List<Record>, Numbered> ids = new HashMap<>();
        Answer unknown = answer(topology, r, name, managed, leftOut, List.of(), "unknown", ids);
        Answer[] netAnswers = new Answer[g.nets().size()];
        for (int i = 0; i < netAnswers.length; i++) {
            GeoMapping.Net n = g.nets().get(i);
            netAnswers[i] =
                    answer(topology, r, name, managed, leftOut, n.regions(), "net " + n.net(), ids);
        }
        GeoName out = new GeoName(new GeoMatcher(g), netAnswers, unknown);
        g.countries()
                .forEach(
                        (c, l) ->
                                out.countries.put(
                                        c,
                                        answer(
                                                topology,
                                                r,
                                                name,
                                                managed,
                                                leftOut,
                                                l,
                                                "country " + c,
                                                ids)));
        g.continents()
                .forEach(
                        (c, l) ->
                                out.continents.put(
                                        c,
                                        answer(
                                                topology,
                                                r,
                                                name,
                                                managed,
                                                leftOut,
                                                l,
                                                "continent " + c,
                                                ids)));
        if (g.mode() == GeoMapping.Mode.DISTANCE && !g.sites().isEmpty()) {
            int n = g.sites().size();
            if (n <= PRECOMPUTED_SITES) {
                int size = 1;
                for (int i = 2; i <= n; i++) {
                    size *= i;
                }
                out.byOrder = new Answer[size];
                permute(
                        new int[n],
                        0,
                        new boolean[n],
                        p -> {
                            List<String> head = out.matcher.order(p);
                            out.byOrder[rank(p)] =
                                    answer(
                                            topology,
                                            r,
                                            name,
                                            managed,
                                            leftOut,
                                            head,
                                            nearest(head),
                                            ids);
                        });
            } else {
                out.onDemand =
                        head ->
                                answer(
                                        topology,
                                        r,
                                        name,
                                        managed,
                                        leftOut,
                                        head,
                                        nearest(head),
                                        null);
            }
        }
        out.answers = ids.size();
        return out;
    }

    private static String nearest(List<String> head) {
        return "nearest " + head.get(0);
    }

    /** Every order of 0..n-1 (n small), each given to {@code each}. */
    private static void permute(
            int[] p, int at, boolean[] used, java.util.function.Consumer<int[]> each) {
        if (at == p.length) {
            each.accept(p);
            return;
        }
        for (int i = 0; i < p.length; i++) {
            if (!used[i]) {
                used[i] = true;
                p[at] = i;
                permute(p, at + 1, used, each);
                used[i] = false;
            }
        }
    }

    /** The rank of an order of 0..n-1 among all n! of them (its Lehmer code), 0 to n! - 1. */
    static int rank(int[] p) {
        int r = 0;
        for (int i = 0; i < p.length; i++) {
            int smaller = 0;
            for (int j = i + 1; j < p.length; j++) {
                if (p[j] < p[i]) {
                    smaller++;
                }
            }
            r = r * (p.length - i) + smaller;
        }
        return r;
    }

    private static Answer answer(
            Topology topology,
            ManagedRecord r,
            Name name,
            Map<RecordKey, RecordSet> managed,
            Set<String> leftOut,
            List<String> head,
            String label,
            Map<List<Record>, Numbered> ids) {
        List<Record> a = null;
        List<Record> aaaa = null;
        for (Family f : Family.values()) {
            RecordSet set = managed.get(new RecordKey(r.name(), f.recordType()));
            if (set == null || set.values().isEmpty()) {
                continue;
            }
            GeoAnswers.Answer answer =
                    GeoAnswers.choose(topology, r, f, head, set.values(), leftOut);
            List<Record> records = new ArrayList<>();
            for (String address : answer.addresses()) {
                InetAddress ip =
                        (f == Family.IPV4
                                        ? IpLiterals.parseV4(address)
                                        : IpLiterals.parseV6(address))
                                .orElseThrow();
                records.add(
                        f == Family.IPV4
                                ? new ARecord(name, DClass.IN, set.ttl(), ip)
                                : new AAAARecord(name, DClass.IN, set.ttl(), ip));
            }
            if (f == Family.IPV4) {
                a = List.copyOf(records);
            } else {
                aaaa = List.copyOf(records);
            }
        }
        Numbered na = number(ids, a);
        Numbered naaaa = number(ids, aaaa);
        return new Answer(na.rrset(), naaaa.rrset(), label, na.id(), naaaa.id());
    }

    /** An RRset as first numbered, and its number (-1: not numbered). */
    private record Numbered(List<Record> rrset, int id) {}

    /**
     * The RRset's number, and the RRset itself as it was first numbered: equal RRsets (of any
     * location, of any of the 720 orders in distance mode) share one number and one list.
     */
    private static Numbered number(Map<List<Record>, Numbered> ids, List<Record> rrset) {
        if (rrset == null || ids == null) {
            return new Numbered(rrset, -1);
        }
        return ids.computeIfAbsent(rrset, x -> new Numbered(x, ids.size()));
    }

    /** How many distinct RRsets the locations are answered with (their numbers: 0 to this - 1). */
    int answers() {
        return answers;
    }

    /** The answer for a client whose location is not known (scope 0), or null. */
    Choice unknown(int type) {
        List<Record> rrset = unknown.of(type);
        return rrset == null ? null : new Choice(rrset, 0, unknown.label(), unknown.id(type));
    }

    /**
     * The answer of type {@code type} (A or AAAA) for a client in {@code address}/{@code source},
     * or null when the name has no RRset of that type.
     *
     * @param address 4 or 16 bytes (an IPv4-mapped address already reduced to its 4)
     * @param source the prefix length the client's address was given with (32 or 128 for a source
     *     address)
     */
    Choice choose(int type, byte[] address, int source, GeoLocator locator) {
        GeoMatcher.Match m = matcher.match(address, source, locator);
        Answer answer =
                switch (m.kind()) {
                    case NET -> netAnswers[m.net()];
                    case COUNTRY -> countries.get(m.code());
                    case DISTANCE ->
                            byOrder != null
                                    ? byOrder[rank(m.nearest())]
                                    : onDemand.apply(matcher.order(m.nearest()));
                    case CONTINENT -> continents.get(m.code());
                    case UNKNOWN -> unknown;
                };
        List<Record> rrset = answer.of(type);
        return rrset == null ? null : new Choice(rrset, m.scope(), answer.label(), answer.id(type));
    }
}
