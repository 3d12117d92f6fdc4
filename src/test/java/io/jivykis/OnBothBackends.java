package io.jivykis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs a test once per {@link Backend}; the test calls {@link BackendCase#use(Backend)} with
 * its argument before opening a loop, so both the loop's wake-up descriptor and every
 * registration use that backend.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@EnumSource(Backend.class)
@interface OnBothBackends {}
