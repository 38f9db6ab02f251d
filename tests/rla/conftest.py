"""Make ``safelect`` importable from the source tree when the package is not installed."""

import importlib.util
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
if importlib.util.find_spec("safelect") is None:
    sys.path.insert(0, str(SRC))
