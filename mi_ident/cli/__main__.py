"""``python -m mi_ident.cli``: the same as the ``mi-ident`` command."""

import sys

from . import main

sys.exit(main())
