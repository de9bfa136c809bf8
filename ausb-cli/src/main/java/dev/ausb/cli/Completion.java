package dev.ausb.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code ausb completion bash|zsh|fish}: scripts written from {@link Commands#ALL}, so they follow the help. */
final class Completion {
    private Completion() {}

    static String script(String shell) {
        return switch (shell) {
            case "bash" -> bash();
            case "zsh" -> zsh();
            case "fish" -> fish();
            default -> throw new IllegalArgumentException(shell);
        };
    }

    /** The names an option answers to. */
    private static List<String> names(Commands.Option o) {
        return o.alias() == null ? List.of(o.name()) : List.of(o.name(), o.alias());
    }

    private static final Pattern OPTION_LINE = Pattern.compile("^\\s+(-[-\\w]+)(?:,\\s*(-[-\\w]+))?(?:\\s+(\\S+))?\\s{2,}(\\S.*)$");

    /** The option's description: the rest of its line in the command's help, or its placeholder. */
    static String description(Commands.Command c, Commands.Option o) {
        for (String line : c.help().lines().toList()) {
            Matcher m = OPTION_LINE.matcher(line);
            if (m.matches() && (o.name().equals(m.group(1)) || o.name().equals(m.group(2))
                    || o.alias() != null && o.alias().equals(m.group(1)))) {
                return m.group(4).strip();
            }
        }
        if (c.name().equals("write")) { // write's help says "as for read" for the options they share
            return description(Commands.ALL.get("read"), o);
        }
        return o.arg() == null ? o.name() : o.arg();
    }

    private static String words(Commands.Command c) {
        return c.name().equals("help") ? Commands.ALL.values().stream().filter(Commands.Command::listed)
                .map(Commands.Command::name).collect(Collectors.joining(" ")) : String.join(" ", c.words());
    }

    static String bash() {
        StringBuilder values = new StringBuilder();
        StringBuilder cases = new StringBuilder();
        for (Commands.Command c : Commands.ALL.values()) {
            for (Commands.Option o : c.options()) {
                if (o.arg() == null) {
                    continue;
                }
                String action = !o.choices().isEmpty() ? "COMPREPLY=( $(compgen -W \"" + String.join(" ", o.choices())
                        + "\" -- \"$cur\") )" : o.value() == Commands.Value.FILE ? "COMPREPLY=( $(compgen -f -- \"$cur\") )"
                        : "COMPREPLY=()";
                values.append(String.format("        %s:%s) %s; return ;;%n", c.name(), o.name(), action));
            }
            String opts = c.options().stream().flatMap(o -> names(o).stream()).collect(Collectors.joining(" "));
            String kind = c.positional() == Commands.Value.FILE ? "file" : c.positional() == Commands.Value.DIR ? "dir" : "";
            cases.append(String.format("        %s) opts=\"%s --help\"; words=\"%s\"; kind=\"%s\" ;;%n", c.name(), opts,
                    words(c), kind));
        }
        String commands = Commands.ALL.values().stream().filter(Commands.Command::listed).map(Commands.Command::name)
                .collect(Collectors.joining(" "));
        return """
                # bash completion for ausb (ausb completion bash), written from ausb's command table
                _ausb() {
                    local cur prev cmd opts words kind
                    cur="${COMP_WORDS[COMP_CWORD]}"
                    prev="${COMP_WORDS[COMP_CWORD-1]}"
                    if [ "$COMP_CWORD" -eq 1 ]; then
                        COMPREPLY=( $(compgen -W "%s --help --version" -- "$cur") )
                        return
                    fi
                    cmd="${COMP_WORDS[1]}"
                    case "$cmd:$prev" in
                %s    esac
                    case "$cmd" in
                %s        *) opts=""; words=""; kind="" ;;
                    esac
                    if [[ "$cur" == -* ]]; then
                        COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
                    elif [ -n "$words" ]; then
                        COMPREPLY=( $(compgen -W "$words" -- "$cur") )
                    elif [ "$kind" = file ]; then
                        COMPREPLY=( $(compgen -f -- "$cur") )
                    elif [ "$kind" = dir ]; then
                        COMPREPLY=( $(compgen -d -- "$cur") )
                    else
                        COMPREPLY=()
                    fi
                }
                complete -F _ausb ausb
                """.formatted(commands, values, cases);
    }

    /** Text inside a zsh {@code _arguments} spec or description, in single quotes. */
    private static String zq(String s) {
        return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    static String zsh() {
        StringBuilder list = new StringBuilder();
        StringBuilder cases = new StringBuilder();
        for (Commands.Command c : Commands.ALL.values()) {
            if (c.listed()) {
                list.append(String.format("        '%s:%s'%n", c.name(), zq(c.summary())));
            }
            cases.append(String.format("        %s)%n            _arguments -s \\%n", c.name()));
            for (Commands.Option o : c.options()) {
                String value = "";
                if (o.arg() != null) {
                    String[] parts = o.arg().split(" ");
                    StringBuilder v = new StringBuilder();
                    for (int i = 0; i < parts.length; i++) {
                        String action = i == 0 && !o.choices().isEmpty() ? "(" + String.join(" ", o.choices()) + ")"
                                : o.value() == Commands.Value.FILE ? "_files" : " ";
                        v.append(':').append(zq(parts[i].toLowerCase(java.util.Locale.ROOT))).append(':').append(action);
                    }
                    value = v.toString();
                }
                for (String n : names(o)) {
                    cases.append(String.format("                '%s[%s]%s' \\%n", n, zq(description(c, o)), value));
                }
            }
            String positional = !c.words().isEmpty() || c.name().equals("help")
                    ? "'1:" + c.name() + ":(" + words(c) + ")'"
                    : c.positional() == Commands.Value.FILE ? "'*:file:_files'"
                    : c.positional() == Commands.Value.DIR ? "'1:directory:_files -/'" : "'*:argument: '";
            cases.append(String.format("                '(- *)--help[what the command does]' \\%n                %s%n"
                    + "            ;;%n", positional));
        }
        return """
                #compdef ausb
                # zsh completion for ausb (ausb completion zsh), written from ausb's command table
                _ausb() {
                    local -a commands
                    commands=(
                %s    )
                    if (( CURRENT == 2 )); then
                        _describe -t commands 'ausb command' commands
                        _arguments '(- *)--help[the commands]' '(- *)--version[the versions]'
                        return
                    fi
                    local cmd=$words[2]
                    shift words
                    (( CURRENT-- ))
                    case $cmd in
                %s    esac
                }
                if [ "$funcstack[1]" = "_ausb" ]; then
                    _ausb "$@"
                else
                    compdef _ausb ausb
                fi
                """.formatted(list, cases);
    }

    /** Text in fish single quotes. */
    private static String fq(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String fish() {
        StringBuilder b = new StringBuilder("""
                # fish completion for ausb (ausb completion fish), written from ausb's command table
                complete -c ausb -f
                complete -c ausb -n __fish_use_subcommand -l help -d 'the commands'
                complete -c ausb -n __fish_use_subcommand -l version -d 'the versions'
                """);
        for (Commands.Command c : Commands.ALL.values()) {
            if (c.listed()) {
                b.append(String.format("complete -c ausb -n __fish_use_subcommand -a %s -d %s%n", c.name(),
                        fq(c.summary())));
            }
        }
        for (Commands.Command c : Commands.ALL.values()) {
            String when = "-n " + fq("__fish_seen_subcommand_from " + c.name());
            for (Commands.Option o : c.options()) {
                StringBuilder flags = new StringBuilder();
                for (String n : names(o)) {
                    flags.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
                }
                if (o.arg() != null) {
                    flags.append(o.value() == Commands.Value.FILE ? " -r -F" : " -x");
                    if (!o.choices().isEmpty()) {
                        flags.append(" -a ").append(fq(String.join(" ", o.choices())));
                    }
                }
                b.append(String.format("complete -c ausb %s%s -d %s%n", when, flags, fq(description(c, o))));
            }
            b.append(String.format("complete -c ausb %s -l help -d 'what the command does'%n", when));
            if (!c.words().isEmpty() || c.name().equals("help")) {
                b.append(String.format("complete -c ausb %s -a %s%n", when, fq(words(c))));
            } else if (c.positional() == Commands.Value.FILE || c.positional() == Commands.Value.DIR) {
                b.append(String.format("complete -c ausb %s -F%n", when));
            }
        }
        return b.toString();
    }
}
