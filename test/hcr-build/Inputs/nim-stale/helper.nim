proc greeting*(name: string): string = "hello, " & name
