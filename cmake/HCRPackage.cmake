# Installs hcr and writes HCRConfig.cmake twice: for the install tree
# (PREFIX/lib/cmake/HCR) and for this build tree (find_package(HCR) with
# HCR_DIR=<build dir>, no install needed).
include(CMakePackageConfigHelpers)

install(TARGETS hcr LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS hcr-build hcr-rewrite hcr-watch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/hcr/hcr.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hcr)
# hcr's hotcodereloading module for Nim programs (hcr-build finds it here).
install(FILES ${PROJECT_SOURCE_DIR}/nim/hotcodereloading.nim
        DESTINATION ${CMAKE_INSTALL_DATADIR}/hcr/nim)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/HCRFunctions.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/HCR)

# Install tree.
set(HCR_CONFIG_INCLUDE_DIR ${CMAKE_INSTALL_INCLUDEDIR})
set(HCR_CONFIG_RUNTIME ${CMAKE_INSTALL_LIBDIR}/libhcr.so)
set(HCR_CONFIG_BUILD_TOOL ${CMAKE_INSTALL_BINDIR}/hcr-build)
set(HCR_CONFIG_REWRITE_TOOL ${CMAKE_INSTALL_BINDIR}/hcr-rewrite)
set(HCR_CONFIG_WATCH_TOOL ${CMAKE_INSTALL_BINDIR}/hcr-watch)
configure_package_config_file(cmake/HCRConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install/HCRConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/HCR
  PATH_VARS HCR_CONFIG_INCLUDE_DIR HCR_CONFIG_RUNTIME HCR_CONFIG_BUILD_TOOL
            HCR_CONFIG_REWRITE_TOOL HCR_CONFIG_WATCH_TOOL)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/HCRConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install/HCRConfig.cmake
              ${PROJECT_BINARY_DIR}/HCRConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/HCR)

# Build tree.
set(HCR_CONFIG_INCLUDE_DIR ${PROJECT_SOURCE_DIR}/include)
set(HCR_CONFIG_RUNTIME ${PROJECT_BINARY_DIR}/lib/Runtime/libhcr.so)
set(HCR_CONFIG_BUILD_TOOL ${PROJECT_BINARY_DIR}/bin/hcr-build)
set(HCR_CONFIG_REWRITE_TOOL ${PROJECT_BINARY_DIR}/bin/hcr-rewrite)
set(HCR_CONFIG_WATCH_TOOL ${PROJECT_BINARY_DIR}/bin/hcr-watch)
configure_package_config_file(cmake/HCRConfig.cmake.in
  ${PROJECT_BINARY_DIR}/HCRConfig.cmake
  INSTALL_DESTINATION ${PROJECT_BINARY_DIR}
  INSTALL_PREFIX ${PROJECT_BINARY_DIR}
  PATH_VARS HCR_CONFIG_INCLUDE_DIR HCR_CONFIG_RUNTIME HCR_CONFIG_BUILD_TOOL
            HCR_CONFIG_REWRITE_TOOL HCR_CONFIG_WATCH_TOOL)
configure_file(cmake/HCRFunctions.cmake ${PROJECT_BINARY_DIR}/HCRFunctions.cmake COPYONLY)
