package dev.pharos.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/** The managed names: valid, unique, inside the zone, over known regions. */
final class RecordsSection extends ConfigSection {

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
            switch (type) {
                case "round-robin" -> {
                    kind = RecordKind.ROUND_ROBIN;
                    if (r.region().isPresent()) {
                        problem(
                                key + ".region",
                                "round-robin records take 'regions', not 'region'");
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
                            "unknown record type '" + r.type() + "' (round-robin, alias)");
                    continue;
                }
            }
            out.add(new ManagedRecord(name, kind, List.copyOf(spanned), r.ttl(), r.degradedTtl()));
        }
        return out;
    }
}
