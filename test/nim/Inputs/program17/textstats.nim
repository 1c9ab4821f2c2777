## A little text analytics over the notes customers leave on orders.

import std/[tables, strutils, sequtils, algorithm, sets]

const stopWords = ["the", "a", "an", "and", "of", "to", "for", "please",
                   "with", "is", "it", "on", "at", "my", "by"]

let stopSet = toHashSet(stopWords)

proc words*(text: string): seq[string] =
  text.toLowerAscii.split({' ', ',', '.', '!', '?', ';'})
      .filterIt(it.len > 1 and it notin stopSet)

proc wordCounts*(texts: openArray[string]): CountTable[string] =
  result = initCountTable[string]()
  for t in texts:
    for w in words(t):
      result.inc w

proc byCountThenWord(a, b: (string, int)): int =
  result = cmp(b[1], a[1])
  if result == 0: result = cmp(a[0], b[0])

proc topWords*(texts: openArray[string], n: int): seq[(string, int)] =
  let counts = wordCounts(texts)
  result = toSeq(counts.pairs)
  result.sort(byCountThenWord)
  if result.len > n: result.setLen(n)

proc vocabulary*(texts: openArray[string]): int =
  var seen = initHashSet[string]()
  for t in texts:
    for w in words(t): seen.incl w
  seen.len

proc longestWord*(texts: openArray[string]): string =
  for t in texts:
    for w in words(t):
      if w.len > result.len or (w.len == result.len and w < result):
        result = w
