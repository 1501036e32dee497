package ferry.exporter;

import ferry.format.CrashPoints;
import ferry.format.BundleReader;
import ferry.format.BundleWriter;
import ferry.format.Manifest;
import ferry.format.Volume;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.SignatureCheck;
import ferry.format.pgp.SigningKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the next run does about a run that was killed: removes its temporary files and staging directory, and
 * settles its sequence reservation ({@link PendingBundle}) by adopting the finished bundle or keeping the number
 * burned. Runs first thing under the state directory's lock, so nothing it deletes can belong to a live run.
 */
final class InterruptedRun {

    /**
     * What the channel stands at after recovery.
     *
     * @param state    the export state (possibly just adopted), null when nothing was ever recorded
     * @param reserved the highest sequence number a still-pending (lost) reservation holds, 0 for none; the next
     *                 bundle's number is above both this and the state's last
     * @param adopted  the directory of a bundle just adopted, or null
     */
    record Settled(ExportState state, long reserved, Path adopted) {
        long nextSequence() {
            return Math.max(state == null ? 0 : state.lastSequence(), reserved) + 1;
        }
    }

    private InterruptedRun() {
    }

    static Settled settle(StateStore store, String channel, List<SigningKey> keys, Consumer<String> warn)
            throws ExportConfigException {
        store.removeTemporaries();
        ExportState state = store.read(channel);
        PendingBundle p = store.readPending(channel);
        if (p == null) {
            return new Settled(state, 0, null);
        }
        Path bundleDir = Path.of(p.bundleDir());
        Path staging = Path.of(p.stagingDir());
        if (!staging.equals(BundleWriter.stagingDir(bundleDir, p.bundleId()))) {
            throw new ExportConfigException("pending-bundle file " + store.pendingFile() + " names staging directory "
                    + staging + ", which is not the one of " + bundleDir + "; remove the file after checking it");
        }
        try {
            if (BundleWriter.discardStaging(staging)) {
                CrashPoints.reached("recover.staging");
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot remove the staging directory " + staging
                    + " of an interrupted export: " + StateStore.oneLine(e), e);
        }
        if (state != null && state.lastSequence() >= p.sequence()) {
            // killed after recording the state, before removing the reservation
            store.clearPending();
            return new Settled(state, 0, null);
        }
        if (isFinished(p, bundleDir, keys)) {
            store.write(p.state());
            CrashPoints.reached("recover.adopted");
            store.clearPending();
            warn.accept("bundle " + p.bundleId() + " (sequence " + p.sequence() + ") at " + bundleDir
                    + " was finished by an interrupted export and is now recorded in the state");
            return new Settled(p.state(), 0, bundleDir);
        }
        if (!p.lost()) {
            store.writePending(p.markedLost());
            warn.accept("bundle " + p.bundleId() + " (sequence " + p.sequence() + ") of an interrupted export is not"
                    + " at " + bundleDir + " complete and signed by this run's keys; it is not recorded, and its"
                    + " sequence number is not used again");
        }
        return new Settled(state, p.sequence(), null);
    }

    /**
     * True when the reserved bundle is in place and complete: its manifest names the reservation's id, channel
     * and sequence, a signature by one of this run's keys verifies over it, and every volume has its size. The
     * rename that placed it was atomic and came after every file was synced, so the contents need no re-hash.
     */
    private static boolean isFinished(PendingBundle p, Path dir, List<SigningKey> keys) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            BundleReader r = BundleReader.open(dir);
            Manifest m = r.manifest();
            if (!m.bundleId().toString().equals(p.bundleId()) || !m.channel().equals(p.channel())
                    || m.sequence() != p.sequence()) {
                return false;
            }
            for (Volume v : m.volumes()) {
                Path f = r.volumeFile(v);
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) != v.size()) {
                    return false;
                }
            }
            List<PublicKey> ours = keys.stream().map(SigningKey::publicKey).toList();
            for (Path sig : r.signatureFiles()) {
                for (SignatureCheck c : DetachedSignatures.verify(Files.readAllBytes(sig), r.manifestBytes(), ours)) {
                    if (c.valid()) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false; // not a readable bundle: not ours to adopt
        }
    }
}
