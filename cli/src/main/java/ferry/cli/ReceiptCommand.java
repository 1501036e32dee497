package ferry.cli;

import ferry.format.pgp.KeyException;
import ferry.format.pgp.SigningKey;
import ferry.format.receipt.ChannelPosition;
import ferry.format.receipt.Receipt;
import ferry.importer.Importer;
import ferry.store.BundleInfo;
import ferry.store.ChannelState;
import ferry.store.Store;
import ferry.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ferry receipt}: on the isolated side, a signed statement of what the store holds per channel. */
@Command(name = "receipt", mixinStandardHelpOptions = true,
        description = {"Write a receipt of what the store holds, per channel: the last sequence and bundle imported,",
                "how many bundles, revisions and files they brought, and a SHA-256 over the channel's imported manifests",
                "(which list every revision and file). Signed with isolated-side keys; carried back to the connected",
                "side, `ferry export --receipt FILE --receipt-trust DIR` builds the next bundle against it, so a lost or",
                "damaged bundle is recovered by exporting again. The store may be served meanwhile."},
        footer = {"", "Exit codes: 0 written, 2 usage error (no store, unreadable key), 5 store locked, 10 internal error."})
public final class ReceiptCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
    Path store;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The receipt file to write (replaced atomically).")
    Path out;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Isolated-side secret key to sign with (repeatable).")
    List<Path> keys;

    @Mixin
    PassphraseOptions passphrase;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.exists(store.resolve("catalog.mv.db"))) {
            throw new CliException(ExitCodes.USAGE, "no store at " + store);
        }
        List<SigningKey> signers = new ArrayList<>();
        char[] pass = passphrase.read();
        for (Path k : keys) {
            try {
                signers.add(SigningKey.load(k, pass));
            } catch (KeyException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        Receipt receipt;
        try (Store s = Store.openForServing(store, Importer.catalogs())) {
            receipt = receipt(s);
        } catch (StoreException e) {
            throw new CliException(Errors.exitCode(e), e.getMessage(), e);
        }
        try {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.write(tmp, receipt.toFile(signers));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + out + ": " + e.getMessage(), e);
        }
        StringBuilder t = new StringBuilder("Wrote receipt " + out + " (" + receipt.channels().size() + " channel(s))");
        for (ChannelPosition c : receipt.channels()) {
            t.append("\n  ").append(c.channel()).append(": sequence ").append(c.lastSequence()).append(" (bundle ")
                    .append(c.lastBundleId()).append("), ").append(c.bundles()).append(" bundle(s), ")
                    .append(c.revisions()).append(" revision(s), ").append(c.files()).append(" file(s)");
        }
        spec.commandLine().getOut().println(t);
        return ExitCodes.OK;
    }

    /** Every channel's position, counts and manifest digest, from the store's catalog. */
    static Receipt receipt(Store s) {
        List<ChannelPosition> channels = new ArrayList<>();
        List<BundleInfo> bundles = s.bundles();
        for (ChannelState ch : s.channels()) {
            List<BundleInfo> mine = bundles.stream().filter(b -> b.channel().equals(ch.name()))
                    .sorted(Comparator.comparingLong(BundleInfo::sequenceNumber)).toList();
            List<String> lines = mine.stream().map(b -> b.sequenceNumber() + " " + b.bundleId() + " "
                    + b.manifestSha256()).toList();
            channels.add(new ChannelPosition(ch.name(), ch.lastSequence(), ch.lastBundleId(), mine.size(),
                    mine.stream().mapToLong(BundleInfo::newRevisionCount).sum(),
                    mine.stream().mapToLong(BundleInfo::newFileCount).sum(), Receipt.digestLines(lines)));
        }
        return new Receipt(Instant.now().truncatedTo(ChronoUnit.SECONDS), channels);
    }
}
