package ferry.cli;

import ferry.format.trust.TrustStore;
import ferry.format.trust.TrustStoreException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --trust-store DIR} option shared by verify and import. */
final class TrustStoreOption {
    @Option(names = "--trust-store", required = true, paramLabel = "DIR",
            description = "Trust store: DIR/keys/*.asc (trusted signers' public keys) and DIR/policy.json {\"threshold\": N}. "
                    + "Make one with: ferry keys trust signer.pub.asc --trust-store DIR")
    Path dir;

    TrustStore load() {
        try {
            return TrustStore.load(dir);
        } catch (TrustStoreException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
