"""School administration: years and terms, classes, staff, rosters, parent onboarding, reports.

It manages the core directory through core's public names, and imports no other module.
"""
