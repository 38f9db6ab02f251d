"""``python -m safelect.rla``: the ``safelect rla`` command (see ``safelect.rla.cli``;
Rivest 2018 sampling, Lindeman-Stark-Yates 2012, Stark 2008/2010/2020/2023 statistics)."""

import sys

from .cli import main

sys.exit(main())
