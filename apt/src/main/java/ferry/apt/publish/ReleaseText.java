package ferry.apt.publish;

import ferry.apt.deb822.ControlFileException;
import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import java.io.IOException;
import java.io.StringReader;

/**
 * The upstream's Release as the bundle carries it, read for what the published Release repeats (Origin, Label,
 * Suite, Codename, Version, Description). Its signature was checked against the operator's upstream keyring on the
 * connected side and the bundle's signatures cover it; here only the text matters, so a clearsigned
 * {@code InRelease} is unwrapped (RFC 4880 7.1: the text between the armor header's blank line and the signature,
 * dash-escapes removed) without checking its signature again.
 */
public final class ReleaseText {
    private static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    private ReleaseText() {
    }

    /**
     * @param text        the file's text
     * @param clearsigned whether it is an {@code InRelease}
     * @return its first paragraph
     * @throws ControlFileException if the clearsigned wrapper is malformed or the text is not a control file
     */
    public static Paragraph parse(String text, boolean clearsigned) throws ControlFileException {
        String body = clearsigned ? unwrap(text) : text;
        try (ControlFileReader r = new ControlFileReader(new StringReader(body), "Release")) {
            Paragraph p = r.next();
            if (p == null) {
                throw new ControlFileException("Release: no fields");
            }
            return p;
        } catch (IOException e) {
            throw new ControlFileException("Release: " + e.getMessage(), e);
        }
    }

    static String unwrap(String text) throws ControlFileException {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i >= lines.length || !lines[i].equals(BEGIN)) {
            throw new ControlFileException("InRelease: does not begin with " + BEGIN);
        }
        i++;
        while (i < lines.length && !lines[i].isEmpty()) {
            i++; // armor headers (Hash: ...)
        }
        StringBuilder b = new StringBuilder();
        for (i++; i < lines.length; i++) {
            if (lines[i].equals(SIGNATURE)) {
                return b.toString();
            }
            b.append(lines[i].startsWith("- ") ? lines[i].substring(2) : lines[i]).append('\n');
        }
        throw new ControlFileException("InRelease: no " + SIGNATURE);
    }
}
