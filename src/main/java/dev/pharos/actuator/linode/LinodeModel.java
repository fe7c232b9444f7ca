package dev.pharos.actuator.linode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The Linode API v4 shapes Pharos reads and writes (a subset of each object's fields; the rest is
 * ignored). Field names follow Linode's JSON.
 */
public final class LinodeModel {
    private LinodeModel() {}

    /** A list page: {@code {"data":[...],"page":1,"pages":N,"results":M}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page<T>(List<T> data, int page, int pages, int results) {
        public Page {
            data = data == null ? List.of() : List.copyOf(data);
        }
    }

    /** A Domain (a zone in Linode's DNS Manager). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Domain(long id, String domain, String type, String status) {}

    /**
     * One record row. {@code name} is relative to the domain ("cdn" for cdn.example.com; the apex
     * comes back as "" or as the domain name itself).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainRecord(
            long id,
            String type,
            String name,
            String target,
            @JsonProperty("ttl_sec") int ttlSec) {}

    /** A record row's name (relative, as Linode keeps it) and type: what a read filters on. */
    public record RecordName(String name, String type) {}

    /** The body of a record creation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewDomainRecord(
            String type, String name, String target, @JsonProperty("ttl_sec") int ttlSec) {}

    /** The body of a record update that changes only its TTL. */
    public record RecordTtl(@JsonProperty("ttl_sec") int ttlSec) {}

    /** A NodeBalancer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeBalancer(
            long id, String label, String region, String hostname, String ipv4, String ipv6) {}

    /** One port of a NodeBalancer, with its health-check settings and a count of its nodes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeBalancerConfig(
            long id,
            int port,
            String protocol,
            String check,
            @JsonProperty("check_interval") Integer checkInterval,
            @JsonProperty("check_attempts") Integer checkAttempts,
            @JsonProperty("nodes_status") NodesStatus nodesStatus) {}

    /** How many of a config's nodes Linode's own checks see UP and DOWN. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodesStatus(int up, int down) {}

    /**
     * A backend of one NodeBalancer config. {@code mode}: accept, reject, drain, backup; {@code
     * status} (read-only, lags Linode's checks): UP, DOWN, unknown.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeBalancerNode(
            long id,
            String label,
            String address,
            String mode,
            String status,
            Integer weight,
            @JsonProperty("config_id") Long configId,
            @JsonProperty("nodebalancer_id") Long nodebalancerId) {}

    /** The body of a node update that changes only its mode. */
    public record NodeMode(String mode) {}

    /** Linode's error envelope: {@code {"errors":[{"reason":"...","field":"..."}]}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorEnvelope(List<ErrorObject> errors) {}

    /** One error; {@code field} is absent when it concerns no single field. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorObject(String reason, String field) {}
}
