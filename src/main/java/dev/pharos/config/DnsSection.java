package dev.pharos.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.utils.base64;

/** The DNS provider, with what it needs: the embedded server and its zone, RFC 2136, Linode. */
final class DnsSection extends ConfigSection {
    private static final String KEY = "pharos.dns";

    DnsSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    /**
     * @param records the managed names (the embedded zone serves them; static records may not)
     * @param lbProvider the load-balancer provider, if valid: the linode one needs the Linode API
     */
    DnsSettings dns(
            List<ManagedRecord> records, Optional<LoadBalancerSettings.Provider> lbProvider) {
        DnsConfig dns = config.dns();
        Optional<DnsSettings.Provider> parsedProvider =
                choice(KEY + ".provider", DnsSettings.Provider.class, dns.provider(), "provider");
        if (parsedProvider.isEmpty()) {
            return new DnsSettings(
                    DnsSettings.Provider.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    linode(),
                    Optional.empty(),
                    dns.verifyTimeout(),
                    dns.resyncInterval());
        }
        DnsSettings.Provider provider = parsedProvider.get();
        Optional<DnsName> zone = dns.zone().flatMap(z -> parsed(DnsName.parse(KEY + ".zone", z)));
        if (provider != DnsSettings.Provider.NONE && !records.isEmpty() && dns.zone().isEmpty()) {
            problem(
                    KEY + ".zone",
                    "required when records are managed by provider " + provider.label());
        }
        Optional<EmbeddedDnsSettings> embedded = Optional.empty();
        if (provider == DnsSettings.Provider.EMBEDDED) {
            embedded = embedded(zone, records);
        }
        Optional<Rfc2136Settings> rfc2136 = Optional.empty();
        if (provider == DnsSettings.Provider.RFC2136) {
            rfc2136 = rfc2136();
        }
        if (provider == DnsSettings.Provider.LINODE && Secret.of(dns.linode().token()).isEmpty()) {
            problem(
                    KEY + ".linode.token",
                    "required for provider linode (set PHAROS_DNS_LINODE_TOKEN)");
        }
        if (provider == DnsSettings.Provider.LINODE
                || lbProvider.equals(Optional.of(LoadBalancerSettings.Provider.LINODE))) {
            validateLinodeApi(dns.linode());
        }
        return new DnsSettings(
                provider,
                zone.map(DnsName::text),
                embedded,
                rfc2136,
                linode(),
                verifyServers(),
                dns.verifyTimeout(),
                dns.resyncInterval());
    }

    private LinodeApiSettings linode() {
        DnsConfig.Linode l = config.dns().linode();
        return new LinodeApiSettings(
                l.baseUrl(),
                Secret.of(l.token()),
                l.requestsPerMinute(),
                l.timeout(),
                l.pageSize());
    }

    private Optional<EmbeddedDnsSettings> embedded(
            Optional<DnsName> zone, List<ManagedRecord> records) {
        DnsConfig.Embedded e = config.dns().embedded();
        String key = KEY + ".embedded.";
        List<InetAddress> listen = new ArrayList<>();
        for (int i = 0; i < e.listen().size(); i++) {
            Optional<InetAddress> a = IpLiterals.parseAny(e.listen().get(i));
            if (a.isEmpty()) {
                problem(
                        key + "listen[" + i + "]",
                        "'" + e.listen().get(i) + "' is not an IP address");
            }
            a.ifPresent(listen::add);
        }
        checkPort(key + "port", e.port());
        if (e.rateLimit() < 0) {
            problem(key + "rate-limit", "must be at least 0");
        }
        if (e.rateLimitSlip() < 0) {
            problem(key + "rate-limit-slip", "must be at least 0");
        }
        positive(key + "tcp-idle-timeout", e.tcpIdleTimeout());
        if (e.maxTcpConnections() < 1) {
            problem(key + "max-tcp-connections", "must be at least 1");
        }
        if (zone.isEmpty()) {
            return Optional.empty();
        }
        Set<String> managed = records.stream().map(ManagedRecord::name).collect(Collectors.toSet());
        return ZoneSettings.parse(zone.get(), e, managed, this::problem)
                .map(
                        z ->
                                new EmbeddedDnsSettings(
                                        listen,
                                        e.port(),
                                        z,
                                        e.rateLimit(),
                                        e.rateLimitSlip(),
                                        e.tcpIdleTimeout(),
                                        e.maxTcpConnections(),
                                        geoDatabase(e)));
    }

    /** The location database: a readable file (its format is checked when the server starts). */
    private Optional<java.nio.file.Path> geoDatabase(DnsConfig.Embedded e) {
        if (e.geoDatabase().isEmpty()) {
            return Optional.empty();
        }
        java.nio.file.Path p = java.nio.file.Path.of(e.geoDatabase().get());
        if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
            problem(KEY + ".embedded.geo-database", "no readable file at " + p);
            return Optional.empty();
        }
        return Optional.of(p);
    }

    private Optional<Rfc2136Settings> rfc2136() {
        DnsConfig.Rfc2136 r = config.dns().rfc2136();
        String key = KEY + ".rfc2136.";
        Optional<InetSocketAddress> server = Optional.empty();
        if (r.server().isEmpty()) {
            problem(key + "server", "required for provider rfc2136");
        } else {
            server =
                    parsed(HostPort.parse(key + "server", r.server().get()))
                            .map(HostPort::socketAddress);
        }
        if (r.tsigKeyName().isPresent() != r.tsigSecret().isPresent()) {
            problem(
                    key + "tsig-secret",
                    "tsig-key-name and tsig-secret go together (set PHAROS_DNS_RFC2136_TSIG_SECRET)");
        }
        Optional<TsigAlgorithm> algorithm =
                choice(key + "tsig-algorithm", TsigAlgorithm.class, r.tsigAlgorithm(), "algorithm");
        if (r.tsigKeyName().isPresent()) {
            try {
                Name.fromString(r.tsigKeyName().get(), Name.root);
            } catch (TextParseException e) {
                problem(
                        key + "tsig-key-name",
                        "'" + r.tsigKeyName().get() + "' is not a valid key name");
            }
        }
        if (r.tsigSecret().isPresent() && base64.fromString(r.tsigSecret().get()) == null) {
            // never the secret itself in the message
            problem(key + "tsig-secret", "is not base64");
        }
        Optional<Rfc2136Settings.Tsig> tsig =
                r.tsigKeyName().isPresent() && r.tsigSecret().isPresent() && algorithm.isPresent()
                        ? Optional.of(
                                new Rfc2136Settings.Tsig(
                                        r.tsigKeyName().get(),
                                        algorithm.get(),
                                        new Secret(r.tsigSecret().get())))
                        : Optional.empty();
        return server.map(s -> new Rfc2136Settings(s, tsig, r.timeout()));
    }

    private void validateLinodeApi(DnsConfig.Linode l) {
        String key = KEY + ".linode.";
        try {
            URI u = new URI(l.baseUrl());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    || u.getHost() == null) {
                problem(key + "base-url", "'" + l.baseUrl() + "' is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            problem(key + "base-url", "'" + l.baseUrl() + "' is not an http(s) URL");
        }
        if (l.requestsPerMinute() < 1 || l.requestsPerMinute() > 200) {
            problem(
                    key + "requests-per-minute",
                    "must be between 1 and 200 (Linode allows about 200 paginated GETs a"
                            + " minute), got "
                            + l.requestsPerMinute());
        }
        if (l.pageSize() < 25 || l.pageSize() > 500) {
            problem(
                    key + "page-size",
                    "must be between 25 and 500 (Linode's limits), got " + l.pageSize());
        }
        positive(key + "timeout", l.timeout());
    }

    private Optional<List<InetSocketAddress>> verifyServers() {
        Optional<List<String>> texts = config.dns().verifyServers();
        if (texts.isEmpty()) {
            return Optional.empty();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < texts.get().size(); i++) {
            parsed(HostPort.parse(KEY + ".verify-servers[" + i + "]", texts.get().get(i)))
                    .ifPresent(a -> out.add(a.socketAddress()));
        }
        return Optional.of(out);
    }
}
