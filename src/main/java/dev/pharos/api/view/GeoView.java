package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/geo: the location database served and, per geo record, the current answer of every
 * location (each configured network, country and continent, then unknown) and why.
 *
 * @param database the database served here (null without one)
 * @param records one entry per geo record
 */
public record GeoView(DatabaseView database, List<RecordGeo> records) {

    /**
     * A location database: the file, its build date, its type and the SHA-256 of the file.
     *
     * @param differs the reachable vantage points whose database is another (or none; a version
     *     that predates the exchange of databases counts as none): they may send a client to
     *     another region
     */
    public record DatabaseView(
            String file, Instant built, String type, String sha256, List<String> differs) {}

    /** A geo record's answers by location. */
    public record RecordGeo(String name, List<LocationAnswer> locations) {}

    /**
     * One location of a geo record.
     *
     * @param location {@code net 198.51.100.0/24}, {@code country FR}, {@code continent EU} or
     *     {@code unknown}
     * @param list the location's own ordered list of regions (empty: none, the location is unknown)
     * @param answers by record type (A, AAAA): what a client there gets now
     */
    public record LocationAnswer(
            String location, List<String> list, Map<String, FamilyAnswer> answers) {}

    /**
     * A location's answer for one address family.
     *
     * @param candidates the walk in order: the location's list, then its first region's fallbacks
     *     (for an unknown location, the record's regions)
     * @param skipped the candidates passed over, each with why
     * @param regions the regions answered
     * @param addresses their addresses: the answer
     * @param reason why, in words
     */
    public record FamilyAnswer(
            List<String> candidates,
            List<Skip> skipped,
            List<String> regions,
            List<String> addresses,
            String reason) {}

    /** A candidate passed over: out of DNS for the family, and the region's state. */
    public record Skip(String region, String why) {}

    /**
     * GET /api/v1/geo?client=ADDR: what this client gets, and why.
     *
     * @param client the address or network asked about, as a network
     * @param source its prefix length (an address alone: 32 or 128), as a resolver's Client Subnet
     *     SOURCE PREFIX-LENGTH
     * @param location what the location database says (null without a database, or when a
     *     configured network decided first)
     * @param records per geo record: the location that decided, the scope, the answer
     */
    public record ClientView(
            String client,
            int source,
            DatabaseView database,
            DatabaseLocation location,
            List<ClientRecord> records) {}

    /**
     * What the database says about the client.
     *
     * @param prefix the database network's prefix length the client was found in (in the client's
     *     family)
     * @param latitude the network's coordinates (a City database), absent without them
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatabaseLocation(
            String continent, String country, int prefix, Double latitude, Double longitude) {}

    /**
     * One geo record's answer for the client.
     *
     * @param matched the location that decided ({@code net ...}, {@code country ..}, {@code
     *     continent ..}, {@code unknown})
     * @param why how it was matched, in words
     * @param scope the Client Subnet SCOPE PREFIX-LENGTH an answer to this client carries
     * @param answers by record type (A, AAAA)
     */
    public record ClientRecord(
            String name,
            String matched,
            String why,
            int scope,
            List<String> list,
            Map<String, FamilyAnswer> answers) {}
}
