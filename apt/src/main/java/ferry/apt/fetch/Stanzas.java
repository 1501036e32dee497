package ferry.apt.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The upstream's own paragraphs of a Packages index, as it wrote them, for the packages an export carries: the
 * far side publishes them again, so every field the upstream gave (Description, Section, Installed-Size, ...)
 * reaches apt clients unchanged. Read from the index's verified bytes ({@link SuiteReader.Index#verified()}), so
 * nothing here was not checked against the signed Release; the index was already parsed once (with the limits of
 * {@code ControlFileReader}), so this second pass only cuts it into paragraphs.
 */
public final class Stanzas {

    private Stanzas() {
    }

    /**
     * The paragraphs whose {@code Filename} is one of {@code filenames}, each with its lines ending in {@code \n}
     * and without the blank line after it; comment lines ({@code #}) are left out.
     *
     * @return Filename to paragraph text, in index order; a Filename listed twice keeps its first paragraph
     * @throws FetchException naming the index file when its bytes cannot be decompressed
     */
    public static Map<String, String> byFilename(SuiteReader.Index index, Set<String> filenames)
            throws FetchException {
        Map<String, String> out = new LinkedHashMap<>();
        String path = index.file().path();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SuiteReader.decompressed(index.verified(), path), StandardCharsets.UTF_8), 1 << 16)) {
            StringBuilder paragraph = new StringBuilder();
            String filename = null;
            String line;
            do {
                line = r.readLine();
                if (line == null || line.isBlank()) {
                    if (filename != null && filenames.contains(filename)) {
                        out.putIfAbsent(filename, paragraph.toString());
                    }
                    paragraph.setLength(0);
                    filename = null;
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                paragraph.append(line).append('\n');
                if (line.length() > 9 && line.charAt(8) == ':'
                        && line.substring(0, 8).toLowerCase(Locale.ROOT).equals("filename")) {
                    filename = line.substring(9).strip();
                }
            } while (line != null);
        } catch (IOException e) {
            throw new FetchException(path + ": " + e.getMessage(), e);
        }
        return out;
    }
}
