/**
 * Hub control: a hub's descriptor (USB 2.0 and SuperSpeed forms), its status and its ports' status
 * decoded, and port power, reset, change bits and indicators, through the hub class requests.
 * Start at {@link dev.ausb.hub.UsbHub}.
 *
 * <p>The operating system's hub driver stays in charge of the hub while these requests go to it;
 * {@link dev.ausb.hub.UsbHub} says where it undoes or fights them and where Linux has a sysfs
 * alternative. Descriptor and status values parse without I/O ({@link dev.ausb.hub.HubDescriptor#parse},
 * {@link dev.ausb.hub.PortStatus#parse}).
 *
 * <p>This package is built on the public {@code dev.ausb} API alone.
 */
package dev.ausb.hub;
