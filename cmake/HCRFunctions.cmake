# hcr_add_executable(<name> SOURCES <file>... [INCLUDE_DIRECTORIES <dir>...]
#                    [COMPILE_OPTIONS <opt>...] [LINK_OPTIONS <opt>...]
#                    [PROJECT_ROOTS <dir>...])
#
# Builds <name> for hot reloading with hcr-build: each source is a module
# (its own shared object), the one defining main is the host. The program is
# ${CMAKE_CURRENT_BINARY_DIR}/<name>.hcr/<name> (target property
# HCR_PROGRAM). CMake reruns hcr-build when a source or any project header
# it includes changes (a depfile); hcr-build then recompiles only what
# changed, and a running program picks the new modules up at its next
# hcr_perform_reload().
function(hcr_add_executable name)
  cmake_parse_arguments(ARG "" ""
    "SOURCES;INCLUDE_DIRECTORIES;COMPILE_OPTIONS;LINK_OPTIONS;PROJECT_ROOTS"
    ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "hcr_add_executable(${name}): no SOURCES")
  endif()
  set(sources)
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND sources "${abs}")
  endforeach()
  set(flags)
  foreach(dir IN LISTS ARG_INCLUDE_DIRECTORIES)
    get_filename_component(abs "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND flags "-I${abs}")
  endforeach()
  list(APPEND flags ${ARG_COMPILE_OPTIONS} ${ARG_LINK_OPTIONS})
  set(roots)
  foreach(root IN LISTS ARG_PROJECT_ROOTS)
    list(APPEND roots --project-root "${root}")
  endforeach()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${name}.hcr")
  add_custom_command(
    OUTPUT "${out}/${name}"
    COMMAND "${HCR_BUILD_EXECUTABLE}" -q -o "${out}" --name "${name}"
            --depfile "${out}/${name}.d" ${roots} ${sources} -- ${flags}
    DEPENDS ${sources} "${HCR_BUILD_EXECUTABLE}"
    DEPFILE "${out}/${name}.d"
    COMMENT "hcr-build ${name}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS "${out}/${name}")
  set_target_properties(${name} PROPERTIES HCR_PROGRAM "${out}/${name}")
endfunction()
