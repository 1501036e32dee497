package ferry.wsus.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.cab.CabBlob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GetUpdateData's cabinets: each decodes to its own document, in order; kept ones are reused within the budget. */
class BlobCabinetsTest {
    private static final UpdateIdentity A = new UpdateIdentity("00000000-0000-0000-0000-00000000000a", 1);
    private static final UpdateIdentity B = new UpdateIdentity("00000000-0000-0000-0000-00000000000b", 1);

    private static String doc(String name) {
        return "<Update name=\"" + name + "\">" + "<Property>x</Property>".repeat(400) + "</Update>";
    }

    @Test
    void cabinetsDecodeToTheirDocumentsInOrderAndAreKept() throws Exception {
        BlobCabinets cabinets = new BlobCabinets(BlobCabinets.DEFAULT_BUDGET_BYTES);
        List<byte[]> first = cabinets.cabinets(List.of(A, B), List.of(doc("a"), doc("b")));
        assertEquals(doc("a"), CabBlob.decode(first.get(0)));
        assertEquals(doc("b"), CabBlob.decode(first.get(1)));
        List<byte[]> again = cabinets.cabinets(List.of(B, A), List.of(doc("b"), doc("a")));
        assertSame(first.get(1), again.get(0), "kept, not compressed again");
        assertSame(first.get(0), again.get(1));
    }

    @Test
    void theLeastRecentlyUsedLeaveWhenTheBudgetIsFull() throws Exception {
        int one = CabBlob.encode(doc("a")).length;
        BlobCabinets cabinets = new BlobCabinets(one + one / 2); // room for one cabinet only
        byte[] a = cabinets.cabinets(List.of(A), List.of(doc("a"))).get(0);
        cabinets.cabinets(List.of(B), List.of(doc("b")));
        byte[] a2 = cabinets.cabinets(List.of(A), List.of(doc("a"))).get(0);
        assertNotSame(a, a2, "A left when B came");
        assertEquals(doc("a"), CabBlob.decode(a2));
    }
}
