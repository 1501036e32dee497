package ferry.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's and subcommand's help renders as picocli means it: an unescaped {@code %} in a description makes
 * picocli print a warning and show the raw text (it happened to {@code export} and then to {@code repair}).
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutAPicocliWarning() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.newCommandLine(), all);
        assertTrue(all.size() > 20, "commands found: " + all.size());
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> broken = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine cl : all) {
                captured.reset();
                String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
                String err = captured.toString(StandardCharsets.UTF_8);
                if (err.contains("WARN") || help.contains("%n")) {
                    broken.add(cl.getCommandSpec().qualifiedName() + ": " + err.strip());
                }
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void aDescriptionWithAnUnescapedPercentIsCaughtByThisCheck() {
        @CommandLine.Command(name = "broken", description = "keeps 10% of it")
        class Broken implements Runnable {
            @Override
            public void run() {
            }
        }
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new CommandLine(new Broken()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        } finally {
            System.setErr(stderr);
        }
        assertFalse(captured.toString(StandardCharsets.UTF_8).isEmpty(), "picocli no longer warns: adapt this test");
    }

    private static void collect(CommandLine cl, List<CommandLine> into) {
        into.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!into.contains(sub)) {
                collect(sub, into);
            }
        }
    }
}
