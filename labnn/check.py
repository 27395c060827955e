"""Check a student's own back-propagation and name the mistake it makes.

    python -m labnn.check submission.py [more.py or folders ...]

or, from Python, ``labnn.check.check_backprop(forward, backward, params, X, y)``. The lab
layer's (``labnn.lab.check``, ``labnn.lab.submissions``), named here so that the command is
short; the layering test counts this module as part of the lab layer.
"""

from .lab.check import CheckResult, check_backprop
from .lab.submissions import check_file, main, run_file

__all__ = ["CheckResult", "check_backprop", "check_file", "main", "run_file"]

if __name__ == "__main__":
    raise SystemExit(main())
