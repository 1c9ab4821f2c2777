# Finds every dependency of the build; all are Debian 12 packages that
# scripts/run installs.

find_package(GTest REQUIRED CONFIG)
find_package(Threads REQUIRED)

# LLVM 19 only, from its own prefix: LLVMConfigVersion.cmake rejects a
# request for "19" against 19.1.7, so check the major version ourselves.
find_package(LLVM REQUIRED CONFIG NO_DEFAULT_PATH
             PATHS /usr/lib/llvm-19/lib/cmake/llvm)
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "hcr needs LLVM 19, found ${LLVM_PACKAGE_VERSION}")
endif()
message(STATUS "Using LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")
separate_arguments(LLVM_DEFINITIONS_LIST NATIVE_COMMAND ${LLVM_DEFINITIONS})

# Clang's package config lists targets of tools Debian ships elsewhere, so
# import only the shared libclang-cpp that the tools link.
find_library(HCR_CLANG_CPP clang-cpp PATHS ${LLVM_LIBRARY_DIR} NO_DEFAULT_PATH
             REQUIRED)
add_library(clang-cpp SHARED IMPORTED)
set_target_properties(clang-cpp PROPERTIES IMPORTED_LOCATION ${HCR_CLANG_CPP})
set(CLANG_INCLUDE_DIRS ${LLVM_INCLUDE_DIRS})

set(HCR_LLVM_TOOLS_DIR ${LLVM_TOOLS_BINARY_DIR})
find_program(HCR_FILECHECK FileCheck PATHS ${HCR_LLVM_TOOLS_DIR}
             NO_DEFAULT_PATH REQUIRED)
find_program(HCR_LIT lit.py PATHS /usr/lib/llvm-19/build/utils/lit
             NO_DEFAULT_PATH REQUIRED)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
