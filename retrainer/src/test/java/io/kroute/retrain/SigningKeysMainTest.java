package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.schemas.RouterModelSigner;
import io.kroute.schemas.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysMainTest {

    @Test
    void writes_a_pair_the_retrainer_signs_with_and_the_router_stream_trusts(@TempDir Path tmp) throws Exception {
        String[] lines = SigningKeysMain.write(tmp.resolve("keys"));

        Path privateFile = tmp.resolve("keys").resolve(SigningKeysMain.PRIVATE_FILE);
        Path publicFile = tmp.resolve("keys").resolve(SigningKeysMain.PUBLIC_FILE);
        RouterModelSigner signer = RouterModelSigner.load(privateFile);
        assertThat(TrustedKeys.load(List.of(publicFile)).keyIds()).containsExactly(signer.keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)))
                .isEqualTo("rw-------");
        assertThat(lines[0]).endsWith(privateFile.toAbsolutePath().toString());
        assertThat(lines[1]).contains(publicFile.toAbsolutePath().toString()).endsWith(signer.keyId());
        assertThatThrownBy(() -> SigningKeysMain.write(tmp.resolve("keys")))
                .hasMessageContaining("a key is never overwritten");
        assertThat(RouterModelSigner.load(privateFile).keyId()).isEqualTo(signer.keyId());
    }

    @Test
    void the_retrainer_signs_with_the_private_key_configured_and_refuses_another_file(@TempDir Path tmp)
            throws Exception {
        SigningKeysMain.write(tmp);
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:9092");

        props.put(
                RetrainerConfig.SIGNING_KEY,
                tmp.resolve(SigningKeysMain.PRIVATE_FILE).toString());
        RetrainerConfig config = RetrainerConfig.fromProperties(props);
        props.put(
                RetrainerConfig.SIGNING_KEY,
                tmp.resolve(SigningKeysMain.PUBLIC_FILE).toString());

        assertThat(config.signer().keyId())
                .isEqualTo(TrustedKeys.load(List.of(tmp.resolve(SigningKeysMain.PUBLIC_FILE)))
                        .keyIds()
                        .iterator()
                        .next());
        assertThatThrownBy(() -> RetrainerConfig.fromProperties(props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(RetrainerConfig.SIGNING_KEY + ": ");
    }

    @Test
    @Timeout(60)
    void bad_usage_exits_2_and_an_existing_key_1_each_in_one_line(@TempDir Path tmp) throws Exception {
        assertThat(run("--out")).containsExactly("2", "signing-keys: usage: signing-keys --out DIR");
        assertThat(run("--out", tmp.toString())).hasSize(3).startsWith("0");
        List<String> again = run("--out", tmp.toString());
        assertThat(again).hasSize(2).startsWith("1");
        assertThat(again.get(1)).startsWith("signing-keys: ").contains("a key is never overwritten");
    }

    /** The exit code, then every line the main printed. */
    private static List<String> run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SigningKeysMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> out = new ArrayList<>();
        out.add(Integer.toString(process.exitValue()));
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.isBlank())
                .forEach(out::add);
        return out;
    }
}
