package ferry.wsus.catalog;

import ferry.wsus.cab.CabBlob;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;

import java.util.ArrayList;
import java.util.List;

/**
 * What GetUpdateData sends for one stored revision, derived from its metadata document once, when the import writes
 * the revision (table {@code wsus_served_document}, catalog format 5), instead of at every request: a stored
 * revision's metadata never changes, so neither does its cabinet nor the files it names.
 *
 * @param cabinet the {@code XmlUpdateBlobCompressed} cabinet ({@link CabBlob#encode}) when the document travels
 *                compressed by default ({@link #sentCompressed}), else null (sent as plain {@code XmlUpdateBlob})
 * @param files   every file the document names, in document order (empty for none); null when the list cannot be
 *                kept in the catalog's text form (a digest or name holding a TAB or a line break): the server then
 *                reads the files from the document, as for revisions imported before format 5
 */
public record ServedDocument(byte[] cabinet, List<DocumentFile> files) {
    /**
     * Documents above this many bytes of UTF-16 travel as an LZX cabinet; smaller ones as plain text (as the
     * recorded real server does: its small category documents are plain).
     */
    public static final int COMPRESS_ABOVE_UTF16_BYTES = 5120;

    public ServedDocument {
        files = files == null ? null : List.copyOf(files);
    }

    /** Equal when the cabinets hold the same bytes and the file lists are equal (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ServedDocument d && java.util.Arrays.equals(cabinet, d.cabinet)
                && java.util.Objects.equals(files, d.files);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(cabinet) + java.util.Objects.hashCode(files);
    }

    @Override
    public String toString() {
        return "ServedDocument[cabinet=" + (cabinet == null ? "null" : cabinet.length + " bytes") + ", files=" + files + "]";
    }

    /**
     * A file as the document names it.
     *
     * @param sha1Base64 its SHA-1 in base64, as the document spells it ({@code FileDigest})
     * @param fileName   its name
     * @param size       its size in bytes
     */
    public record DocumentFile(String sha1Base64, String fileName, long size) {
    }

    /**
     * Derives what is served for a document: compresses it (about 1 ms of CPU per 10 KB) when it travels compressed.
     *
     * @param xml the metadata document exactly as stored
     * @param doc the same document, parsed
     */
    public static ServedDocument of(String xml, UpdateDocument doc) {
        List<DocumentFile> files = new ArrayList<>(doc.files().size());
        for (UpdateFile f : doc.files()) {
            files.add(new DocumentFile(f.sha1Base64(), f.fileName(), f.size()));
        }
        return new ServedDocument(sentCompressed(xml) ? CabBlob.encode(xml) : null,
                encodable(files) ? files : null);
    }

    /**
     * Whether a document travels as an LZX cabinet when the server is free to choose: when it is larger than
     * {@value #COMPRESS_ABOVE_UTF16_BYTES} bytes of UTF-16 or holds characters XML 1.0 cannot carry.
     */
    public static boolean sentCompressed(String xml) {
        return !plainXmlSafe(xml) || xml.length() * 2L > COMPRESS_ABOVE_UTF16_BYTES;
    }

    /** False when the text holds characters XML 1.0 cannot carry; the cabinet form carries any text. */
    public static boolean plainXmlSafe(String xml) {
        for (int i = 0; i < xml.length(); i++) {
            char c = xml.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                return false;
            }
        }
        return true;
    }

    /** The files in the catalog's text form: per file, digest TAB size TAB name LF; null when not encodable. */
    static String encodeFiles(List<DocumentFile> files) {
        if (files == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (DocumentFile f : files) {
            out.append(f.sha1Base64()).append('\t').append(f.size()).append('\t').append(f.fileName()).append('\n');
        }
        return out.toString();
    }

    /**
     * The files of {@link #encodeFiles}'s text; null for null.
     *
     * @throws IllegalStateException if the text is not in that form (the catalog was damaged)
     */
    static List<DocumentFile> decodeFiles(String text) {
        if (text == null) {
            return null;
        }
        List<DocumentFile> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            int tab1 = text.indexOf('\t', from);
            int tab2 = tab1 < 0 ? -1 : text.indexOf('\t', tab1 + 1);
            if (end < 0 || tab1 < 0 || tab2 < 0 || tab2 > end) {
                throw new IllegalStateException("document file list is malformed at character " + from);
            }
            long size;
            try {
                size = Long.parseLong(text, tab1 + 1, tab2, 10);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("document file list has a malformed size at character " + tab1, e);
            }
            out.add(new DocumentFile(text.substring(from, tab1), text.substring(tab2 + 1, end), size));
            from = end + 1;
        }
        return out;
    }

    private static boolean encodable(List<DocumentFile> files) {
        for (DocumentFile f : files) {
            if (f.sha1Base64() == null || f.fileName() == null
                    || hasSeparator(f.sha1Base64()) || hasSeparator(f.fileName())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSeparator(String s) {
        return s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }
}
