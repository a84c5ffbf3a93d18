"""The composition root: settings, bootstrap(), the command line."""
