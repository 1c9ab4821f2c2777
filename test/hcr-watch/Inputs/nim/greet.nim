proc greet*(who: string): string = "hello " & who
