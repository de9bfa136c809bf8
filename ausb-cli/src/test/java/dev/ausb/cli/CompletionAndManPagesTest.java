package dev.ausb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion scripts and man pages are written from the command table, and the table agrees with
 * each help text: every option the table has is in the help, every option the help lists is in the
 * table. The scripts pass their shell's syntax check, and a man page renders, where the tools exist.
 */
class CompletionAndManPagesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String ausb(String... args) {
        out.reset();
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(Main.OK, Main.run(args, p, p), String.join(" ", args) + ": " + out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final Pattern LISTED = Pattern.compile("^ {2,}(-[-\\w]+)(?:,\\s*(-[-\\w]+))?", Pattern.MULTILINE);

    /** The options a help text lists at the start of its lines, as "  --name ..." or "  --name, -x". */
    static Set<String> listedOptions(String help) {
        Set<String> s = new TreeSet<>();
        Matcher m = LISTED.matcher(help);
        while (m.find()) {
            s.add(m.group(1));
            if (m.group(2) != null) {
                s.add(m.group(2));
            }
        }
        return s;
    }

    @Test
    void theTableAndEachHelpName_theSameOptions() {
        for (Commands.Command c : Commands.ALL.values()) {
            Set<String> table = new TreeSet<>();
            for (Commands.Option o : c.options()) {
                table.add(o.name());
                if (o.alias() != null) {
                    table.add(o.alias());
                }
                assertTrue(Pattern.compile("(^|[\\s\\[(,])" + Pattern.quote(o.name()) + "\\b").matcher(c.help()).find(),
                        c.name() + "'s help does not mention " + o.name());
            }
            for (String o : listedOptions(c.help())) {
                assertTrue(table.contains(o), c.name() + ": its help lists " + o + ", the table does not have it");
            }
        }
    }

    @Test
    void everyScript_namesEveryCommandAndOption() {
        for (String shell : List.of("bash", "zsh", "fish")) {
            String script = ausb("completion", shell);
            for (Commands.Command c : Commands.ALL.values()) {
                if (c.listed()) {
                    assertTrue(script.contains(" " + c.name()) || script.contains("'" + c.name() + ":"),
                            shell + ": " + c.name());
                }
                String section = switch (shell) {
                    case "bash" -> line(script, "        " + c.name() + ") opts=");
                    case "zsh" -> script.substring(script.indexOf("        " + c.name() + ")\n"),
                            script.indexOf(";;", script.indexOf("        " + c.name() + ")\n")));
                    default -> String.join("\n", script.lines()
                            .filter(l -> l.contains("'__fish_seen_subcommand_from " + c.name() + "'")).toList());
                };
                for (Commands.Option o : c.options()) {
                    String n = o.name();
                    String fishName = n.startsWith("--") ? "-l " + n.substring(2) : "-s " + n.substring(1);
                    assertTrue(shell.equals("fish") ? section.contains(fishName) : section.contains(n),
                            shell + ": " + c.name() + " " + n + " in\n" + section);
                }
            }
        }
        assertTrue(ausb("completion", "fish").contains("-l chip -x -a 'fx2lp fx2 an21'"));
        assertTrue(ausb("completion", "bash").contains("fx2-load:--chip) COMPREPLY=( $(compgen -W \"fx2lp fx2 an21\""));
    }

    private static String line(String script, String start) {
        return script.lines().filter(l -> l.startsWith(start)).findFirst().orElse("(none: " + start + ")");
    }

    /** Runs {@code shell -n file}; false if the shell is not installed. */
    private static boolean syntaxOk(String shell, Path file) throws Exception {
        Path exe = Path.of("/usr/bin", shell);
        assumeTrue(Files.isExecutable(exe) || Files.isExecutable(Path.of("/bin", shell)), shell + " not installed");
        Process p = new ProcessBuilder(List.of(shell, "-n", file.toString())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), shell + " -n hung");
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), shell + " -n: " + msg);
        return true;
    }

    @Test
    void bashScript_passesBashN(@TempDir Path dir) throws Exception {
        assertTrue(syntaxOk("bash", Files.writeString(dir.resolve("ausb.bash"), ausb("completion", "bash"))));
    }

    @Test
    void zshScript_passesZshN(@TempDir Path dir) throws Exception {
        assertTrue(syntaxOk("zsh", Files.writeString(dir.resolve("_ausb"), ausb("completion", "zsh"))));
    }

    @Test
    void fishScript_passesFishN(@TempDir Path dir) throws Exception {
        assertTrue(syntaxOk("fish", Files.writeString(dir.resolve("ausb.fish"), ausb("completion", "fish"))));
    }

    @Test
    void bashScript_completesCommandsOptionsAndChoices(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bash")) || Files.isExecutable(Path.of("/bin/bash")));
        Path script = Files.writeString(dir.resolve("ausb.bash"), ausb("completion", "bash"));
        String probe = "source " + script + "\n"
                + "c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _ausb; echo \"${COMPREPLY[*]}\"; }\n"
                + "c ausb re\nc ausb read --tr\nc ausb fx2-load --chip ''\nc ausb completion ''\nc ausb hub --power ''\n";
        Process p = new ProcessBuilder(List.of("bash", "-c", probe)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("read reset", "--transfers --transfer-size", "fx2lp fx2 an21", "bash zsh fish",
                "on off cycle"), lines);
    }

    @Test
    void manPages_oneForAusbAndEachCommand_inManMacros(@TempDir Path dir) throws Exception {
        Path man = dir.resolve("man");
        String printed = ausb("man-pages", man.toString());
        List<String> expected = new ArrayList<>(List.of("ausb.1"));
        Commands.ALL.keySet().forEach(c -> expected.add("ausb-" + c + ".1"));
        try (var files = Files.list(man)) {
            assertEquals(new TreeSet<>(expected), new TreeSet<>(files.map(f -> f.getFileName().toString()).toList()));
        }
        assertEquals(expected.size(), printed.lines().count(), printed);
        for (String name : expected) {
            String page = Files.readString(man.resolve(name));
            assertTrue(page.startsWith(".TH " + name.replace(".1", "").toUpperCase() + " 1 "), name);
            for (String macro : List.of("\n.SH NAME\n", "\n.SH SYNOPSIS\n", "\n.SH EXIT STATUS\n", "\n.SH SEE ALSO\n")) {
                assertTrue(page.contains(macro), name + " has no " + macro.strip());
            }
            assertFalse(page.lines().anyMatch(l -> l.startsWith(".") && !l.matches("\\.(TH|SH|PP|TP|B|I|IR|RI|BR|nf|fi|RS|RE|br) ?.*")),
                    name + ": a line starting with a dot that is not a man(7) macro");
        }
        String read = Files.readString(man.resolve("ausb-read.1"));
        assertTrue(read.contains(".TP\n\\fB\\-\\-until\\-interrupted\\fR\nread until Ctrl\\-C"), read);
        assertTrue(read.contains("130 interrupted (SIGINT)."), read);
        assertEquals(read, ManPages.page(Commands.ALL.get("read")), "the same bytes each time: no date in the page");
    }

    @Test
    void manPage_rendersWithGroff(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff not installed");
        ausb("man-pages", dir.toString());
        Process p = new ProcessBuilder(List.of("groff", "-man", "-Tutf8", "-ww", dir.resolve("ausb-read.1").toString()))
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(".\b", "");
        String warnings = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), warnings);
        assertEquals("", warnings, "groff -ww warnings");
        assertTrue(text.contains("NAME\n       ausb-read - a bulk or interrupt read, with throughput"), text);
        assertTrue(text.contains("--until-interrupted"), text);
        assertTrue(text.contains("EXIT STATUS"), text);
    }
}
