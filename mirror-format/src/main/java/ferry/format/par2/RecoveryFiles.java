package ferry.format.par2;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Names of PAR 2.0 recovery files, and the rule for the file names a recovery set may hold. */
public final class RecoveryFiles {
    private RecoveryFiles() { }

    private static final Pattern PAR2_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,200}\\.par2");

    /**
     * par2cmdline's naming: {@code <base>.vol<first>+<count>.par2}, both zero-padded to the widths the largest
     * values need (e.g. {@code recovery.vol000+40.par2}).
     */
    static String volumeFileName(String base, int first, int n, int total, int perFile) {
        int fw = Math.max(2, String.valueOf(Math.max(0, total - 1)).length());
        int cw = Math.max(2, String.valueOf(perFile).length());
        return String.format("%s.vol%0" + fw + "d+%0" + cw + "d.par2", base, first, n);
    }

    /** Whether {@code name} is shaped like a PAR 2.0 file name (letters, digits, {@code ._+-}, ending {@code .par2}). */
    public static boolean isPar2FileName(String name) {
        return PAR2_NAME.matcher(name).matches();
    }

    /** The regular files named {@code *.par2} directly in {@code dir}, sorted by name (symbolic links skipped). */
    public static List<Path> find(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (isPar2FileName(p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Refuses a file name that could leave the base directory: it must be relative, {@code /}-separated, with no
     * empty, {@code .} or {@code ..} component, no backslash, colon or control character. Names in recovery
     * files are not signed, so a repair must never write outside its directory because one says so.
     *
     * @throws IllegalArgumentException naming the bad name
     */
    public static void checkName(String name) {
        boolean bad = name.isEmpty() || name.length() > 4096 || name.startsWith("/") || name.endsWith("/");
        for (int i = 0; !bad && i < name.length(); i++) {
            char c = name.charAt(i);
            bad = c == '\\' || c == ':' || c < 0x20 || c == 0x7f;
        }
        if (!bad) {
            for (String part : name.split("/", -1)) {
                bad |= part.isEmpty() || part.equals(".") || part.equals("..");
            }
        }
        if (bad) {
            throw new IllegalArgumentException("file name not allowed in a recovery set: \"" + name + "\"");
        }
    }
}
