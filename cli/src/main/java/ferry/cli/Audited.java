package ferry.cli;

import ferry.format.BundleReader;
import ferry.format.Manifest;
import ferry.format.audit.AuditRecord;

import java.nio.file.Path;

/**
 * A command whose every run is appended to an audit log ({@link ferry.format.audit.AuditLog}) by {@link Main}, after
 * the run, whether it succeeded or not. Overrides listed in {@link Audit#OVERRIDES} are recorded without the command
 * doing anything; a command adds what only it knows through {@link #describe}.
 */
interface Audited {
    /** The audit log this run appends to, or null when it keeps none (e.g. verify without --audit-log). Never throws. */
    Path auditLog();

    /**
     * {@code record} with what this run knows: the bundle (id, channel, sequence), its signers' fingerprints, more
     * overrides. Called after the run, also after a failure; never throws.
     */
    default AuditRecord describe(AuditRecord record) {
        return record;
    }

    /**
     * The bundle id, channel and sequence {@code bundle}'s manifest claims (not verified: for the audit record of a
     * bundle that was refused or failed verification), or {@code record} unchanged when it cannot be read.
     */
    static AuditRecord claimedBy(Path bundle, AuditRecord record) {
        if (bundle == null) {
            return record;
        }
        try {
            Manifest m = BundleReader.open(bundle).manifest();
            return record.withBundle(m.bundleId().toString(), m.channel(), m.sequence());
        } catch (Exception | StackOverflowError e) {
            return record;
        }
    }
}
