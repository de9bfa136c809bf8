package dev.ausb.lab.usbip;

/** What happened on a virtual device's connection, in order; see {@link VirtualDevice#events()}. */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public sealed interface UsbipEvent {
    /** The kernel submitted {@code urb} (every URB, enumeration's control requests included). */
    record Submitted(Urb urb) implements UsbipEvent {}

    /**
     * The kernel unlinked the URB {@code unlinkSeqnum} (a USBIP_CMD_UNLINK with its own {@code seqnum});
     * {@code wasPending} tells whether it was still pending (then dropped and answered -ECONNRESET) or
     * already completed (answered 0). {@code urb} is null if the device never saw that URB.
     */
    record Unlinked(int seqnum, int unlinkSeqnum, boolean wasPending, Urb urb) implements UsbipEvent {}

    /** The connection ended: detached, the socket closed, or a protocol error (in {@code reason}). */
    record Disconnected(String reason) implements UsbipEvent {}
}
