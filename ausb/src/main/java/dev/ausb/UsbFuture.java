package dev.ausb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link CompletableFuture} of ausb's that can also be awaited with its failure unwrapped:
 * {@link #await()} throws the {@link UsbException} that ended it as it is, so a plain
 * {@code catch (UsbStallException e)} works where {@code join()} would throw a
 * {@link CompletionException} around it.
 *
 * <p>Every transfer's future is a {@link UsbTransferFuture}, a subclass; {@link UsbContext#awaitDevice}
 * returns one too. The stages derived from a {@code UsbFuture} ({@code thenApply}, {@code orTimeout}...)
 * are {@code UsbFuture}s as well. Anyone may make one (a test double, say): it behaves as a plain
 * {@code CompletableFuture} with {@code await()} added.
 * {@snippet :
 * UsbDevice gadget = usb.awaitDevice(UsbDeviceFilter.of(0x1a0a, 0xbadd), Duration.ofSeconds(10)).await();
 * }
 *
 * @param <T> the result
 */
public class UsbFuture<T> extends CompletableFuture<T> {
    /** An incomplete future, completed later with {@link #complete} or {@link #completeExceptionally}. */
    public UsbFuture() {}

    /**
     * Waits for the result and returns it, as {@link #join()} does, but throws the failure as it is
     * rather than wrapped in a {@link CompletionException}: an unchecked exception or an error
     * is thrown unchanged (so {@code catch (UsbTimeoutException e)} works around it), and a checked
     * one, such as the {@link java.util.concurrent.TimeoutException} of {@link #orTimeout}, arrives
     * as the {@link CompletionException} {@code join()} throws, whose cause it is. Like
     * {@code join()} it is not interrupted, and waits as long as the future takes: bound the wait by
     * the future's own timeout ({@link #orTimeout}, a transfer's timeout), or use
     * {@code get(timeout, unit)}.
     *
     * @return the result the future completed with
     * @throws java.util.concurrent.CancellationException if the future was cancelled
     * @throws CompletionException if it failed with a checked exception (its cause)
     * @throws IllegalStateException where waiting could never end (on the event thread of the context
     *         whose work the future waits for), before it waits
     */
    public T await() {
        try {
            return join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * A new incomplete {@code UsbFuture}, so that stages derived from this one can be awaited too.
     *
     * @param <U> the derived stage's result
     * @return a new incomplete future
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new UsbFuture<>();
    }
}
