"""Pull: a finished board read back (snapshot) → cards placed in zones → the team's roadmap.

``assign`` recognises zones and cards and places them (pure); ``roadmap`` builds the typed
roadmap from that placement and the deck (pure); ``snapshot`` saves and reloads what was read.
"""
