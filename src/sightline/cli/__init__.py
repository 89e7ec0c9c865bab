"""The ``sightline`` command line: a thin shell over the core, one module per command group."""
