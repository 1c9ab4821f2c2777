## Categories of goods and the units they are sold in.

type
  Category* = enum
    catTools = "tools"
    catFood = "food"
    catToys = "toys"
    catBooks = "books"
    catGarden = "garden"

  Unit* = enum
    uPiece, uKilogram, uLitre, uBox

const
  unitSuffix*: array[Unit, string] = ["pc", "kg", "l", "box"]
  taxPercent*: array[Category, int] = [20, 5, 20, 7, 13]
  categoryShelf*: array[Category, char] = ['T', 'F', 'Y', 'B', 'G']

proc shelfCode*(c: Category, slot: int): string =
  categoryShelf[c] & $slot
