package dev.pharos.actuator.dns.linode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A configured TTL becomes the largest one Linode keeps that is not larger. */
class LinodeTtlTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1, 30",
        "29, 30",
        "30, 30",
        "60, 30",
        "119, 30",
        "120, 120",
        "200, 120",
        "299, 120",
        "300, 300",
        "600, 300",
        "3599, 300",
        "3600, 3600",
        "86400, 86400",
        "9999999, 2419200"
    })
    void mapsDownToAnAcceptedValue(int configured, int sent) {
        assertThat(LinodeTtl.accepted(configured)).isEqualTo(sent);
    }

    @Test
    void everyAcceptedValueMapsToItself() {
        for (int t : LinodeTtl.ACCEPTED) {
            assertThat(LinodeTtl.accepted(t)).isEqualTo(t);
        }
    }
}
