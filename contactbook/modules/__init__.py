"""Built-in modules, each loaded by name from the MODULES setting."""
