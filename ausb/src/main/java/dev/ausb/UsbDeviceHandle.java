package dev.ausb;

import java.util.List;
import java.util.Optional;

/**
 * An open device: the connection through which control requests, interface claims and transfers go.
 *
 * <p>Obtained from {@link UsbDevice#open()}. Close it when done: closing cancels whatever is still
 * in flight, waits until libusb has handed every transfer back, releases the interfaces claimed
 * through it and closes the device. Closing twice is harmless; closing the context closes it.
 * Thread-safe: any thread may use a handle at any time. After close, every method but
 * {@code close} throws {@link IllegalStateException}.
 */
public interface UsbDeviceHandle extends AutoCloseable {

    /** The device this handle was opened on. */
    UsbDevice device();

    /**
     * Reads the language ids the device's strings come in (string descriptor 0), such as
     * {@code 0x0409} for US English. Does I/O.
     *
     * @return the ids, empty when the device has no strings
     * @throws UsbException if the request fails
     */
    List<Integer> readLanguages();

    /**
     * Reads string {@code index} in the device's first language. Does I/O.
     *
     * @return the string, or empty for index 0 ("no string")
     * @throws IllegalArgumentException if {@code index} is not in 0..255
     * @throws UsbException             if the request fails (a stall means the device has no such string)
     */
    Optional<String> readString(int index);

    /**
     * Reads string {@code index} in language {@code languageId}. Does I/O.
     *
     * @return the string, or empty for index 0
     * @throws IllegalArgumentException if an argument is out of range
     * @throws UsbException             if the request fails
     */
    Optional<String> readString(int index, int languageId);

    /**
     * Reads manufacturer, product and serial number in the device's first language. Does I/O.
     *
     * @throws UsbException if a request fails
     */
    UsbDeviceStrings readStrings();

    /**
     * Reads the BOS descriptor. Does I/O.
     *
     * @return the BOS, or empty when the device has none (it stalls the request, or is older than USB 2.01)
     * @throws UsbException if the request fails otherwise
     */
    Optional<UsbBos> readBos();

    /**
     * Asks which configuration is active ({@code bConfigurationValue}; 0 when unconfigured). Does
     * I/O where the platform does not cache it.
     *
     * @throws UsbException if the request fails
     */
    int activeConfiguration();

    /** True until {@link #close()} is called or its context closes. */
    boolean isOpen();

    /**
     * Cancels the transfers in flight, waits until libusb has handed them back, releases claimed
     * interfaces and closes the device. Idempotent; safe from any thread.
     */
    @Override
    void close();
}
