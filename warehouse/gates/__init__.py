"""The gates a staging build passes before it may be published: the static column check and the
expectation checks (warehouse.check)."""
