package io.kroute.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys of router publishers, from the JDK alone: a private key as a PKCS#8 file (PEM or DER, as {@code openssl
 * genpkey -algorithm ed25519} writes it too), a public key as an X.509 SubjectPublicKeyInfo PEM file ({@code openssl
 * pkey -pubout}).
 */
public final class SigningKeys {

    public static final String ALGORITHM = "Ed25519";

    /** A key file is a few hundred bytes; anything much larger is not one, and is not read whole. */
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private SigningKeys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PKCS#8 Ed25519 private key, PEM or DER. */
    public static PrivateKey readPrivate(Path file) {
        byte[] der = der(file, PRIVATE_LABEL);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 private key (PKCS#8, PEM or DER)");
        }
    }

    /** Reads an X.509 SubjectPublicKeyInfo Ed25519 public key, PEM or DER. */
    public static PublicKey readPublic(Path file) {
        byte[] der = der(file, PUBLIC_LABEL);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 public key (X.509 PEM or DER)");
        }
    }

    public static String privatePem(PrivateKey key) {
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    /** Names a public key in records and logs: the first 8 bytes of the SHA-256 of its X.509 encoding, in hex. */
    public static String keyId(PublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The public key of {@code key}. A PKCS#8 file need not carry it and the JDK has no call for it, but its Ed25519
     * generator turns a 32-byte seed from its random source into the pair: given the private key's seed as the
     * source, it computes the public key that goes with it. The caller checks the pair by signing with it.
     */
    static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey edKey)) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        byte[] seed = edKey.getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the private key does not reveal its bytes"));
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, replay);
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static byte[] der(Path file, String label) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage());
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("key file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        if (from < 0) {
            if (text.contains("-----BEGIN ")) {
                throw new IllegalArgumentException("key file " + file + " holds no " + begin + " block");
            }
            return bytes; // DER
        }
        int to = text.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("key file " + file + " has no " + end + " line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key file " + file + " is not valid PEM: " + e.getMessage());
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
