# A module first loaded by a reload: its top-level code runs then, once.
echo "extra: top-level code, run once when first loaded"
var calls = 40

proc greeting*(): string =
  inc calls
  "extra " & $calls
