# Sanitized variants of the runtime and of its unit tests, built and run by
# ctest next to the product's (docs/Runtime.md, "Sanitizers"):
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer, stopping at the
#         first report
#   tsan  ThreadSanitizer
# Only the runtime and its tests: sanitized LLVM-based tools would take far
# longer to build than the whole suite takes to run.
#
# Sets HCR_SANITIZER_VARIANTS, the variants this build makes (empty when
# off or unavailable), for each an INTERFACE library hcrSanitizer-<variant>
# carrying its compile and link flags, and HCR_SANITIZER_TEST_FILTER_<variant>.

include(CheckCXXSourceCompiles)
include(CMakePushCheckState)

option(HCR_SANITIZER_TESTS
  "Also build the runtime and its unit tests under ASan+UBSan and TSan, and test them"
  ON)

set(HCR_SANITIZER_FLAGS_asan -fsanitize=address,undefined
  -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
set(HCR_SANITIZER_HEADER_asan sanitizer/asan_interface.h)
set(HCR_SANITIZER_FLAGS_tsan -fsanitize=thread)
set(HCR_SANITIZER_HEADER_tsan sanitizer/tsan_interface.h)

# Tests a sanitizer defeats by design, left out of its variant (a gtest
# filter: -<suite>.<test>:...). Every exclusion says why.
#
# tsan: StackSafetyTest.ThreadsInReplacedCodeKeepItLoadedUntilTheyLeave (both
#   of its instances, MapQuery and WholeMap)
#   scans a thread spinning in a test module's loop by signal. TSan delivers
#   an asynchronous signal only when the thread enters an intercepted
#   function or a blocking call, which that loop (uninstrumented, calling
#   nothing) never does: the thread cannot answer HCR_STACK_SIGNAL, and an
#   unscanned thread pins every replaced copy. (The threads that call into
#   modules in RuntimeThreadTests and RuntimeSlotPatchingTests answer late
#   or not at all for the same reason: their reloads wait the scan's second
#   and keep the old copies, which those tests allow.)
# asan and tsan: CrashTest.ACrashInALibraryIsBlamedOnTheNewCodeThatCalledIt
#   and CrashTest.ACrashOutsideTheLatestReloadsCodeIsNotSwallowed. The
#   sanitizers own the crash signals: a crash in strlen, which they
#   intercept, reaches their SEGV handler and report, not the runtime's
#   guard; a crash the guard lets go ends in the sanitizer's report and
#   exit status, not in death by SIGSEGV, which the test expects.
# tsan: CrashTest.AnAbortInNewCodeRollsTheReloadBack. TSan defers signals
#   to its interception points; the guard's siglongjmp out of the deferred
#   SIGABRT leaves TSan's state behind and it aborts the process.
set(HCR_SANITIZER_TEST_FILTER_asan
  "-CrashTest.ACrashInALibraryIsBlamedOnTheNewCodeThatCalledIt:CrashTest.ACrashOutsideTheLatestReloadsCodeIsNotSwallowed")
set(HCR_SANITIZER_TEST_FILTER_tsan
  "-*StackSafetyTest.ThreadsInReplacedCodeKeepItLoadedUntilTheyLeave*:CrashTest.ACrashInALibraryIsBlamedOnTheNewCodeThatCalledIt:CrashTest.ACrashOutsideTheLatestReloadsCodeIsNotSwallowed:CrashTest.AnAbortInNewCodeRollsTheReloadBack")

set(HCR_SANITIZER_VARIANTS)
if(NOT HCR_SANITIZER_TESTS)
  message(STATUS "Sanitizer tests: off (HCR_SANITIZER_TESTS=OFF)")
elseif(HCR_SANITIZE)
  # One sanitizer per process: the variants' flags would join the build's.
  message(STATUS "Sanitizer tests: skipped, the whole build is sanitized "
    "(HCR_SANITIZE=${HCR_SANITIZE})")
elseif(CMAKE_VERSION VERSION_LESS 3.22)
  # gtest_discover_tests(TEST_FILTER) leaves out the tests above.
  message(STATUS "Sanitizer tests: skipped, they need CMake 3.22")
elseif(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(STATUS "Sanitizer tests: skipped, they need clang "
    "(the C++ compiler is ${CMAKE_CXX_COMPILER_ID})")
else()
  foreach(variant asan tsan)
    set(flags ${HCR_SANITIZER_FLAGS_${variant}})
    set(have HCR_HAVE_SANITIZER_${variant})
    # A failed check is made again at the next configure: the runtime may
    # have been installed since.
    if(NOT ${have})
      unset(${have} CACHE)
    endif()
    cmake_push_check_state(RESET)
    list(JOIN flags " " CMAKE_REQUIRED_FLAGS)
    set(CMAKE_REQUIRED_QUIET ON)
    check_cxx_source_compiles("
      #include <${HCR_SANITIZER_HEADER_${variant}}>
      int main() { return 0; }" ${have})
    cmake_pop_check_state()
    if(${have})
      list(APPEND HCR_SANITIZER_VARIANTS ${variant})
      add_library(hcrSanitizer-${variant} INTERFACE)
      target_compile_options(hcrSanitizer-${variant} INTERFACE ${flags})
      target_link_options(hcrSanitizer-${variant} INTERFACE ${flags})
    else()
      message(WARNING "Sanitizer tests: ${variant} skipped: "
        "${CMAKE_CXX_COMPILER} cannot compile and link with ${flags} "
        "(clang's sanitizer runtime is missing: on Debian 12, install "
        "libclang-rt-19-dev)")
    endif()
  endforeach()
  if(HCR_SANITIZER_VARIANTS)
    message(STATUS "Sanitizer tests: ${HCR_SANITIZER_VARIANTS}")
  endif()
endif()
