package ferry.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code ferry export --source wsus} selects from the upstream, and the approval set it carries. */
final class WsusSelectionOptions {
    @Option(names = "--product", paramLabel = "NAME|GUID", description = "A product to export, by title or category GUID (repeatable; at least one for wsus).")
    List<String> products = new ArrayList<>();

    @Option(names = "--classification", paramLabel = "NAME|GUID", description = "A classification, e.g. \"Security Updates\" (repeatable; default: all).")
    List<String> classifications = new ArrayList<>();

    @Option(names = "--language", paramLabel = "CODE", description = "A language code as the upstream lists it, e.g. en (repeatable; default: all).")
    List<String> languages = new ArrayList<>();

    @Option(names = "--metadata-only", description = "Carry update metadata only, no update files (wsus).")
    boolean metadataOnly;

    @Option(names = "--approvals", paramLabel = "FILE",
            description = "wsus: carry this approval set (YAML or JSON: groups, approvals by update, KB, product or"
                    + " classification, declines, automatic-approval rules) signed in the bundle; the import applies it"
                    + " in place of the set the channel's earlier bundles carried (docs/windows-clients.md).")
    Path approvals;
}
