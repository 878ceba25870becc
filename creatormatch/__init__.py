"""creatormatch: the application shell (settings, catalog, pipeline, command line)."""
