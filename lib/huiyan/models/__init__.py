"""The vetted models' rule logic, one module per model (the notebooks tell the story).

Each module registers its rules with :func:`huiyan.rules.rule` when imported.
"""
