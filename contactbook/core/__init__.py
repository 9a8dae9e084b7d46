"""The platform every e-government module shares: identity, directory, access, module loader."""
