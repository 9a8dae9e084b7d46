"""Official-document dispatch: a separately installed contactbook module (`dispatch`)."""
