package io.kroute.schemas;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs router artifacts for the publisher that holds the private key, so that router-streams serve only what that
 * publisher published ({@link TrustedKeys}). The signature covers what decides which router runs: channel, version,
 * kind, checksum (hence every file and its name) and location; not the publication time or reason, which a rollback
 * changes without re-signing.
 */
public final class RouterModelSigner {

    /** Names what is signed, so that a signature over these bytes means nothing for any other kind of message. */
    private static final String DOMAIN = "kroute router-model v1";

    private final PrivateKey key;
    private final PublicKey publicKey;
    private final String keyId;

    /**
     * @throws IllegalArgumentException when {@code key} is not an Ed25519 private key that can sign
     */
    public RouterModelSigner(PrivateKey key) {
        this.key = key;
        PublicKey publicKey = SigningKeys.publicKeyOf(key);
        // The public key was derived, not read: prove the pair before any record carries its id.
        byte[] probe = DOMAIN.getBytes(StandardCharsets.UTF_8);
        if (!TrustedKeys.verifies(publicKey, probe, sign(probe))) {
            throw new IllegalArgumentException("cannot derive the public key of the signing key");
        }
        this.publicKey = publicKey;
        this.keyId = SigningKeys.keyId(publicKey);
    }

    /** The signer of a PKCS#8 private key file (PEM or DER). */
    public static RouterModelSigner load(Path file) {
        return new RouterModelSigner(SigningKeys.readPrivate(file));
    }

    /** {@code model} with this publisher's signature and key id. */
    public RouterModel sign(RouterModel model) {
        return model.signed(Base64.getEncoder().encodeToString(sign(content(model))), keyId);
    }

    public String keyId() {
        return keyId;
    }

    /** The keys that accept what this signer signs (its own public key): for a publisher reading its own records. */
    public TrustedKeys trusted() {
        return new TrustedKeys(java.util.List.of(publicKey));
    }

    private byte[] sign(byte[] content) {
        try {
            Signature signature = Signature.getInstance(SigningKeys.ALGORITHM);
            signature.initSign(key);
            signature.update(content);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with the configured key: " + e.getMessage(), e);
        }
    }

    /** The bytes signed: each field length-prefixed, so no two different models give the same bytes. */
    static byte[] content(RouterModel model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String field : new String[] {
                DOMAIN, model.channel(), model.version(), model.kind(), model.sha256(), model.location()
            }) {
                if (field == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
