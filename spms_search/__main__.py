"""``python -m spms_search`` runs the command line."""

from .cli import main

main(prog_name="spms-search")
