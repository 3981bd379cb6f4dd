package org.backprop.digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import org.backprop.digest.StoreDigest.InvalidDigestException;

/**
 * Ed25519 keys for signing digests, kept outside the store: the private key as PKCS#8 PEM (owner-only), the public
 * key as X.509 PEM beside it. Whoever can rewrite a store cannot make a signed digest that verifies without the
 * private key.
 */
public final class DigestKeys {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private DigestKeys() {
    }

    /** Makes a new key pair: {@code file} the private key (mode 0600), {@code file.pub} the public one; refuses to overwrite. */
    public static Path create(Path file) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path pub = Path.of(file + ".pub");
            for (Path p : new Path[] {file, pub}) {
                if (Files.exists(p)) {
                    throw new InvalidDigestException(p + " exists already: give another file for the new key (nothing was written)");
                }
            }
            write(file, pem(PRIVATE, pair.getPrivate().getEncoded()), true);
            write(pub, pem(PUBLIC, pair.getPublic().getEncoded()), false);
            return pub;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make Ed25519 keys", e);
        }
    }

    public static StoreDigest sign(StoreDigest digest, Path privateKey) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(read(privateKey, PRIVATE)));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(digest.unsignedText().getBytes(StandardCharsets.UTF_8));
            return digest.withSignature(s.sign());
        } catch (GeneralSecurityException e) {
            throw new InvalidDigestException(privateKey + " is not an Ed25519 private key (" + e.getMessage() + "): give the file 'backprop digest --new-key' made", e);
        }
    }

    /** True when the digest's signature was made with the private key of {@code publicKey}. */
    public static boolean verify(StoreDigest digest, Path publicKey) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(read(publicKey, PUBLIC)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(digest.unsignedText().getBytes(StandardCharsets.UTF_8));
            return digest.signed() && s.verify(digest.signature());
        } catch (GeneralSecurityException e) {
            throw new InvalidDigestException(publicKey + " is not an Ed25519 public key (" + e.getMessage() + "): give the .pub file 'backprop digest --new-key' made", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] read(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new InvalidDigestException("the key file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidDigestException("the key file " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new InvalidDigestException(file + " holds no " + type.toLowerCase(java.util.Locale.ROOT) + " in PEM form: give the "
                    + (PRIVATE.equals(type) ? "private key file" : ".pub file") + " 'backprop digest --new-key' made");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new InvalidDigestException(file + " holds a damaged key (" + e.getMessage() + ")", e);
        }
    }

    private static void write(Path file, String text, boolean ownerOnly) {
        try {
            if (ownerOnly && Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
                Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
            }
        } catch (FileAlreadyExistsException e) {
            throw new InvalidDigestException(file + " exists already: give another file for the new key", e);
        } catch (NoSuchFileException e) {
            throw new InvalidDigestException("the folder of " + file + " does not exist: create it or give another path", e);
        } catch (IOException e) {
            throw new InvalidDigestException("cannot write the key file " + file + ": " + e.getMessage(), e);
        }
    }
}
