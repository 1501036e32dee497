package ferry.format.pgp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * OpenPGP ASCII armor (RFC 4880 section 6), written and read here rather than through Bouncy Castle's
 * armored streams so that every byte of a signature file is checked: a reader that skips unknown bytes
 * would let a damaged signature file pass.
 *
 * <p>Written form: {@code -----BEGIN PGP <TYPE>-----}, an empty line, base64 in lines of 64 characters,
 * {@code =} plus the base64 CRC-24, {@code -----END PGP <TYPE>-----}, each line ending in LF.
 */
final class Armor {
    private Armor() { }

    static final String SIGNATURE = "SIGNATURE";
    static final String PUBLIC_KEY = "PUBLIC KEY BLOCK";
    static final String PRIVATE_KEY = "PRIVATE KEY BLOCK";

    static String encode(String type, byte[] data) {
        StringBuilder b = new StringBuilder();
        b.append("-----BEGIN PGP ").append(type).append("-----\n\n");
        String base64 = Base64.getEncoder().encodeToString(data);
        for (int i = 0; i < base64.length(); i += 64) {
            b.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        int crc = crc24(data);
        byte[] crcBytes = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
        b.append('=').append(Base64.getEncoder().encodeToString(crcBytes)).append('\n');
        b.append("-----END PGP ").append(type).append("-----\n");
        return b.toString();
    }

    /**
     * Decodes one armored block.
     *
     * @param strict when true (signatures in a bundle): no armor headers, a CRC line is required, nothing
     *               may follow the END line but one line ending. When false (key files from gpg and
     *               others): armor headers are allowed and ignored, the CRC line is optional, and text
     *               before BEGIN and after END is ignored.
     * @throws KeyException saying what is wrong (the caller adds the file name)
     */
    static byte[] decode(String type, byte[] text, boolean strict) throws KeyException {
        for (byte c : text) {
            if (c < 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
                throw new KeyException("armor holds a byte that is not printable ASCII");
            }
        }
        String s = new String(text, StandardCharsets.US_ASCII);
        String[] lines = s.split("\r?\n", -1);
        String begin = "-----BEGIN PGP " + type + "-----";
        String end = "-----END PGP " + type + "-----";
        int i = 0;
        if (strict) {
            if (!lines[0].equals(begin)) {
                throw new KeyException("does not start with '" + begin + "'");
            }
        } else {
            while (i < lines.length && !lines[i].trim().equals(begin)) {
                i++;
            }
            if (i == lines.length) {
                throw new KeyException("no '" + begin + "' line");
            }
        }
        i++;
        // armor headers up to the first empty line
        while (i < lines.length && !lines[i].isEmpty()) {
            if (strict) {
                throw new KeyException("armor headers are not allowed");
            }
            if (!lines[i].contains(": ")) {
                break; // some writers omit the blank line when there are no headers
            }
            i++;
        }
        if (i < lines.length && lines[i].isEmpty()) {
            i++;
        }
        StringBuilder body = new StringBuilder();
        String crcLine = null;
        for (; i < lines.length; i++) {
            String line = strict ? lines[i] : lines[i].trim();
            if (line.equals(end)) {
                break;
            }
            if (crcLine != null) {
                throw new KeyException("data after the checksum line");
            }
            if (line.startsWith("=")) {
                crcLine = line.substring(1);
            } else {
                if (line.length() > 76) {
                    throw new KeyException("armor line longer than 76 characters");
                }
                body.append(line);
            }
        }
        if (i == lines.length) {
            throw new KeyException("no '" + end + "' line");
        }
        if (strict) {
            boolean tailOk = i == lines.length - 1 || (i == lines.length - 2 && lines[i + 1].isEmpty());
            if (!tailOk) {
                throw new KeyException("data after '" + end + "'");
            }
        }
        byte[] data = canonicalBase64(body.toString(), "armor body");
        if (data.length == 0) {
            throw new KeyException("empty armor body");
        }
        if (crcLine == null) {
            if (strict) {
                throw new KeyException("armor checksum line missing");
            }
        } else {
            byte[] crc = canonicalBase64(crcLine, "armor checksum");
            int expected = crc.length == 3 ? ((crc[0] & 0xff) << 16) | ((crc[1] & 0xff) << 8) | (crc[2] & 0xff) : -1;
            if (expected != crc24(data)) {
                throw new KeyException("armor checksum mismatch (the file is damaged)");
            }
        }
        return data;
    }

    /** Decodes base64, refusing any spelling but the one the encoder produces (no stray bits, padding). */
    private static byte[] canonicalBase64(String text, String what) throws KeyException {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new KeyException(what + " is not valid base64");
        }
        if (!Base64.getEncoder().encodeToString(data).equals(text)) {
            throw new KeyException(what + " is not canonical base64");
        }
        return data;
    }

    static int crc24(byte[] data) {
        int crc = 0xB704CE;
        for (byte b : data) {
            crc ^= (b & 0xff) << 16;
            for (int k = 0; k < 8; k++) {
                crc <<= 1;
                if ((crc & 0x1000000) != 0) {
                    crc ^= 0x1864CFB;
                }
            }
        }
        return crc & 0xFFFFFF;
    }
}
