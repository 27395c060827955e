"""The TensorFlow-Playground-style explorer: a pure core and the ipywidgets view over it.

- ``playground``: one ``train(config)`` function and a ``Session`` with the Playground's rules
  (the learning rate live, every other setting rebuilds; every name of the core is importable
  from here);
- ``config``: the validated configuration, its table of settings, the architecture buttons;
- ``datasets``: Playground's data sets, your own points and the train/test split;
- ``features``: the input features; ``codegen``: the labnn code of a run (below the session,
  which calls it);
- the view (ipywidgets and matplotlib, nothing the core needs): ``widgets`` (the explorer),
  ``controls`` (one control per setting, the feature checkboxes, the layer buttons), ``views``
  (the output, the loss curves, the gradient view) and ``netview`` (the network picture)."""
