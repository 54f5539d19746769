package io.kroute.retrain;

import io.kroute.runtime.Usage;
import io.kroute.schemas.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * {@code ops/run signing-keys --out DIR}: makes the Ed25519 key pair router artifacts are signed with, and prints the
 * two files: the private key ({@code router-signing.key.pem}, PKCS#8, readable by its owner only) for the retrainer's
 * {@code kroute.models.signing-key}, the public key ({@code router-signing.pub.pem}) for the router-streams'
 * {@code kroute.models.trusted-keys}. It never overwrites a key.
 */
public final class SigningKeysMain {

    static final String PRIVATE_FILE = "router-signing.key.pem";
    static final String PUBLIC_FILE = "router-signing.pub.pem";
    private static final String USAGE = "usage: signing-keys --out DIR";

    private SigningKeysMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        if (args.length != 2 || !args[0].equals("--out")) {
            System.err.println("signing-keys: " + USAGE);
            System.exit(2);
            return;
        }
        try {
            for (String line : write(Path.of(args[1]))) {
                System.out.println(line);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("signing-keys: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("signing-keys: cannot write the keys to " + args[1] + ": " + e);
            System.exit(1);
        }
    }

    /** Writes a new pair into {@code dir} (created if needed); returns the lines that name the two files. */
    static String[] write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path privateFile = dir.resolve(PRIVATE_FILE).toAbsolutePath();
        Path publicFile = dir.resolve(PUBLIC_FILE).toAbsolutePath();
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " exists: a key is never overwritten (choose another --out)");
            }
        }
        KeyPair pair = SigningKeys.generate();
        createOwnerOnly(privateFile);
        Files.writeString(privateFile, SigningKeys.privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(
                publicFile,
                SigningKeys.publicPem(pair.getPublic()),
                StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        return new String[] {
            "private key (retrainer: kroute.models.signing-key): " + privateFile,
            "public key (router-stream: kroute.models.trusted-keys): " + publicFile + ", key id "
                    + SigningKeys.keyId(pair.getPublic())
        };
    }

    /** Creates the private key file empty and readable by its owner only, before a byte of the key is in it. */
    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: protect the directory instead
        }
    }
}
