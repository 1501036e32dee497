package ferry.cli;

import ferry.format.audit.AuditRecord;
import ferry.format.trust.TrustStore;
import ferry.verifier.BundleVerifier;
import ferry.verifier.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ferry verify}: the transfer station's check. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a bundle offline: signatures against the trust store and its threshold, each volume's and",
                "each entry's size and SHA-256, nothing missing and nothing extra, expiry.",
                "Prints OK or every problem found, each naming the volume, entry, signature or manifest field at fault.",
                "With --volume, checks only the named volumes (a volume can be checked before the others arrive)."},
        footer = {"", "Exit codes: 0 valid, 1 invalid, 2 usage error (e.g. unreadable trust store)."})
public final class VerifyCommand implements Callable<Integer>, Audited {

    @Parameters(paramLabel = "BUNDLE", description = "The bundle directory (holding manifest.json).")
    Path bundle;

    @Mixin
    TrustStoreOption trustStore;

    @Option(names = "--volume", paramLabel = "NAME", description = "Check only this volume (repeatable), e.g. volume-0002.tar.")
    List<String> volumes;

    @Mixin
    OutputOptions output;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    /** The report of this run, for the audit record (null until it finished). */
    private VerificationReport verified;

    /** The transfer station keeps an audit log only where it is told to (it has no state of its own). */
    @Override
    public Path auditLog() {
        return audit.file;
    }

    @Override
    public AuditRecord describe(AuditRecord record) {
        if (verified == null || verified.summary() == null || verified.summary().bundleId() == null) {
            return Audited.claimedBy(bundle, record);
        }
        var s = verified.summary();
        return record.withBundle(s.bundleId().toString(), s.channel(), s.sequence())
                .withSigners(s.signers().stream().map(ferry.verifier.Signer::fingerprint).toList())
                .withResult(record.result(), record.exitCode(), verified.ok() ? null
                        : verified.problemCount() + " problem(s), first: " + verified.problems().get(0).message());
    }

    @Override
    public Integer call() {
        TrustStore trust = trustStore.load();
        BundleVerifier verifier = new BundleVerifier(trust);
        ConsoleProgress progress = output.progress();
        VerificationReport report = volumes == null || volumes.isEmpty()
                ? verifier.verify(bundle, Instant.now(), progress)
                : verifier.verifyVolumes(bundle, volumes, Instant.now(), progress);
        progress.end();
        verified = report;
        new Output(spec, output.json).resultRaw(report.toJson(), report.toText());
        return report.ok() ? ExitCodes.OK : ExitCodes.INVALID_BUNDLE;
    }
}
