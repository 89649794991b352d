"""The `tehgraph` command: thin shells that parse options, call the library and set exit codes.

main.py holds the group and registers the commands of the other modules, which never import it.
"""

from .main import main

__all__ = ["main"]
