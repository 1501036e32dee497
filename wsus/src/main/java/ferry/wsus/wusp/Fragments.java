package ferry.wsus.wusp;

import java.util.List;
import java.util.Optional;

/**
 * The metadata fragments of one revision that a Windows Update Agent receives (MS-WUSP 3.1.1.1, "Metadata
 * Table"): derived from the stored update document by {@link FragmentDeriver}. Each fragment is text in the
 * real server's form: no namespace declarations, and therefore not a well-formed XML document; it travels
 * escaped inside the {@code Xml} element of SyncUpdates (Core) and GetExtendedUpdateInfo (the others).
 *
 * @param core      the Core fragment: {@code UpdateIdentity}, {@code Properties} (scan attributes only),
 *                  {@code Relationships}, {@code ApplicabilityRules}
 * @param extended  the Extended fragment: {@code ExtendedProperties}, {@code Files}, {@code HandlerSpecificData}
 * @param localized one per {@code LocalizedProperties} of the document, in document order
 * @param eulas     one per {@code EulaFile} of the document, in document order; usually none
 */
public record Fragments(String core, String extended, List<Localized> localized, List<Eula> eulas) {

    public Fragments {
        localized = List.copyOf(localized);
        eulas = List.copyOf(eulas);
    }

    /** A {@code LocalizedProperties} fragment and its locale, the text of its {@code Language} element. */
    public record Localized(String language, String xml) {
    }

    /**
     * An {@code Eula} fragment; {@code language} is the {@code EulaFile}'s {@code Language} attribute, {@code geoId}
     * its {@code GeoId} attribute if any (MS-WUSP 3.1.1.1: none or empty means "rest of world").
     */
    public record Eula(String language, String geoId, String xml) {
    }

    /** The localized fragment for {@code language} (compared ignoring case), if the document has one. */
    public Optional<Localized> localized(String language) {
        return localized.stream().filter(l -> l.language().equalsIgnoreCase(language)).findFirst();
    }
}
