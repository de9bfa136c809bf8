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

    /** A number in decimal or, with {@code 0x}, hex, within {@code min..max}. */
    static long number(String v, String what, long min, long max) {
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Main.Usage(String.format("%s is a number from %s to %s (decimal, or hex with 0x), not %s", what,
                    min, max == 0xff || max == 0xffff ? String.format("0x%x", max) : String.valueOf(max), v));
        }
    }

    static int integer(String v, String what, int min, int max) {
        return (int) number(v, what, min, max);
    }

    /** {@code --timeout SECONDS} from {@code rest}, or {@code otherwise}. */
    static Duration seconds(List<String> rest, String option, Duration otherwise) {
        String s = take(rest, option);
        if (s == null) {
            return otherwise;
        }
        try {
            double v = Double.parseDouble(s);
            if (!(v > 0) || v > 86_400) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.max(1, (long) (v * 1000)));
        } catch (NumberFormatException e) {
            throw new Main.Usage(option + " needs seconds (more than 0, at most 86400), not " + s);
        }
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
