# hcr-rewrite-fuzzer (tools/hcr-rewrite-fuzzer, docs/Fuzzing.md): libFuzzer
# on the rewrite. Off by default: it compiles lib/Rewrite a second time,
# instrumented, which an ordinary build has no use for; scripts/run test
# turns it on for its short run in ctest.
#
# Sets HCR_FUZZER (ON when the fuzzer is built) or else
# HCR_FUZZER_SKIP_REASON, and the INTERFACE library hcrFuzzerInstrumentation
# with the flags of the code the fuzzer measures (lib/Rewrite's copy).

include(CheckCXXSourceCompiles)
include(CMakePushCheckState)

option(HCR_FUZZ
  "Build hcr-rewrite-fuzzer (clang's libFuzzer) and run it briefly in ctest"
  OFF)

# Coverage for libFuzzer, ASan and UBSan, stopping at the first report; vptr
# and function need RTTI and type signatures that LLVM's -fno-rtti build
# does not have.
set(HCR_FUZZER_FLAGS -fsanitize=address,undefined -fno-sanitize=vptr,function
  -fno-sanitize-recover=all -fno-omit-frame-pointer)

set(HCR_FUZZER OFF)
set(HCR_FUZZER_SKIP_REASON)
if(NOT HCR_FUZZ)
  set(HCR_FUZZER_SKIP_REASON "the fuzzer is built with -DHCR_FUZZ=ON only")
elseif(HCR_SANITIZE)
  set(HCR_FUZZER_SKIP_REASON
    "the whole build is sanitized (HCR_SANITIZE=${HCR_SANITIZE})")
elseif(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(HCR_FUZZER_SKIP_REASON
    "libFuzzer needs clang (the C++ compiler is ${CMAKE_CXX_COMPILER_ID})")
else()
  # A failed check is made again at the next configure: the runtime may
  # have been installed since.
  if(NOT HCR_HAVE_LIBFUZZER)
    unset(HCR_HAVE_LIBFUZZER CACHE)
  endif()
  cmake_push_check_state(RESET)
  list(JOIN HCR_FUZZER_FLAGS " " CMAKE_REQUIRED_FLAGS)
  string(APPEND CMAKE_REQUIRED_FLAGS " -fsanitize=fuzzer")
  set(CMAKE_REQUIRED_QUIET ON)
  check_cxx_source_compiles("
    #include <cstddef>
    #include <cstdint>
    extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) {
      return 0;
    }" HCR_HAVE_LIBFUZZER)
  cmake_pop_check_state()
  if(HCR_HAVE_LIBFUZZER)
    set(HCR_FUZZER ON)
    add_library(hcrFuzzerInstrumentation INTERFACE)
    target_compile_options(hcrFuzzerInstrumentation INTERFACE
      ${HCR_FUZZER_FLAGS} -fsanitize=fuzzer-no-link)
    target_link_options(hcrFuzzerInstrumentation INTERFACE ${HCR_FUZZER_FLAGS})
  else()
    string(CONCAT HCR_FUZZER_SKIP_REASON "${CMAKE_CXX_COMPILER} cannot build "
      "with -fsanitize=fuzzer (clang's libFuzzer is missing: on Debian 12, "
      "install libclang-rt-19-dev)")
  endif()
endif()
if(HCR_FUZZER)
  message(STATUS "hcr-rewrite-fuzzer: built")
elseif(HCR_FUZZ)
  message(WARNING "hcr-rewrite-fuzzer: skipped: ${HCR_FUZZER_SKIP_REASON}")
else()
  message(STATUS "hcr-rewrite-fuzzer: off (-DHCR_FUZZ=ON builds it)")
endif()
