package dev.ausb;

/**
 * A listener's registration for hotplug events ({@link UsbContext#watch}). Closing it stops the
 * events: none is delivered after {@link #close()} returns (it waits at most a second for one being
 * delivered), unless it is called from the listener itself or the event thread (then the one running
 * may finish). Closing twice is harmless; the context's close ends it too.
 */
public interface UsbHotplugSubscription extends AutoCloseable {
    /**
     * True until closed (by this, or by the context's close).
     *
     * @return whether events are still delivered
     */
    boolean isOpen();

    @Override
    void close();
}
