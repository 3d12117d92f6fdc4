# Cross-compiles the shim, the C post library and jivykis-post for linux-aarch64 with Debian's
# gcc-aarch64-linux-gnu:
#   cmake -S . -B target/native-aarch64 --toolchain cmake/aarch64-linux-gnu.cmake \
#         -DJAVA_INCLUDE_PATH=$JAVA_HOME/include -DJAVA_INCLUDE_PATH2=$JAVA_HOME/include/linux
# The JNI headers come from the host JDK: jni.h is the same on every architecture, and the
# Linux jni_md.h defines only visibility macros and jint/jlong by C type sizes, which are
# the same on aarch64 (LP64) as on x86_64. FindJNI would not look in the host JDK once the
# search is confined to the target's root, so the caller passes both paths.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(JIVYKIS_CROSS_PREFIX aarch64-linux-gnu- CACHE STRING "Prefix of the cross tools")
set(CMAKE_C_COMPILER ${JIVYKIS_CROSS_PREFIX}gcc)
# Libraries and headers of the target only; programs (cmake, the host's tools) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# ctest runs the cross-built test programs through qemu when the caller names an emulator,
# e.g. -DCMAKE_CROSSCOMPILING_EMULATOR="qemu-aarch64;-L;/usr/aarch64-linux-gnu".
