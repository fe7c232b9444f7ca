package dev.pharos.actuator.dns.embedded;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.actuator.dns.embedded.DnsTools.Answer;
import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Issue 18's failover, end to end with real processes: three regions behind real HAProxy load
 * balancers on loopback, Pharos probing them and answering a geo name from its embedded server.
 * Europe's HAProxy is stopped: its continent's clients (asked with EDNS Client Subnet through
 * dnsjava and {@code dig +subnet}) move to the next region of europe's list (americas) within the
 * record's usual failover time as the status gives it (detection + exchange + propagation: the
 * resolvers' TTL does not apply when asking the server itself), while the other continents keep
 * their own region. Started again, europe gets its clients back, not before the configured
 * hold-down (short here) and soon after it.
 */
@QuarkusTest
@QuarkusTestResource(value = GeoHaproxyRegionsResource.class, restrictToAnnotatedClass = true)
class GeoFailoverTest {
    private static final Pattern ECS = Pattern.compile("CLIENT-SUBNET: (\\S+)");

    /** Added to every bound: the machine is shared and loaded; the bounds catch a broken path. */
    private static final Duration SLACK = Duration.ofSeconds(20);

    private static final String FRANCE = "203.0.113.0/24";
    private static final String JAPAN = "192.0.2.0/24";
    private static final String US = "2001:db8:200::/48";

    @Inject Journal journal;

    /** The client's A answer through dnsjava, with the scope the server gave back. */
    private record Located(Set<String> addresses, int scope) {}

    private static Located dnsjava(String subnet) throws Exception {
        int slash = subnet.indexOf('/');
        ClientSubnetOption ecs =
                new ClientSubnetOption(
                        Integer.parseInt(subnet.substring(slash + 1)),
                        InetAddress.getByName(subnet.substring(0, slash)));
        Message q =
                Message.newQuery(
                        Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ecs)), Section.ADDITIONAL);
        SimpleResolver r =
                new SimpleResolver(
                        new InetSocketAddress(
                                GeoHaproxyRegionsResource.DNS_IP,
                                GeoHaproxyRegionsResource.dnsPort));
        r.setTimeout(Duration.ofSeconds(5));
        Message m = r.send(q);
        assertThat(m.getRcode()).as(subnet).isEqualTo(Rcode.NOERROR);
        Set<String> out = new TreeSet<>();
        for (Record a : m.getSection(Section.ANSWER)) {
            out.add(((ARecord) a).getAddress().getHostAddress());
        }
        List<EDNSOption> o = m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
        return new Located(out, ((ClientSubnetOption) o.get(0)).getScopePrefixLength());
    }

    private static Set<String> region(String name) {
        return Set.of(GeoHaproxyRegionsResource.address(name));
    }

    private static Answer dig(String subnet) throws Exception {
        return DnsTools.ask(
                Tool.DIG,
                GeoHaproxyRegionsResource.DNS_IP,
                GeoHaproxyRegionsResource.dnsPort,
                "www.example.test",
                "A",
                "+subnet=" + subnet);
    }

    private static String subnet(Answer a) {
        Matcher m = ECS.matcher(a.raw());
        return m.find() ? m.group(1) : null;
    }

    /** The usual failover time of {@code www} when asking its server: all but the TTL. */
    private static Duration usualFailover() {
        JsonPath status = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
        Map<String, Object> w =
                status.getMap("records.find { it.name == 'www.example.test' }.worstCaseFailover");
        double seconds =
                ((Number) w.get("detectionSeconds")).doubleValue()
                        + ((Number) w.get("exchangeSeconds")).doubleValue()
                        + ((Number) w.get("propagationSeconds")).doubleValue();
        assertThat(seconds).isPositive();
        return Duration.ofMillis((long) (seconds * 1000));
    }

    @Test
    void aDeadRegionsClientsMoveToTheNextRegionOfTheirListAndBackAfterHoldDown() throws Exception {
        DnsTools.require(Tool.DIG);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> dnsjava(FRANCE).addresses().equals(region("europe")));
        assertThat(dnsjava(JAPAN).addresses()).isEqualTo(region("apac"));
        assertThat(dnsjava(US).addresses()).isEqualTo(region("americas"));
        assertThat(dnsjava(FRANCE).scope()).isEqualTo(24);
        assertThat(dig(FRANCE).data("ANSWER")).containsExactly("127.0.131.1");
        Duration usual = usualFailover();

        // europe's load balancer dies
        long restarting = 0;
        long killed = System.nanoTime();
        GeoHaproxyRegionsResource.kill("europe");
        Duration moved;
        try {
            await().atMost(usual.plus(SLACK).plusSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> dnsjava(FRANCE).addresses().equals(region("americas")));
            moved = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(moved)
                    .as("moved within the usual failover time " + usual + " (+ slack)")
                    .isLessThanOrEqualTo(usual.plus(SLACK));
            Located fr = dnsjava(FRANCE);
            assertThat(fr.scope()).isEqualTo(24);
            Answer viaDig = dig(FRANCE);
            assertThat(viaDig.data("ANSWER")).as(viaDig.raw()).containsExactly("127.0.133.1");
            assertThat(subnet(viaDig)).isEqualTo("203.0.113.0/24/24");
            // the other continents keep their own region
            assertThat(dnsjava(JAPAN).addresses()).isEqualTo(region("apac"));
            assertThat(dnsjava(US).addresses()).isEqualTo(region("americas"));
            assertThat(dig(JAPAN).data("ANSWER")).containsExactly("127.0.132.1");
        } finally {
            // europe comes back. The hold-down starts when Pharos sees it up, which is after
            // restart() is called and may be before it returns (it waits for HAProxy to listen):
            // "not before" is measured from the call, "soon after" from the return, so that
            // neither bound counts the time restart() takes in the test's favour.
            restarting = System.nanoTime();
            GeoHaproxyRegionsResource.restart("europe");
        }
        long restarted = System.nanoTime();
        Duration holdDown = Duration.ofSeconds(GeoHaproxyRegionsResource.HOLD_DOWN_SECONDS);
        await().atMost(holdDown.plus(usual).plus(SLACK).plusSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> dnsjava(FRANCE).addresses().equals(region("europe")));
        long seenBack = System.nanoTime();
        Duration sinceCall = Duration.ofNanos(seenBack - restarting);
        Duration back = Duration.ofNanos(seenBack - restarted);
        assertThat(sinceCall)
                .as("not before the hold-down (from the restart's start)")
                .isGreaterThanOrEqualTo(holdDown);
        assertThat(back)
                .as("soon after the hold-down (from the restart's end; detection included)")
                .isLessThanOrEqualTo(holdDown.plus(usual).plus(SLACK));
        assertThat(dig(FRANCE).data("ANSWER")).containsExactly("127.0.131.1");
        assertThat(dnsjava(JAPAN).addresses()).isEqualTo(region("apac"));
        System.out.printf(
                "GeoFailoverTest: usual failover %d ms, moved after %d ms; hold-down %d ms, back"
                        + " after %d ms (%d ms from the restart's start)%n",
                usual.toMillis(),
                moved.toMillis(),
                holdDown.toMillis(),
                back.toMillis(),
                sinceCall.toMillis());
        // the hold-down is what kept europe out meanwhile: the journal says so
        List<JournalEvent> held =
                journal.since(
                        e ->
                                e.type() == EventType.GUARD_FIRED
                                        && "hold-down".equals(e.data().get("guard"))
                                        && "europe".equals(e.data().get("region")),
                        0,
                        10_000);
        assertThat(held).isNotEmpty();
    }
}
