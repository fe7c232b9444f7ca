package dev.pharos.actuator.dns.embedded;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.dns.DnsChange;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.actuator.dns.geo.GeoDatabase;
import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import dev.pharos.observation.GeoDatabaseStamp;
import dev.pharos.observation.VantageSnapshot;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * {@code pharos.dns.provider: embedded}: Pharos answers DNS for its zone itself. The orchestrator
 * starts it with the desired records it restored (what was decided before a restart, or on a first
 * start every configured address of every managed name), served until the first apply; each apply
 * swaps in a new snapshot with a higher SOA serial, served from the next query on. With another
 * provider configured this bean does nothing.
 */
@Singleton
@Named("embedded")
public class EmbeddedDnsProvider implements DnsProvider, GeoDatabaseStamp {
    private static final Logger LOG = Logger.getLogger(EmbeddedDnsProvider.class);
    static final String SERIAL_FILE = "dns-serial";

    private final Optional<EmbeddedDnsSettings> settings;
    private Map<RecordKey, RecordSet> initial;
    private final Vertx vertx;
    private final EmbeddedDnsMetrics metrics;
    private final ZoneSerial serials;
    private final LongSupplier nanos;
    private final GeoSetup geo;
    private volatile ZoneData current;
    // restart catch-up: the server is bound but answers nothing while set
    private volatile boolean silent;
    private EmbeddedDnsServer server;
    private long geoTimer = -1;

    /** How often the location database's file is checked for a new version. */
    static final Duration GEO_RELOAD_CHECK = Duration.ofSeconds(5);

    @Inject
    public EmbeddedDnsProvider(
            Topology topology, Vertx vertx, EmbeddedDnsMetrics metrics, Clock clock) {
        this(
                topology.dns().embedded(),
                // the orchestrator hands over the restored records when it starts the server
                Map.of(),
                vertx,
                metrics,
                new ZoneSerial(clock, Optional.of(topology.dataDir().resolve(SERIAL_FILE))),
                System::nanoTime,
                new GeoSetup(
                        topology,
                        new GeoDatabase(
                                topology.dns()
                                        .embedded()
                                        .flatMap(EmbeddedDnsSettings::geoDatabase))));
    }

    /**
     * @param settings empty: another provider is configured, or no zone, and the server stays off
     * @param initial the managed RRsets to serve until the first apply, unless {@link #start(Map)}
     *     is given others
     * @param nanos time for rate limiting
     */
    public EmbeddedDnsProvider(
            Optional<EmbeddedDnsSettings> settings,
            Map<RecordKey, RecordSet> initial,
            Vertx vertx,
            EmbeddedDnsMetrics metrics,
            ZoneSerial serials,
            LongSupplier nanos) {
        this(settings, initial, vertx, metrics, serials, nanos, GeoSetup.NONE);
    }

    /**
     * @param geo the geo records and the location database (or {@link GeoSetup#NONE})
     */
    public EmbeddedDnsProvider(
            Optional<EmbeddedDnsSettings> settings,
            Map<RecordKey, RecordSet> initial,
            Vertx vertx,
            EmbeddedDnsMetrics metrics,
            ZoneSerial serials,
            LongSupplier nanos,
            GeoSetup geo) {
        this.geo = geo;
        this.settings = settings;
        this.initial = Map.copyOf(initial);
        this.vertx = vertx;
        this.metrics = metrics;
        this.serials = serials;
        this.nanos = nanos;
    }

    /** Whether this instance serves DNS: the embedded provider is chosen and there is a zone. */
    public boolean enabled() {
        return settings.isPresent();
    }

    /** Serves {@code restored} until the first apply; nothing when the server is off. */
    @Override
    public synchronized void start(Map<RecordKey, RecordSet> restored) throws ActuatorException {
        if (!enabled()) {
            LOG.debug("embedded DNS server off (another provider, or no zone)");
            return;
        }
        initial = Map.copyOf(restored);
        try {
            start();
        } catch (Exception e) {
            throw ActuatorException.permanent("embedded DNS server: " + e.getMessage(), e);
        }
    }

    /**
     * Binds like {@link #start(Map)} but answers nothing (no response at all) until {@link #speak}:
     * a resolver then asks another of the zone's name servers.
     */
    @Override
    public synchronized void startSilent(Map<RecordKey, RecordSet> restored)
            throws ActuatorException {
        silent = true;
        start(restored);
    }

    @Override
    public void speak() {
        if (silent) {
            silent = false;
            LOG.infof("embedded DNS server answers from now on (serial %d)", current.serial());
        }
    }

    /** Whether the server answers nothing yet (restart catch-up). */
    public boolean silent() {
        return silent;
    }

    /** Builds the zone and binds the sockets; not on an event-loop thread. */
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        EmbeddedDnsSettings e = settings.orElseThrow();
        if (geo.locator() instanceof GeoDatabase db && db.file().isPresent()) {
            db.load();
            db.built().ifPresent(b -> metrics.geoBuilt(b.getEpochSecond()));
            geoTimer =
                    vertx.setPeriodic(
                            GEO_RELOAD_CHECK.toMillis(),
                            id ->
                                    vertx.executeBlocking(
                                            () -> {
                                                if (db.refresh()) {
                                                    db.built()
                                                            .ifPresent(
                                                                    b ->
                                                                            metrics.geoBuilt(
                                                                                    b
                                                                                            .getEpochSecond()));
                                                }
                                                return null;
                                            },
                                            false));
        }
        ZoneData zone = ZoneData.build(e.zone(), initial, serials.first(), geo);
        publish(zone);
        ResponseRateLimiter limiter =
                new ResponseRateLimiter(e.rateLimit(), e.rateLimitSlip(), nanos);
        EmbeddedDnsServer s =
                new EmbeddedDnsServer(
                        vertx,
                        e.listen(),
                        e.port(),
                        e.tcpIdleTimeout(),
                        e.maxTcpConnections(),
                        // null: silent, nothing is answered
                        new QueryProcessor(() -> silent ? null : current, limiter, metrics));
        s.start(Duration.ofSeconds(10));
        server = s;
    }

    @Override
    public synchronized void stop() {
        if (geoTimer >= 0) {
            vertx.cancelTimer(geoTimer);
            geoTimer = -1;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** The port the server listens on (the configured one, or the one picked for port 0). */
    public synchronized int port() {
        return server == null ? settings.map(EmbeddedDnsSettings::port).orElse(0) : server.port();
    }

    /** The running server (null before start and after stop). */
    synchronized EmbeddedDnsServer server() {
        return server;
    }

    /** The location database geo records are answered from (empty without one). */
    public Optional<GeoDatabase> geoDatabase() {
        return geo.locator() instanceof GeoDatabase db && db.file().isPresent()
                ? Optional.of(db)
                : Optional.empty();
    }

    /** The location database served, as this vantage point tells its peers. */
    @Override
    public Optional<VantageSnapshot.GeoDatabase> current() {
        return geoDatabase()
                .flatMap(GeoDatabase::info)
                .map(i -> new VantageSnapshot.GeoDatabase(i.built(), i.sha256()));
    }

    /** The snapshot served now (null before start). */
    public ZoneData zone() {
        return current;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public Map<RecordKey, RecordSet> read(Set<RecordKey> owned) throws ActuatorException {
        ZoneData zone = running();
        Map<RecordKey, RecordSet> out = new HashMap<>();
        for (RecordKey k : owned) {
            RecordSet s = zone.managed().get(k);
            if (s != null) {
                out.put(k, s);
            }
        }
        return out;
    }

    /**
     * Applies the plan as one atomic swap: either every change's {@code before} still matches what
     * is served and all of them go live together under a new serial, or nothing changes.
     */
    @Override
    public synchronized void apply(DnsPlan plan) throws ActuatorException {
        ZoneData zone = running();
        Map<RecordKey, RecordSet> next = new TreeMap<>(zone.managed());
        for (DnsChange c : plan.changes()) {
            RecordSet served = zone.managed().get(c.key());
            if (!Objects.equals(served, c.before().orElse(null))) {
                throw ActuatorException.conflict(
                        c.key() + " changed since it was read (now " + served + ")");
            }
            if (c.after().isPresent()) {
                next.put(c.key(), c.after().get());
            } else {
                next.remove(c.key());
            }
        }
        replace(zone, next);
    }

    @Override
    public Optional<Set<String>> leftOutOfGeo() {
        ZoneData zone = current;
        return zone == null ? Optional.empty() : Optional.of(zone.leftOutOfGeo());
    }

    /** Passes over {@code regions} in geo answers: a new snapshot and serial if they changed. */
    @Override
    public synchronized void leaveGeo(Set<String> regions) throws ActuatorException {
        ZoneData zone = running();
        if (!zone.leftOutOfGeo().equals(regions)) {
            publish(zone.leavingGeo(regions, serials.next(zone.serial())));
        }
    }

    /** Serves exactly these managed RRsets (a new serial if anything changed). */
    public synchronized void publish(Map<RecordKey, RecordSet> managed) throws ActuatorException {
        replace(running(), new TreeMap<>(managed));
    }

    @Override
    public VerifyReport verify(DnsPlan plan, Duration timeout) {
        return VerifyReport.servedHere();
    }

    private void replace(ZoneData zone, Map<RecordKey, RecordSet> managed)
            throws ActuatorException {
        if (managed.equals(zone.managed())) {
            return;
        }
        try {
            publish(zone.with(managed, serials.next(zone.serial())));
        } catch (IllegalArgumentException e) {
            throw ActuatorException.permanent("cannot serve " + managed + ": " + e.getMessage(), e);
        }
    }

    private void publish(ZoneData zone) {
        current = zone;
        metrics.serial(zone.serial());
    }

    private ZoneData running() throws ActuatorException {
        ZoneData zone = current;
        if (zone == null) {
            throw ActuatorException.retryable("the embedded DNS server has not started", null);
        }
        return zone;
    }
}
