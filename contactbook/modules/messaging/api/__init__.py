"""JSON routes of messaging, one file per part: parse, call a service, dump.

Each part has its own flask-smorest blueprint named `messaging_<part>_api`.
"""
