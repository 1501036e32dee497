package ferry.exporter;

/**
 * What a source type found in one run (its selection as resolved, what it counted), for {@link ExportResult}. An
 * implementation is a record; its JSON properties appear among the result's own ({@code ferry export --json}), next
 * to {@code source}, so they must not reuse the result's property names.
 */
public interface ExportFigures {
}
