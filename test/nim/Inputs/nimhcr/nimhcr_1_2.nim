
import nimhcr_2

proc f_1*(): int = return f_2()
