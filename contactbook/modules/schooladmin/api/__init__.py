"""JSON routes of school administration, one file per part: parse, call a service, dump.

Each part has its own flask-smorest blueprint named `schooladmin_<part>_api`.
"""
