package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The embedded zone's settings: what is accepted, and the message naming the key otherwise. */
class ZoneSettingsTest {
    private static final String BASE =
            """
            pharos:
              node: {name: vp1}
              regions:
                europe: {load-balancer: {ipv4: 127.0.1.1}}
              records:
                - {name: cdn.example.test, type: round-robin}
              dns:
                zone: example.test
                embedded:
                  listen: [127.0.70.1]
            """;

    private static List<String> problems(String embeddedYaml) {
        try {
            ConfigFixtures.topology(BASE + embeddedYaml);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    private static ZoneSettings settings(String embeddedYaml) {
        return ConfigFixtures.topology(BASE + embeddedYaml).dns().embedded().orElseThrow().zone();
    }

    @Test
    void theDefaultsGiveNs1AtTheListenAddressAndAHostmasterInTheZone() {
        ZoneSettings s = settings("");
        assertThat(s.nameservers()).containsExactly(Name.fromConstantString("ns1.example.test."));
        assertThat(s.mname()).isEqualTo(Name.fromConstantString("ns1.example.test."));
        assertThat(s.rname()).isEqualTo(Name.fromConstantString("hostmaster.example.test."));
        assertThat(s.records())
                .filteredOn(r -> r.getType() == Type.A)
                .singleElement()
                .extracting(r -> r.rdataToString())
                .isEqualTo("127.0.70.1");
    }

    @Test
    void aMailAddressIsAcceptedAsHostmaster() {
        ZoneSettings s = settings("      hostmaster: dns.team@example.net\n");
        assertThat(s.rname().toString()).isEqualTo("dns\\.team.example.net.");
    }

    @Test
    void aStaticRecordMayNotUseAManagedName() {
        assertThat(
                        problems(
                                """
                                      static-records:
                                        - "www 300 IN CNAME cdn"
                                        - "cdn 300 IN TXT hello"
                                """))
                .containsExactly(
                        "pharos.dns.embedded.static-records[1]: cdn.example.test is a managed name");
    }

    @Test
    void staticRecordsThatCannotBeServedAreRejectedOneByOne() {
        assertThat(
                        problems(
                                """
                                      static-records:
                                        - "www.example.net. 300 IN A 192.0.2.1"
                                        - "@ 300 IN SOA a. b. 1 2 3 4 5"
                                        - "@ 300 IN NS ns9.example.net."
                                        - "sub 300 IN NS ns9.example.net."
                                        - "*.wild 300 IN A 192.0.2.1"
                                        - "@ 300 IN CNAME elsewhere.example.net."
                                        - "alias 300 IN CNAME www"
                                        - "alias 300 IN A 192.0.2.1"
                                        - "txt 300 IN TXT one"
                                        - "txt 600 IN TXT two"
                                        - "txt 300 IN TXT one"
                                        - "bad 300 IN A not-an-address"
                                        - "$INCLUDE /etc/passwd"
                                        - "two 300 IN A 192.0.2.1\\nthree 300 IN A 192.0.2.2"
                                """))
                .containsExactly(
                        "pharos.dns.embedded.static-records[0]: www.example.net is outside the"
                                + " zone example.test",
                        "pharos.dns.embedded.static-records[1]: the SOA is made from the embedded"
                                + " settings, not a static record",
                        "pharos.dns.embedded.static-records[2]: apex NS records come from"
                                + " pharos.dns.embedded.nameservers",
                        "pharos.dns.embedded.static-records[3]: sub.example.test: delegations (NS"
                                + " below the apex) are not supported",
                        "pharos.dns.embedded.static-records[4]: *.wild.example.test: wildcard"
                                + " names are not supported",
                        "pharos.dns.embedded.static-records[5]: the zone apex cannot be a CNAME",
                        "pharos.dns.embedded.static-records[7]: alias.example.test cannot have a"
                                + " CNAME and other records",
                        "pharos.dns.embedded.static-records[9]: TTL 600 differs from the TTL 300"
                                + " of the other txt.example.test/TXT records",
                        "pharos.dns.embedded.static-records[10]: repeats a record of"
                                + " txt.example.test/TXT given before",
                        "pharos.dns.embedded.static-records[11]: 'bad 300 IN A not-an-address'"
                                + " does not parse: Invalid address: not-an-address",
                        "pharos.dns.embedded.static-records[12]: zone-file directives ($ORIGIN,"
                                + " $TTL, $INCLUDE) are not allowed",
                        "pharos.dns.embedded.static-records[13]: holds more than one record (one"
                                + " per entry)");
    }

    @Test
    void anInZoneNameServerNeedsGlueAndGlueOnlyGoesToInZoneNameServers() {
        assertThat(
                        problems(
                                """
                                      nameservers: [ns1, ns2.example.net., ns3]
                                      glue:
                                        ns1: [127.0.70.1, "::1", "nope"]
                                        ns2.example.net: [127.0.70.2]
                                        www: [127.0.70.3]
                                        cdn: [127.0.70.4]
                                """))
                .containsExactly(
                        "pharos.dns.embedded.glue.cdn: cdn.example.test is not one of the"
                                + " nameservers",
                        "pharos.dns.embedded.glue.ns1[2]: 'nope' is not an IP address",
                        "pharos.dns.embedded.glue.ns2.example.net: ns2.example.net is outside the"
                                + " zone example.test",
                        "pharos.dns.embedded.glue.www: www.example.test is not one of the"
                                + " nameservers",
                        "pharos.dns.embedded.nameservers[2]: ns3.example.test is inside the zone"
                                + " and needs an address in pharos.dns.embedded.glue");
    }

    @Test
    void serverSettingsOutOfRangeAreRejected() {
        assertThat(
                        problems(
                                """
                                      negative-ttl: -1
                                      apex-ttl: 0
                                      rate-limit-slip: -1
                                      tcp-idle-timeout: 0s
                                      max-tcp-connections: 0
                                """))
                .containsExactlyInAnyOrder(
                        "pharos.dns.embedded.negative-ttl: must be at least 0, got -1",
                        "pharos.dns.embedded.apex-ttl: must be at least 1 second, got 0",
                        "pharos.dns.embedded.rate-limit-slip: must be at least 0",
                        "pharos.dns.embedded.tcp-idle-timeout: must be positive",
                        "pharos.dns.embedded.max-tcp-connections: must be at least 1");
    }
}
