"""The game on paper: printable PDFs of the cards, the planning board and a blank carnet de suivi.

Each module draws one document from the same deck, layout and layout engine as the Miro board,
and returns the PDF's bytes (the CLI writes them). Text is set in the bundled Atkinson
Hyperlegible Next (SIL Open Font License, see ``fonts/OFL.txt``).
"""
