"""The experiments of docs/experiments.md; run.py is the command."""
