package ferry.cli;

import ferry.format.pgp.KeyException;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import ferry.format.pgp.SigningKey;
import ferry.format.trust.SignedTrustChange;
import ferry.format.trust.TrustChange;
import ferry.format.trust.TrustPolicy;
import ferry.format.trust.TrustStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ferry keys rotate}: on the connected side, prepares a signed trust policy change that a bundle carries to the
 * isolated side ({@code ferry export --trust-change DIR}); docs/security.md, "Key rotation without a visit".
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Prepare a trust policy change for the isolated side's trust store, without a visit: the keys to"
                + " trust from now on and the threshold, as the next policy version, signed with --key.",
                "The isolated side applies it when it imports a bundle carrying it (ferry export --trust-change DIR)"
                        + " only if it is signed by the current threshold of the keys it trusts now AND by the new"
                        + " threshold of the new keys, and its version is exactly one above the trust store's.",
                "Signers who keep their keys elsewhere add their signature later: ferry keys rotate --add-signature"
                        + " --out DIR --key THEIR.sec.asc.",
                "",
                "Example: replace key A by keys B and C, two of them required (trust store now at version 1):",
                "  ferry keys rotate --out rotation --policy-version 2 --new-key b.pub.asc --new-key c.pub.asc --threshold 2"
                        + " --key a.sec.asc --key b.sec.asc --key c.sec.asc"},
        footer = {"", "Exit codes: 0 written, 2 usage error (bad key, threshold above the number of keys, existing"
                + " change when not adding a signature)."})
final class KeysRotateCommand implements Runnable {
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory of the change: DIR/policy.json and DIR/signatures/<FINGERPRINT>.asc.")
    Path out;

    @Option(names = "--add-signature", description = "Sign the change already in --out with --key, changing nothing else.")
    boolean addSignature;

    @Option(names = "--policy-version", paramLabel = "N",
            description = "The policy version this change creates: the isolated trust store's version plus one (a trust"
                    + " store never rotated is at version 1; after a change its policy.json says \"version\"; an import"
                    + " of a change that skips versions names the version it expects).")
    Long version;

    @Option(names = "--new-key", paramLabel = "PUBKEY",
            description = "A public key to trust after the change (repeatable; every key to keep must be named).")
    List<Path> newKeys = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "N", description = "Distinct trusted signers a bundle needs after the change.")
    Integer threshold;

    @Option(names = "--max-sequence-jump", paramLabel = "N", defaultValue = "1000",
            description = "Largest step one bundle may move its channel forward (default: ${DEFAULT-VALUE}).")
    long maxSequenceJump;

    @Option(names = "--require-expiry", negatable = true, defaultValue = "true",
            description = "Refuse bundles without an expiry (default: on).")
    boolean requireExpiry;

    @Option(names = "--key", required = true, paramLabel = "SECKEY",
            description = "A secret key to sign the change with (repeatable): current keys and new keys alike.")
    List<Path> keys;

    @Mixin
    PassphraseOptions passphrase;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        try {
            SignedTrustChange change;
            if (addSignature) {
                change = SignedTrustChange.read(out);
                if (change == null) {
                    throw new CliException(ExitCodes.USAGE, "keys rotate --add-signature: no change at " + out);
                }
                TrustChange.parse(change.document());
            } else {
                if (version == null || threshold == null || newKeys.isEmpty()) {
                    throw new CliException(ExitCodes.USAGE,
                            "keys rotate: --policy-version, --threshold and at least one --new-key are required");
                }
                if (Files.exists(out.resolve("policy.json"))) {
                    throw new CliException(ExitCodes.USAGE, "keys rotate: " + out + " holds a change already; use"
                            + " --add-signature to sign it, or another --out");
                }
                List<PublicKey> pubs = new ArrayList<>();
                for (Path p : newKeys) {
                    pubs.add(PublicKeys.load(p));
                }
                TrustChange tc;
                try {
                    tc = new TrustChange(version, new TrustPolicy(threshold, maxSequenceJump, requireExpiry), pubs);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, "keys rotate: " + e.getMessage(), e);
                }
                change = new SignedTrustChange(tc.toBytes(), java.util.Map.of());
            }
            char[] pass = passphrase.read();
            for (Path k : keys) {
                change = change.signedBy(SigningKey.load(k, pass));
            }
            change.write(out);
            TrustChange tc = TrustChange.parse(change.document());
            spec.commandLine().getOut().println("Trust policy change to version " + tc.version() + " in " + out + ": "
                    + tc.keys().size() + " key(s), threshold " + tc.policy().threshold() + "; signed by "
                    + String.join(", ", change.signatures().keySet()));
        } catch (KeyException | TrustStoreException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
