"""`python -m enrich` runs the same command line as the `enrich` script."""

import sys

from enrich.cli import main

sys.exit(main())
