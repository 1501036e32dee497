package ferry.exporter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * What a source type wants in the channel's next bundle ({@link SourceExport#plan}).
 *
 * @param entries   the entries to carry, in this order; empty when nothing is new (then no bundle is written and
 *                  the state is left as it is)
 * @param selection the manifest's {@code selection} object, the source type's own shape (at most 1 MiB;
 *                  {@code docs/bundle-format.md}); null when nothing is new
 * @param nextState the source type's part of the state to record with this bundle: a Jackson-serializable record
 *                  that {@link SourceExport.Context#baseline} reads back on the next run; null when nothing is new
 * @param figures   what the run found, for the result (its JSON properties appear in {@code ExportResult}'s)
 * @param summary   one line for the progress output, e.g. {@code 12 revisions, 5 files}; null when nothing is new
 */
public record ExportPlan(List<PlannedEntry> entries, ObjectNode selection, Object nextState, ExportFigures figures,
                         String summary) {

    /** @throws NullPointerException when entries or figures are missing, or a bundle's selection, state or summary */
    public ExportPlan {
        entries = List.copyOf(entries);
        Objects.requireNonNull(figures, "figures");
        if (!entries.isEmpty()) {
            Objects.requireNonNull(selection, "selection");
            Objects.requireNonNull(nextState, "next state");
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** Nothing to carry: the channel already has everything selected. */
    public static ExportPlan nothing(ExportFigures figures) {
        return new ExportPlan(List.of(), null, null, figures, null);
    }

    /** True when there is nothing to carry. */
    public boolean nothingNew() {
        return entries.isEmpty();
    }

    /** The bytes the entries hold. */
    public long totalBytes() {
        return entries.stream().mapToLong(PlannedEntry::size).sum();
    }
}
