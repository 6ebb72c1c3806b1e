import sys

from journal.commands.cli import main

sys.exit(main())
