/* A Lua C module for the tests: hcrlua.reload() runs hcr_perform_reload()
 * in the interpreter built by hcr-build (libhcr is already loaded there)
 * and returns whether a reload was needed and the status. */
#include "lauxlib.h"
#include "lua.h"

#define HCR_ENABLED 1
#include <hcr/hcr.h>

static int reload(lua_State *L) {
  lua_pushboolean(L, hcr_reload_needed());
  lua_pushinteger(L, hcr_perform_reload());
  return 2;
}

int luaopen_hcrlua(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, reload);
  lua_setfield(L, -2, "reload");
  return 1;
}
