"""The local Miro-compatible board: an engine speaking the REST v2 subset gria-miro uses.

Two ways in, one engine: :func:`gria_miro.localboard.adapter.open_local_board` (``--board local:PATH``,
in-process through ``requests``) and :func:`gria_miro.localboard.server.start_server` (``gria-miro serve``).
"""
