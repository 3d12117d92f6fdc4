/** A user's module that depends on jivykis. */
module consumer {
    requires io.jivykis;
}
