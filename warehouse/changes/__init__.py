"""What a build changes: each model compared with its published version, and gates on that change.

`keys` finds the key rows are matched on, `compare` runs the diff (SQL in `warehouse.sql.diff`)
between two catalogs of one engine, `report` turns the records into lines, tables, JSON and
Markdown, and `history` keeps them in the `_warehouse_changes` table of the published warehouse."""
