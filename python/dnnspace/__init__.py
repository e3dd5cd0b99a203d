"""dnnspace: design and evaluate DNN accelerators from Python.

The same library as the ``dnnspace`` command: networks from the zoo, YAML or ONNX;
architectures from the presets, YAML or a Python dict; ``evaluate`` a mapping,
``optimize`` a network, ``dse`` a hardware sweep. Results are objects whose
``to_dict()`` has the keys of the command's ``--json`` output and whose ``records()``
are flat rows for ``pandas.DataFrame``. Errors raise :class:`Error` (a ValueError)
with the command's one-line message. Searches release the GIL and stop on Ctrl-C
(KeyboardInterrupt). See docs/python.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

try:
    from . import _native
except ImportError as _missing:  # a build without the C++ module (the sanitizer build)
    _native = None
    _why = f"dnnspace's C++ module is missing ({_missing}); build it (make build) or install it (make install)"

if _native is not None:
    from .api import *  # noqa: F401,F403
    from .api import __all__  # noqa: F401
else:
    # The figures and the HTML report (dnnspace.plot, dnnspace.report) need only the
    # standard library and matplotlib; everything else needs the C++ module.
    def __getattr__(name):
        raise ImportError(_why)
