"""The report's layer, used by the notebooks: seeded experiments (``experiments``, one pure
function per study, trained as stacks of networks), how much their outcomes depend on
floating-point rounding (``sensitivity``), the image task of the convolution extra
(``images``) and the matplotlib views of all of it (``plots``)."""
