package ferry.exporter;

import ferry.exporter.apt.AptExport;
import ferry.exporter.wsus.WsusExport;

import java.util.List;

/** The source types this exporter knows. */
public final class SourceExports {

    /** The export halves of the source types, one line each. */
    static final List<SourceExport> ALL = List.of(WsusExport.INSTANCE, AptExport.INSTANCE);

    private SourceExports() {
    }

    /** The names of the known source types, e.g. {@code [wsus, apt]}. */
    public static List<String> names() {
        return ALL.stream().map(SourceExport::name).toList();
    }

    /** @throws IllegalArgumentException for a name no source type has */
    static SourceExport named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown source type \"" + name + "\" (known: "
                        + String.join(", ", names()) + ")"));
    }
}
