package dev.pharos.actuator.dns;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What verifying one change found, per authoritative server: each is asked on its own, so an
 * unreachable one never delays the others' results.
 *
 * @param servers every server asked; empty when the provider serves the change itself
 */
public record VerifyReport(List<Server> servers) {

    /**
     * One server's result.
     *
     * @param servedAfterMs how long after the start it served the whole change; null if it did not
     * @param problem why it did not (its last answer or error); null if it did
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Server(String server, Long servedAfterMs, String problem) {
        public static Server served(String server, Duration after) {
            return new Server(server, after.toMillis(), null);
        }

        public static Server notServed(String server, String problem) {
            return new Server(server, null, problem);
        }

        public boolean served() {
            return servedAfterMs != null;
        }

        @Override
        public String toString() {
            return served()
                    ? server + " served it after " + servedAfterMs + " ms"
                    : server + " did not serve it: " + problem;
        }
    }

    public VerifyReport {
        servers = List.copyOf(servers);
    }

    /** The provider serves the change itself (embedded, in-memory): nothing to wait for. */
    public static VerifyReport servedHere() {
        return new VerifyReport(List.of());
    }

    public boolean complete() {
        return servers.stream().allMatch(Server::served);
    }

    /** Until the last server served it; zero if none was asked. */
    public Duration took() {
        return Duration.ofMillis(
                servers.stream()
                        .filter(Server::served)
                        .mapToLong(Server::servedAfterMs)
                        .max()
                        .orElse(0));
    }

    /** The servers that did not serve it, in words. */
    public String pending() {
        return servers.stream()
                .filter(s -> !s.served())
                .map(Server::toString)
                .collect(Collectors.joining("; "));
    }
}
