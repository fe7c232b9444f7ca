package dev.pharos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class LogEscapingTest {
    @Test
    void controlCharactersAreEscapedAndPlainTextIsLeftAlone() {
        assertThat(LogEscaping.escape("kernel upgrade, 2 h")).isEqualTo("kernel upgrade, 2 h");
        assertThat(
                        LogEscaping.escape(
                                "x\n12:00:00.000 INFO  [d.p.r.Pipeline] fake\r\t\u001b[31mred\u0000\u007f\u0085\u2028"))
                .isEqualTo(
                        "x\\n12:00:00.000 INFO  [d.p.r.Pipeline] fake\\r\\t\\u001b[31mred\\u0000\\u007f\\u0085\\u2028");
    }

    @Test
    void aFormattedRecordIsEscapedAfterItsParametersAreFilledIn() {
        ExtLogRecord r =
                new ExtLogRecord(Level.INFO, "region %s: %s", ExtLogRecord.FormatStyle.PRINTF, "x");
        r.setParameters(new Object[] {"europe", "drained: a\nFAKE LINE\u001b[2J"});
        assertThat(new LogEscaping().isLoggable(r)).isTrue();
        assertThat(r.getFormattedMessage())
                .isEqualTo("region europe: drained: a\\nFAKE LINE\\u001b[2J")
                .doesNotContain("\n");
    }
}
