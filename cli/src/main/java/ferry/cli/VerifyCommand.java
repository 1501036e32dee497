package ferry.cli;

import ferry.format.audit.AuditRecord;
import ferry.format.trust.TrustStore;
import ferry.format.BundleSource;
import ferry.verifier.BundleVerifier;
import ferry.verifier.MediumReport;
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
                "With --volume, checks only the named volumes (a volume can be checked before the others arrive).",
                "With --medium, checks one medium of a bundle split over media on its own (its manifest copy, signatures,",
                "label and the volumes it holds) and names which volumes it holds, that they are good, and which media hold",
                "the others. With --from DIR (repeatable), checks a bundle spread over several directories as a whole."},
        footer = {"", "Exit codes: 0 valid, 1 invalid, 2 usage error (e.g. unreadable trust store)."})
public final class VerifyCommand implements Callable<Integer>, Audited {

    @Parameters(paramLabel = "BUNDLE", arity = "0..1", description = "The bundle directory (holding manifest.json).")
    Path bundle;

    @Option(names = "--medium", paramLabel = "PATH", description = "Check one medium alone: a medium-NN directory (or its mount point).")
    Path medium;

    @Option(names = "--from", paramLabel = "DIR", description = "A directory holding part of the bundle: a medium, or the directory of medium-NN directories (repeatable).")
    List<Path> from;

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
        int given = (bundle != null ? 1 : 0) + (medium != null ? 1 : 0) + (from != null && !from.isEmpty() ? 1 : 0);
        if (given != 1) {
            throw new CliException(ExitCodes.USAGE, "give exactly one of BUNDLE, --medium PATH or --from DIR...");
        }
        TrustStore trust = trustStore.load();
        BundleVerifier verifier = new BundleVerifier(trust);
        ConsoleProgress progress = output.progress();
        if (medium != null) {
            MediumReport r = verifier.verifyMedium(medium, Instant.now(), progress);
            progress.end();
            new Output(spec, output.json).resultRaw(r.toJson(), r.toText());
            return r.ok() ? ExitCodes.OK : ExitCodes.INVALID_BUNDLE;
        }
        if (from != null) {
            BundleSource source;
            try {
                source = BundleSource.of(from);
            } catch (java.io.IOException e) {
                throw new CliException(ExitCodes.INVALID_BUNDLE, "--from: " + e.getMessage(), e);
            }
            VerificationReport r = verifier.verify(source, Instant.now(), progress);
            progress.end();
            new Output(spec, output.json).resultRaw(r.toJson(), r.toText());
            return r.ok() ? ExitCodes.OK : ExitCodes.INVALID_BUNDLE;
        }
        VerificationReport report = volumes == null || volumes.isEmpty()
                ? verifier.verify(bundle, Instant.now(), progress)
                : verifier.verifyVolumes(bundle, volumes, Instant.now(), progress);
        progress.end();
        verified = report;
        new Output(spec, output.json).resultRaw(report.toJson(), report.toText());
        return report.ok() ? ExitCodes.OK : ExitCodes.INVALID_BUNDLE;
    }
}
