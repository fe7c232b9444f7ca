package dev.pharos.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made at test time with the {@code openssl} command, as an operator would
 * (docs/OPERATIONS.md, "Peer certificates"): EC P-256 keys, certificates for both server and client
 * use, each also written as PKCS#12 for Java clients.
 */
public final class OpensslPki {
    private final Path dir;
    private final String ca;

    /** Makes the CA {@code name} in {@code dir}: {@code name.pem}, {@code name-key.pem}. */
    public OpensslPki(Path dir, String name) throws Exception {
        this.dir = dir;
        this.ca = name;
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                name + "-key.pem",
                "-out",
                name + ".pem",
                "-days",
                "2",
                "-subj",
                "/CN=" + name);
    }

    public Path caPem() {
        return dir.resolve(ca + ".pem");
    }

    /**
     * Issues {@code file.pem}, {@code file-key.pem} and {@code file.p12} (password "test") for
     * subject CN {@code cn} with these subject alternative names (e.g. "DNS:vp2", "IP:127.0.0.1").
     */
    public void issue(String file, String cn, String... sans) throws Exception {
        Files.writeString(
                dir.resolve(file + ".ext"),
                "basicConstraints=CA:FALSE\n"
                        + "extendedKeyUsage=serverAuth,clientAuth\n"
                        + "subjectAltName="
                        + String.join(",", sans)
                        + "\n");
        openssl(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                file + "-key.pem",
                "-out",
                file + ".csr",
                "-subj",
                "/CN=" + cn);
        openssl(
                "x509",
                "-req",
                "-in",
                file + ".csr",
                "-CA",
                ca + ".pem",
                "-CAkey",
                ca + "-key.pem",
                "-CAcreateserial",
                "-out",
                file + ".pem",
                "-days",
                "2",
                "-extfile",
                file + ".ext");
        openssl(
                "pkcs12",
                "-export",
                "-in",
                file + ".pem",
                "-inkey",
                file + "-key.pem",
                "-out",
                file + ".p12",
                "-passout",
                "pass:test");
    }

    public Path pem(String file) {
        return dir.resolve(file + ".pem");
    }

    public Path key(String file) {
        return dir.resolve(file + "-key.pem");
    }

    /**
     * A client or server context presenting {@code file}'s key pair (if not null) and trusting this
     * CA.
     */
    public SSLContext context(String file) throws Exception {
        KeyManagerFactory kmf = null;
        if (file != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(file + ".p12"))) {
                ks.load(in, "test".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "test".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem())) {
            trust.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(in));
        }
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + out);
        }
    }
}
