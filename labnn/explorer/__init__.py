"""The TensorFlow-Playground-style explorer: a pure core and a view over it.

- ``playground``: one ``train(config)`` function and a ``Session`` with the one rule for changes
  (the learning rate live, every setting that shapes the run resets it to epoch 0; every name
  of the core is importable from here);
- ``config``: the validated configuration, its table of settings, the architecture buttons;
- ``datasets``: Playground's data sets, your own points and the train/test split;
- ``features``: the input features; ``codegen``: the labnn code of a run (below the session,
  which calls it); ``pruning``: Playground's L1 rule; ``jobs``: Play, Step, Fast-forward and
  Cancel in slices that never keep the kernel busy; ``state``: a run as one line of text, and
  Playground's links;
- the view (nothing the core needs): ``frame`` (what the page draws, as numbers), ``controls``
  (each control described from the settings' table), ``widgets`` (the explorer, a widget whose
  page, ``explorer.js``, draws on canvases; and the static figures), ``views`` and ``netview``
  (the static pictures, in matplotlib)."""
