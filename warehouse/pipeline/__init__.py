"""The build stages in run order: freshness, load (seeds), run (models), test (data tests), export.

`warehouse/build.py` strings them together; each stage returns its node results."""
