"""The grant formulas as a pure library (S.2261 §7(e)–(h); H.R. 5011 §297): tables in, whole-dollar
allocations out. No Django and no database (an import-linter contract); ``safelect grants
allocate`` runs it without starting one."""
