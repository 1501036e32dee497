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
    void presetsGiveEachMediumsExactBytes() {
        assertEquals(4_294_967_295L, Sizes.parse("fat32"));
        assertEquals(4_700_372_992L, Sizes.parse("dvd"));
        assertEquals(8_543_666_176L, Sizes.parse("DVD-DL"));
        assertEquals(25_025_314_816L, Sizes.parse("bd25"));
        assertEquals(50_050_629_632L, Sizes.parse("bd50"));
        assertEquals(100_103_356_416L, Sizes.parse("bd100"));
    }

    @Test
    void nonsenseIsRefusedWithTheTextInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("4.7 floppies"));
        assertEquals("unknown size unit 'FLOPPIES' in 4.7 floppies (or a preset: fat32, dvd, dvd-dl, bd25, bd50, bd100)",
                e.getMessage());
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
