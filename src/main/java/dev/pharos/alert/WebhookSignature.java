package dev.pharos.alert;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery (docs/ALERTS.md): {@code X-Pharos-Signature: v1=<hex>}, the
 * HMAC-SHA256, keyed with the receiver's secret, of the bytes {@code "<timestamp>.<body>"}, where
 * the timestamp is the {@code X-Pharos-Timestamp} header (Unix seconds at the attempt). Signing the
 * timestamp lets a receiver refuse a replayed request once it is older than its window.
 */
public final class WebhookSignature {
    public static final String TIMESTAMP = "X-Pharos-Timestamp";
    public static final String SIGNATURE = "X-Pharos-Signature";
    public static final String DELIVERY = "X-Pharos-Delivery";
    public static final String EVENT = "X-Pharos-Event";
    static final String VERSION = "v1=";

    private WebhookSignature() {}

    /** The {@code X-Pharos-Signature} value for this body at this time. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
