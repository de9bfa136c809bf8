package dev.ausb;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A lookup that needed exactly one device found none, or several.
 *
 * <p>Thrown by {@link UsbContext#findOne(UsbDeviceFilter)}. The message says how many devices
 * matched which criteria and lists them, one per line, as {@code ausb list} would.
 */
public final class UsbMatchException extends UsbException {
    private static final long serialVersionUID = 1L;

    private final transient List<UsbDevice> matches;

    /**
     * Makes one for a lookup by {@code filter} that found {@code matches}.
     *
     * @param filter  the criteria looked up
     * @param matches the devices that matched (not exactly one)
     */
    public UsbMatchException(UsbDeviceFilter filter, List<UsbDevice> matches) {
        super(message(filter, matches), 0, null, 0, null);
        this.matches = List.copyOf(matches);
    }

    private static String message(UsbDeviceFilter filter, List<UsbDevice> matches) {
        if (matches.isEmpty()) {
            return "no USB device matches " + filter;
        }
        return matches.size() + " USB devices match " + filter + ", expected one:"
                + matches.stream().map(d -> "\n  " + d).collect(Collectors.joining());
    }

    /**
     * How many devices matched: 0, or more than 1.
     *
     * @return the number of matching devices
     */
    public int matchCount() {
        return matches == null ? 0 : matches.size();
    }

    /**
     * The devices that matched, in enumeration order (empty after deserialization).
     *
     * @return the matching devices, an immutable list
     */
    public List<UsbDevice> matches() {
        return matches == null ? List.of() : matches;
    }
}
