package ferry.exporter.wsus;

import java.util.List;

/**
 * The operator's selection resolved against the upstream.
 *
 * @param products        resolved products (GUID, title)
 * @param classifications resolved classifications; empty = all
 * @param languages       language short codes as given (empty = all)
 * @param languageIds     their LCIDs from GetConfigData's LanguageUpdateList (3.1.4.4.3.3)
 */
record Selection(List<CategoryRef> products, List<CategoryRef> classifications, List<String> languages,
                 List<Integer> languageIds) {

    Selection {
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
        languages = List.copyOf(languages);
        languageIds = List.copyOf(languageIds);
    }

    List<String> productIds() {
        return products.stream().map(CategoryRef::id).toList();
    }

    List<String> classificationIds() {
        return classifications.stream().map(CategoryRef::id).toList();
    }
}
