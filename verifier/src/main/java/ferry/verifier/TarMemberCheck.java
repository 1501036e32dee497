package ferry.verifier;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * What makes a tar member unsafe to untar (docs/bundle-format.md, "Volumes"): anything but a regular file, or a
 * name that could land outside the directory it is extracted into. ferry itself reads volumes by offset and never
 * by member name; the rule protects an operator who untars a volume by hand.
 */
final class TarMemberCheck {
    private TarMemberCheck() { }

    /**
     * @return why {@code e} is unsafe, as the end of a sentence starting {@code member "<name>" }, or null if safe
     */
    static String unsafe(TarArchiveEntry e) {
        String type = notRegular(e);
        if (type != null) {
            return type + "; a volume may hold only regular files";
        }
        String name = e.getName();
        if (name.isEmpty()) {
            return "has an empty name";
        }
        if (name.indexOf('\0') >= 0) {
            return "has a NUL in its name";
        }
        if (name.indexOf('\\') >= 0) {
            return "has a backslash in its name";
        }
        if (name.startsWith("/")) {
            return "has an absolute name";
        }
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                return "has a \"..\" segment in its name";
            }
        }
        return null;
    }

    private static String notRegular(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return "is a symbolic link to " + quote(e.getLinkName());
        }
        if (e.isLink()) {
            return "is a hard link to " + quote(e.getLinkName());
        }
        if (e.isCharacterDevice()) {
            return "is a character device";
        }
        if (e.isBlockDevice()) {
            return "is a block device";
        }
        if (e.isFIFO()) {
            return "is a FIFO";
        }
        if (e.isDirectory()) {
            return "is a directory";
        }
        if (e.isSparse()) {
            return "is a sparse file";
        }
        byte flag = e.getLinkFlag();
        if (flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM) {
            return "has tar type " + quote(String.valueOf((char) flag)) + ", not a regular file";
        }
        return null;
    }

    /** A member name in double quotes, with control characters escaped so the report stays one line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                b.append("\\0");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
