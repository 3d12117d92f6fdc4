package io.jivykis.tools.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JVM's per-thread counters (CPU time, allocated bytes) as method handles of type
 * {@code ()long}, found at run time rather than linked at compile time.
 *
 * <p>Why not plain calls: the tools are compiled into the library's module, and a plain call
 * to {@code java.lang.management} would make the module require it for every user of the
 * library, who needs none of it. Looked up here, the classes are read only when a bench runs;
 * {@code java -jar} resolves every JDK module that exports an API, so they are there. A handle
 * bound to its bean and called with {@code invokeExact} costs what the interface call would.
 */
final class ManagementHandles {
    private ManagementHandles() {}

    /** {@code ThreadMXBean.getCurrentThreadCpuTime()}, or null when the JVM cannot measure it. */
    static MethodHandle currentThreadCpuTime() {
        try {
            Class<?> beanType = Class.forName("java.lang.management.ThreadMXBean");
            Object bean = threadBean();
            if (!(boolean) beanType.getMethod("isCurrentThreadCpuTimeSupported").invoke(bean)) {
                return null;
            }
            return bound(beanType, bean, "getCurrentThreadCpuTime");
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()}, with counting
     * switched on, or null when this JVM does not count allocations per thread.
     */
    static MethodHandle currentThreadAllocatedBytes() {
        try {
            Class<?> beanType = Class.forName("com.sun.management.ThreadMXBean");
            Object bean = threadBean();
            if (!beanType.isInstance(bean)
                    || !(boolean) beanType.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            beanType.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
            return bound(beanType, bean, "getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static Object threadBean() throws ReflectiveOperationException {
        return Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    }

    /**
     * The interface's method bound to the bean. Looked up on the interface, which is exported,
     * not on the bean's class, which is internal to the JDK.
     */
    private static MethodHandle bound(Class<?> beanType, Object bean, String method)
            throws ReflectiveOperationException {
        return MethodHandles.publicLookup().findVirtual(beanType, method, MethodType.methodType(long.class))
                .bindTo(bean);
    }
}
