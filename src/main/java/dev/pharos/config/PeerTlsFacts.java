package dev.pharos.config;

/**
 * What Quarkus's HTTP server and TLS registry hold that mutual TLS between peers needs ({@code
 * pharos.api.peer-mtls}), read once at start-up by {@link ConfigProducer}.
 *
 * @param clientAuth {@code quarkus.http.ssl.client-auth} (none, request, required)
 * @param serverTls the key of the API port's TLS configuration, e.g. {@code quarkus.tls.peer}
 * @param serverTrustStore whether it has a trust store (the peers' CA)
 * @param clientTls the key of the exchange's TLS configuration ({@code
 *     pharos.quorum.tls-configuration-name})
 * @param clientKeyStore whether it has a key store (the key pair this instance presents)
 */
record PeerTlsFacts(
        String clientAuth,
        String serverTls,
        boolean serverTrustStore,
        String clientTls,
        boolean clientKeyStore) {
    /** The same with another {@code quarkus.http.ssl.client-auth}. */
    PeerTlsFacts withClientAuth(String value) {
        return new PeerTlsFacts(value, serverTls, serverTrustStore, clientTls, clientKeyStore);
    }

    /** Nothing configured: what unit tests of other settings see. */
    static final PeerTlsFacts NONE =
            new PeerTlsFacts("none", "quarkus.tls", false, "quarkus.tls", false);
}
