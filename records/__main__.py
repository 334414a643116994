"""`python -m records` runs the same command line as the `asystent` script."""

from records.cli import main

main()
