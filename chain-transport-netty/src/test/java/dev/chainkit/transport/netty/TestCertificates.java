package dev.chainkit.transport.netty;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1, made at test time by the JDK's {@code keytool} (Netty's own
 * self-signed generator needs BouncyCastle or JDK internals that Java 17 closes off).
 */
final class TestCertificates {

    private static final char[] PASSWORD = "test-only".toCharArray();

    private final KeyStore store;

    private TestCertificates(KeyStore store) {
        this.store = store;
    }

    /** Generates a key pair and certificate (EC P-256, SAN IP 127.0.0.1) into a PKCS12 file in {@code dir}. */
    static TestCertificates generate(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path file = dir.resolve("node-" + System.nanoTime() + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "node", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass",
                new String(PASSWORD), "-keypass", new String(PASSWORD))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return new TestCertificates(ks);
    }

    /** A server context presenting this certificate. */
    SslContext server() throws GeneralSecurityException, IOException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD);
        return SslContextBuilder.forServer(kmf).build();
    }

    /** A client context trusting this certificate only (host name checked against it). */
    SslContext client() throws GeneralSecurityException, IOException {
        return SslContextBuilder.forClient().trustManager((X509Certificate) store.getCertificate("node"))
                .endpointIdentificationAlgorithm("HTTPS").build();
    }
}
