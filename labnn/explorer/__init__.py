"""The TensorFlow-Playground-style explorer: a pure core (``playground``: a validated
configuration, one ``train(config)`` function and a ``Session`` with the live-lr, rebuild and
redraw rules) and the ipywidgets view over it (``widgets``)."""
