"""SQL analysis through sqlglot: static column checks, column lineage, transpiling to other dialects, and
positions mapped back to the model file."""
