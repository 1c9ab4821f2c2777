import greet
echo greet("nim")
