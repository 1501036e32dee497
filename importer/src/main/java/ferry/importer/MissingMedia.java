package ferry.importer;

import ferry.format.BundleSource;
import ferry.format.MediumLabel;
import ferry.verifier.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tells the operator which media to insert for the volumes a bundle spread over media still lacks. */
final class MissingMedia {
    private MissingMedia() { }

    static VolumesMissingException exception(BundleSource source, VerificationReport report, List<String> missing) {
        MediumLabel label = null;
        for (Path d : source.directories()) {
            try {
                label = MediumLabel.read(d);
            } catch (IOException e) {
                // the gate checked labels; an unreadable one is simply not used for guidance
            }
            if (label != null) {
                break;
            }
        }
        Map<Integer, List<String>> byMedium = new TreeMap<>();
        for (String v : missing) {
            byMedium.computeIfAbsent(label == null ? 0 : label.mediumOf(v), k -> new ArrayList<>()).add(v);
        }
        List<String> parts = new ArrayList<>();
        for (var e : byMedium.entrySet()) {
            String vs = String.join(", ", e.getValue());
            parts.add(e.getKey() == 0 ? "the media holding " + vs
                    : "medium " + e.getKey() + " of " + label.media() + " (" + vs + ")");
        }
        String id = report.summary().bundleId() == null ? "" : " " + report.summary().bundleId();
        return new VolumesMissingException("bundle" + id + " is incomplete: insert " + String.join(" and ", parts)
                + " and give each with --from; " + missing.size() + " of " + report.summary().volumes()
                + " volume(s) missing from " + source.directories().size() + " director"
                + (source.directories().size() == 1 ? "y" : "ies") + "; the store is unchanged", missing);
    }
}
