package ferry.cli;

import ferry.wsus.catalog.UpdateSelector;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options naming updates for {@code approve} and {@code decline}: each repeatable, all combined. */
final class UpdateSelectorOptions {
    @Option(names = "--update", paramLabel = "ID", description = "An update id (GUID). Repeatable.")
    List<String> updateIds = new ArrayList<>();

    @Option(names = "--kb", paramLabel = "N", description = "A KB article number, e.g. 5034441 or KB5034441. Repeatable.")
    List<String> kbs = new ArrayList<>();

    @Option(names = "--product", paramLabel = "NAME",
            description = "A product by title (case ignored, e.g. \"Windows 11\") or id. Repeatable.")
    List<String> products = new ArrayList<>();

    @Option(names = "--classification", paramLabel = "NAME",
            description = "A classification by title (case ignored, e.g. \"Security Updates\") or id. Repeatable.")
    List<String> classifications = new ArrayList<>();

    UpdateSelector selector() {
        return new UpdateSelector(updateIds, kbs, products, classifications);
    }

    static final String RULES = "Updates are selected by --update, --kb, --product and --classification: a repeated"
            + " option matches any of its values, different options must all match (e.g. --product \"Windows 11\""
            + " --classification \"Security Updates\"). Only the latest revision of software and driver updates is"
            + " selected; updates contained in a bundle follow their bundle.";
}
