"""The ``joinedup`` command line."""
