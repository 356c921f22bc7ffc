"""``python -m compare`` is the ``compare`` command."""

import sys

from .cli import main

sys.exit(main())
