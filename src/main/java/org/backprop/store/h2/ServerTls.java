package org.backprop.store.h2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.backprop.events.StoreException;

/**
 * TLS for {@code server --allow-others}: the server's key (a keystore the user gives, or a self-signed one made once
 * and kept in the user's configuration folder) and its SHA-256 fingerprint, which clients trust it by. H2's SSL
 * sockets check no host names and, left alone, use a key built into H2 that anyone can read, so both sides install
 * their own SSL context before H2 makes a socket.
 */
public final class ServerTls {
    private static final String KEYSTORE_PROPERTY = "javax.net.ssl.keyStore";
    private static String trusted;

    private final Path keystore;
    private final String fingerprint;
    private final boolean generated;

    private ServerTls(Path keystore, String fingerprint, boolean generated) {
        this.keystore = keystore;
        this.fingerprint = fingerprint;
        this.generated = generated;
    }

    /** The keystore file the server's key is in. */
    public Path keystore() {
        return keystore;
    }

    /** The SHA-256 fingerprint of the server's certificate, as keytool prints it (AB:CD:...). */
    public String fingerprint() {
        return fingerprint;
    }

    /** True when the key is the self-signed one backprop made. */
    public boolean generated() {
        return generated;
    }

    /**
     * The server's key from {@code given} (opened with {@code password}), or, when none is given, the self-signed key
     * kept in {@code configFolder} (made with a random password the first time); then makes it this process's key.
     */
    static ServerTls install(Path given, char[] password, Path configFolder) {
        try {
            Path file = given;
            char[] secret = password;
            boolean generated = given == null;
            if (generated) {
                file = configFolder.resolve("server-tls.p12");
                Path passwordFile = configFolder.resolve("server-tls.password");
                if (!Files.exists(file) || !Files.exists(passwordFile)) {
                    generate(file, passwordFile);
                }
                secret = OwnerOnlyFiles.readSecret(passwordFile).toCharArray();
            }
            if (secret == null) {
                throw new StoreException("the keystore " + given + " needs its password in the BACKPROP_KEYSTORE_PASSWORD environment"
                        + " variable (never on the command line, where other users could read it)");
            }
            KeyStore store = KeyStore.getInstance(file.toFile(), secret);
            X509Certificate certificate = certificate(store, file);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            SSLContext.setDefault(context);
            // H2 writes its own built-in key to ~/.h2.keystore and uses it unless this property names a keystore.
            System.setProperty(KEYSTORE_PROPERTY, file.toString());
            return new ServerTls(file, fingerprint(certificate), generated);
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException("the server's TLS key cannot be used (" + (given == null ? "the generated one in " + configFolder
                    : given) + "): " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(KeyStore store, Path file) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                return c;
            }
        }
        throw new StoreException("the keystore " + file + " holds no private key with a certificate: give one made for a server");
    }

    /** Makes a self-signed key with the JDK's keytool, its password passed through the environment, not the command line. */
    private static void generate(Path file, Path passwordFile) throws IOException {
        OwnerOnlyFiles.createFolders(file.getParent());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.deleteIfExists(file);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder pb = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "backprop-server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=backprop server", "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass:env", "BACKPROP_KEYTOOL_SECRET"))
                .redirectErrorStream(true);
        pb.environment().put("BACKPROP_KEYTOOL_SECRET", secret);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(file)) {
                p.destroyForcibly();
                throw new IOException("keytool could not make a key: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the server's key", e);
        }
        OwnerOnlyFiles.restrict(file);
        OwnerOnlyFiles.write(passwordFile, (secret + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A certificate's SHA-256 fingerprint in keytool's form. */
    static String fingerprint(Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /**
     * Makes this process trust, for every TLS connection it makes, only a server whose certificate has this SHA-256
     * fingerprint (a client of {@code server --allow-others}). Set once; asking for another fingerprint later is refused.
     */
    static synchronized void trustOnly(String fingerprint) {
        String wanted = normalised(fingerprint);
        if (trusted != null) {
            if (!trusted.equals(wanted)) {
                throw new StoreException("this process trusts the server with fingerprint " + trusted + " already: use one server a process");
            }
            return;
        }
        if (!wanted.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")) {
            throw new StoreException("the server fingerprint '" + fingerprint + "' is not a SHA-256 fingerprint (32 hex pairs such as"
                    + " AB:CD:...): give the one the server printed");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedTrust(wanted)}, new SecureRandom());
            SSLContext.setDefault(context);
        } catch (GeneralSecurityException e) {
            throw new StoreException("TLS cannot be set up in this JVM: " + e.getMessage(), e);
        }
        if (System.getProperty(KEYSTORE_PROPERTY) == null) {
            // Clients show no key of their own; this keeps H2 from writing its built-in one to ~/.h2.keystore.
            System.setProperty(KEYSTORE_PROPERTY, "NONE");
        }
        trusted = wanted;
    }

    private static String normalised(String fingerprint) {
        String hex = fingerprint.strip().toUpperCase(Locale.ROOT).replaceFirst("^SHA-?256:", "").replace(":", "");
        if (!hex.matches("[0-9A-F]{64}")) {
            return fingerprint.strip();
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    /** Trusts exactly one certificate, named by its fingerprint: no authority, no host name (H2 checks none). */
    private record PinnedTrust(String expected) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                if (chain.length == 0 || !fingerprint(chain[0]).equals(expected)) {
                    throw new CertificateException("the server's certificate has the SHA-256 fingerprint "
                            + (chain.length == 0 ? "(none)" : fingerprint(chain[0])) + ", not " + expected + " as "
                            + org.backprop.store.StoreLocation.FINGERPRINT_VARIABLE + " says");
                }
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e.getMessage(), e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this process is a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
