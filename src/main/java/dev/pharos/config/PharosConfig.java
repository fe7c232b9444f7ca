package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole Pharos configuration: one YAML file under the {@code pharos:} prefix.
 *
 * <p>This interface is only the shape of the file. {@link TopologyBuilder} validates it and turns
 * it into the plain {@link Topology} that the pipeline stages use; every problem it finds names the
 * key.
 */
@ConfigMapping(prefix = "pharos")
public interface PharosConfig {

    /** This vantage point. */
    Node node();

    /** The other vantage points. Empty: this instance decides alone. */
    List<Peer> peers();

    /** How the vantage points decide together. */
    Quorum quorum();

    /** Probe defaults for every target; each target may override any of them. */
    ProbeDefaults probe();

    /** The regions, by name. */
    Map<String, Region> regions();

    /** The DNS names Pharos manages. */
    List<RecordConfig> records();

    /** Failover policy and safety guards. */
    Policy policy();

    /** Where managed records are published. */
    Dns dns();

    /** Load balancers Pharos drives (relays). */
    @WithName("loadbalancer")
    LoadBalancerSection loadBalancer();

    /** Outbound notifications and inbound alerts. */
    Alerts alerts();

    /** The REST API. */
    Api api();

    interface Node {
        /** This vantage point's name, unique among the peers ([a-z0-9-]). */
        String name();

        /**
         * Local address probes and the peer exchange are sent from (optional; the kernel picks one
         * otherwise).
         */
        Optional<String> sourceAddress();

        /** Directory for the journal and the persisted state (overrides, verdicts). */
        @WithDefault("data")
        String dataDir();

        /**
         * Whether this instance applies changes to external actuators (Linode, RFC 2136, load
         * balancers). Exactly one instance should; the embedded DNS server is served by all.
         */
        @WithDefault("false")
        boolean actuate();
    }

    interface Peer {
        /** The peer's node name. */
        String name();

        /** Base URL of the peer's API, e.g. http://127.0.9.2:8080. */
        String url();
    }

    interface Quorum {
        /** Votes needed for a verdict. Default: a majority of ALL configured vantage points. */
        OptionalInt size();

        /** A vote older than this is not counted. */
        @WithDefault("3s")
        Duration staleAfter();

        /** Rounds with quorum needed after start before anything is changed. */
        @WithDefault("2")
        int warmupRounds();

        /** How often peers are pulled (and verdicts re-evaluated): one round. */
        @WithDefault("1s")
        Duration exchangeInterval();

        /** Timeout of one pull or push to a peer. */
        @WithDefault("500ms")
        Duration exchangeTimeout();

        /**
         * Name of the Quarkus TLS configuration ({@code quarkus.tls.<name>.*}) whose trust store
         * (and key store, for mutual TLS) is used for https peer URLs. Default: the default TLS
         * configuration ({@code quarkus.tls.*}) if there is one, else the JVM's trust store.
         */
        Optional<String> tlsConfigurationName();

        /**
         * Targets outside the CDN that every vantage point should always reach. A vantage point
         * whose canaries are all DOWN abstains instead of voting everything DOWN.
         */
        List<Canary> canaries();
    }

    interface Canary {
        /** Canary name ([a-z0-9-]). */
        String name();

        /** IP address to probe. */
        String address();

        /** Port to probe. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();
    }

    /** Probe settings with their defaults. */
    interface ProbeDefaults {
        /** http, https or tcp. */
        @WithDefault("http")
        String type();

        /** Time between probes of one target. */
        @WithDefault("1s")
        Duration interval();

        /**
         * Whole-probe timeout; must be shorter than the interval. A hanging server is detected
         * after about interval + fall x timeout, so this default is a trade between far vantage
         * points (TLS needs 3 round trips) and detection time.
         */
        @WithDefault("700ms")
        Duration timeout();

        /** TCP connect timeout; at most the whole-probe timeout. */
        @WithDefault("500ms")
        Duration connectTimeout();

        /** Delay of the next probe after a failure (rapid re-check). */
        @WithDefault("200ms")
        Duration recheck();

        /** Consecutive successes that turn a DOWN vote UP. */
        @WithDefault("3")
        int rise();

        /** Consecutive failures that turn a vote DOWN. */
        @WithDefault("2")
        int fall();

        /** HTTP method. */
        @WithDefault("GET")
        String method();

        /** HTTP path. */
        @WithDefault("/")
        String path();

        /** Host header (and default SNI). Default: the target's address. */
        Optional<String> host();

        /** TLS server name. Default: the Host header. */
        Optional<String> sni();

        /**
         * Accepted HTTP statuses, e.g. "200-399" or "200,204,301-302". Load-balancer probes of a
         * region with backends default to "100-599" (the load balancer answers at all).
         */
        Optional<String> expectStatus();

        /** A substring the first 64 KiB of the body must contain. */
        Optional<String> body();

        /** A regular expression the first 64 KiB of the body must match (find). */
        Optional<String> bodyRegex();

        /** Verify the server certificate chain and host name (https). */
        @WithDefault("true")
        boolean tlsVerify();

        /** PEM file of extra trusted CA certificates (https). */
        Optional<String> caFile();

        /** Follow same-address redirects (at most 5). */
        @WithDefault("false")
        boolean followRedirects();

        /** tcp: bytes to send after connecting (Java escapes \r \n allowed). */
        Optional<String> send();

        /** tcp: substring the answer must contain. */
        Optional<String> expect();
    }

    /** Per-target overrides of {@link ProbeDefaults}; every field optional. */
    interface ProbeOverrides {
        Optional<String> type();

        Optional<Duration> interval();

        Optional<Duration> timeout();

        Optional<Duration> connectTimeout();

        Optional<Duration> recheck();

        OptionalInt rise();

        OptionalInt fall();

        Optional<String> method();

        Optional<String> path();

        Optional<String> host();

        Optional<String> sni();

        Optional<String> expectStatus();

        Optional<String> body();

        Optional<String> bodyRegex();

        Optional<Boolean> tlsVerify();

        Optional<String> caFile();

        Optional<Boolean> followRedirects();

        Optional<String> send();

        Optional<String> expect();
    }

    interface Region {
        /** The region's load balancer (the address users reach). */
        LoadBalancer loadBalancer();

        /** The servers behind the load balancer, probed directly. */
        List<Backend> backends();

        /** The region's relay host, if it has one. */
        Optional<Relay> relay();

        /** Regions to send this region's alias and relay traffic to, in order. */
        Optional<List<String>> fallback();

        /** Backends that must be UP for the region to serve by itself. */
        @WithDefault("1")
        int minBackends();
    }

    interface LoadBalancer {
        /** Public IPv4 address. */
        Optional<String> ipv4();

        /** Public IPv6 address. */
        Optional<String> ipv6();

        /** Port probed. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();

        /**
         * The Linode NodeBalancer id of this load balancer: its nodes are read as a second opinion
         * (loadbalancer provider linode), and it is the relay's NodeBalancer unless the relay names
         * another.
         */
        Optional<Long> nodebalancerId();
    }

    interface Backend {
        /** Backend name, unique within the region ([a-z0-9-]). */
        String name();

        /** Address probed. */
        String address();

        /** Port probed. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();
    }

    interface Relay {
        /** Address of the relay's HTTP listener, probed like a backend. */
        String address();

        /** Port of the relay's HTTP listener. */
        @WithDefault("80")
        int port();

        /** Overrides of the probe defaults. */
        ProbeOverrides probe();

        /** How Pharos drives this relay (filled in by the load-balancer provider). */
        RelayControl control();
    }

    interface RelayControl {
        /** HAProxy runtime API of the relay: "unix:/path" or "tcp:host:port". */
        Optional<String> runtimeApi();

        /** Backend in the relay's HAProxy that forwards to the target region. */
        @WithDefault("forward")
        String forwardBackend();

        /** Backend in the region's load balancer HAProxy that holds the relay server. */
        Optional<String> lbRuntimeApi();

        /** Backend of the region's load balancer that the relay server belongs to. */
        @WithDefault("cdn")
        String lbBackend();

        /** Name of the relay server in that backend. */
        @WithDefault("relay")
        String lbServer();

        /** Linode NodeBalancer id of the region (default: the load balancer's nodebalancer-id). */
        Optional<Long> nodebalancerId();

        /** Linode NodeBalancer config id (port) that holds the relay node. */
        Optional<Long> nodebalancerConfigId();

        /** Linode node id of the relay. */
        Optional<Long> nodeId();
    }

    interface RecordConfig {
        /** Fully qualified name, e.g. cdn.example.com. */
        String name();

        /** round-robin (every serving region) or alias (one region, then its fallbacks). */
        String type();

        /** round-robin: the regions it spans (default: all). */
        Optional<List<String>> regions();

        /** alias: the primary region. */
        Optional<String> region();

        /** TTL in seconds. */
        @WithDefault("60")
        int ttl();

        /** TTL while any of the record's regions is not HEALTHY (optional). */
        OptionalInt degradedTtl();
    }

    interface Policy {
        /** Compute, journal and show plans, never apply them. */
        @WithDefault("false")
        boolean dryRun();

        /** Never publish fewer regions than this in a round-robin record. */
        @WithDefault("1")
        int minRegions();

        /**
         * Regions that may be removed within the window without confirmation (default: half,
         * rounded up).
         */
        OptionalInt maxRemovals();

        /** The blast-radius window. */
        @WithDefault("10m")
        Duration removalWindow();

        /** A region re-enters only after it has been serving for this long. */
        @WithDefault("60s")
        Duration holdDown();
    }

    interface Dns {
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
    }

    interface Embedded {
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

    interface LoadBalancerSection {
        /** none, haproxy or linode. */
        @WithDefault("none")
        String provider();

        /** Linode token for NodeBalancers (defaults to the DNS one). */
        Optional<String> linodeToken();

        /** Timeout of one runtime-API command. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * How often the NodeBalancers' configs and nodes are read as a second opinion (provider
         * linode). Linode's own node status lags its checks by about 90 s at their defaults.
         */
        @WithDefault("60s")
        Duration linodePollInterval();
    }

    interface Alerts {
        /** Outbound receivers. */
        List<Receiver> receivers();

        /** How notifications are delivered to every receiver. */
        Delivery delivery();

        /** Inbound Alertmanager webhooks. */
        Inbound inbound();
    }

    interface Receiver {
        /** Receiver name ([a-z0-9-]), unique; the {@code receiver} label of its metrics. */
        String name();

        /** webhook (signed JSON) or slack. */
        @WithDefault("webhook")
        String type();

        /**
         * Destination URL. A Slack webhook URL is itself a secret: give it as {@code
         * ${SLACK_WEBHOOK_URL}} and set it in the environment.
         */
        String url();

        /**
         * HMAC-SHA256 secret that signs a webhook's payload; required for webhooks. Give it from
         * the environment: {@code ${PHAROS_WEBHOOK_SECRET}} in the file, or {@code
         * PHAROS_ALERTS_RECEIVERS_<index>__SECRET}.
         */
        Optional<String> secret();

        /** Minimum severity of the events sent: info, warning or critical. */
        @WithDefault("info")
        String minSeverity();

        /**
         * Event types that open the incidents this receiver hears about (default: all); resolutions
         * follow the incidents it was told about.
         */
        Optional<List<String>> events();
    }

    interface Delivery {
        /** Timeout of one delivery attempt (connect and answer). */
        @WithDefault("5s")
        Duration timeout();

        /** Delay before the first retry; it doubles with every further failure. */
        @WithDefault("1s")
        Duration firstRetry();

        /** The longest delay between two retries. */
        @WithDefault("5m")
        Duration maxRetryDelay();

        /** A notification not delivered this long after its event is given up. */
        @WithDefault("1h")
        Duration maxAge();

        /** Notifications waiting per receiver at most; beyond it the oldest are dropped. */
        @WithDefault("1000")
        int queueSize();
    }

    interface Inbound {
        /**
         * A firing inbound alert for a target (or a region's load balancers) counts as one extra
         * DOWN vote until it resolves or expires. It never decides alone.
         */
        @WithDefault("false")
        boolean countAsVote();

        /**
         * How long a firing alert without an end time ({@code endsAt}) counts as a vote after it
         * was last received; Alertmanager's repeat interval for Pharos must be shorter.
         */
        @WithDefault("15m")
        Duration voteTtl();

        /** Largest accepted payload in bytes (at most the HTTP limit, 1 MiB). */
        @WithDefault("262144")
        int maxBytes();
    }

    interface Api {
        /** Admin token for drains and confirmations (env PHAROS_API_ADMIN_TOKEN). */
        Optional<String> adminToken();

        /**
         * Token peers use for the observation exchange (env PHAROS_API_PEER_TOKEN). Like every
         * token here it may list several, comma-separated: all are accepted, the first is sent to
         * peers (for rotation, see docs/OPERATIONS.md).
         */
        Optional<String> peerToken();

        /** Token Alertmanager uses for inbound alerts (env PHAROS_API_ALERT_TOKEN). */
        Optional<String> alertToken();

        /** If set, read-only endpoints need this token too (env PHAROS_API_READ_TOKEN). */
        Optional<String> readToken();
    }
}
