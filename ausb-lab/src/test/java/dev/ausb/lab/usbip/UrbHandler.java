package dev.ausb.lab.usbip;

/**
 * Decides how a virtual device answers one URB. Runs on the device's reader thread, so it must not
 * block: return {@link Reply#after} for a slow answer or {@link Reply#hold()} and answer later with
 * {@link Urb#respond}. {@link Reply#standard()} leaves the URB to the device's default behaviour.
 * An exception thrown here stalls the URB and is kept as the device's {@link VirtualDevice#failure()}.
 */
@FunctionalInterface
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public interface UrbHandler {
    Reply onSubmit(Urb urb);
}
