package ferry.store;

import java.util.List;
import java.util.Objects;

/**
 * Sizes of the catalog, for a status page; all from one committed state.
 *
 * @param bundles  imported bundles
 * @param channels channels with at least one bundle
 * @param sources  each source type's figures ({@link SourceCatalog#counts}), in the order the store was opened with
 */
public record StoreCounts(long bundles, long channels, List<Source> sources) {
    public StoreCounts {
        sources = List.copyOf(sources);
    }

    /** One source type's figures. */
    public record Source(String name, List<SourceCatalog.Count> counts) {
        public Source {
            Objects.requireNonNull(name, "name");
            counts = List.copyOf(counts);
        }

        /** The figure called {@code count}, or 0 if the source reports none by that name. */
        public long get(String count) {
            return counts.stream().filter(c -> c.name().equals(count)).mapToLong(SourceCatalog.Count::value)
                    .findFirst().orElse(0);
        }
    }

    /** The figures of source type {@code name}, or none if the store was not opened with it. */
    public java.util.Optional<Source> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
