package ferry.cli;

import ferry.format.receipt.ChannelPosition;
import ferry.format.receipt.Receipt;
import ferry.format.receipt.ReceiptException;
import ferry.format.trust.SignedTrustChange;
import ferry.format.trust.TrustChange;
import ferry.format.trust.TrustStore;
import ferry.format.trust.TrustStoreException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How {@code ferry export}'s bundle crosses the gap: volume and media sizes, recovery data, what the far side holds
 * (a receipt, or a one-way link with periodic full bundles) and a trust change riding along
 * (docs/one-way-transfer.md).
 */
final class TransferOptions {
    @Option(names = "--volume-size", defaultValue = "4095MiB", paramLabel = "SIZE",
            description = "Largest volume file: bytes, or with K/M/G (binary) or KB/MB/GB (decimal), or a preset: fat32 (4 GiB - 1 byte), dvd (4,700,372,992), dvd-dl (8,543,666,176), bd25 (25,025,314,816), bd50 (50,050,629,632), bd100 (100,103,356,416) (default: ${DEFAULT-VALUE}, fits FAT32).")
    String volumeSize;

    @Option(names = "--media-size", paramLabel = "SIZE|PRESET",
            description = "Split the bundle over media of this size (same units and presets as --volume-size):"
                    + " writes --out/medium-01/, medium-02/, ... each with a copy of the signed manifest, its volumes"
                    + " and a label (\"medium 2 of 5\"), to be burned or copied one per medium; each verifies alone"
                    + " (ferry verify --medium) and ferry import --from takes them all. A medium must hold one volume"
                    + " plus 1.1 MiB: e.g. --media-size dvd with --volume-size 4095MiB.")
    String mediaSize;

    @Option(names = "--receipt", paramLabel = "FILE",
            description = "A receipt from the isolated side (`ferry receipt`): build the bundle against what the far"
                    + " side really holds on this channel (a delta on its last sequence, or a full bundle if it holds"
                    + " nothing), so bundles lost on the way are carried again. Needs --receipt-trust.")
    Path receipt;

    @Option(names = "--receipt-trust", paramLabel = "DIR",
            description = "Trust store of the isolated side's receipt keys (keys/*.asc, policy.json threshold), as"
                    + " `ferry keys trust` makes it.")
    Path receiptTrust;

    @Option(names = "--trust-change", paramLabel = "DIR",
            description = "Carry a signed trust policy change (made with `ferry keys rotate`) to the isolated side,"
                    + " which applies it after importing the bundle if enough current and new keys signed it.")
    Path trustChange;

    @Option(names = "--recovery", paramLabel = "PERCENT",
            description = "Write PAR 2.0 recovery files (recovery.par2, recovery.volNN+MM.par2) beside the manifest,"
                    + " holding PERCENT of the bundle's data, e.g. 10%%: `ferry repair` or `par2 repair` rebuild"
                    + " damaged or missing volumes from them (docs/one-way-transfer.md). With --media-size, each"
                    + " medium carries its own recovery files over its own files, so each is checked and repaired"
                    + " alone; media then hold that much less.")
    String recovery;

    @Option(names = "--rebase-every", paramLabel = "N",
            description = "Make every N-th bundle of the channel a full one (sequence 1, N+1, 2N+1, ...), so that a"
                    + " receiver behind a one-way link that missed a bundle catches up at the next full one. A run"
                    + " with --receipt is built against the receipt instead, even when a rebase is due.")
    Integer rebaseEvery;

    @Option(names = "--assume-delivered",
            description = "No receipt comes back (a one-way link): build the next bundle on the channel's last exported"
                    + " one as if it had arrived, and rely on --rebase-every for receivers that missed one. Recorded"
                    + " in the audit log; excludes --receipt.")
    boolean assumeDelivered;

    /** @throws CliException exit 2 naming {@code --volume-size} when it is not a size */
    long volumeBytes() {
        return size("--volume-size", volumeSize);
    }

    /** @return bytes per medium, 0 without {@code --media-size}; @throws CliException exit 2 when not a size */
    long mediaBytes() {
        return mediaSize == null ? 0 : size("--media-size", mediaSize);
    }

    /** @return the percentage of recovery data, 0 without {@code --recovery}; @throws CliException exit 2 */
    int recoveryPercent() {
        return recovery == null ? 0 : parsePercent(recovery);
    }

    /** @return N of {@code --rebase-every}, 0 without it; @throws CliException exit 2 below 1 */
    int rebaseEvery() {
        if (rebaseEvery != null && rebaseEvery < 1) {
            throw new CliException(ExitCodes.USAGE, "--rebase-every must be at least 1: " + rebaseEvery);
        }
        return rebaseEvery == null ? 0 : rebaseEvery;
    }

    /**
     * The trust change to carry, checked to parse, or null without {@code --trust-change}.
     *
     * @throws CliException exit 2 when the directory is missing or its change is unreadable
     */
    SignedTrustChange trustChange() {
        if (trustChange == null) {
            return null;
        }
        try {
            SignedTrustChange change = SignedTrustChange.read(trustChange);
            if (change == null) {
                throw new CliException(ExitCodes.USAGE, "--trust-change: no such directory: " + trustChange);
            }
            TrustChange.parse(change.document());
            return change;
        } catch (TrustStoreException e) {
            throw new CliException(ExitCodes.USAGE, "--trust-change: " + e.getMessage(), e);
        }
    }

    /**
     * What the far side holds on {@code channel} by its verified receipt, or null without {@code --receipt}.
     *
     * @throws CliException exit 2 without {@code --receipt-trust}, with {@code --assume-delivered}, or when the
     *                      receipt does not verify against that trust store
     */
    ChannelPosition farSide(String channel) {
        if (receipt == null) {
            return null;
        }
        if (assumeDelivered) {
            throw new CliException(ExitCodes.USAGE, "--receipt and --assume-delivered exclude each other: a receipt"
                    + " says what arrived, --assume-delivered says none comes back");
        }
        if (receiptTrust == null) {
            throw new CliException(ExitCodes.USAGE, "--receipt needs --receipt-trust DIR (the isolated side's keys)");
        }
        try {
            Receipt r = Receipt.readVerified(receipt, TrustStore.load(receiptTrust));
            return r.channel(channel).orElse(ChannelPosition.absent(channel));
        } catch (ReceiptException | TrustStoreException e) {
            throw new CliException(ExitCodes.USAGE, "--receipt: " + e.getMessage(), e);
        }
    }

    /** {@code 10%} or {@code 10}: a whole percentage 1..100; anything else is exit 2 naming {@code --recovery}. */
    static int parsePercent(String v) {
        String digits = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
        try {
            int p = Integer.parseInt(digits.strip());
            if (p >= 1 && p <= 100) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(ExitCodes.USAGE, "--recovery: expected a whole percentage from 1% to 100%, e.g. 10%,"
                + " got " + v);
    }

    private static long size(String option, String text) {
        try {
            return Sizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
        }
    }
}
