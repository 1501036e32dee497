package ferry.cli;

import ferry.format.par2.RecoveryException;
import ferry.format.par2.RecoveryFiles;
import ferry.format.par2.RecoveryRepair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry repair}: rebuilds damaged or missing files of a bundle from its PAR 2.0 recovery files. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Rebuild damaged or missing volumes of a bundle from its PAR 2.0 recovery files (written by"
                + " `ferry export --recovery 10%%`, or by `par2 create`). The recovery data covers manifest.json, the"
                + " signatures, any trust change and the volumes; a rebuilt file replaces the damaged one only once it"
                + " matches its MD5 in the recovery set. A bundle split over media carries recovery files on each"
                + " medium: repair one medium at a time (give its directory). Recovery files are not"
                + " signed: verify the bundle afterwards (`ferry verify`, or"
                + " `ferry import`, which verifies).",
                "",
                "`par2 repair -p BUNDLE/recovery.par2` does the same (-p removes its backups of damaged files, which"
                        + " ferry verify would report as unexpected files)."},
        footer = {"", "Exit codes: 0 intact or repaired, 1 damage beyond the recovery data (nothing changed) or no"
                + " recovery files, 2 usage error (also: the directory of a bundle split over media; give a medium),"
                + " 10 internal error."})
public final class RepairCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUNDLE", description = "The bundle directory, or one medium of a bundle split over media"
            + " (holding recovery.par2 and the volumes).")
    Path bundle;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** The --json result. */
    public record Result(String bundle, boolean intact, List<String> damaged, List<String> repaired,
                         int damagedSlices, int recoverySlices) {
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(bundle)) {
            throw new CliException(ExitCodes.USAGE, "bundle directory " + bundle + " does not exist");
        }
        Path dir = bundle.toAbsolutePath().normalize();
        ConsoleProgress progress = output.progress();
        try {
            List<Path> par2 = RecoveryFiles.find(dir);
            if (par2.isEmpty()) {
                Path medium = dir.resolve(ferry.format.BundleLayout.mediumDirName(1));
                if (!Files.isDirectory(medium)) {
                    throw new CliException(ExitCodes.INVALID_BUNDLE, "no recovery files (*.par2) in " + dir
                            + "; export with --recovery to write them");
                }
                throw new CliException(ExitCodes.USAGE, dir + " holds a bundle split over media, whose recovery files"
                        + " are on each medium: repair one medium at a time, e.g. ferry repair " + medium);
            }
            RecoveryRepair r = RecoveryRepair.scan(dir, par2, progress);
            RecoveryRepair.Scan s = r.result();
            List<String> repaired = r.repair(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4), progress);
            progress.end();
            Result res = new Result(dir.toString(), s.intact(), s.damagedFiles(), repaired, s.damagedSlices(),
                    s.recoverySlices());
            String text = s.intact() ? "Intact: every file of " + dir + " matches its recovery set ("
                    + s.files().size() + " files, " + s.recoverySlices() + " recovery slices)"
                    : "Repaired: " + String.join(", ", repaired) + " (" + s.damagedSlices() + " slice(s) rebuilt from "
                    + s.recoverySlices() + " recovery slices)\n  now verify it: ferry verify " + bundle
                    + " --trust-store DIR";
            new Output(spec, output.json).result(res, text);
            return ExitCodes.OK;
        } catch (RecoveryException e) {
            progress.end();
            throw new CliException(ExitCodes.INVALID_BUNDLE, dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            progress.end();
            throw new CliException(ExitCodes.INVALID_BUNDLE, "cannot repair " + dir + ": " + e.getMessage(), e);
        }
    }
}
