package ferry.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.format.BundleLayout;
import ferry.format.MediumLabel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of verifying one medium alone ({@link BundleVerifier#verifyMedium}): the report, which volumes the
 * medium holds and whether each is good, and which volumes are on other media (per the medium's label, which is a
 * guide only: the manifest decides what a volume must be). Immutable.
 *
 * @param report the verification of the manifest, signatures, label, layout and the volumes held
 * @param label  the medium's label, or null when it has none or it is unreadable (then a problem says so)
 * @param held   the volumes this medium holds, in order
 */
public record MediumReport(VerificationReport report, MediumLabel label, List<String> held) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MediumReport {
        held = List.copyOf(held);
    }

    /** Whether the medium verified: no problem with anything it carries. */
    public boolean ok() {
        return report.ok();
    }

    /** Each held volume and whether it is good (size and SHA-256 as the manifest says, safe tar members). */
    public Map<String, Boolean> heldVolumes() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String v : held) {
            boolean bad = report.problems().stream().anyMatch(p -> p.location().equals("volume " + v));
            out.put(v, report.summary().bundleId() != null && !bad);
        }
        return out;
    }

    /**
     * The manifest's volumes this medium does not hold, with the medium (1-based) its label puts each on, 0 when the
     * label does not say; empty when the manifest was not admitted.
     */
    public Map<String, Integer> elsewhere() {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (report.summary().bundleId() == null) {
            return out;
        }
        for (int i = 1; i <= report.summary().volumes(); i++) {
            String v = BundleLayout.volumeName(i);
            if (!held.contains(v)) {
                out.put(v, label == null ? 0 : label.mediumOf(v));
            }
        }
        return out;
    }

    /** Terminal text: the verdict naming the medium, what it holds, what is elsewhere, then the report. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        String which = label == null ? "medium" : "medium " + label.medium() + " of " + label.media();
        b.append(ok() ? "OK: " : "FAILED: ").append(which).append(ok() ? " verified" : " has problems").append('\n');
        if (label != null) {
            b.append("Label:    ").append(label.label()).append('\n');
        }
        List<String> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        heldVolumes().forEach((v, g) -> (g ? good : bad).add(v));
        b.append("Holds:    ").append(held.isEmpty() ? "no volume" : String.join(", ", held)).append('\n');
        if (!good.isEmpty()) {
            b.append("Good:     ").append(String.join(", ", good)).append('\n');
        }
        if (!bad.isEmpty()) {
            b.append("Bad:      ").append(String.join(", ", bad)).append('\n');
        }
        Map<Integer, List<String>> byMedium = new java.util.TreeMap<>();
        elsewhere().forEach((v, m) -> byMedium.computeIfAbsent(m, k -> new ArrayList<>()).add(v));
        if (!byMedium.isEmpty()) {
            List<String> parts = new ArrayList<>();
            byMedium.forEach((m, vs) -> parts.add(String.join(", ", vs) + (m == 0 ? " (medium unknown)"
                    : " on medium " + m + (label == null ? "" : " of " + label.media()))));
            b.append("Elsewhere: ").append(String.join("; ", parts)).append('\n');
        }
        b.append(report.toText());
        return b.toString();
    }

    /** JSON: {@code ok}, {@code medium}, {@code media}, {@code label}, {@code held} {volume: good}, {@code elsewhere}
     * {volume: medium}, {@code report} (the {@link VerificationReport#toJson()} object). */
    public String toJson() {
        try {
            ObjectNode o = JSON.createObjectNode();
            o.put("ok", ok());
            if (label != null) {
                o.put("medium", label.medium());
                o.put("media", label.media());
                o.put("label", label.label());
            }
            o.set("held", JSON.valueToTree(heldVolumes()));
            o.set("elsewhere", JSON.valueToTree(elsewhere()));
            o.set("report", JSON.readTree(report.toJson()));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
