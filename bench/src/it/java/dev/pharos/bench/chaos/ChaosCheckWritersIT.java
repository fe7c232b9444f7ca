package dev.pharos.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.bench.chaos.ChaosCheck.Accepted;
import dev.pharos.bench.chaos.ChaosCheck.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak checker's writer invariant (no two writers' terms interleaved in the external DNS) on
 * synthetic histories: no processes, no network. (In the bench source set, which runs only under
 * failsafe, hence the name.)
 */
class ChaosCheckWritersIT {

    @Test
    void termsThatOnlyGrowAreNotFlagged() {
        List<Accepted> h =
                List.of(
                        new Accepted(5, 100, 120, "vp4 apply_ok #1"),
                        new Accepted(5, 130, 131, "fence in BIND"),
                        new Accepted(5, 200, 230, "vp4 apply_ok #2"),
                        new Accepted(7, 400, 410, "fence in BIND"),
                        new Accepted(7, 405, 450, "vp5 apply_ok #9"));
        assertThat(ChaosCheck.interleavings(h)).isEmpty();
    }

    @Test
    void anEarlierTermAcceptedAfterALaterOneIsFlagged() {
        List<Accepted> h =
                List.of(
                        new Accepted(5, 100, 120, "vp4 apply_ok #1"),
                        new Accepted(7, 400, 450, "vp5 apply_ok #9"),
                        // vp4, paused through the handover, is accepted again under term 5
                        new Accepted(5, 460, 470, "vp4 apply_ok #2"),
                        new Accepted(7, 500, 510, "vp5 apply_ok #10"));
        List<Violation> v = ChaosCheck.interleavings(h);
        assertThat(v).hasSize(1);
        assertThat(v.get(0).invariant()).isEqualTo("writers");
        assertThat(v.get(0).t()).isEqualTo(460);
        assertThat(v.get(0).detail())
                .contains("term 5", "vp4 apply_ok #2", "term 7", "vp5 apply_ok #9");
    }

    @Test
    void aFenceThatGoesBackIsFlagged() {
        List<Accepted> h =
                List.of(
                        new Accepted(5, 100, 101, "fence in BIND"),
                        new Accepted(7, 300, 301, "fence in BIND"),
                        new Accepted(5, 350, 351, "fence in BIND"));
        assertThat(ChaosCheck.interleavings(h)).hasSize(1);
    }

    @Test
    void overlappingWindowsCannotBeOrderedAndAreNotFlagged() {
        // the later term's acknowledgement came after the earlier term's update was sent: the
        // server may have accepted them in either order
        List<Accepted> h =
                List.of(
                        new Accepted(7, 400, 450, "vp5 apply_ok #9"),
                        new Accepted(5, 440, 470, "vp4 apply_ok #2"));
        assertThat(ChaosCheck.interleavings(h)).isEmpty();
    }

    @Test
    void theCheckerFailsAHistoryWhoseWritersInterleave(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        String meta =
                "{\"k\":\"meta\",\"t\":1000,\"seed\":1,\"durationSeconds\":10,"
                        + "\"partitions\":false,\"detectionSeconds\":2.0,\"exchangeSeconds\":1.0,"
                        + "\"propagationSeconds\":0.0,\"exchangeInterval\":1.0,"
                        + "\"riseSeconds\":2.0,\"probeTimeoutSeconds\":1.0,\"holdDownSeconds\":5,"
                        + "\"external\":true,\"externalPropagationSeconds\":0.01,"
                        + "\"leaseTtlSeconds\":3,\"roundSeconds\":1.0,"
                        + "\"regions\":[{\"name\":\"r1\",\"address\":\"127.0.61.1\"}]}";
        String clean =
                String.join(
                        "\n",
                        meta,
                        "{\"k\":\"fence\",\"t\":1100,\"s\":1090,\"term\":5,\"serial\":2}",
                        "{\"k\":\"q\",\"t\":1200,\"ns\":4,\"s\":1190,\"rc\":\"NOERROR\",\"v\":[\"127.0.61.1\"]}",
                        "{\"k\":\"apply\",\"t\":9000,\"node\":\"vp4\",\"term\":5,\"okTerm\":5,"
                                + "\"start\":1300,\"end\":1350,\"seq\":3}",
                        "{\"k\":\"fence\",\"t\":2100,\"s\":2090,\"term\":7,\"serial\":3}",
                        "{\"k\":\"apply\",\"t\":9000,\"node\":\"vp5\",\"term\":7,\"okTerm\":7,"
                                + "\"start\":2200,\"end\":2250,\"seq\":8}");
        Files.writeString(file, clean + "\n");
        ChaosCheck.Report ok = ChaosCheck.check(file);
        assertThat(ok.violations()).isEmpty();
        ChaosCheck.Tally writers = ok.tallies().get(ok.tallies().size() - 1);
        assertThat(writers.invariant()).startsWith("writers");
        assertThat(writers.checked()).isEqualTo(4);
        assertThat(writers.worst()).contains("terms that applied: 2 ([5, 7])");

        // vp4 wakes up and its update of term 5 is accepted after term 7's
        Files.writeString(
                file,
                clean
                        + "\n{\"k\":\"apply\",\"t\":9000,\"node\":\"vp4\",\"term\":5,\"okTerm\":5,"
                        + "\"start\":2300,\"end\":2320,\"seq\":4}\n");
        ChaosCheck.Report bad = ChaosCheck.check(file);
        assertThat(bad.violations()).hasSize(1);
        assertThat(bad.violations().get(0).invariant()).isEqualTo("writers");
        assertThat(bad.violations().get(0).detail()).contains("vp4 apply_ok #4", "term 7");
        assertThat(bad.markdown("test", 0, 0, false, true)).contains("| writers |");
    }
}
