"""The command-line edge: argument parsing, one function per command, and the only place that turns
outcomes into exit codes. `python -m warehouse.cli` runs it."""
