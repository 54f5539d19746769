package io.kroute.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterModelSignatureTest {

    private static final KeyPair PUBLISHER = SigningKeys.generate();
    private static final RouterModelSigner SIGNER = new RouterModelSigner(PUBLISHER.getPrivate());
    private static final TrustedKeys TRUSTED = new TrustedKeys(List.of(PUBLISHER.getPublic()));

    private static final RouterModel MODEL = new RouterModel(
            "default", "v2", "mf", "a".repeat(64), Map.of("model-card.json", "e30="), null, 5, "promoted", null, null);

    @Test
    void a_signed_model_verifies_after_the_topic_codec_and_after_a_rollback() {
        RouterModel signed = Codecs.ROUTER_MODEL.decode(Codecs.ROUTER_MODEL.encode(SIGNER.sign(MODEL)));

        assertThat(signed.keyId()).isEqualTo(SigningKeys.keyId(PUBLISHER.getPublic()));
        assertThatCode(() -> TRUSTED.verify(signed)).doesNotThrowAnyException();
        assertThatCode(() -> TRUSTED.verify(signed.republished(99, "rollback to v2")))
                .doesNotThrowAnyException();
    }

    @Test
    void with_trusted_keys_an_unsigned_model_is_refused_without_them_it_is_accepted() {
        assertThatThrownBy(() -> TRUSTED.verify(MODEL))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not signed");
        assertThatCode(() -> TrustedKeys.NONE.verify(MODEL)).doesNotThrowAnyException();
    }

    @Test
    void a_model_signed_by_another_key_or_changed_after_signing_is_refused() {
        RouterModel byStranger = new RouterModelSigner(SigningKeys.generate().getPrivate()).sign(MODEL);
        RouterModel signed = SIGNER.sign(MODEL);
        RouterModel otherChecksum = new RouterModel(
                "default",
                "v2",
                "mf",
                "b".repeat(64),
                MODEL.files(),
                null,
                5,
                null,
                signed.signature(),
                signed.keyId());
        RouterModel otherChannel = new RouterModel(
                "canary", "v2", "mf", MODEL.sha256(), MODEL.files(), null, 5, null, signed.signature(), signed.keyId());
        RouterModel stolenKeyId = byStranger.signed(byStranger.signature(), signed.keyId());

        assertThatThrownBy(() -> TRUSTED.verify(byStranger)).hasMessageContaining("which is not trusted");
        for (RouterModel forged : List.of(otherChecksum, otherChannel, stolenKeyId)) {
            assertThatThrownBy(() -> TRUSTED.verify(forged)).hasMessageContaining("does not verify");
        }
    }

    @Test
    void the_location_is_signed_too() {
        RouterModel signed = SIGNER.sign(
                new RouterModel("default", "v2", "mf", "a".repeat(64), null, "/shared/v2", 5, null, null, null));
        RouterModel moved = new RouterModel(
                "default",
                "v2",
                "mf",
                "a".repeat(64),
                null,
                "/shared/evil",
                5,
                null,
                signed.signature(),
                signed.keyId());

        assertThatCode(() -> TRUSTED.verify(signed)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TRUSTED.verify(moved)).hasMessageContaining("does not verify");
    }

    @Test
    void key_files_round_trip_as_pem_and_der(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("key.pem"), SigningKeys.privatePem(PUBLISHER.getPrivate()));
        Files.write(tmp.resolve("key.der"), PUBLISHER.getPrivate().getEncoded());
        Files.writeString(tmp.resolve("pub.pem"), SigningKeys.publicPem(PUBLISHER.getPublic()));

        RouterModel signedFromPem =
                RouterModelSigner.load(tmp.resolve("key.pem")).sign(MODEL);
        RouterModel signedFromDer =
                RouterModelSigner.load(tmp.resolve("key.der")).sign(MODEL);
        TrustedKeys fromFile = TrustedKeys.load(List.of(tmp.resolve("pub.pem")));

        assertThat(fromFile.keyIds()).containsExactly(SIGNER.keyId());
        assertThatCode(() -> fromFile.verify(signedFromPem)).doesNotThrowAnyException();
        assertThatCode(() -> fromFile.verify(signedFromDer)).doesNotThrowAnyException();
    }

    @Test
    void the_signer_derives_the_public_key_openssl_derives(@TempDir Path dir) throws Exception {
        // RFC 8410, sections 10.3 and 10.1: a private key and its public key (openssl pkey -pubout agrees)
        String privatePem = "-----BEGIN PRIVATE KEY-----\n"
                + "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
                + "-----END PRIVATE KEY-----\n";
        String publicPem = "-----BEGIN PUBLIC KEY-----\n"
                + "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
                + "-----END PUBLIC KEY-----\n";
        Files.writeString(dir.resolve("key.pem"), privatePem);
        Files.writeString(dir.resolve("pub.pem"), publicPem);

        assertThat(RouterModelSigner.load(dir.resolve("key.pem")).keyId())
                .isEqualTo(SigningKeys.keyId(SigningKeys.readPublic(dir.resolve("pub.pem"))));
    }

    @Test
    void a_file_that_is_not_the_right_key_is_refused_in_one_line(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("pub.pem"), SigningKeys.publicPem(PUBLISHER.getPublic()));
        Files.writeString(tmp.resolve("junk"), "not a key");

        assertThatThrownBy(() -> RouterModelSigner.load(tmp.resolve("pub.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no -----BEGIN PRIVATE KEY----- block");
        assertThatThrownBy(() -> TrustedKeys.load(List.of(tmp.resolve("junk"))))
                .hasMessageContaining("is not an Ed25519 public key");
        assertThatThrownBy(() -> TrustedKeys.load(List.of(tmp.resolve("missing.pem"))))
                .hasMessageContaining("cannot read key file");
    }
}
