"""Board layouts: the strict model, YAML loading with ``extends``, card content and the pure engine."""
