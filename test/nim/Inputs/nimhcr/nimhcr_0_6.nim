
let g_0 = 1000 # new value! but also a "new" global :)

proc getInt*(): int = return g_0
