package ferry.apt.index;

import ferry.apt.deb822.Paragraph;
import ferry.apt.version.DebianVersion;
import ferry.apt.version.InvalidVersionException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One binary package of a {@code Packages} index: what ferry needs to select it, close over its dependencies and
 * fetch it. Immutable.
 *
 * @param multiArch  {@code same}, {@code foreign}, {@code allowed} or {@code no} (absent)
 * @param filename   the {@code .deb}'s path below the repository root, checked safe (relative, no {@code ..})
 * @param size       bytes
 * @param sha256     lower-case hex
 * @param source     the source package's name ({@code Source}, without its version), or the package's own name
 */
public record PackageEntry(String name, DebianVersion version, String architecture, String multiArch,
                           List<List<Relation>> depends, List<List<Relation>> preDepends,
                           List<List<Relation>> recommends, List<Relation> provides, String filename, long size,
                           String sha256, String source) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.\\-]{0,199}");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9\\-]{0,63}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /**
     * @throws IndexFormatException naming the package (when known), the paragraph's line and the field at fault
     */
    public static PackageEntry of(Paragraph p) throws IndexFormatException {
        String where = "line " + p.line();
        String name = p.get("Package").orElse("").strip();
        if (!NAME.matcher(name).matches()) {
            throw new IndexFormatException(where + ": Package: not a package name: '" + clip(name) + "'");
        }
        where = "package " + name + " (line " + p.line() + ")";
        DebianVersion version;
        try {
            version = DebianVersion.parse(p.get("Version").orElse("").strip());
        } catch (InvalidVersionException e) {
            throw new IndexFormatException(where + ": Version: " + e.getMessage());
        }
        String arch = p.get("Architecture").orElse("").strip();
        if (!ARCH.matcher(arch).matches()) {
            throw new IndexFormatException(where + ": Architecture: '" + clip(arch) + "'");
        }
        String multiArch = p.get("Multi-Arch").orElse("no").strip().toLowerCase(Locale.ROOT);
        if (!List.of("same", "foreign", "allowed", "no").contains(multiArch)) {
            throw new IndexFormatException(where + ": Multi-Arch: '" + clip(multiArch) + "'");
        }
        String filename = p.get("Filename").orElse("").strip();
        if (!IndexPaths.safe(filename)) {
            throw new IndexFormatException(where + ": Filename: unsafe or missing: '" + clip(filename) + "'");
        }
        String sizeText = p.get("Size").orElse("").strip();
        if (!sizeText.matches("[0-9]{1,15}")) {
            throw new IndexFormatException(where + ": Size: '" + clip(sizeText) + "'");
        }
        String sha256 = p.get("SHA256").orElse("").strip();
        if (!HEX64.matcher(sha256).matches()) {
            throw new IndexFormatException(where + ": SHA256: missing or not 64 lower-case hex digits");
        }
        String source = p.get("Source").orElse(name).strip();
        int space = source.indexOf(' ');
        source = space < 0 ? source : source.substring(0, space);
        try {
            return new PackageEntry(name, version, arch, multiArch,
                    Relation.parseClauses(p.get("Depends").orElse(""), "Depends"),
                    Relation.parseClauses(p.get("Pre-Depends").orElse(""), "Pre-Depends"),
                    Relation.parseClauses(p.get("Recommends").orElse(""), "Recommends"),
                    Relation.parseList(p.get("Provides").orElse(""), "Provides"),
                    filename, Long.parseLong(sizeText), sha256, source);
        } catch (IndexFormatException e) {
            throw new IndexFormatException(where + ": " + e.getMessage());
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
