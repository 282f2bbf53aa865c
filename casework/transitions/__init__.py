"""The writer of cases: the only code that changes a case's state, and what it writes beside it.

- `apply`: fire one trigger on one locked case (lock, version check, fire, write state), then the
  follow-on commands its effects return, in order, in the same transaction.
- `opening`: a new case in its initial state, and a case placed in a state from a council's old records.
- `state`: the one UPDATE that writes a case's state, guarded by its version.
- `facts`: the facts recorded on a case, and how guards read them back.
- `trail`: the audit events.
- `deadlines`: arming and closing deadlines, their reminders, and the case's next due date.
- `outbox`: the messages relayed to the worker once the transaction commits.
- `commands`: a follow-on transition an effect asks for.
- `locks`: every lock a writer takes, in the one documented order.

Nothing here opens or commits a transaction: casework.services do, and lock the case first.
"""
