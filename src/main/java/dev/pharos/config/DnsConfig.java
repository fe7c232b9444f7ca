package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pharos.dns}: where managed records are published; validated by {@link DnsSection}, the
 * embedded server's zone by {@link ZoneSettings}.
 */
@ConfigMapping(prefix = "pharos.dns")
public interface DnsConfig {
    /** embedded (Pharos answers DNS itself), rfc2136, linode or none. */
    @WithDefault("embedded")
    String provider();

    /** The zone that holds the managed names, e.g. cdn.example.com. */
    Optional<String> zone();

    /** Embedded server settings. */
    Embedded embedded();

    /** RFC 2136 settings. */
    Rfc2136 rfc2136();

    /** Linode Domains settings. */
    Linode linode();

    /** Authoritative servers to query after a change ("host:port"); default: the zone's NS. */
    Optional<List<String>> verifyServers();

    /** How long verification waits for every server to serve the change. */
    @WithDefault("30s")
    Duration verifyTimeout();

    /** How often external providers are re-read to catch drift, even without a change. */
    @WithDefault("30s")
    Duration resyncInterval();

    interface Embedded {
        /**
         * Location database of geo records, a MaxMind DB file; re-read when it changes (optional).
         */
        Optional<String> geoDatabase();

        /** Addresses to listen on, UDP and TCP ("127.0.9.1", "::1"). */
        @WithDefault("127.0.0.1")
        List<String> listen();

        /** DNS port (UDP and TCP). */
        @WithDefault("5353")
        int port();

        /**
         * The zone's NS names; the first is also the SOA MNAME. Default: ns1.&lt;zone&gt;, with the
         * listen addresses as its glue. A name without a dot is relative to the zone; a name in the
         * zone needs glue.
         */
        Optional<List<String>> nameservers();

        /**
         * Addresses of in-zone name servers (served as their A/AAAA records and as glue in NS
         * answers): name -> addresses.
         */
        Map<String, List<String>> glue();

        /** SOA RNAME: a name relative to the zone, a full name, or a mail address. */
        @WithDefault("hostmaster")
        String hostmaster();

        /**
         * Static records, one per entry, in zone-file syntax relative to the zone ("www 300 IN
         * CNAME cdn", "@ 300 IN TXT \"v=spf1 -all\""). They must not use a managed name.
         */
        Optional<List<String>> staticRecords();

        /** Negative-caching TTL in seconds (the SOA minimum). */
        @WithDefault("30")
        int negativeTtl();

        /** TTL in seconds of the SOA, the NS records and the glue. */
        @WithDefault("3600")
        int apexTtl();

        /** Responses per second per client network (/24, /56) before rate limiting (0 = off). */
        @WithDefault("0")
        int rateLimit();

        /**
         * Every n-th limited response is sent truncated (so real clients retry over TCP) instead of
         * dropped; 0 drops them all.
         */
        @WithDefault("2")
        int rateLimitSlip();

        /** A TCP connection with no query for this long is closed. */
        @WithDefault("10s")
        Duration tcpIdleTimeout();

        /** Open TCP connections at most; more are closed at once. */
        @WithDefault("256")
        int maxTcpConnections();
    }

    interface Rfc2136 {
        /** Primary server "host:port". */
        Optional<String> server();

        /** TSIG key name. */
        Optional<String> tsigKeyName();

        /** TSIG algorithm. */
        @WithDefault("hmac-sha256")
        String tsigAlgorithm();

        /** TSIG secret, base64 (from the environment). */
        Optional<String> tsigSecret();

        /** Timeout of one update or query. */
        @WithDefault("2s")
        Duration timeout();
    }

    interface Linode {
        /** API base URL. */
        @WithDefault("https://api.linode.com/v4")
        String baseUrl();

        /** API token (from the environment: PHAROS_DNS_LINODE_TOKEN). */
        Optional<String> token();

        /**
         * Requests per minute Pharos allows itself, for every Linode call of this instance (DNS and
         * NodeBalancers): well under Linode's limits of about 400 commands and 200 paginated GETs a
         * minute. Bursts are capped at a quarter of it.
         */
        @WithDefault("100")
        int requestsPerMinute();

        /** Connect and read timeout of one API request. */
        @WithDefault("10s")
        Duration timeout();

        /** Page size of list requests (Linode allows 25-500). */
        @WithDefault("500")
        int pageSize();
    }
}
