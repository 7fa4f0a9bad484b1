"""Layer 0: what every other package shares (errors with locations, result records, file and YAML I/O,
logging, SQL quoting). Imports nothing from the rest of warehouse/, so anything may import it."""
