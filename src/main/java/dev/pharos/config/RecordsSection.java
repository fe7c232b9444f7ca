package dev.pharos.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** The managed names: valid, unique, inside the zone, over known regions. */
final class RecordsSection extends ConfigSection {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    RecordsSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    List<ManagedRecord> records(Map<String, Region> regions) {
        List<ManagedRecord> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // an invalid zone is reported by the DNS section; names are then not checked against it
        Optional<DnsName> zone =
                config.dns().zone().flatMap(z -> DnsName.parse("pharos.dns.zone", z).valid());
        for (int i = 0; i < config.records().size(); i++) {
            RecordsConfig.Entry r = config.records().get(i);
            String key = "pharos.records[" + i + "]";
            String name = DnsName.normalize(r.name());
            Optional<DnsName> parsed = parsed(DnsName.parse(key + ".name", r.name()));
            if (parsed.isPresent() && !names.add(name)) {
                problem(key + ".name", "duplicate record '" + name + "'");
            } else if (parsed.isPresent() && zone.isPresent() && !parsed.get().isIn(zone.get())) {
                problem(key + ".name", "'" + name + "' is not inside the zone " + zone.get());
            }
            if (r.ttl() < 1) {
                problem(key + ".ttl", "must be at least 1 second, got " + r.ttl());
            }
            if (r.degradedTtl().isPresent()
                    && (r.degradedTtl().getAsInt() < 1 || r.degradedTtl().getAsInt() > r.ttl())) {
                problem(
                        key + ".degraded-ttl",
                        "must be between 1 and the ttl ("
                                + r.ttl()
                                + "), got "
                                + r.degradedTtl().getAsInt());
            }
            String type = r.type().trim().toLowerCase(Locale.ROOT);
            List<String> spanned;
            RecordKind kind;
            if (!"geo".equals(type)) {
                notGeo(key, r);
            }
            switch (type) {
                case "round-robin", "geo" -> {
                    kind = "geo".equals(type) ? RecordKind.GEO : RecordKind.ROUND_ROBIN;
                    if (r.region().isPresent()) {
                        problem(key + ".region", type + " records take 'regions', not 'region'");
                    }
                    spanned = r.regions().orElse(List.copyOf(regions.keySet()));
                    for (int j = 0; j < spanned.size(); j++) {
                        if (!config.regions().containsKey(spanned.get(j))) {
                            problem(
                                    key + ".regions[" + j + "]",
                                    "unknown region '" + spanned.get(j) + "'");
                        }
                    }
                    if (spanned.isEmpty()) {
                        problem(key + ".regions", "must name at least one region");
                    }
                    if (new HashSet<>(spanned).size() != spanned.size()) {
                        problem(key + ".regions", "lists a region twice");
                    }
                }
                case "alias" -> {
                    kind = RecordKind.ALIAS;
                    if (r.regions().isPresent()) {
                        problem(key + ".regions", "alias records take one 'region', not 'regions'");
                    }
                    if (r.region().isEmpty()) {
                        problem(key + ".region", "alias records need a primary region");
                        spanned = List.of();
                    } else if (!config.regions().containsKey(r.region().get())) {
                        problem(key + ".region", "unknown region '" + r.region().get() + "'");
                        spanned = List.of();
                    } else {
                        spanned = List.of(r.region().get());
                    }
                }
                default -> {
                    problem(
                            key + ".type",
                            "unknown record type '" + r.type() + "' (round-robin, alias, geo)");
                    continue;
                }
            }
            Optional<GeoMapping> geo =
                    kind == RecordKind.GEO ? Optional.of(geo(key, r, spanned)) : Optional.empty();
            out.add(
                    new ManagedRecord(
                            name, kind, List.copyOf(spanned), r.ttl(), r.degradedTtl(), geo));
        }
        return out;
    }

    private void notGeo(String key, RecordsConfig.Entry r) {
        if (r.count().isPresent()) {
            problem(key + ".count", "only geo records take 'count'");
        }
        if (r.mode().isPresent()) {
            problem(key + ".mode", "only geo records take 'mode'");
        }
        for (var e :
                Map.of("continents", r.continents(), "countries", r.countries(), "nets", r.nets())
                        .entrySet()) {
            if (!e.getValue().isEmpty()) {
                problem(key + "." + e.getKey(), "only geo records take '" + e.getKey() + "'");
            }
        }
    }

    private GeoMapping geo(String key, RecordsConfig.Entry r, List<String> spanned) {
        int count = r.count().orElse(1);
        if (count < 1) {
            problem(key + ".count", "must be at least 1, got " + count);
        }
        Map<String, List<String>> continents = new TreeMap<>();
        r.continents()
                .forEach(
                        (code, list) -> {
                            String c = code.trim().toUpperCase(Locale.ROOT);
                            String k = key + ".continents." + code;
                            if (!GeoMapping.CONTINENTS.contains(c)) {
                                problem(
                                        k,
                                        "unknown continent code '"
                                                + code
                                                + "' (AF, AN, AS, EU, NA, OC, SA)");
                            } else if (regionList(k, list, spanned)) {
                                continents.put(c, List.copyOf(list));
                            }
                        });
        Map<String, List<String>> countries = new TreeMap<>();
        r.countries()
                .forEach(
                        (code, list) -> {
                            String c = code.trim().toUpperCase(Locale.ROOT);
                            String k = key + ".countries." + code;
                            if (!COUNTRY.matcher(c).matches()) {
                                problem(
                                        k,
                                        "'"
                                                + code
                                                + "' is not a two-letter ISO 3166-1 country code");
                            } else if (regionList(k, list, spanned)) {
                                countries.put(c, List.copyOf(list));
                            }
                        });
        List<GeoMapping.Net> nets = new ArrayList<>();
        Set<Cidr> seen = new HashSet<>();
        new TreeMap<>(r.nets())
                .forEach(
                        (text, list) -> {
                            String k = key + ".nets." + text;
                            Optional<Cidr> net = parsed(Cidr.parse(k, text.trim()));
                            if (net.isPresent() && !seen.add(net.get())) {
                                problem(k, "the network " + net.get() + " is listed twice");
                            } else if (net.isPresent() && regionList(k, list, spanned)) {
                                nets.add(new GeoMapping.Net(net.get(), list));
                            }
                        });
        if (r.continents().isEmpty()
                && r.countries().isEmpty()
                && spanned.containsAll(GeoMapping.THREE_REGIONS.get("EU"))
                && spanned.containsAll(GeoMapping.THREE_REGIONS.get("AS"))
                && spanned.containsAll(GeoMapping.THREE_REGIONS.get("NA"))) {
            continents.putAll(GeoMapping.THREE_REGIONS);
        }
        GeoMapping.Mode mode = GeoMapping.Mode.MAP;
        List<GeoMapping.Site> sites = new ArrayList<>();
        String m = r.mode().orElse("map").trim().toLowerCase(Locale.ROOT);
        if ("distance".equals(m)) {
            mode = GeoMapping.Mode.DISTANCE;
            for (String region : spanned) {
                RegionsConfig.Region c = config.regions().get(region);
                if (c == null) {
                    continue; // unknown region: reported with the record's regions
                }
                String rk = "pharos.regions." + region;
                if (c.latitude().isEmpty() || c.longitude().isEmpty()) {
                    problem(
                            rk + (c.latitude().isEmpty() ? ".latitude" : ".longitude"),
                            "the geo record "
                                    + key
                                    + " is in distance mode: region '"
                                    + region
                                    + "' needs its latitude and longitude");
                } else {
                    sites.add(
                            new GeoMapping.Site(
                                    region,
                                    c.latitude().getAsDouble(),
                                    c.longitude().getAsDouble()));
                }
            }
        } else if (!"map".equals(m)) {
            problem(key + ".mode", "unknown geo mode '" + r.mode().get() + "' (map, distance)");
        }
        return new GeoMapping(Math.max(1, count), continents, countries, nets, mode, sites);
    }

    /** Whether a location's region list is valid: not empty, no repeats, regions of the record. */
    private boolean regionList(String key, List<String> list, List<String> spanned) {
        boolean ok = true;
        if (list.isEmpty()) {
            problem(key, "must name at least one region");
            ok = false;
        }
        if (new HashSet<>(list).size() != list.size()) {
            problem(key, "lists a region twice");
            ok = false;
        }
        for (int j = 0; j < list.size(); j++) {
            if (!spanned.contains(list.get(j))) {
                problem(
                        key + "[" + j + "]",
                        "'" + list.get(j) + "' is not one of the record's regions " + spanned);
                ok = false;
            }
        }
        return ok;
    }
}
