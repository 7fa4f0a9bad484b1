"""`python -m warehouse.cli ...`: the deploy shim, the tests and bench/ start the CLI this way."""
import sys

from warehouse.cli.app import main

sys.exit(main())
