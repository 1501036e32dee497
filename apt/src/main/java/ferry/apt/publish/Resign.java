package ferry.apt.publish;

import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Release ferry published, dated and signed again: the same suite and indexes with a new {@code Date} (and
 * {@code Valid-Until}), for a rollback. Offered a Release whose Date is older than the one it has, apt silently keeps
 * its own (its guard against a downgrade to older, still valid files), so serving an older snapshot's own files would
 * never move a client that updated meanwhile back.
 */
public final class Resign {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Resign() {
    }

    /**
     * @param release    the text of a Release written by {@link ReleaseWriter} (its Date line is replaced)
     * @return Release, InRelease and Release.gpg, in that order, as {@link SnapshotFiles.File}s below {@code suiteDir}
     * @throws IllegalArgumentException if {@code release} has no Date line
     */
    public static List<SnapshotFiles.File> of(String suiteDir, String release, SigningKey key, Instant date,
                                              Optional<Instant> validUntil) {
        StringBuilder b = new StringBuilder();
        boolean dated = false;
        for (String line : release.split("\n")) {
            if (line.startsWith("Valid-Until:")) {
                continue;
            }
            if (line.startsWith("Date:")) {
                b.append("Date: ").append(DATE.format(date)).append('\n');
                validUntil.ifPresent(v -> b.append("Valid-Until: ").append(DATE.format(v)).append('\n'));
                dated = true;
            } else {
                b.append(line).append('\n');
            }
        }
        if (!dated) {
            throw new IllegalArgumentException("Release of " + suiteDir + " has no Date");
        }
        String text = b.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return List.of(file(suiteDir + "/Release", bytes),
                file(suiteDir + "/InRelease", ClearSigned.sign(key, text).getBytes(StandardCharsets.UTF_8)),
                file(suiteDir + "/Release.gpg", DetachedSignatures.sign(key, bytes).getBytes(StandardCharsets.UTF_8)));
    }

    private static SnapshotFiles.File file(String path, byte[] bytes) {
        return new SnapshotFiles.File(path, bytes, IndexFiles.sha256(bytes));
    }
}
