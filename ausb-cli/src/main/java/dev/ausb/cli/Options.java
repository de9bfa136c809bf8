package dev.ausb.cli;

import java.time.Duration;
import java.util.List;

/** Option values taken out of a command line, with the usage errors they can raise. */
final class Options {
    private Options() {}

    /** Removes {@code option VALUE} from {@code rest} and returns the value; null if absent. */
    static String take(List<String> rest, String option) {
        int i = rest.indexOf(option);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= rest.size()) {
            throw new Main.Usage(option + " needs a value");
        }
        String v = rest.remove(i + 1);
        rest.remove(i);
        return v;
    }

    /** Removes {@code option V1 .. Vn} from {@code rest} and returns the n values; null if absent. */
    static String[] take(List<String> rest, String option, int n) {
        int i = rest.indexOf(option);
        if (i < 0) {
            return null;
        }
        if (i + n >= rest.size()) {
            throw new Main.Usage(option + " needs " + n + " values");
        }
        String[] v = new String[n];
        for (int k = 0; k < n; k++) {
            v[k] = rest.remove(i + 1);
        }
        rest.remove(i);
        return v;
    }

    /**
     * A number in decimal or, with {@code 0x}, hex, within {@code min..max}: digits only, no sign,
     * no space, no overflow.
     */
    static long number(String v, String what, long min, long max) {
        long n = parseUnsigned(v);
        if (n < min || n > max) {
            throw new Main.Usage(String.format("%s is a number from %s to %s (decimal, or hex with 0x), not %s", what,
                    min, max == 0xff || max == 0xffff ? String.format("0x%x", max) : String.valueOf(max), v));
        }
        return n;
    }

    /** Decimal digits or 0x and hex digits; -1 for anything else, or a value beyond a long. */
    private static long parseUnsigned(String v) {
        boolean hex = v.startsWith("0x") || v.startsWith("0X");
        String digits = hex ? v.substring(2) : v;
        if (digits.isEmpty() || !digits.matches(hex ? "[0-9a-fA-F]+" : "[0-9]+")) {
            return -1;
        }
        try {
            return Long.parseLong(digits, hex ? 16 : 10);
        } catch (NumberFormatException tooBig) {
            return -1;
        }
    }

    static int integer(String v, String what, int min, int max) {
        return (int) number(v, what, min, max);
    }

    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile(
            "([0-9]+|0[xX][0-9a-fA-F]+)(K|k|M|G|KiB|MiB|GiB|kB|KB|MB|GB)?");

    /**
     * A byte count: a number (decimal, or hex with 0x) with an optional suffix, as coreutils reads
     * them: K (or k), M, G and KiB, MiB, GiB are powers of 1024; kB (or KB), MB, GB powers of 1000.
     * Within {@code min..max}; no sign, fraction or space.
     */
    static long size(String v, String what, long min, long max) {
        java.util.regex.Matcher m = SIZE.matcher(v);
        String why = String.format("%s is a byte count from %d to %d: a number with an optional K, M or G (powers "
                + "of 1024, also written KiB, MiB, GiB) or kB, MB, GB (powers of 1000), such as 64K or 1M, not %s", what,
                min, max, v);
        if (!m.matches()) {
            throw new Main.Usage(why);
        }
        long n = parseUnsigned(m.group(1));
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "K", "k", "KiB" -> 1L << 10;
            case "M", "MiB" -> 1L << 20;
            case "G", "GiB" -> 1L << 30;
            case "kB", "KB" -> 1000L;
            case "MB" -> 1000_000L;
            default -> 1000_000_000L;
        };
        try {
            long bytes = n < 0 ? -1 : Math.multiplyExact(n, unit);
            if (bytes < min || bytes > max) {
                throw new ArithmeticException();
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw new Main.Usage(why);
        }
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile(
            "([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    /** A duration with its unit: {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}; more than 0, at most 30 days. */
    static Duration duration(String v, String what) {
        java.util.regex.Matcher m = DURATION.matcher(v);
        String why = what + " is a time with its unit (ms, s, m or h), such as 500ms, 10s or 2m, more than 0 and "
                + "at most 30 days, not " + v;
        if (!m.matches() || m.group(1).length() > 12) {
            throw new Main.Usage(why);
        }
        double n = Double.parseDouble(m.group(1));
        double millis = n * switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        if (!(millis >= 1) || millis > 30L * 86_400_000) {
            throw new Main.Usage(why);
        }
        return Duration.ofMillis((long) millis);
    }

    /** {@code --timeout SECONDS} from {@code rest}, or {@code otherwise}. */
    static Duration seconds(List<String> rest, String option, Duration otherwise) {
        String s = take(rest, option);
        if (s == null) {
            return otherwise;
        }
        if (s.matches("[0-9]{1,6}(\\.[0-9]{1,9})?")) {
            double v = Double.parseDouble(s);
            if (v > 0 && v <= 86_400) {
                return Duration.ofMillis(Math.max(1, (long) (v * 1000)));
            }
        }
        throw new Main.Usage(option + " needs seconds (more than 0, at most 86400), not " + s);
    }

    /** A positive count, such as {@code --count N}: decimal, 1 to {@code Long.MAX_VALUE}. */
    static long positive(String v, String option) {
        long n = v.matches("[0-9]+") ? parseUnsigned(v) : -1;
        if (n < 1) {
            throw new Main.Usage(option + " needs a positive number, not " + v);
        }
        return n;
    }

    /** Bytes from hex digits, spaces, colons and commas allowed between bytes ({@code "de ad be ef"}). */
    static byte[] hex(String v) {
        String digits = v.replaceAll("[\\s:,]", "");
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        if (digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]*")) {
            throw new Main.Usage("not bytes in hex (two digits each): " + v);
        }
        byte[] b = new byte[digits.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Fails on anything left in {@code rest}. */
    static void none(List<String> rest) {
        if (!rest.isEmpty()) {
            throw new Main.Usage((rest.getFirst().startsWith("-") ? "unknown option " : "unexpected argument ")
                    + rest.getFirst());
        }
    }

    /** The lines of a hex dump as xxd prints them: offset, 16 bytes in pairs, the printable ones. */
    static String hexDump(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int off = 0; off < b.length; off += 16) {
            s.append(String.format("%08x:", off));
            for (int i = 0; i < 16; i++) {
                if (i % 2 == 0) {
                    s.append(' ');
                }
                s.append(off + i < b.length ? String.format("%02x", b[off + i] & 0xff) : "  ");
            }
            s.append("  ");
            for (int i = off; i < Math.min(off + 16, b.length); i++) {
                int c = b[i] & 0xff;
                s.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            s.append('\n');
        }
        return s.toString();
    }
}
