package dev.pharos.config;

import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/** The TSIG algorithms RFC 2136 updates can be signed with ({@code pharos.dns.rfc2136}). */
public enum TsigAlgorithm {
    HMAC_SHA1(TSIG.HMAC_SHA1),
    HMAC_SHA256(TSIG.HMAC_SHA256),
    HMAC_SHA384(TSIG.HMAC_SHA384),
    HMAC_SHA512(TSIG.HMAC_SHA512);

    private final Name dnsName;

    TsigAlgorithm(Name dnsName) {
        this.dnsName = dnsName;
    }

    /** The algorithm's name in a TSIG record. */
    public Name dnsName() {
        return dnsName;
    }

    /** "hmac-sha256". */
    public String label() {
        return Labels.of(this);
    }

    public static Optional<TsigAlgorithm> parse(String text) {
        return Labels.parse(TsigAlgorithm.class, text);
    }
}
