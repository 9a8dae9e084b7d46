"""Messaging: teacher–family conversations per child, announcements, leave requests.

It stands on core's public names (`notify()`, the directory, access rules, the module contract)
and imports no other module; the roll call hears about leave through a core hook.
"""
