package ferry.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional channelReset field: canonical round trip, and the rules the parser keeps by hand. */
class ChannelResetCodecTest {
    static final UUID FROM = UUID.fromString("99999999-8888-4777-8666-555555555555");

    static Manifest manifest(ChannelReset reset, Long base) {
        ManifestHeader h = TestData.header();
        return Manifest.of(new ManifestHeader(h.bundleId(), h.channel(), 7, base, h.createdAt(), h.expiresAt(),
                h.producer(), h.selection(), reset), List.of(), List.of());
    }

    @Test
    void roundTripsCanonically() throws Exception {
        Manifest m = manifest(new ChannelReset(Long.MAX_VALUE, FROM), null);
        byte[] bytes = ManifestCodec.write(m);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"channelReset\":{\"fromBundleId\":\"" + FROM + "\",\"fromSequence\":"
                + Long.MAX_VALUE + "}"), text);
        assertEquals(m, ManifestCodec.read(bytes));
        assertNull(ManifestCodec.read(ManifestCodec.write(manifest(null, null))).channelReset());
    }

    @Test
    void aResetMustBeAFullBundleAndWellFormed() {
        assertThrows(IllegalArgumentException.class, () -> manifest(new ChannelReset(3, FROM), 2L));
        String good = new String(ManifestCodec.write(manifest(new ChannelReset(3, FROM), null)), StandardCharsets.UTF_8);
        String delta = good.replace("\"channelReset\"", "\"baseSequence\":2,\"channelReset\"");
        ManifestCheck c = ManifestCodec.check(delta.getBytes(StandardCharsets.UTF_8));
        assertFalse(c.ok());
        assertEquals("channelReset", c.problems().get(0).field());
        ManifestCheck zero = ManifestCodec.check(good.replace("\"fromSequence\":3", "\"fromSequence\":0")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("channelReset.fromSequence", zero.problems().get(0).field());
        ManifestCheck extra = ManifestCodec.check(good.replace("\"fromSequence\":3", "\"fromSequence\":3,\"x\":1")
                .getBytes(StandardCharsets.UTF_8));
        assertFalse(extra.ok());
    }
}
