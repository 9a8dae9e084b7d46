"""The contact book's rules, one transaction per function: roll call, grades, notes, comments."""
