"""Board layouts: the strict model, YAML loading with ``extends``, card content and the pure engine.

The two entry points other parts call: :func:`gria_miro.layout.loading.load_layout` and
:func:`gria_miro.layout.engine.compute_board`. Nothing is re-exported here, so importing the pure
engine never imports the file-reading half.
"""
