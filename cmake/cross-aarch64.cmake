# Maven's compile phase runs this script (cmake -P) to build the linux-aarch64 shim, the C
# post library and jivykis-post in their own build directory, beside the host build:
#   cmake -DSOURCE_DIR=. -DBINARY_DIR=target/native-aarch64 -DRESOURCE_DIR=<.../linux-aarch64>
#         -DJAVA_HOME=<jdk> -P cmake/cross-aarch64.cmake
# A developer's machine without the cross compiler gets one line and an x86_64-only jar: the
# step succeeds, since the host build is complete without it. CI installs the compiler
# (.ci/run), so the jar it tests always carries both libraries.
foreach(_var SOURCE_DIR BINARY_DIR RESOURCE_DIR JAVA_HOME)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "cross-aarch64.cmake: pass -D${_var}=...")
  endif()
endforeach()

find_program(_cross_gcc aarch64-linux-gnu-gcc)
if(NOT _cross_gcc)
  message(NOTICE "jivykis: no aarch64-linux-gnu-gcc on PATH: building linux-x86_64 only"
    " (apt-get install gcc-aarch64-linux-gnu adds linux-aarch64 to the jar)")
  return()
endif()

# The host JDK's headers (see cmake/aarch64-linux-gnu.cmake for why they fit the target).
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR}
    --toolchain ${SOURCE_DIR}/cmake/aarch64-linux-gnu.cmake
    -DCMAKE_BUILD_TYPE=Release
    -DJAVA_INCLUDE_PATH=${JAVA_HOME}/include
    -DJAVA_INCLUDE_PATH2=${JAVA_HOME}/include/linux
    -DJIVYKIS_RESOURCE_DIR=${RESOURCE_DIR}
    -DJIVYKIS_BUILD_TESTS=ON
  OUTPUT_QUIET
  COMMAND_ERROR_IS_FATAL ANY)
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --parallel 2
    --target jivykis jivykis_post_static jivykis_post_shared jivykis-post
  OUTPUT_QUIET
  COMMAND_ERROR_IS_FATAL ANY)
message(STATUS "jivykis: built linux-aarch64 into ${RESOURCE_DIR}")
