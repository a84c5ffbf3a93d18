"""The use cases, by responsibility, as plain functions over a case context and a unit of work.

- :mod:`.context`: the organisation as one frozen snapshot (``CaseContext``) and where a
  running process gets the current one (``ContextSource``);
- :mod:`.notify`: telling officers and the complainant (outbox rows, same transaction);
- :mod:`.filing`: filing a complaint and the filer's list;
- :mod:`.verification`: the central admin's verification and disposition to a unit;
- :mod:`.casework`: moving a case through the workflow table, and the unit's work on it;
- :mod:`.followup`: the complainant's answers, rating and SKM score;
- :mod:`.escalate`: telling the next level of an overdue or reopened case.

Time is always passed in. The caller commits: a complaint, its audit entries and the outbox
rows of a use case land in one transaction with whatever else the caller changed.
"""
