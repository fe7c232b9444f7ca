package dev.pharos.actuator.linode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.linode.LinodeModel.Domain;
import dev.pharos.actuator.linode.LinodeModel.DomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NewDomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancer;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerConfig;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerNode;
import dev.pharos.actuator.linode.LinodeModel.NodeMode;
import dev.pharos.actuator.linode.LinodeModel.RecordName;
import dev.pharos.actuator.linode.LinodeModel.RecordTtl;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The Linode API v4 client Pharos uses: the package-private REST client behind it, plus
 *
 * <ul>
 *   <li>the bearer token, added by a request filter and never logged, returned or put in a message;
 *   <li>the token's {@link TokenGate}: a 429 seen by any client of the token in this process holds
 *       back every request on it until Retry-After has passed; a wait within {@link
 *       Settings#maxRetryAfter} is slept, a longer one fails retryably without sending;
 *   <li>the {@link RateBudget}: every request takes a token; when the bucket is empty the call
 *       waits (at most {@link Settings#maxBudgetWait}) or fails retryably;
 *   <li>retries: 5xx, timeouts and broken connections back off exponentially for a few attempts,
 *       then fail retryably; 400, 401, 403 and 404 fail permanently at once, with Linode's reasons,
 *       except a 404 on a record write (the row is gone: a re-read fixes that, so it is a
 *       conflict);
 *   <li>lists read whole and consistent ({@link Requests#all}), record lists filtered by name and
 *       type with Linode's {@code X-Filter} header so that a read asks for the managed rows only;
 *   <li>{@link LinodeMetrics} for every request.
 * </ul>
 *
 * <p>A record creation is not idempotent: when its answer is lost (5xx, timeout, dropped
 * connection) the row may exist, or appear later, so it is not repeated here: it fails retryably
 * with {@link LinodeApiException#maybeApplied()}, and the DNS provider settles it before it ever
 * makes that row again. Only a refused connection (nothing was sent) or a 429 (rejected
 * unprocessed) is retried.
 */
public class LinodeClient {
    private static final Logger LOG = Logger.getLogger(LinodeClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the client behaves.
     *
     * @param timeout connect and read timeout of one request
     * @param pageSize list page size, 25-500
     * @param attempts tries of one request before a retryable failure
     * @param firstBackoff the wait after the first 5xx or broken connection, doubling after that
     * @param maxRetryAfter the longest pause of the token (after a 429) waited out; a longer one
     *     fails retryably without sending, and so does every request on the token until it ends
     * @param maxBudgetWait the longest wait for the request budget; longer fails retryably
     */
    public record Settings(
            Duration timeout,
            int pageSize,
            int attempts,
            Duration firstBackoff,
            Duration maxRetryAfter,
            Duration maxBudgetWait) {

        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(10),
                    500,
                    4,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(10));
        }

        public Settings withTimeout(Duration t) {
            return new Settings(t, pageSize, attempts, firstBackoff, maxRetryAfter, maxBudgetWait);
        }

        public Settings withPageSize(int size) {
            return new Settings(
                    timeout, size, attempts, firstBackoff, maxRetryAfter, maxBudgetWait);
        }
    }

    private final LinodeApi api;
    private final Requests requests;
    private final String baseUrl;
    private final LinodeMetrics metrics;
    private final int pageSize;

    LinodeClient(
            LinodeApi api, String baseUrl, Requests requests, LinodeMetrics metrics, int pageSize) {
        this.api = api;
        this.baseUrl = baseUrl;
        this.requests = requests;
        this.metrics = metrics;
        this.pageSize = pageSize;
    }

    /** A client whose metrics stay in a registry of their own (tests, tools). */
    public static LinodeClient create(
            String baseUrl, String token, RateBudget budget, Sleeper sleeper, Settings settings) {
        return create(baseUrl, token, budget, sleeper, settings, LinodeMetrics.unregistered());
    }

    /**
     * Builds a client for {@code baseUrl} (https://api.linode.com/v4, or an emulator's) with the
     * given token. Needs a running Quarkus application (the REST client is generated at build
     * time).
     */
    public static LinodeClient create(
            String baseUrl,
            String token,
            RateBudget budget,
            Sleeper sleeper,
            Settings settings,
            LinodeMetrics metrics) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        LinodeApi api =
                QuarkusRestClientBuilder.newBuilder()
                        .baseUri(URI.create(base))
                        .connectTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        // if an operator turns on REST client logging, the token stays masked
                        .loggingMaskedHeaders(Set.of("authorization"))
                        .register(new Bearer(token))
                        .register(new LinodeHttpError.Mapper())
                        .build(LinodeApi.class);
        Requests requests =
                new Requests(budget, TokenGate.of(base, token), sleeper, settings, metrics);
        return new LinodeClient(api, base, requests, metrics, settings.pageSize());
    }

    /** Adds the token; holds it so nothing else has to. */
    private static final class Bearer implements ClientRequestFilter {
        private final String header;

        Bearer(String token) {
            this.header = "Bearer " + token;
        }

        @Override
        public void filter(ClientRequestContext request) {
            request.getHeaders().putSingle("Authorization", header);
        }

        @Override
        public String toString() {
            return "Bearer(****)";
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The metrics this client counts in (the DNS provider and the watch add theirs). */
    public LinodeMetrics metrics() {
        return metrics;
    }

    // --- Domains

    /**
     * The Domain named {@code name} (case-insensitive): asked for by name; if Linode's filter does
     * not find it (a Domain kept in other letter case), every page is read.
     */
    public Optional<Domain> domain(String name) throws ActuatorException {
        String want = name.toLowerCase(Locale.ROOT);
        String filter = json(Map.of("domain", want));
        for (String f : new String[] {filter, null}) {
            List<Domain> found =
                    requests.all(
                            Endpoint.LIST_DOMAINS,
                            f == null ? "list domains" : "find domain " + want,
                            page -> api.domains(page, size(), f));
            for (Domain d : found) {
                if (d.domain() != null && d.domain().toLowerCase(Locale.ROOT).equals(want)) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    /** Every record row of a Domain, all pages. */
    public List<DomainRecord> records(long domainId) throws ActuatorException {
        return requests.all(
                Endpoint.LIST_RECORDS,
                "list records of domain " + domainId,
                page -> api.records(domainId, page, size(), null));
    }

    /**
     * The record rows of a Domain with one of these names and types, asked for with Linode's {@code
     * X-Filter}: one page for a few names however large the Domain, and no row of them can slip
     * between two pages when other rows are deleted meanwhile.
     */
    public List<DomainRecord> records(long domainId, Collection<RecordName> names)
            throws ActuatorException {
        if (names.isEmpty()) {
            return List.of();
        }
        List<Map<String, String>> any = new ArrayList<>();
        for (RecordName n : new LinkedHashSet<>(names)) {
            Map<String, String> one = new LinkedHashMap<>();
            one.put("name", n.name());
            one.put("type", n.type());
            any.add(one);
        }
        String filter = json(any.size() == 1 ? any.get(0) : Map.of("+or", any));
        return requests.all(
                Endpoint.LIST_RECORDS,
                "list records " + names(names) + " of domain " + domainId,
                page -> api.records(domainId, page, size(), filter));
    }

    /**
     * Creates one record row. Not repeated when its answer is lost (see the class comment); a 404
     * (the Domain is gone) is a conflict: the next read looks the Domain up again.
     */
    public DomainRecord createRecord(long domainId, NewDomainRecord record)
            throws ActuatorException {
        String what = "create " + record.type() + " " + record.name() + " " + record.target();
        return goneIsConflict(
                what,
                () ->
                        requests.call(
                                Endpoint.CREATE_RECORD,
                                what,
                                Requests.Kind.CREATE,
                                () -> api.createRecord(domainId, record)));
    }

    /**
     * Changes one record row's TTL. A 404 (someone deleted the row since it was read) is a
     * conflict: a re-read and a new plan fix it.
     */
    public DomainRecord updateRecordTtl(long domainId, long recordId, int ttl)
            throws ActuatorException {
        String what = "set the TTL of record " + recordId + " to " + ttl;
        return goneIsConflict(
                what,
                () ->
                        requests.call(
                                Endpoint.UPDATE_RECORD,
                                what,
                                Requests.Kind.IDEMPOTENT,
                                () -> api.updateRecord(domainId, recordId, new RecordTtl(ttl))));
    }

    /**
     * Deletes one record row; a row that is already gone (404) counts as deleted, so a repeat after
     * a lost answer, or someone else's deletion, is harmless.
     *
     * @return false if it was already gone
     */
    public boolean deleteRecord(long domainId, long recordId) throws ActuatorException {
        try {
            requests.call(
                    Endpoint.DELETE_RECORD,
                    "delete record " + recordId,
                    Requests.Kind.IDEMPOTENT,
                    () -> {
                        api.deleteRecord(domainId, recordId);
                        return null;
                    });
            return true;
        } catch (LinodeApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    // --- NodeBalancers

    public NodeBalancer nodeBalancer(long id) throws ActuatorException {
        return requests.call(
                Endpoint.GET_NODEBALANCER,
                "read NodeBalancer " + id,
                Requests.Kind.IDEMPOTENT,
                () -> api.nodeBalancer(id));
    }

    public List<NodeBalancerConfig> configs(long nodeBalancerId) throws ActuatorException {
        return requests.all(
                Endpoint.LIST_CONFIGS,
                "list configs of NodeBalancer " + nodeBalancerId,
                page -> api.configs(nodeBalancerId, page, size()));
    }

    public List<NodeBalancerNode> nodes(long nodeBalancerId, long configId)
            throws ActuatorException {
        return requests.all(
                Endpoint.LIST_NODES,
                "list nodes of NodeBalancer " + nodeBalancerId + " config " + configId,
                page -> api.nodes(nodeBalancerId, configId, page, size()));
    }

    public NodeBalancerNode node(long nodeBalancerId, long configId, long nodeId)
            throws ActuatorException {
        return requests.call(
                Endpoint.GET_NODE,
                "read node " + nodeId + " of NodeBalancer " + nodeBalancerId,
                Requests.Kind.IDEMPOTENT,
                () -> api.node(nodeBalancerId, configId, nodeId));
    }

    /** Sets a node's mode (accept, reject, drain, backup). */
    public NodeBalancerNode setNodeMode(
            long nodeBalancerId, long configId, long nodeId, String mode) throws ActuatorException {
        return requests.call(
                Endpoint.UPDATE_NODE,
                "set node " + nodeId + " of NodeBalancer " + nodeBalancerId + " to " + mode,
                Requests.Kind.IDEMPOTENT,
                () -> api.updateNode(nodeBalancerId, configId, nodeId, new NodeMode(mode)));
    }

    // --- helpers

    private int size() {
        return pageSize;
    }

    /** A call that may fail with Linode's answer. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws ActuatorException;
    }

    /** A 404 on a record write means the row (or Domain) is gone: re-read, do not stop. */
    private static <T> T goneIsConflict(String what, Call<T> call) throws ActuatorException {
        try {
            return call.run();
        } catch (LinodeApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            LOG.debugf("%s: 404, gone since it was read", what);
            throw new LinodeApiException(
                    what + ": Linode answered 404: it is gone since it was read; reading again",
                    ActuatorException.Kind.CONFLICT,
                    404);
        }
    }

    private static String names(Collection<RecordName> names) {
        StringBuilder s = new StringBuilder();
        for (RecordName n : names) {
            s.append(s.length() == 0 ? "" : ", ").append(n.name()).append('/').append(n.type());
        }
        return s.toString();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
