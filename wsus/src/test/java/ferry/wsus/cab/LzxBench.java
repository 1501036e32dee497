package ferry.wsus.cab;

import ferry.wsus.Fixtures;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark behind bench/lzx.sh (not a test): cabinet sizes of the LZX writer against the real server's cabinets
 * for the same documents, and encode speed in MB/s of UTF-16 input over the recorded documents and a large one.
 *
 * <p>Arguments: seconds to run each speed measurement (default 10).
 */
public final class LzxBench {

    private LzxBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;

        System.out.println("| document | UTF-16 bytes | real server's cabinet | ferry's cabinet | ferry / real |");
        System.out.println("|---|---|---|---|---|");
        long realTotal = 0;
        long oursTotal = 0;
        for (String exchange : new String[] {"000013", "000014", "000016"}) {
            byte[] real = Fixtures.compressedBlobs(exchange).get(0);
            String id = Fixtures.firstId(exchange);
            String xml = CabBlob.decode(real);
            byte[] ours = CabBlob.encode(xml);
            if (!CabBlob.decode(ours).equals(xml)) {
                throw new IllegalStateException("round trip failed for " + id);
            }
            realTotal += real.length;
            oursTotal += ours.length;
            System.out.printf(Locale.ROOT, "| %s (exchange %s) | %d | %d | %d | %.3f |%n", id, exchange,
                    xml.length() * 2, real.length, ours.length, (double) ours.length / real.length);
        }
        System.out.printf(Locale.ROOT, "| all three | | %d | %d | %.3f |%n%n", realTotal, oursTotal,
                (double) oursTotal / realTotal);

        List<String> docs = new ArrayList<>();
        long utf16 = 0;
        long cab = 0;
        for (String name : Fixtures.DOC_NAMES) {
            String xml = Fixtures.doc(name);
            docs.add(xml);
            utf16 += xml.length() * 2L;
            cab += CabBlob.encode(xml).length;
        }
        System.out.printf(Locale.ROOT, "all %d recorded documents: %d UTF-16 bytes -> %d cabinet bytes (%.1f %%)%n%n",
                docs.size(), utf16, cab, 100.0 * cab / utf16);

        StringBuilder large = new StringBuilder();
        for (int i = 0; large.length() < 3 << 20; i++) {
            // the recorded documents again and again, each with a different identity so it is not one long repeat
            large.append(docs.get(i % docs.size()).replace("UpdateID=\"", "UpdateID=\"" + i + "-"));
        }
        String big = large.substring(0, 3 << 20);
        System.out.println("| input | UTF-16 bytes | cabinet bytes | encode MB/s, wall time | encode MB/s, CPU time |");
        System.out.println("|---|---|---|---|---|");
        speed("the 9 recorded documents, one cabinet each", docs, seconds);
        speed("one 3 Mi-character document (recorded documents repeated)", List.of(big), seconds);
    }

    private static void speed(String label, List<String> inputs, double seconds) throws Exception {
        long bytes = 0;
        long cabBytes = 0;
        for (String s : inputs) {
            bytes += s.length() * 2L;
            byte[] cab = CabBlob.encode(s);
            cabBytes += cab.length;
            if (!CabBlob.decode(cab).equals(s)) {
                throw new IllegalStateException("round trip failed");
            }
        }
        // every cabinet measured decoded above; warm up, then measure whole passes over the inputs for at least the given time
        long warmUntil = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmUntil) {
            for (String s : inputs) {
                CabBlob.encode(s);
            }
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long done = 0;
        do {
            for (String s : inputs) {
                done += CabBlob.encode(s).length > 0 ? s.length() * 2L : 0;
            }
        } while (System.nanoTime() - start < seconds * 1e9);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        // CPU time counts only this thread's time on a core, so it moves less when other work shares the machine
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f |%n", label, bytes, cabBytes,
                done / elapsed / 1e6, done / cpu / 1e6);
    }

    @SuppressWarnings("unused")
    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }
}
