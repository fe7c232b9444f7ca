package dev.pharos.actuator.lb.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.config.RuntimeEndpoint;
import dev.pharos.testing.Haproxy;
import dev.pharos.testing.Ports;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime-API client against a real HAProxy, over its Unix socket and over TCP. */
class HaproxyRuntimeTest {
    static Haproxy haproxy;
    static HaproxyRuntime unix;
    static HaproxyRuntime tcp;

    @BeforeAll
    static void start() throws Exception {
        int apiPort = Ports.freeTcp("127.0.40.100");
        int frontPort = Ports.freeTcp("127.0.40.1");
        haproxy =
                Haproxy.start(
                        """
                        global
                            stats socket @DIR@/admin.sock level admin
                            stats socket ipv4@127.0.40.100:%d level admin
                        defaults
                            mode http
                            timeout client 5s
                            timeout connect 1s
                            timeout server 5s
                        frontend f
                            bind 127.0.40.1:%d
                            default_backend dyn
                        backend dyn
                            balance roundrobin
                            server relay 127.0.40.2:8080 disabled
                        backend static
                            balance static-rr
                            server s1 127.0.40.3:8080
                        """
                                .formatted(apiPort, frontPort));
        unix =
                new HaproxyRuntime(
                        endpoint("unix:" + haproxy.dir().resolve("admin.sock")),
                        Duration.ofSeconds(2));
        tcp = new HaproxyRuntime(endpoint("tcp:127.0.40.100:" + apiPort), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        haproxy.close();
    }

    @Test
    void readsServerStatesOverBothTransports() throws Exception {
        ServerState s1 = unix.server("static", "s1");
        assertThat(s1.maintenance()).isFalse();
        assertThat(s1.endpoint()).isEqualTo("127.0.40.3:8080");
        assertThat(tcp.servers("static")).extracting(ServerState::name).containsExactly("s1");
    }

    @Test
    void setsStateAndAddressAndBack() throws Exception {
        assertThat(unix.server("dyn", "relay").maintenance()).isTrue();
        unix.setAddress("dyn", "relay", "127.0.40.9", 9090);
        unix.setState("dyn", "relay", "ready");
        ServerState s = tcp.server("dyn", "relay");
        assertThat(s.maintenance()).isFalse();
        assertThat(s.endpoint()).isEqualTo("127.0.40.9:9090");
        unix.setState("dyn", "relay", "maint");
        assertThat(unix.server("dyn", "relay").maintenance()).isTrue();
    }

    @Test
    void unknownServerOrBackendIsAPermanentError() {
        assertThatThrownBy(() -> unix.setState("dyn", "nope", "ready"))
                .isInstanceOf(ActuatorException.class)
                .hasMessageContaining("No such server")
                .matches(e -> !((ActuatorException) e).retryable());
        assertThatThrownBy(() -> unix.setState("nope", "relay", "ready"))
                .hasMessageContaining("No such backend");
        assertThatThrownBy(() -> unix.server("dyn", "ghost"))
                .hasMessageContaining("no server dyn/ghost");
    }

    @Test
    void aBackendWithAStaticAlgorithmRefusesAddServer() {
        assertThatThrownBy(() -> unix.addServer("static", "x", "127.0.40.5", 80, ""))
                .isInstanceOf(ActuatorException.class)
                .hasMessageContaining("dynamic load balancing");
    }

    @Test
    void addedServersStartInMaintenanceAndOnlyMaintainedServersCanBeDeleted() throws Exception {
        unix.addServer("dyn", "extra", "127.0.40.6", 80, "check");
        assertThat(unix.server("dyn", "extra").maintenance()).isTrue();
        assertThatThrownBy(() -> unix.addServer("dyn", "extra", "127.0.40.6", 80, ""))
                .hasMessageContaining("Already exists");
        unix.setState("dyn", "extra", "ready");
        assertThatThrownBy(() -> unix.deleteServer("dyn", "extra"))
                .hasMessageContaining("Only servers in maintenance mode");
        unix.setState("dyn", "extra", "maint");
        unix.deleteServer("dyn", "extra");
        assertThat(unix.servers("dyn")).extracting(ServerState::name).doesNotContain("extra");
    }

    @Test
    void anUnknownCommandIsRefusedAndAnUnreachableSocketIsRetryable() {
        assertThatThrownBy(() -> unix.execute("bogus")).hasMessageContaining("Unknown command");
        HaproxyRuntime nowhere =
                new HaproxyRuntime(endpoint("tcp:127.0.40.100:1"), Duration.ofSeconds(1));
        assertThatThrownBy(() -> nowhere.servers("dyn"))
                .isInstanceOf(ActuatorException.class)
                .matches(e -> ((ActuatorException) e).retryable());
    }

    @Test
    void namesThatCouldSmuggleACommandAreRejected() {
        assertThatThrownBy(() -> unix.setState("dyn", "relay; shutdown frontend f", "ready"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> unix.execute("show info; shutdown frontend f"))
                .isInstanceOf(ActuatorException.class);
    }

    private static RuntimeEndpoint endpoint(String text) {
        return RuntimeEndpoint.parse("runtime-api", text).orElseThrow();
    }
}
