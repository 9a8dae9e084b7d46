"""The contact book: roll call, grades, health notes and comments."""
