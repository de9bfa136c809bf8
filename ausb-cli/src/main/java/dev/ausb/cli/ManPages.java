package dev.ausb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ausb man-pages DIR}: {@code ausb.1} and {@code ausb-COMMAND.1} in roff with the man(7)
 * macros, from the {@code --help} texts. No date in them, so two builds write the same bytes.
 */
final class ManPages {
    private ManPages() {}

    static List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path main = dir.resolve("ausb.1");
        Files.writeString(main, mainPage(), StandardCharsets.UTF_8);
        written.add(main);
        for (Commands.Command c : Commands.ALL.values()) {
            Path p = dir.resolve("ausb-" + c.name() + ".1");
            Files.writeString(p, page(c), StandardCharsets.UTF_8);
            written.add(p);
        }
        return written;
    }

    /** Text as roff shows it literally: backslashes, leading dots and quotes, and hyphens escaped. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }

    private static String header(String name, String summary) {
        return String.format(".TH %s 1 \"\" \"ausb %s\" \"User Commands\"%n.SH NAME%n%s \\- %s%n",
                name.toUpperCase(Locale.ROOT), Version.ausb(), escape(name), escape(summary));
    }

    static String mainPage() {
        StringBuilder b = new StringBuilder(header("ausb", "USB devices from the command line, on libusb"));
        b.append(".SH SYNOPSIS\n.B ausb\n.I COMMAND\n[\\fIOPTIONS\\fR]\n.br\n.B ausb \\-\\-version\n.SH DESCRIPTION\n");
        b.append("""
                Lists, inspects and drives USB devices: what lsusb shows, and transfers, hub port power,
                firmware loads and the reasons a device cannot be opened. Devices are named as lsusb names them:
                """.lines().map(ManPages::escape).reduce((x, y) -> x + "\n" + y).orElseThrow()).append('\n');
        b.append(".IR VID : PID ,\n.B \\-s\n.RI [ BUS ]: DEV\nor\n.B \\-p\n.I PATH\n(Linux's name: 3\\-1.2, usb3).\n");
        b.append(".SH COMMANDS\n");
        for (Commands.Command c : Commands.ALL.values()) {
            b.append(".TP\n.B ").append(escape(c.name())).append('\n').append(escape(c.summary()))
                    .append(" (see \\fBausb\\-").append(escape(c.name())).append("\\fR(1))\n");
        }
        b.append("""
                .SH EXIT STATUS
                0 done, 1 other USB error, 2 usage, 3 no device matched, 4 several matched, 5 access denied,
                6 no USB on this machine, 7 libusb missing, 130 a read interrupted by SIGINT; each command's page
                lists the codes it can return.
                .SH ENVIRONMENT
                .TP
                .B AUSB_LIBUSB
                the libusb\\-1.0 shared library file to load instead of the system's
                .SH SEE ALSO
                """);
        b.append(String.join(",\n", Commands.ALL.values().stream().map(c -> "\\fBausb\\-" + escape(c.name()) + "\\fR(1)")
                .toList())).append(",\n\\fBlsusb\\fR(8)\n");
        return b.toString();
    }

    static String page(Commands.Command c) {
        StringBuilder b = new StringBuilder(header("ausb-" + c.name(), c.summary()));
        b.append(".SH SYNOPSIS\n.nf\n");
        for (String s : Commands.synopsis(c)) {
            b.append(escape(s.substring("usage: ".length()))).append('\n');
        }
        b.append(".fi\n.SH DESCRIPTION\n");
        List<List<String>> paragraphs = paragraphs(c.help());
        for (List<String> p : paragraphs.subList(1, paragraphs.size())) {
            String first = p.getFirst();
            if (first.startsWith("Exit codes")) {
                b.append(".SH EXIT STATUS\n");
                p.forEach(l -> b.append(escape(l.strip().replaceFirst("^Exit codes: ", ""))).append('\n'));
            } else if (first.startsWith("  -")) {
                options(b, p);
            } else if (first.startsWith("  ")) {
                b.append(".PP\n.nf\n.RS\n");
                p.forEach(l -> b.append(escape(l.strip())).append('\n'));
                b.append(".RE\n.fi\n");
            } else {
                b.append(".PP\n");
                for (String l : p) {
                    if (l.startsWith("Exit codes")) {
                        b.append(".SH EXIT STATUS\n");
                        l = l.replaceFirst("^Exit codes: ", "");
                    }
                    b.append(escape(l.strip())).append('\n');
                }
            }
        }
        b.append(".SH SEE ALSO\n\\fBausb\\fR(1)\n");
        return b.toString();
    }

    /** An option list: each {@code  -x VALUE   text} line a .TP, deeper lines continuing its text. */
    private static void options(StringBuilder b, List<String> lines) {
        for (String l : lines) {
            if (l.startsWith("  -")) {
                String[] parts = l.strip().split("\\s{2,}", 2);
                b.append(".TP\n\\fB").append(escape(parts[0])).append("\\fR\n");
                if (parts.length == 2) {
                    b.append(escape(parts[1])).append('\n');
                }
            } else {
                b.append(escape(l.strip())).append('\n');
            }
        }
    }

    /** The help text's paragraphs (blank-line separated), the usage block first. */
    static List<List<String>> paragraphs(String help) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : help.lines().toList()) {
            if (l.isBlank()) {
                if (!cur.isEmpty()) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
            } else {
                cur.add(l);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }
}
