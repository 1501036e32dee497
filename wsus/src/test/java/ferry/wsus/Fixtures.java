package ferry.wsus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the recorded WSUS fixtures from the test class path (see wsus-real/PROVENANCE.md). */
public final class Fixtures {

    public static final String[] DOC_NAMES = {
        "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200",
        "266f6222-c89d-43f2-9f8a-69340271e677-r200",
        "56309036-4c77-4dd9-951a-99ee9c246a94-r101",
        "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100",
        "7366a74a-ef29-44e1-b738-570b516aca1f-r200",
        "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200",
        "ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200",
        "dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202",
        "ff36f0b5-dded-4780-8664-cd78af8b62c1-r200",
    };

    private Fixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/wsus-real/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** docs/&lt;name&gt;.xml as text. */
    public static String doc(String name) {
        return text("docs/" + name + ".xml");
    }

    public static String responseBody(String exchange) {
        return text("exchanges/" + exchange + "/response.body");
    }

    public static String requestBody(String exchange) {
        return text("exchanges/" + exchange + "/request.body");
    }

    /** The base64-decoded XmlUpdateBlobCompressed values of a recorded GetUpdateData response. */
    public static List<byte[]> compressedBlobs(String exchange) {
        Matcher m = Pattern.compile("<XmlUpdateBlobCompressed>([^<]*)</XmlUpdateBlobCompressed>")
                .matcher(responseBody(exchange));
        List<byte[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(Base64.getDecoder().decode(m.group(1)));
        }
        return out;
    }

    /** The first Id (UpdateID-rRevision) of a recorded GetUpdateData response. */
    public static String firstId(String exchange) {
        Matcher m = Pattern.compile("<UpdateID>([^<]*)</UpdateID><RevisionNumber>(\\d+)</RevisionNumber>")
                .matcher(responseBody(exchange));
        if (!m.find()) {
            throw new IllegalArgumentException("no Id in " + exchange);
        }
        return m.group(1) + "-r" + m.group(2);
    }
}
