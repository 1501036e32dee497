package ferry.cli;

import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import ferry.format.pgp.SigningKey;
import ferry.format.trust.TrustPolicy;
import ferry.format.trust.TrustStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ferry keys}: signing keys and trust stores. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Make and inspect OpenPGP signing keys; add public keys to a trust store; prepare a signed trust policy change (rotation).",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Show.class, KeysCommand.Trust.class,
                KeysRotateCommand.class})
public final class KeysCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** File names inside the directory {@code keys generate} writes. */
    public static final String SECRET_FILE = "signer.sec.asc";
    public static final String PUBLIC_FILE = "signer.pub.asc";

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Make an OpenPGP v4 Ed25519 signing key.",
                    "Writes DIR/" + SECRET_FILE + " (secret key, mode 600) and DIR/" + PUBLIC_FILE
                            + " (public key, for trust stores and gpgv). Both are ASCII armor that gpg --import accepts.",
                    "The secret key is protected when --passphrase-file or --passphrase-env is given."})
    static final class Generate implements Runnable {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the key files into (created if needed; existing key files are never overwritten).")
        Path out;

        @Option(names = "--user-id", required = true, paramLabel = "UID", description = "User id, e.g. \"Export station 1 <updates@example.org>\".")
        String userId;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try {
                Files.createDirectories(out);
                GeneratedKey key = KeyGenerator.generateEd25519(userId, passphrase.read());
                Path secret = out.resolve(SECRET_FILE);
                Path pub = out.resolve(PUBLIC_FILE);
                writeNew(secret, key.armoredSecretKey(), true);
                writeNew(pub, key.armoredPublicKey(), false);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("fingerprint", key.fingerprint());
                result.put("userId", key.userId());
                result.put("createdAt", key.createdAt().toString());
                result.put("secretKey", secret.toString());
                result.put("publicKey", pub.toString());
                Output out = new Output(spec, json);
                out.result(result, "Generated Ed25519 signing key " + key.fingerprint() + " (" + key.userId() + ")\n"
                        + "  secret key: " + secret + "\n  public key: " + pub);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(ExitCodes.USAGE, "refusing to overwrite existing key file " + e.getFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write key files into " + out + ": " + e.getMessage(), e);
            }
        }

        private static void writeNew(Path file, String text, boolean secret) throws IOException {
            if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the fingerprint, user id and creation time of an armored public or secret key.")
    static final class Show implements Runnable {
        @Parameters(paramLabel = "KEYFILE", description = "An ASCII-armored OpenPGP public or secret key.")
        Path file;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                String text = Files.readString(file, StandardCharsets.US_ASCII);
                if (text.contains("PRIVATE KEY BLOCK")) {
                    SigningKey key = SigningKey.load(file, passphrase.read());
                    result.put("type", "secret");
                    result.put("fingerprint", key.fingerprint());
                    result.put("userId", key.userId());
                    result.put("createdAt", key.createdAt().toString());
                } else {
                    PublicKey key = PublicKeys.load(file);
                    result.put("type", "public");
                    result.put("fingerprint", key.fingerprint());
                    result.put("userId", key.userId());
                    result.put("createdAt", key.createdAt().toString());
                }
            } catch (KeyException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read key file " + file + ": " + e.getMessage(), e);
            }
            new Output(spec, json).result(result, result.get("type") + " key " + result.get("fingerprint") + "\n"
                    + "  user id:    " + result.get("userId") + "\n  created at: " + result.get("createdAt"));
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = {"Add a signer's public key to a trust store (the isolated side's list of keys it accepts bundles from).",
                    "Creates the trust store if needed. Its policy.json holds the trust policy: threshold (distinct signers a"
                            + " bundle needs), maxSequenceJump (how far one bundle may move its channel forward) and"
                            + " requireExpiry (refuse bundles without an expiry). A new trust store gets threshold 1,"
                            + " maxSequenceJump 1000 and requireExpiry true; options change the current policy."})
    static final class Trust implements Runnable {
        @Parameters(paramLabel = "PUBKEY", description = "The signer's ASCII-armored public key (e.g. signer.pub.asc).")
        Path publicKey;

        @Option(names = "--trust-store", required = true, paramLabel = "DIR", description = "The trust store directory.")
        Path trustStore;

        @Option(names = "--threshold", paramLabel = "N", description = "How many distinct trusted signers a bundle needs (default: keep the current policy, or 1 for a new trust store).")
        Integer threshold;

        @Option(names = "--max-sequence-jump", paramLabel = "N", description = "Largest step one bundle may move its channel's sequence number forward (default: keep, or 1000 for a new trust store).")
        Long maxSequenceJump;

        @Option(names = "--require-expiry", negatable = true, description = "Refuse bundles that carry no expiry (default: keep, or on for a new trust store).")
        Boolean requireExpiry;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try {
                PublicKey key = PublicKeys.load(publicKey);
                Path keys = trustStore.resolve(TrustStore.KEYS_DIR);
                Files.createDirectories(keys);
                Path target = keys.resolve(key.fingerprint() + ".asc");
                Files.writeString(target, key.armored(), StandardCharsets.US_ASCII);
                boolean exists = Files.exists(trustStore.resolve(TrustStore.POLICY));
                if (!exists || threshold != null || maxSequenceJump != null || requireExpiry != null) {
                    // Start from the policy as it is (refused here if it is not a valid policy), then apply options.
                    TrustPolicy current = exists ? TrustStore.readPolicy(trustStore)
                            : new TrustPolicy(1, TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP, true);
                    TrustPolicy next;
                    try {
                        next = new TrustPolicy(threshold != null ? threshold : current.threshold(),
                                maxSequenceJump != null ? maxSequenceJump : current.maxSequenceJump(),
                                requireExpiry != null ? requireExpiry : current.requireExpiry());
                    } catch (IllegalArgumentException e) {
                        throw new CliException(ExitCodes.USAGE, "keys trust: " + e.getMessage(), e);
                    }
                    TrustStore.writePolicy(trustStore, next);
                }
                TrustStore.listKey(trustStore, key.fingerprint());
                TrustStore loaded = TrustStore.load(trustStore);
                TrustPolicy tp = loaded.policy();
                spec.commandLine().getOut().println("Trusted " + key.fingerprint() + " (" + key.userId() + ") in " + trustStore
                        + ": " + loaded.keys().size() + " key(s), threshold " + tp.threshold() + ", max sequence jump "
                        + tp.maxSequenceJump() + ", expiry " + (tp.requireExpiry() ? "required" : "optional"));
            } catch (KeyException | ferry.format.trust.TrustStoreException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot write trust store " + trustStore + ": " + e.getMessage(), e);
            }
        }
    }
}
