## The shop's catalog, as data.

import items, units, money

const catalogVersion* = "2024.3"

const rawItems = [
  ("T-100", "claw hammer", catTools, uPiece, 1299, 650),
  ("T-110", "screwdriver set", catTools, uBox, 2450, 900),
  ("T-120", "tape measure", catTools, uPiece, 799, 210),
  ("F-200", "coffee beans", catFood, uKilogram, 1890, 1000),
  ("F-210", "olive oil", catFood, uLitre, 1125, 950),
  ("F-220", "oat flakes", catFood, uKilogram, 349, 1000),
  ("Y-300", "wooden train", catToys, uPiece, 3499, 1200),
  ("Y-310", "puzzle 500", catToys, uBox, 1599, 700),
  ("B-400", "field guide", catBooks, uPiece, 2200, 480),
  ("B-410", "cook book", catBooks, uPiece, 2899, 820),
  ("G-500", "seed mix", catGarden, uBox, 499, 150),
  ("G-510", "watering can", catGarden, uPiece, 1750, 600),
]

for (sku, name, cat, unit, cents, grams) in rawItems:
  register(Item(sku: Sku(sku), name: name, category: cat, unit: unit,
                price: money(0, cents), weightGrams: grams))

echo "catalog_data: loaded ", rawItems.len, " items"
