package ferry.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizesTest {

    @Test
    void mediaSizesParseInTheUnitsOperatorsWrite() {
        assertEquals(4_700_000_000L, Sizes.parse("4.7GB"));
        assertEquals(4095L << 20, Sizes.parse("4095MiB"));
        assertEquals(650L << 20, Sizes.parse("650M"));
        assertEquals(25_000_000_000L, Sizes.parse("25 GB"));
        assertEquals(65536, Sizes.parse("65536"));
        assertEquals(64 << 10, Sizes.parse("64k"));
    }

    @Test
    void nonsenseIsRefusedWithTheTextInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("4.7 floppies"));
        assertEquals("unknown size unit 'FLOPPIES' in 4.7 floppies", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("GB"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999TB"));
    }

    @Test
    void humanSizesUseBinaryUnits() {
        assertEquals("512 B", Sizes.human(512));
        assertEquals("1.5 MiB", Sizes.human(3L << 19));
    }
}
