proc area*(side: int): int =
  let s = side * side
  result = s
