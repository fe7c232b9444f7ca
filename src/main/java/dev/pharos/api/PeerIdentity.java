package dev.pharos.api;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Which vantage point a peer request speaks for. With {@code pharos.api.peer-mtls}, a client
 * certificate that the TLS handshake verified against the API port's trust store names the peer
 * given in its subject CN or one of its DNS SANs (exactly one configured peer, never this node);
 * otherwise, or without a certificate, the bearer token names it ({@link Tokens#peer}). The
 * certificate wins over a token: a request that presents both speaks for the certificate's peer.
 */
@Singleton
public class PeerIdentity {
    private final Tokens tokens;
    private final boolean mtls;
    private final Set<String> peers = new LinkedHashSet<>();

    @Inject
    public PeerIdentity(Tokens tokens, Topology topology) {
        this(tokens, topology.quorum().peerMtls(), topology.peers());
    }

    PeerIdentity(Tokens tokens, boolean mtls, List<PeerInfo> peerInfos) {
        this.tokens = tokens;
        this.mtls = mtls;
        peerInfos.forEach(p -> peers.add(p.name()));
    }

    /** Whether {@code pharos.api.peer-mtls} is on. */
    public boolean mtls() {
        return mtls;
    }

    /** True when some credential can name a peer: a token digest or mutual TLS with peers. */
    public boolean configured() {
        return tokens.configured(TokenKind.PEER) || (mtls && !peers.isEmpty());
    }

    /** The vantage point this request's credential names, if any. */
    public Optional<String> caller(HttpServerRequest request, String authorization) {
        Optional<String> byCertificate = mtls ? certified(request) : Optional.empty();
        return byCertificate.isPresent()
                ? byCertificate
                : tokens.peer(TokenFilter.bearer(authorization));
    }

    /** The peer a verified client certificate of this request names, if mutual TLS is on. */
    public Optional<String> certified(HttpServerRequest request) {
        if (!mtls || request == null || !request.isSSL()) {
            return Optional.empty();
        }
        SSLSession session = request.sslSession();
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x
                    ? peerNamedBy(x, peers)
                    : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // no certificate presented
        }
    }

    /**
     * The one configured peer a certificate names by its subject CN or a DNS SAN; none if it names
     * none or several (a certificate names exactly one vantage point).
     */
    static Optional<String> peerNamedBy(X509Certificate cert, Set<String> peers) {
        Set<String> named = new LinkedHashSet<>();
        for (String n : names(cert)) {
            if (peers.contains(n)) {
                named.add(n);
            }
        }
        return named.size() == 1 ? Optional.of(named.iterator().next()) : Optional.empty();
    }

    /** The subject's CN values and the DNS names of the subject alternative names. */
    static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    out.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // no usable subject: only the SANs can name the peer
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable SANs name nobody
        }
        return out;
    }
}
