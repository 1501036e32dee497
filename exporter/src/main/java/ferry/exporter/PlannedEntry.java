package ferry.exporter;

import ferry.format.Entry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * One entry a source type wants carried, as {@link ferry.format.BundleWriter#add} takes it.
 *
 * @param path      the entry path, starting with the source type's directory (e.g. {@code wsus/content/...};
 *                  {@code docs/architecture.md}, "Bundle entry paths")
 * @param mediaType its media type
 * @param source    its source identifiers; {@code kind} names the entry kind the importer's source type claims
 * @param size      its size in bytes; the writer refuses other byte counts
 * @param content   opens its bytes; called once, while the bundle is written
 * @param check     called with what the writer measured (size, SHA-1, SHA-256), e.g. to compare with the source's
 *                  metadata once more; null for none
 */
public record PlannedEntry(String path, String mediaType, Map<String, String> source, long size, Content content,
                           Check check) {

    public PlannedEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mediaType, "media type");
        source = Map.copyOf(source);
        Objects.requireNonNull(content, "content");
    }

    /** Opens an entry's bytes. */
    @FunctionalInterface
    public interface Content {
        /** @throws IOException if the bytes cannot be read */
        InputStream open() throws IOException;
    }

    /** Looks at an entry once written. */
    @FunctionalInterface
    public interface Check {
        /** @throws ExportException when the bytes written are not the ones planned (no bundle is then written) */
        void written(Entry written) throws ExportException;
    }
}
