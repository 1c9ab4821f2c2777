import shapes

proc tick(n: int): int =
  result = area(n) + 1

var total = 0
for i in 1..2:
  total += tick(i)
echo total
