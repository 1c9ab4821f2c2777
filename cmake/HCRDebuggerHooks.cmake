# Where gdb and lldb look by themselves, and the install step that puts
# hcr's helpers there (cmake/HCRInstallDebuggerHooks.cmake). gdb reads every
# script in its system gdbinit directory when it starts; each lldb debugger
# loads every plugin in lldb's system plugin directory. Both are fixed when
# the debugger is built, so they are asked, not derived from the prefix.
option(HCR_INSTALL_DEBUGGER_HOOKS
       "Install links that make gdb and lldb load hcr's helpers" ON)

set(gdb_init_dir /etc/gdb/gdbinit.d)
find_program(HCR_GDB gdb)
if(HCR_GDB)
  execute_process(COMMAND ${HCR_GDB} --configuration
                  OUTPUT_VARIABLE gdb_configuration ERROR_QUIET)
  if(gdb_configuration MATCHES "--with-system-gdbinit-dir=([^ \n]+)")
    set(gdb_init_dir ${CMAKE_MATCH_1})
  endif()
endif()
set(HCR_GDB_INIT_DIR ${gdb_init_dir} CACHE PATH
    "gdb's system gdbinit directory, where hcr's install links hcr-gdb.py")

set(lldb_plugin_dir /usr/lib/lldb/plugins)
find_program(HCR_LLDB lldb-19)
if(HCR_LLDB)
  execute_process(
    COMMAND ${HCR_LLDB} --no-lldbinit -b -o
      "script import lldb; print('plugins:', lldb.SBHostOS.GetLLDBPath(lldb.ePathTypeLLDBSystemPlugins))"
    OUTPUT_VARIABLE lldb_output ERROR_QUIET TIMEOUT 60)
  if(lldb_output MATCHES "\nplugins: (/[^\n]+)")
    set(lldb_plugin_dir ${CMAKE_MATCH_1})
  endif()
endif()
set(HCR_LLDB_PLUGIN_DIR ${lldb_plugin_dir} CACHE PATH
    "lldb's system plugin directory, where hcr's install links its plugin")

if(HCR_INSTALL_DEBUGGER_HOOKS)
  install(CODE "
    set(HCR_GDB_INIT_DIR \"${HCR_GDB_INIT_DIR}\")
    set(HCR_LLDB_PLUGIN_DIR \"${HCR_LLDB_PLUGIN_DIR}\")
    set(HCR_DATADIR \"${CMAKE_INSTALL_DATADIR}\")
    set(HCR_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
    set(HCR_WITH_LLDB_PLUGIN \"${HCR_LLDB_PLUGIN}\")
    include(\"${PROJECT_SOURCE_DIR}/cmake/HCRInstallDebuggerHooks.cmake\")
  " COMPONENT debugger)
endif()
