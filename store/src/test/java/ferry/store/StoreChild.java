package ferry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A second JVM working on a store: for locking across processes and for hard stops mid-import. */
public final class StoreChild {
    static final int HALTED = 42;
    static final int OPENED = 0;
    static final int LOCKED = 5;
    static final String CHANNEL = "main";
    /** Items (and objects) in a {@link #sampleBundle}. */
    static final int ITEMS = 4;

    private StoreChild() {
    }

    /** Four items, each with its own stored object; bundle {@code id} at sequence {@code seq} of channel "main". */
    static ImportRecord<ProbeWrite.Result> sampleBundle(Store store, String id, int seq) {
        return sampleBundle(store::putObject, id, seq);
    }

    static ImportRecord<ProbeWrite.Result> sampleBundle(Fixtures.Sink store, String id, int seq) {
        List<ProbeWrite.Item> items = new ArrayList<>();
        for (int i = 1; i <= ITEMS; i++) {
            items.add(Fixtures.item(store, id + "-item" + i, "content " + i + " of " + id, "kind" + i, "common"));
        }
        return Fixtures.bundle(id, CHANNEL, seq, null, items);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "open" -> {
                try (Store store = Fixtures.open(dir)) {
                    System.out.println("opened " + store.directory());
                    System.exit(OPENED);
                } catch (StoreLockedException e) {
                    System.out.println(e.getMessage());
                    System.exit(LOCKED);
                }
            }
            case "hold" -> {
                try (Store store = Fixtures.open(dir)) {
                    Files.writeString(Path.of(args[2]), "ready " + store.directory());
                    // Holds the store until the parent closes our stdin.
                    while (System.in.read() != -1) {
                        Thread.onSpinWait();
                    }
                }
            }
            case "crash-before-commit" -> {
                Store store = Fixtures.open(dir);
                store.beforeCommit = () -> Runtime.getRuntime().halt(HALTED);
                PendingImport imp = store.beginImport();
                imp.commit(sampleBundle(imp::putObject, "b2", 2));
                System.exit(1);
            }
            case "import" -> {
                // The writer's role only: a process serving the store may have it open meanwhile.
                try (Store store = Store.openForImport(dir, List.of(ProbeSource.INSTANCE));
                     PendingImport imp = store.beginImport()) {
                    imp.commit(sampleBundle(imp::putObject, args[2], Integer.parseInt(args[3])));
                    System.out.println("imported " + args[2]);
                    System.exit(OPENED);
                } catch (StoreLockedException e) {
                    System.out.println(e.getMessage());
                    System.exit(LOCKED);
                }
            }
            case "crash-before-commit-unjournaled" -> {
                Store store = Fixtures.open(dir);
                store.beforeCommit = () -> Runtime.getRuntime().halt(HALTED);
                store.commitImport(sampleBundle(store, "b2", 2));
                System.exit(1);
            }
            case "crash-after-commit-before-cleanup" -> {
                Store store = Fixtures.open(dir);
                store.afterCommit = () -> Runtime.getRuntime().halt(HALTED);
                PendingImport imp = store.beginImport();
                ImportRecord<ProbeWrite.Result> rec = sampleBundle(imp::putObject, "b2", 2);
                Fixtures.put(imp::putObject, Fixtures.bytes("written but not in the bundle's record"));
                imp.commit(rec);
                System.exit(1);
            }
            case "crash-after-commit" -> {
                Store store = Fixtures.open(dir);
                PendingImport imp = store.beginImport();
                imp.commit(sampleBundle(imp::putObject, "b1", 1));
                Runtime.getRuntime().halt(HALTED);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    record Result(int exitCode, String output) {
    }

    static Process start(String... args) throws IOException {
        // Nothing in the child is timed: C1 only and the serial collector cut its start's CPU time by 40 %.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static Result run(String mode, Path dir, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(mode, dir.toString()));
        args.addAll(List.of(more));
        Process p = start(args.toArray(String[]::new));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish");
        }
        return new Result(p.exitValue(), new String(out));
    }
}
