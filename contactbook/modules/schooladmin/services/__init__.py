"""The rules of school administration: plain functions `(actor, ...)`, one `atomic()` each."""
