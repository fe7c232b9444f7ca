package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsNameTest {

    @Test
    void aNameIsKeptInLowerCaseWithoutTheTrailingDot() {
        assertThat(DnsName.parse("k", " CDN.Example.TEST. ").orElseThrow().text())
                .isEqualTo("cdn.example.test");
        assertThat(DnsName.normalize("Www.Example.Test.")).isEqualTo("www.example.test");
    }

    @Test
    void invalidNamesAreReportedWithTheTextAsWritten() {
        for (String bad :
                List.of(
                        "",
                        "a..b",
                        "-a.b",
                        "a b.c",
                        "a".repeat(64) + ".b",
                        "x.".repeat(127) + "x")) {
            List<String> problems = new ArrayList<>();
            assertThat(
                            DnsName.parse("pharos.dns.zone", bad)
                                    .value((k, m) -> problems.add(k + ": " + m)))
                    .as(bad)
                    .isEmpty();
            assertThat(problems)
                    .containsExactly("pharos.dns.zone: '" + bad + "' is not a valid DNS name");
        }
    }

    @Test
    void aNameIsInTheZoneAtTheApexOrBelowItOnly() {
        DnsName zone = DnsName.parse("k", "example.test").orElseThrow();
        assertThat(DnsName.parse("k", "example.test").orElseThrow().isIn(zone)).isTrue();
        assertThat(DnsName.parse("k", "cdn.example.test").orElseThrow().isIn(zone)).isTrue();
        assertThat(DnsName.parse("k", "badexample.test").orElseThrow().isIn(zone)).isFalse();
        assertThat(DnsName.parse("k", "test").orElseThrow().isIn(zone)).isFalse();
    }
}
