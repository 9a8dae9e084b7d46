"""The platform every e-government module shares, in four rooms stacked so imports run down.

- `demo`: demo data and its name lists (`flask demo`); nothing imports it but the app factory.
- `delivery`: telling people things: `notify()`, the inbox, the outbox and its worker, the
  sending loop and its channels, push subscriptions and VAPID.
- `directory`: the school directory and the people in it: its tables, passwords and sessions,
  the sign-in pages, who may see what, Vietnamese names and phone numbers, the home page.
- `platform`: what everything stands on: the module contract and its loader, the scheduler,
  the API object and its error shape, the database, transactions, idempotency, audit, records
  (the clock, stored times and enums), i18n, request limits and headers, the PWA shell.

Each room imports only the rooms below it, and a module imports the rooms' public names
(`from contactbook.core.delivery import notify`), never a file inside them.
"""
