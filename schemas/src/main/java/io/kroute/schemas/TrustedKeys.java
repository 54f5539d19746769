package io.kroute.schemas;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public keys of the publishers whose router artifacts a router-stream serves. With none, every artifact is
 * accepted as it is (integrity is still checked, authenticity cannot be); with some, an artifact must carry a valid
 * signature of one of them.
 */
public final class TrustedKeys {

    public static final TrustedKeys NONE = new TrustedKeys(List.of());

    private final Map<String, PublicKey> byId = new TreeMap<>();

    public TrustedKeys(Collection<PublicKey> keys) {
        for (PublicKey key : keys) {
            byId.put(SigningKeys.keyId(key), key);
        }
    }

    /** The keys of X.509 public key files (PEM or DER). */
    public static TrustedKeys load(List<Path> files) {
        return new TrustedKeys(files.stream().map(SigningKeys::readPublic).toList());
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public Set<String> keyIds() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    /**
     * Accepts {@code model} when no key is trusted, or when it is signed by a trusted key.
     *
     * @throws InvalidMessageException naming why: unsigned, signed by an unknown key, or a signature that does not
     *     verify (the artifact was changed after it was signed)
     */
    public void verify(RouterModel model) {
        if (byId.isEmpty()) {
            return;
        }
        String id = model.channel() + "@" + model.version();
        if (model.signature() == null || model.keyId() == null) {
            throw new InvalidMessageException("router model " + id + " is not signed, and only signed ones are served");
        }
        PublicKey key = byId.get(model.keyId());
        if (key == null) {
            throw new InvalidMessageException(
                    "router model " + id + " is signed by key " + model.keyId() + ", which is not trusted");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(model.signature());
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("router model " + id + " has a signature that is not base64");
        }
        if (!verifies(key, RouterModelSigner.content(model), signature)) {
            throw new InvalidMessageException(
                    "router model " + id + " has a signature of key " + model.keyId() + " that does not verify");
        }
    }

    static boolean verifies(PublicKey key, byte[] content, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(SigningKeys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(content);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // malformed signature bytes
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
