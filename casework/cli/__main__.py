"""`python -m casework.cli`: the same as the `casework` command."""

from casework.cli import main

main()
