package ferry.verifier;

import java.util.Locale;

/** Renders a report for a terminal: the verdict first, then what the bundle is, then the problems. */
final class ReportText {
    private ReportText() { }

    /** Problems listed before "and N more": keeps the whole report on one screen. */
    static final int MAX_LISTED = 15;

    static String render(VerificationReport r) {
        Summary s = r.summary();
        StringBuilder b = new StringBuilder();
        String scope = r.volumesRequested().isEmpty() ? "" : " (volumes " + String.join(", ", r.volumesRequested()) + " only)";
        if (r.ok()) {
            b.append("OK: bundle verified").append(scope).append('\n');
        } else {
            b.append("FAILED: ").append(r.problemCount()).append(r.problemCount() == 1 ? " problem" : " problems")
                    .append(scope).append('\n');
        }
        b.append("Bundle:   ").append(r.bundle()).append('\n');
        if (s.bundleId() != null) {
            b.append("Id:       ").append(s.bundleId()).append('\n');
            b.append("Channel:  ").append(s.channel()).append(", sequence ").append(s.sequence())
                    .append(s.baseSequence() == null ? " (full)" : " (incremental from " + s.baseSequence() + ")").append('\n');
            b.append("Created:  ").append(s.createdAt()).append(" by ").append(s.producer())
                    .append(s.expiresAt() == null ? "" : ", expires " + s.expiresAt()).append('\n');
        }
        b.append("Signers:  ").append(s.signers().size()).append(" valid of ").append(s.threshold()).append(" required\n");
        for (Signer g : s.signers()) {
            b.append("          ").append(g.fingerprint()).append(' ').append(g.userId()).append('\n');
        }
        if (s.bundleId() != null) {
            b.append("Volumes:  ").append(s.volumes()).append(" (").append(bytes(s.volumeBytes())).append("), ")
                    .append(s.volumesChecked()).append(" checked\n");
            b.append("Entries:  ").append(s.entries()).append(" (").append(bytes(s.entryBytes())).append("), ")
                    .append(s.entriesChecked()).append(" checked\n");
        }
        for (String n : r.notes()) {
            b.append("Note:     ").append(n).append('\n');
        }
        int listed = 0;
        for (Problem p : r.problems()) {
            if (listed++ == MAX_LISTED) {
                break;
            }
            b.append("  - ").append(p.location()).append(": ").append(p.message()).append(" [").append(p.code()).append("]\n");
        }
        if (r.problemCount() > MAX_LISTED) {
            b.append("  ... and ").append(r.problemCount() - MAX_LISTED).append(" more (see the JSON report)\n");
        }
        return b.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
