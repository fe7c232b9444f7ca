package dev.pharos.probe;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/** A throw-away CA and server certificates, generated at test time with BouncyCastle. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key and chain, ready to serve. */
    public record Issued(X509Certificate certificate, KeyPair keys, X509Certificate issuer) {
        public SSLContext serverContext() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] pw = "test".toCharArray();
            store.setKeyEntry(
                    "server", keys.getPrivate(), pw, new Certificate[] {certificate, issuer});
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }

        /** Writes the certificate (then its issuer) and the PKCS#8 key as PEM files. */
        public void writePem(Path certFile, Path keyFile) throws Exception {
            Files.writeString(
                    certFile,
                    pem("CERTIFICATE", certificate.getEncoded())
                            + pem("CERTIFICATE", issuer.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private final KeyPair caKeys;
    private final X509Certificate ca;

    public TestPki(String caName) throws Exception {
        caKeys = keyPair();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = new X500Name("CN=" + caName);
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        name,
                        serial(),
                        Date.from(now.minus(1, ChronoUnit.DAYS)),
                        Date.from(now.plus(30, ChronoUnit.DAYS)),
                        name,
                        caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = sign(b);
    }

    public X509Certificate ca() {
        return ca;
    }

    /** Writes the CA certificate as PEM. */
    public Path writeCaPem(Path file) throws Exception {
        String pem =
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(ca.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(file, pem);
    }

    /**
     * A server certificate for the given DNS names and IP addresses.
     *
     * @param notAfter expiry (truncated to seconds, as X.509 stores it)
     */
    public Issued issue(Instant notBefore, Instant notAfter, String... names) throws Exception {
        KeyPair keys = keyPair();
        List<GeneralName> san = new ArrayList<>();
        for (String n : names) {
            san.add(
                    Character.isDigit(n.charAt(0))
                            ? new GeneralName(GeneralName.iPAddress, n)
                            : new GeneralName(GeneralName.dNSName, n));
        }
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        ca,
                        serial(),
                        Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
                        Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)),
                        new X500Name("CN=" + names[0]),
                        keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(san.toArray(GeneralName[]::new)));
        b.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new Issued(sign(b), keys, ca);
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(caKeys)));
    }

    /**
     * A hand-made signer: bcpkix's JcaContentSignerBuilder needs a bcprov as new as itself, and the
     * Quarkus BOM pins bcprov/bcutil to an older release than the bcpkix the pom asks for.
     */
    private static ContentSigner signer(KeyPair keys) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(keys.getPrivate());
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                try {
                    signature.update(tbs.toByteArray());
                    return signature.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
