# Run by `cmake --install` (cmake/HCRDebuggerHooks.cmake): links hcr's gdb
# helper into gdb's system gdbinit directory and hcr's lldb plugin into
# lldb's plugin directory. The links are relative, so a DESTDIR staging tree
# works as the real one. Outside the prefix, and so often not writable (an
# install by a user into ~/.local): a failure is a warning, the rest of hcr
# is installed, and docs/Debugging.md says how to load the helpers by hand.

function(hcr_link_hook what target link_dir link_name)
  set(dir "$ENV{DESTDIR}${link_dir}")
  set(link "${dir}/${link_name}")
  file(RELATIVE_PATH relative "${dir}" "$ENV{DESTDIR}${target}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
                  RESULT_VARIABLE failed ERROR_QUIET)
  if(NOT failed)
    file(REMOVE "${link}")
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -E create_symlink "${relative}" "${link}"
      RESULT_VARIABLE failed ERROR_QUIET)
  endif()
  if(failed)
    message(WARNING "hcr: cannot link ${link} (is ${link_dir} writable?): "
                    "${what} will not load hcr's helpers by itself; "
                    "docs/Debugging.md says how to load them by hand")
    return()
  endif()
  message(STATUS "Installing: ${link} -> ${relative}")
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${link}")
  set(CMAKE_INSTALL_MANIFEST_FILES "${CMAKE_INSTALL_MANIFEST_FILES}"
      PARENT_SCOPE)
endfunction()

function(hcr_installed_path out relative)
  if(IS_ABSOLUTE "${relative}")
    set(${out} "${relative}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${relative}" PARENT_SCOPE)
  endif()
endfunction()

hcr_installed_path(datadir "${HCR_DATADIR}")
hcr_link_hook(gdb "${datadir}/hcr/hcr-gdb.py" "${HCR_GDB_INIT_DIR}"
              hcr-gdb.py)
if(HCR_WITH_LLDB_PLUGIN)
  hcr_installed_path(libdir "${HCR_LIBDIR}")
  hcr_link_hook(lldb "${libdir}/hcr/libhcr-lldb.so" "${HCR_LLDB_PLUGIN_DIR}"
                libhcr-lldb.so)
endif()
