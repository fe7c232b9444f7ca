package dev.pharos.api.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/cli/pharos against a running instance with a read and an admin token. */
@QuarkusTest
@QuarkusTestResource(value = ConsoleResource.class, restrictToAnnotatedClass = true)
class CliTest {
    static final Path CLI = Path.of("deploy/cli/pharos");

    @TestHTTPResource("/")
    URL root;

    record Run(int exit, String out, String err) {}

    Run pharos(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", CLI.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("PHAROS_READ_TOKEN");
        pb.environment().remove("PHAROS_ADMIN_TOKEN");
        pb.environment().put("PHAROS_URL", root.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Run r = new Run(p.exitValue(), out, err);
        // no token is ever printed
        assertThat(out + err)
                .doesNotContain(ConsoleResource.READ)
                .doesNotContain(ConsoleResource.ADMIN);
        return r;
    }

    static final Map<String, String> READ = Map.of("PHAROS_READ_TOKEN", ConsoleResource.READ);
    static final Map<String, String> BOTH =
            Map.of(
                    "PHAROS_READ_TOKEN",
                    ConsoleResource.READ,
                    "PHAROS_ADMIN_TOKEN",
                    ConsoleResource.ADMIN);

    String state(String region) {
        return given().auth()
                .oauth2(ConsoleResource.READ)
                .get("/api/v1/regions/" + region)
                .then()
                .extract()
                .path("state");
    }

    @Test
    void viewsAndActionsFromTheTerminal() throws Exception {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "HEALTHY".equals(state("europe")) && "HEALTHY".equals(state("apac")));

        // views: a table by default, the API's JSON with --json; the read token is needed
        Run refused = pharos(Map.of(), "regions");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 401");
        Run regions = pharos(READ, "regions");
        assertThat(regions.exit()).as(regions.err()).isZero();
        assertThat(regions.out()).startsWith("REGION").containsPattern("europe\\s+HEALTHY");
        JsonNode json = new ObjectMapper().readTree(pharos(READ, "regions", "--json").out());
        assertThat(json.get("regions").size()).isEqualTo(3);
        Run status = pharos(READ, "status");
        assertThat(status.out()).contains("vp-console").contains("cdn.example.test/A");

        // actions need the admin token
        Run noAdmin = pharos(READ, "drain", "apac", "-m", "disk swap");
        assertThat(noAdmin.exit()).isEqualTo(2);
        assertThat(noAdmin.err()).contains("PHAROS_ADMIN_TOKEN");
        Run drain = pharos(BOTH, "drain", "apac", "-m", "disk swap", "-f", "30m");
        assertThat(drain.exit()).as(drain.err()).isZero();
        assertThat(drain.out()).startsWith("drained apac until");
        await().atMost(Duration.ofSeconds(10)).until(() -> "DRAINED".equals(state("apac")));
        assertThat(pharos(READ, "events", "-r", "apac", "-n", "5").out())
                .contains("DRAIN_SET")
                .contains("disk swap");
        Run undrain = pharos(BOTH, "undrain", "apac");
        assertThat(undrain.out()).startsWith("undrained apac");
        Run again = pharos(BOTH, "undrain", "apac");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 404").contains("not drained");

        String start =
                Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        Run schedule =
                pharos(BOTH, "maintenance", "americas", "-m", "rack move", "-s", start, "-f", "1h");
        assertThat(schedule.exit()).as(schedule.err()).isZero();
        assertThat(schedule.out()).contains("for americas from " + start);
        assertThat(pharos(READ, "maintenance").out()).containsPattern("americas\\s+scheduled");

        Run confirm = pharos(BOTH, "confirm", "europe");
        assertThat(confirm.exit()).isEqualTo(1);
        assertThat(confirm.err()).contains("HTTP 409");
        Run resume = pharos(BOTH, "resume", "no-such-actuator");
        assertThat(resume.exit()).isEqualTo(1);
        assertThat(resume.err()).contains("HTTP 404").contains("embedded-dns");
    }
}
