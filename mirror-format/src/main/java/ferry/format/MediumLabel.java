package ferry.format;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The label file {@code medium.json} of one medium of a bundle split over media (docs/bundle-format.md, section 11):
 * which medium this is ("medium 2 of 5"), the volumes it holds, and which volumes every other medium holds, so that
 * an operator is told exactly which medium to insert.
 *
 * <p>The label is <em>not</em> signed and decides nothing: what a medium holds is what its {@code volumes/} directory
 * holds, and every volume is checked against the signed manifest. The trust gate only checks that a label names the
 * bundle (id and manifest SHA-256) it lies beside; a label that does not is a problem of the medium.
 *
 * @param formatVersion  1
 * @param label          the text to write on the medium, e.g. {@code ferry bundle 3f2e… channel wsus-main
 *                       sequence 42: medium 2 of 5}
 * @param bundleId       the bundle's id
 * @param channel        the bundle's channel
 * @param sequence       the bundle's sequence number
 * @param manifestSha256 SHA-256 of the bundle's manifest bytes, lower-case hex
 * @param medium         this medium's number, 1-based
 * @param media          how many media the bundle has
 * @param volumes        the volumes this medium holds, in order
 * @param mediaVolumes   for each medium in order, the volumes it holds ({@code mediaVolumes.get(medium - 1)} equals
 *                       {@code volumes})
 */
@JsonPropertyOrder({"formatVersion", "label", "bundleId", "channel", "sequence", "manifestSha256", "medium", "media",
        "volumes", "mediaVolumes"})
public record MediumLabel(int formatVersion, String label, UUID bundleId, String channel, long sequence,
                          String manifestSha256, int medium, int media, List<String> volumes,
                          List<List<String>> mediaVolumes) {
    /** The only label format version. */
    public static final int FORMAT_VERSION = 1;
    private static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    public MediumLabel {
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported medium label format version " + formatVersion);
        }
        if (media < 1 || medium < 1 || medium > media || mediaVolumes == null || mediaVolumes.size() != media) {
            throw new IllegalArgumentException("medium " + medium + " of " + media + " does not match the "
                    + (mediaVolumes == null ? 0 : mediaVolumes.size()) + " media listed");
        }
        List<List<String>> copy = new ArrayList<>();
        for (List<String> l : mediaVolumes) {
            for (String v : l) {
                if (BundleLayout.volumeIndex(v) < 0) {
                    throw new IllegalArgumentException("not a volume name: " + v);
                }
            }
            copy.add(List.copyOf(l));
        }
        mediaVolumes = List.copyOf(copy);
        volumes = List.copyOf(volumes);
        if (!volumes.equals(mediaVolumes.get(medium - 1))) {
            throw new IllegalArgumentException("volumes differ from mediaVolumes[" + (medium - 1) + "]");
        }
    }

    /** The human label of medium {@code medium} of {@code media} of a bundle. */
    public static String text(Manifest m, int medium, int media) {
        return "ferry bundle " + m.bundleId() + " channel " + m.channel() + " sequence " + m.sequence() + ": medium "
                + medium + " of " + media;
    }

    /** The medium (1-based) holding {@code volumeName} according to this label, or 0 when none lists it. */
    public int mediumOf(String volumeName) {
        for (int i = 0; i < mediaVolumes.size(); i++) {
            if (mediaVolumes.get(i).contains(volumeName)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The label as written to {@code medium.json}: pretty-printed JSON, UTF-8. */
    public byte[] toBytes() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code dir/medium.json}.
     *
     * @return null when the directory has no label
     * @throws BundleFormatException ({@code field()} = {@code medium.json}) if the label is not a regular file, is
     *         larger than 4 MiB or is not a valid label
     * @throws IOException if it cannot be read
     */
    public static MediumLabel read(Path dir) throws IOException {
        Path f = dir.resolve(BundleLayout.MEDIUM_LABEL);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleFormatException(BundleLayout.MEDIUM_LABEL, "is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new BundleFormatException(BundleLayout.MEDIUM_LABEL, "larger than " + MAX_BYTES + " bytes");
        }
        try {
            return JSON.readValue(bytes, MediumLabel.class);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            if (e.getCause() instanceof IllegalArgumentException c) {
                why = c.getMessage();
            }
            throw new BundleFormatException(BundleLayout.MEDIUM_LABEL, "not a valid medium label: " + why);
        }
    }
}
