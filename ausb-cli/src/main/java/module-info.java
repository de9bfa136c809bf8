/** The {@code ausb} command-line tool: list, info and tree of USB devices, on the public ausb API. */
module dev.ausb.cli {
    requires dev.ausb;
}
