"""The texts of ``bot/texts`` filled in: dates, labels, and the replies built from a draft,
a case or an organisation, for the citizen (``citizen``), the officer (``officer``) and in
the domain's refusals (``errors``). The wording itself is in ``bot/texts``; here is only how
it is put together."""
