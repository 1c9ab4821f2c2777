
import hotcodereloading

proc f_2*(): int = return 1

afterCodeReload:
  echo "   2: after!"
