"""The rules of messaging: plain functions `(actor, ...)`, one `atomic()` each."""
