"""The bundle's entry point: the ``kitstation`` console script, as pip would generate it."""

import multiprocessing
import sys

from kitstation.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen Windows program must call it before anything else
    sys.exit(main())
