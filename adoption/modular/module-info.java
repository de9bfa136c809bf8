/** The user's program as a module (bin/release-check compiles it with consumer/'s Main.java). */
module com.example.app {
    requires dev.ausb;
}
