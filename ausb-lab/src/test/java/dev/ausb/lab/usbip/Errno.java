package dev.ausb.lab.usbip;

/**
 * URB completion statuses as USB/IP carries them: negative Linux errnos, 0 for success.
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public final class Errno {
    /** Success. */
    public static final int OK = 0;
    /** -ENOENT: URB unlinked synchronously (usb_kill_urb). */
    public static final int ENOENT = -2;
    /** -EXDEV: an isochronous transfer only partly completed. */
    public static final int EXDEV = -18;
    /** -EPIPE: the endpoint stalled. */
    public static final int EPIPE = -32;
    /** -ETIME: no response (bus timeout). */
    public static final int ETIME = -62;
    /** -EPROTO: bit-stuff error or unknown USB error. */
    public static final int EPROTO = -71;
    /** -EILSEQ: CRC mismatch. */
    public static final int EILSEQ = -84;
    /** -EOVERFLOW: the device sent more than the packet or buffer size (babble). */
    public static final int EOVERFLOW = -75;
    /** -ECONNRESET: URB unlinked asynchronously (a cancel). */
    public static final int ECONNRESET = -104;
    /** -ESHUTDOWN: the host controller or device is gone. */
    public static final int ESHUTDOWN = -108;
    /** -EREMOTEIO: a short packet where URB_SHORT_NOT_OK was set. */
    public static final int EREMOTEIO = -121;

    private Errno() {}
}
