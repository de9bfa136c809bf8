package dev.ausb.examples;

import dev.ausb.UsbDeviceFilter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The strict argument parsing the examples share: a bad argument is refused with a message that
 * says what was expected, never read as something else. Copy it along with an example.
 */
final class Args {
    /** The exit status of a program given bad arguments, as most command-line tools use. */
    static final int USAGE = 2;

    private static final Pattern VID_PID = Pattern.compile("([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})");
    private static final Pattern HEX_BYTE = Pattern.compile("(?:0[xX])?([0-9a-fA-F]{1,2})");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}");

    private Args() {}

    /** Prints the problem and the usage line to standard error; returns {@link #USAGE}. */
    static int usage(String usage, String problem) {
        System.err.println(problem);
        System.err.println(usage);
        return USAGE;
    }

    /** The argument count, checked: {@code min} to {@code max} arguments. */
    static void count(String[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            throw new IllegalArgumentException(min == max ? min + " arguments, not " + args.length
                    : min + " to " + max + " arguments, not " + args.length);
        }
    }

    /** {@code VID:PID} in hex, as lsusb prints it ({@code 1a0a:badd}): the filter for that vendor and product. */
    static UsbDeviceFilter vidPid(String what, String arg) {
        Matcher m = VID_PID.matcher(arg);
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " is VID:PID, two hex numbers of up to 4 digits such as 1a0a:badd, not \""
                    + arg + "\"");
        }
        return UsbDeviceFilter.of(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16));
    }

    /** An IN endpoint address in hex, {@code 0x81} or {@code 81}: bit 7 (IN) set. */
    static int inEndpoint(String arg) {
        Matcher m = HEX_BYTE.matcher(arg);
        if (!m.matches()) {
            throw new IllegalArgumentException("ENDPOINT is an endpoint address in hex such as 0x81, not \"" + arg + "\"");
        }
        int address = Integer.parseInt(m.group(1), 16);
        if ((address & 0x80) == 0 || (address & 0x70) != 0 || address == 0x80) {
            throw new IllegalArgumentException(String.format(
                    "ENDPOINT is an IN endpoint's address, 0x81 to 0x8f, not 0x%02x", address));
        }
        return address;
    }

    /** A decimal number from 1 to {@code max}. */
    static int positive(String what, String arg, int max) {
        if (!DECIMAL.matcher(arg).matches() || Integer.parseInt(arg) < 1 || Integer.parseInt(arg) > max) {
            throw new IllegalArgumentException(what + " is a whole number from 1 to " + max + ", not \"" + arg + "\"");
        }
        return Integer.parseInt(arg);
    }
}
